"""Deadline clocks (超期预警督办): every step of an application with its due time from the profile.

A clock is one step of one utility (`water.construction_start`). Its start and due come from the profile
evaluated with the events that have happened so far, and it is done when the event that completes its step
happens. Events are read where they are recorded (the application, its survey task, the utility's work
order), never copied, so evaluating again is always safe: the task service `refresh`es the clocks when a
survey task is submitted (`tasks.EFFECTS`), work orders when they are created on approval and when they
start, complete or connect, and the sweep's `catch_up` is the safety net for an application surveyed since
its clocks were last evaluated.
"""
import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

import policy
from domain_errors import DomainError
from policy.catalogue import ANCHOR_EVENTS
from policy.decision import Deadline
from server.models import Application, SlaClock, SlaEvaluation, SurveyTask
from server.services.facts import current_facts, facts_for
from server.services.policies import decide, tenant_calendar

log = logging.getLogger("tapline.sla")

#: The event Tapline records that completes each step the profiles name. The steps missing here (the
#: platform's hand-over to the account manager and the manager's call, 003 三(二)1-2) have no event in
#: Tapline: their anchors never happen, so they never get a due and never alert.
DONE_BY = {
    "acceptance": "applied_at",  # 000 二(三) 受理报装: accepting the application is the step
    "survey_upload": "surveyed_at",  # 002 二(二)3: submitting the survey uploads it
    "survey_and_design": "surveyed_at",
    # No fee agreement is recorded, but the work order is handed over only after it (003 三(二)4).
    "fee_agreement": "work_order_at",
    "construction_handover": "work_order_at",
    # The outer works' permits (004 四(二)) are in hand before construction starts on them.
    "outer_works_approval": "construction_started_at",
    "construction_start": "construction_started_at",
    "construction": "completed_at",
    "connection": "connected_at",
    "connection_after_completion": "connected_at",
    "system_entry": "connected_at",  # 002 二(二)5: recording the connection is the system entry
}
#: What evaluating again may change on a clock; `done_at`, once set, stays.
RECOMPUTED = ("anchor", "duration", "started_at", "due_at", "calendar", "rule", "clause")


def start_clocks(session: Session, application: Application) -> datetime | None:
    """One clock per utility and step of the profile; returns when the survey is due (the earliest survey step)."""
    events = {"applied_at": application.applied_at}
    calendar = tenant_calendar(session, application.tenant_id)
    rows = []
    for utility in application.utilities:
        decision = decide(session, application.tenant_id, application.profile_id, facts_for(application, utility))
        rows += _clock_rows(application, utility, decision, events, calendar)
    _store(session, application, application.utilities, rows)
    return min((row["due_at"] for row in rows if "survey" in row["step"] and row["due_at"]), default=None)


def refresh(session: Session, application: Application, utility: str) -> policy.Decision:
    """Set the utility's clocks from the profile evaluated with every event so far; returns that decision.

    The facts are the latest determination's (what the survey measured) or, before one, the application's.
    """
    facts, events = current_facts(session, application, utility)
    decision = decide(session, application.tenant_id, application.profile_id, facts)
    calendar = tenant_calendar(session, application.tenant_id)
    _store(session, application, [utility], _clock_rows(application, utility, decision, events, calendar))
    return decision


def catch_up(session: Session) -> int:
    """Refresh the clocks of applications surveyed since their clocks were last evaluated; returns how many.

    Submission and approval refresh them themselves, so this is the safety net; a cancelled application's
    clocks no longer count, so only surveys still in the crew's or the reviewer's hands are looked at.
    """
    evaluations = and_(SlaEvaluation.tenant_id == Application.tenant_id,
                       SlaEvaluation.application_id == Application.id)
    stale = (select(Application)
             .join(SurveyTask, and_(SurveyTask.tenant_id == Application.tenant_id,
                                    SurveyTask.application_id == Application.id))
             .where(SurveyTask.surveyed_at.is_not(None), SurveyTask.status.not_in(("approved", "cancelled")),
                    or_(~exists().where(evaluations),
                        exists().where(evaluations, SlaEvaluation.evaluated_at < SurveyTask.surveyed_at))))
    refreshed = 0
    for application in session.scalars(stale).all():
        # One application the profile cannot decide on must not stop every other tenant's clocks.
        try:
            with session.begin_nested():
                for utility in application.utilities:
                    refresh(session, application, utility)
            refreshed += 1
        except DomainError as error:
            log.warning("clocks of application %s not refreshed: %s", application.id, error)
    return refreshed


def timeline(session: Session, tenant_id: uuid.UUID, application_id: uuid.UUID) -> list[dict]:
    """The application's clocks, soonest due first (steps without a due yet last)."""
    clocks = session.scalars(select(SlaClock).where(SlaClock.tenant_id == tenant_id,
                                                    SlaClock.application_id == application_id)
                             .order_by(SlaClock.due_at.asc().nulls_last(), SlaClock.step))
    return [_clock_view(clock) for clock in clocks]


def open_clock(session: Session, tenant_id: uuid.UUID, application_id: uuid.UUID, step: str, *, anchor: str,
               start: datetime, duration: policy.Duration) -> uuid.UUID:
    """A clock of Tapline's own (not the profile's), due `duration` after `start` on the tenant's calendar; its id."""
    due = tenant_calendar(session, tenant_id).due(start, duration)
    clock = SlaClock(tenant_id=tenant_id, id=uuid.uuid4(), application_id=application_id, step=step, anchor=anchor,
                     duration=_duration_text(duration), started_at=start, due_at=due.at,
                     calendar=due.calendar.value)
    session.add(clock)
    return clock.id


def close_clock(session: Session, tenant_id: uuid.UUID, application_id: uuid.UUID, step: str,
                at: datetime) -> bool:
    """Mark the step's clock done; False when there is no open one."""
    clock = session.scalars(select(SlaClock).where(SlaClock.tenant_id == tenant_id,
                                                   SlaClock.application_id == application_id, SlaClock.step == step,
                                                   SlaClock.done_at.is_(None)).with_for_update()).first()
    if clock is None:
        return False
    clock.done_at = at
    return True


def _clock_rows(application: Application, utility: str, decision: policy.Decision, events: dict[str, datetime],
                calendar: policy.WorkingCalendar) -> list[dict]:
    dues = {deadline.step: _clock_due(deadline, calendar) for deadline in decision.deadlines}
    return [{
        "tenant_id": application.tenant_id, "id": uuid.uuid4(), "application_id": application.id,
        "step": f"{utility}.{deadline.step}", "anchor": deadline.anchor,
        "duration": _duration_text(deadline.duration),
        # A step counted from an earlier step starts when that one is due: the latest it may have happened.
        "started_at": events.get(deadline.anchor) if deadline.anchor in ANCHOR_EVENTS else dues.get(deadline.anchor),
        "due_at": dues[deadline.step], "calendar": deadline.calendar.value if deadline.calendar else None,
        "rule": deadline.rule, "clause": deadline.clause, "done_at": events.get(DONE_BY.get(deadline.step)),
    } for deadline in decision.deadlines]


def _clock_due(deadline: Deadline, calendar: policy.WorkingCalendar) -> datetime | None:
    # A 即办 step is due the instant it starts, so its clock would be overdue the moment it is created: the
    # clock runs to the close of that working day instead (docs/policy.md, "即办 and alerts").
    if deadline.due is not None and deadline.duration.unit is policy.DurationUnit.IMMEDIATE:
        return calendar.close_of_working_day(deadline.due)
    return deadline.due


def _store(session: Session, application: Application, utilities: list[str], rows: list[dict]) -> None:
    """Upsert the clocks in one statement and note when these utilities were evaluated."""
    if rows:
        stmt = insert(SlaClock).values(rows)
        session.execute(stmt.on_conflict_do_update(
            index_elements=[SlaClock.tenant_id, SlaClock.application_id, SlaClock.step],
            set_={**{name: stmt.excluded[name] for name in RECOMPUTED},
                  "done_at": func.coalesce(SlaClock.done_at, stmt.excluded.done_at)}))
    now = datetime.now(UTC)
    stmt = insert(SlaEvaluation).values([{"tenant_id": application.tenant_id, "application_id": application.id,
                                          "utility": utility, "evaluated_at": now} for utility in utilities])
    session.execute(stmt.on_conflict_do_update(index_elements=[SlaEvaluation.tenant_id, SlaEvaluation.application_id,
                                                               SlaEvaluation.utility],
                                               set_={"evaluated_at": stmt.excluded.evaluated_at}))


def _clock_view(clock: SlaClock) -> dict:
    utility, _, step = clock.step.partition(".")
    return {"utility": utility, "step": step, "anchor": clock.anchor, "duration": clock.duration,
            "started_at": clock.started_at, "due_at": clock.due_at, "done_at": clock.done_at,
            "calendar": clock.calendar, "rule": clock.rule, "clause": clock.clause}


def _duration_text(duration: policy.Duration) -> str:
    """`1 working_days`, `next_day`: the value (if any) and the unit."""
    return " ".join(str(value) for value in (duration.value, duration.unit.value) if value is not None)
