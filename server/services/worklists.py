"""The office's work lists: the engineers' review queue and the dispatchers' board, each task with its deadline.

A task's deadline is the soonest open SLA clock of its application. Its state is `overdue` past it, `warning`
once the sweep raised the warning on that clock (the sweep's rule, not a copy of it), else `on_time`.
"""
import math
import uuid
from datetime import UTC, datetime

from sqlalchemy import Select, any_, func, literal, select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from server.models import Application, Conflict, Crew, Determination, SlaAlert, SlaClock, SurveyTask
from server.services import records

#: The board's columns, in the order work flows.
BOARD_STATUSES = ("new", "assigned", "on_site", "submitted", "returned", "approved")
BOARD_COLUMN_SIZE = 50


def _with_deadline(query: Select) -> Select:
    """Add the application's soonest open clock with a due time, and whether its warning was raised."""
    clock = (select(SlaClock.id.label("clock_id"), SlaClock.step, SlaClock.due_at)
             .where(SlaClock.tenant_id == SurveyTask.tenant_id, SlaClock.application_id == SurveyTask.application_id,
                    SlaClock.done_at.is_(None), SlaClock.due_at.is_not(None))
             .order_by(SlaClock.due_at).limit(1).lateral("next_clock"))
    warned = (select(func.count()).where(SlaAlert.tenant_id == SurveyTask.tenant_id,
                                         SlaAlert.clock_id == clock.c.clock_id, SlaAlert.level == "warning")
              .scalar_subquery())
    return query.outerjoin(clock, true()).add_columns(clock.c.step.label("due_step"), clock.c.due_at.label("due_at"),
                                                      warned.label("warned"))


def _item(row, now: datetime) -> dict:
    """A task's list item (the task record as REST shows it) from a `_with_deadline` row, with its deadline."""
    item = {name: value for name, value in row.items() if name != "warned"}
    due_at = row["due_at"]
    state = None if due_at is None else "overdue" if due_at < now else "warning" if row["warned"] else "on_time"
    return {**item, "deadline_state": state,
            "seconds_left": None if due_at is None else math.floor((due_at - now).total_seconds())}


def review_queue(session: Session, tenant_id: uuid.UUID, *, offset: int, limit: int) -> tuple[list[dict], int]:
    """Submitted tasks, longest waiting first, each with its deadline and what the reviewer should look at."""
    base = records.query("survey_task", tenant_id).where(SurveyTask.status == "submitted")
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    rows = session.execute(_with_deadline(base).order_by(SurveyTask.surveyed_at.asc().nulls_last(), SurveyTask.id)
                           .offset(offset).limit(limit)).mappings().all()
    now = datetime.now(UTC)
    items = [_item(row, now) for row in rows]
    flags = _review_flags(session, tenant_id, [item["id"] for item in items])
    return [{**item, "flags": flags[item["id"]] + (["kept_and_flagged"] if item["flagged"] else [])}
            for item in items], total


def _review_flags(session: Session, tenant_id: uuid.UUID, task_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Per task: near-threshold figures, geometry errors, crossings, drawn ≠ taped, open sync conflicts."""
    flags: dict[uuid.UUID, set[str]] = {task_id: set() for task_id in task_ids}
    latest = session.scalars(select(Determination).where(Determination.tenant_id == tenant_id,
                                                         Determination.task_id.in_(task_ids))
                             .ext(distinct_on(Determination.survey_id))
                             .order_by(Determination.survey_id, Determination.survey_version.desc(),
                                       Determination.created_at.desc()))
    for determination in latest:
        found, measurement = flags[determination.task_id], determination.measurement or {}
        checks = {"geometry_errors": determination.errors,
                  "near_threshold": (determination.decision or {}).get("near_threshold"),
                  "crossings": measurement.get("crossings"),
                  "length_mismatch": (measurement.get("reconciliation") or {}).get("flagged")}
        found.update(name for name, present in checks.items() if present)
    conflicted = session.scalars(select(Conflict.task_id).where(Conflict.tenant_id == tenant_id,
                                                                Conflict.task_id.in_(task_ids),
                                                                Conflict.status == "open").distinct())
    for task_id in conflicted:
        flags[task_id].add("open_conflicts")
    return {task_id: sorted(found) for task_id, found in flags.items()}


def board(session: Session, tenant_id: uuid.UUID, filters: dict) -> dict[str, dict]:
    """Tasks by status, each column soonest deadline first (at most BOARD_COLUMN_SIZE), with its total.

    Filters: `crew_id`, `utility`, `area` (part of the address, e.g. a district).
    """
    base = (records.query("survey_task", tenant_id).add_columns(Crew.name.label("crew_name"))
            .outerjoin(Crew, (Crew.tenant_id == SurveyTask.tenant_id) & (Crew.id == SurveyTask.crew_id)))
    if filters.get("crew_id"):
        base = base.where(SurveyTask.crew_id == filters["crew_id"])
    if filters.get("utility"):
        base = base.where(literal(filters["utility"]) == any_(SurveyTask.utilities))
    if filters.get("area"):
        base = base.where(Application.address.contains(filters["area"], autoescape=True))
    filtered = base.subquery()
    counts = dict(session.execute(select(filtered.c.status, func.count()).group_by(filtered.c.status)).all())
    now = datetime.now(UTC)
    columns = {}
    for status in BOARD_STATUSES:
        query = _with_deadline(base.where(SurveyTask.status == status))
        rows = session.execute(query.order_by(query.selected_columns.due_at.asc().nulls_last(), SurveyTask.created_at,
                                              SurveyTask.id).limit(BOARD_COLUMN_SIZE)).mappings().all()
        columns[status] = {"total": counts.get(status, 0), "tasks": [_item(row, now) for row in rows]}
    return columns
