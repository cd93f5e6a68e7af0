"""Joint survey tasks: who sees which, listing them, and moving them through their states.

Also the one way this issue writes a syncable record (`log_created`, `log_updated`): version and field
versions bumped, a change-feed row scoped to the task's crew and an audit entry, all in the caller's
transaction.
"""
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import orjson
from sqlalchemy import Select, String, Uuid, any_, bindparam, exists, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import Application, Conflict, Crew, Survey, SurveyTask, TaskEvent
from server.services import determinations, records, sla, work_orders
from server.services.changes import audit, log_updated, record_change
from server.services.evidence import evidence_of
from server.services.task_states import TRANSITIONS, allowed_from, check_transition
from server.unit_of_work import commits

# A crew must learn why its work came back, and a cancelled application must be explainable to the applicant.
NEEDS_REASON = ("returned", "cancelled")


def visible(query: Select, principal) -> Select:
    """Crew members see their crews' tasks only; to them another crew's task does not exist.

    The crews, read with the token, are passed as values: as a correlated subquery the planner scans every
    task of the tenant instead of the (tenant_id, crew_id, …) index.
    """
    if principal.role != "crew":
        return query
    return of_crews(query, bindparam("crew_ids", list(principal.crew_ids), type_=ARRAY(Uuid)))


def of_crews(query: Select, crew_ids) -> Select:
    """The tasks of these crews (`crew_ids`: a parameter holding their ids as an array), as `visible` scopes them."""
    return query.where(SurveyTask.crew_id == any_(crew_ids))


def get_task(session: Session, principal, task_id: uuid.UUID, *, for_update: bool = False) -> SurveyTask:
    """The task if the caller may see it, else 404 (another tenant's or another crew's task alike)."""
    query = visible(select(SurveyTask).where(SurveyTask.tenant_id == principal.tenant_id,
                                                       SurveyTask.id == task_id), principal)
    task = session.scalars(query.with_for_update() if for_update else query).first()
    if task is None:
        raise NotFound("SurveyTask", task_id)
    return task


def task_summary(session: Session, task: SurveyTask) -> dict:
    """The task as lists (and pulls) show it."""
    return records.read_one(session, "survey_task", task.tenant_id, task.id)


def list_tasks(session: Session, principal, filters: dict, *, offset: int,
               limit: int) -> tuple[list[orjson.Fragment], int]:
    """Tasks the caller sees, filtered, soonest survey due first (undated last); each as its JSON text."""
    page, count = _list_statements(frozenset(filters), principal.role == "crew")
    parameters = {"tenant_id": principal.tenant_id, "crew_ids": list(principal.crew_ids), "offset": offset,
                  "limit": limit, **filters}
    if "bbox" in filters:
        parameters.update(zip(BOX_CORNERS, filters["bbox"], strict=True))
    # Run on the session's connection: a page of JSON text needs nothing of the ORM.
    rows = session.connection().execute(page, parameters).all()
    if rows:
        return [orjson.Fragment(row.json) for row in rows], rows[0].total
    return [], session.connection().execute(count, parameters).scalar_one()


BOX_CORNERS = ("min_lon", "min_lat", "max_lon", "max_lat")


@cache
def _list_statements(filter_names: frozenset[str], crews_only: bool) -> tuple[Select, Select]:
    """The list's page and, for a page past the end, its count, with these filters on parameters of their
    names (the bbox's by its corners). Built once per process: building and keying the statement on each
    request cost more than PostgreSQL took to run it."""
    filters = {
        "status": SurveyTask.status == bindparam("status"),
        "utility": bindparam("utility", type_=String) == any_(SurveyTask.utilities),
        "profile": SurveyTask.profile_id == bindparam("profile"),
        "crew_id": SurveyTask.crew_id == bindparam("crew_id"),
        "due_before": SurveyTask.survey_due_at < bindparam("due_before"),
        "bbox": meets_box(func.ST_MakeEnvelope(*map(bindparam, BOX_CORNERS), 4490)),
    }
    query = records.json_query("survey_task", bindparam("tenant_id")).where(
        *(filters[name] for name in sorted(filter_names)))
    if crews_only:
        # `visible`, with the crews' value left to the call: one statement serves every crew member.
        query = of_crews(query, bindparam("crew_ids", type_=ARRAY(Uuid)))
    # The total rides along as a window count: one round trip instead of two per page.
    page = (query.add_columns(func.count().over().label("total"))
            .order_by(SurveyTask.survey_due_at.asc().nulls_last(), SurveyTask.created_at, SurveyTask.id)
            .offset(bindparam("offset")).limit(bindparam("limit")))
    return page, select(func.count()).select_from(query.subquery())


def meets_box(box):
    """The task's site, or any of its surveys' red line or route, meets the box."""
    survey_meets = exists().where(Survey.tenant_id == SurveyTask.tenant_id, Survey.task_id == SurveyTask.id,
                                  or_(func.ST_Intersects(Survey.red_line, box), func.ST_Intersects(Survey.route, box)))
    return or_(func.ST_Intersects(SurveyTask.site, box), survey_meets)


def transitions_for(status: str, role: str) -> list[str]:
    """The transitions this role may make from this status."""
    return [to for to in allowed_from(status) if role in TRANSITIONS[to][1]]


@commits
def transition(session: Session, principal, task_id: uuid.UUID, to: str, *, crew_id: uuid.UUID | None = None,
               reason: str | None = None, confirm_near_threshold: bool = False) -> dict:
    """Move the task to `to` and commit; see `apply_transition`."""
    task = get_task(session, principal, task_id, for_update=True)
    apply_transition(session, principal, task, to, crew_id=crew_id, reason=reason,
                     confirm_near_threshold=confirm_near_threshold)
    return task_summary(session, task)


def apply_transition(session: Session, principal, task: SurveyTask, to: str, *, crew_id: uuid.UUID | None = None,
                     reason: str | None = None, confirm_near_threshold: bool = False) -> None:
    """Move a locked task to `to` in the caller's transaction, recording who, from which device and when.

    Raises 409 `illegal_transition` with the allowed ones, 403 for the wrong role, 422 for a missing crew
    or reason, and 409 `geometry_errors` / `open_conflicts` / `near_threshold_unconfirmed` when approving a
    task whose surveys did not measure cleanly, still hold a sync conflict, or were decided on a quantity
    within its accuracy of a threshold that the engineer has not confirmed.
    """
    check_transition(task.status, to, principal.role)
    _check_arguments(session, task, to, crew_id, reason)
    if to == "approved":
        determinations.check_measured_cleanly(session, task)
        _check_no_open_conflicts(session, task)
        borderline = determinations.check_near_threshold_confirmed(session, task, confirm_near_threshold)
        if borderline:
            audit(session, principal, "survey_task", task.id, "near_threshold_confirmed",
                  changes={"near_threshold": borderline})
    now = datetime.now(UTC)
    changes = {"status": [task.status, to]}
    if to == "assigned" and crew_id != task.crew_id:
        changes["crew_id"] = [task.crew_id, crew_id]
    if to == "submitted" and task.surveyed_at is None:
        # Set once: a return and resubmission does not move the deadlines anchored on the survey.
        changes["surveyed_at"] = [None, now]
    session.add(TaskEvent(tenant_id=task.tenant_id, id=uuid.uuid4(), task_id=task.id, from_status=task.status,
                          to_status=to, actor_id=principal.user_id, device_id=principal.device_id, reason=reason,
                          crew_id=crew_id if to == "assigned" else None, created_at=now))
    for name, (_, value) in changes.items():
        setattr(task, name, value)
    move = _Move(session, principal, task, changes, reason, now)
    for step in EFFECTS[to]:
        step(move)


@dataclass
class _Move:
    """A transition under way, as its steps see it; submitting the surveys leaves the evidence the log binds."""

    session: Session
    principal: object
    task: SurveyTask
    changes: dict
    reason: str | None
    now: datetime
    evidence: list[str] | None = None


def _log(move: _Move) -> None:
    """The task's own change: its version, the change feed and the audit entry."""
    log_updated(move.session, move.principal, "survey_task", move.task, move.changes, crew_id=move.task.crew_id,
                action="transition", evidence=move.evidence, reason=move.reason)


def _move_scope(move: _Move) -> None:
    """The old crew's devices drop the task (revoke); the new crew's receive it whole (enter)."""
    if "crew_id" not in move.changes:
        return
    session, task = move.session, move.task
    old_crew, new_crew = move.changes["crew_id"]
    if old_crew is not None:
        record_change(session, task.tenant_id, "survey_task", task.id, task.version, crew_id=old_crew, op="revoke")
    record_change(session, task.tenant_id, "survey_task", task.id, task.version, crew_id=new_crew, op="enter")


def _refresh_clocks(move: _Move) -> None:
    """The steps anchored on the survey (upload, approval path…) get their due times now, not at the next sweep."""
    task = move.task
    application = move.session.get(Application, (task.tenant_id, task.application_id))
    for utility in task.utilities:
        sla.refresh(move.session, application, utility)


def _create_work_orders(move: _Move) -> None:
    """One work order per utility; each sets its utility's clocks from the approved survey."""
    work_orders.create_for_approved_task(move.session, move.principal, move.task)


def _check_no_open_conflicts(session: Session, task: SurveyTask) -> None:
    open_conflicts = session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.tenant_id == task.tenant_id, Conflict.task_id == task.id, Conflict.status == "open"))
    if open_conflicts:
        raise ApiError(ServerCode.OPEN_CONFLICTS,
                       f"{open_conflicts} sync conflict(s) of this task must be resolved before approval",
                       details={"open_conflicts": open_conflicts})


def _check_arguments(session: Session, task: SurveyTask, to: str, crew_id: uuid.UUID | None,
                     reason: str | None) -> None:
    if to == "assigned":
        if crew_id is None:
            raise ApiError(ServerCode.CREW_REQUIRED, "name the crew to assign", field="crew_id")
        active = session.scalar(select(Crew.active).where(Crew.tenant_id == task.tenant_id, Crew.id == crew_id))
        if not active:
            raise ApiError(ServerCode.UNKNOWN_CREW, f"crew {crew_id} does not exist or is inactive", field="crew_id")
    elif crew_id is not None:
        raise ApiError(ServerCode.CREW_NOT_EXPECTED, "a crew is named only to assign the task", field="crew_id")
    if to in NEEDS_REASON and not reason:
        raise ApiError(ServerCode.REASON_REQUIRED, f"say why the task is {to}", field="reason")


def _submit_surveys(move: _Move) -> None:
    """Stamp each survey submitted and determine it; the blobs the submission binds become the task's evidence."""
    session, principal, task, now = move.session, move.principal, move.task, move.now
    evidence = []
    surveys = session.scalars(select(Survey).where(Survey.tenant_id == task.tenant_id, Survey.task_id == task.id)
                              .order_by(Survey.utility).with_for_update()).all()
    for survey in surveys:
        changes = {"submitted_at": [survey.submitted_at, now]}
        survey.submitted_at = now
        log_updated(session, principal, "survey", survey, changes, crew_id=task.crew_id, action="submitted",
                    evidence=evidence_of(session, survey))
        determinations.determine(session, principal, task, survey)
        evidence += evidence_of(session, survey)
    move.evidence = evidence


#: What a transition to each status does once the task's fields are set, in this order: `_log` records the
#: task's own change, the rest are its side effects. The surveys are submitted (and determined) before the log,
#: whose entry binds their evidence; the clocks are refreshed after, from the determinations just made.
EFFECTS = {
    "assigned": (_log, _move_scope),
    "on_site": (_log,),
    "submitted": (_submit_surveys, _log, _refresh_clocks),
    "returned": (_log,),
    "approved": (_log, _create_work_orders),
    "cancelled": (_log,),
}
