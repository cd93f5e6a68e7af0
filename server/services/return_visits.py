"""Return visits (回访) after connection: who is called under the profile's quota, what they said, follow-ups.

Xinzheng (003 三(六)) calls back every non-residential customer and at least 10 % of residential ones a
month; Wuhu (002 二(一)3, 四7) every water and every business customer. Below 100 % a connection is picked
when a hash of (tenant, month, application) falls under the quota, so the same connection is always picked
or not; and because a hash only meets the quota on average, a connection is also picked when the month
would otherwise fall below it ("不低于"). A dissatisfied customer opens a follow-up clock that the SLA sweep
watches like any other step.
"""
import hashlib
import math
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

import policy
from policy.calendar import SHANGHAI
from policy.outcomes import ReturnVisits
from policy.process import GENDERS, VISIT_RESULTS
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import Application, ReturnVisit, SlaClock, WorkOrder
from server.services import sla
from server.services.lookup import get_or_404
from server.services.notifications import outbox
from server.unit_of_work import commits

FOLLOW_UP_STEP = "return_visit_follow_up"
# 003 三(六)3 "在3个工作日内逐条销号解决": the one limit the seeds give, used where a profile sets none.
DEFAULT_FEEDBACK_WITHIN = policy.Duration(policy.DurationUnit.WORKING_DAYS, Decimal(3))
VIEW_FIELDS = ("id", "application_id", "work_order_id", "utility", "percent", "selected_by", "status", "result",
               "owner_gender", "notes", "visited_at", "version")


def sampled(tenant_id: uuid.UUID, month: date, application_id: uuid.UUID, percent: int) -> bool:
    """Whether the hash of (tenant, month, application) falls under `percent`: the same answer every time."""
    digest = hashlib.sha256(f"{tenant_id}:{month:%Y-%m}:{application_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000 < percent * 100


def schedule(session: Session, application: Application, order: WorkOrder, quota: ReturnVisits | None) -> None:
    """Decide, in the connection's transaction, whether this connection gets a return visit (none without a quota)."""
    if quota is None:
        return
    month = order.connected_at.astimezone(SHANGHAI).date().replace(day=1)
    selected_by = _selection(session, order.tenant_id, month, application.id, quota.percent)
    session.add(ReturnVisit(tenant_id=order.tenant_id, id=uuid.uuid4(), application_id=application.id,
                            work_order_id=order.id, utility=order.utility, month=month, percent=quota.percent,
                            selected_by=selected_by, status="scheduled" if selected_by else "not_selected",
                            feedback_within=quota.feedback_within.to_dict() if quota.feedback_within else None))


def _selection(session: Session, tenant_id: uuid.UUID, month: date, application_id: uuid.UUID,
               percent: int) -> str | None:
    if percent >= 100:
        return "all"
    # One connection of the tenant's month and quota at a time, so the counts below cannot go stale.
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"return_visits:{tenant_id}:{month}", 0))))
    if sampled(tenant_id, month, application_id, percent):
        return "sample"
    decided, selected = session.execute(
        select(func.count(), func.count().filter(ReturnVisit.selected_by.is_not(None)))
        .where(ReturnVisit.tenant_id == tenant_id, ReturnVisit.month == month, ReturnVisit.percent == percent)).one()
    return "top_up" if selected < math.ceil((decided + 1) * percent / 100) else None


def list_visits(session: Session, tenant_id: uuid.UUID, filters: dict, *, offset: int,
                limit: int) -> tuple[list[dict], int]:
    """Visits of the tenant, newest connection month first."""
    query = _views().where(ReturnVisit.tenant_id == tenant_id)
    if "status" in filters:
        query = query.where(ReturnVisit.status == filters["status"])
    if "month" in filters:
        query = query.where(ReturnVisit.month == _month(filters["month"]))
    if "utility" in filters:
        query = query.where(ReturnVisit.utility == filters["utility"])
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(ReturnVisit.month.desc(), ReturnVisit.created_at, ReturnVisit.id)
                           .offset(offset).limit(limit))
    return [_view(*row) for row in rows], total


def get_visit(session: Session, tenant_id: uuid.UUID, visit_id: uuid.UUID) -> dict:
    row = session.execute(_views().where(ReturnVisit.tenant_id == tenant_id, ReturnVisit.id == visit_id)).first()
    if row is None:
        raise NotFound("ReturnVisit", visit_id)
    return _view(*row)


@commits
def record_result(session: Session, principal, visit_id: uuid.UUID, fields: dict, *,
                  targets: outbox.Targets) -> dict:
    """Record what the customer said and commit; dissatisfied opens a follow-up clock and tells the dispatchers.

    Raises 409 `visit_not_open` unless the visit is scheduled and not yet made.
    """
    visit = get_or_404(session, ReturnVisit, principal.tenant_id, visit_id, for_update=True)
    if visit.status != "scheduled":
        raise ApiError(ServerCode.VISIT_NOT_OPEN,
                       f"this visit is {visit.status}; only a scheduled visit takes a result",
                       details={"status": visit.status})
    now = datetime.now(UTC)
    for name, value in {**fields, "status": "done", "visited_at": now, "visited_by": principal.user_id}.items():
        setattr(visit, name, value)
    visit.version += 1
    if visit.result == "dissatisfied":
        within = _duration(visit.feedback_within) if visit.feedback_within else DEFAULT_FEEDBACK_WITHIN
        clock_id = sla.open_clock(session, visit.tenant_id, visit.application_id, _follow_up_step(visit),
                                  anchor="visited_at", start=now, duration=within)
        outbox.enqueue_follow_up(session, visit.tenant_id, clock_id, targets)
    return get_visit(session, principal.tenant_id, visit.id)


@commits
def close_follow_up(session: Session, principal, visit_id: uuid.UUID, notes: str) -> dict:
    """Close the follow-up of a dissatisfied customer and commit; 409 `no_open_follow_up` when there is none."""
    visit = get_or_404(session, ReturnVisit, principal.tenant_id, visit_id, for_update=True)
    if not sla.close_clock(session, visit.tenant_id, visit.application_id, _follow_up_step(visit), datetime.now(UTC)):
        raise ApiError(ServerCode.NO_OPEN_FOLLOW_UP, "this visit has no open follow-up")
    visit.follow_up_notes = notes
    visit.version += 1
    return get_visit(session, principal.tenant_id, visit.id)


def report(session: Session, tenant_id: uuid.UUID, month: str, utility: str | None) -> dict:
    """Counts of the month's visits by result and by owner gender, and of follow-ups: no personal data."""
    follow_up = case((SlaClock.id.is_(None), None), (SlaClock.done_at.is_(None), "open"), else_="closed")
    query = (select(ReturnVisit.status, ReturnVisit.result, ReturnVisit.owner_gender, follow_up, func.count())
             .outerjoin(SlaClock, _follow_up_join())
             .where(ReturnVisit.tenant_id == tenant_id, ReturnVisit.month == _month(month))
             .group_by(ReturnVisit.status, ReturnVisit.result, ReturnVisit.owner_gender, follow_up))
    if utility:
        query = query.where(ReturnVisit.utility == utility)
    counts = {"connections": 0, "scheduled": 0, "done": 0}
    by_result = dict.fromkeys(VISIT_RESULTS, 0)
    by_gender = {gender: dict.fromkeys(VISIT_RESULTS, 0) for gender in (*GENDERS, "unrecorded")}
    follow_ups = {"open": 0, "closed": 0}
    for status, result, gender, follow_up_state, count in session.execute(query):
        counts["connections"] += count
        counts["scheduled"] += 0 if status == "not_selected" else count
        if result:
            counts["done"] += count
            by_result[result] += count
            by_gender[gender or "unrecorded"][result] += count
        if follow_up_state:
            follow_ups[follow_up_state] += count
    return {"month": month, "utility": utility, **counts, "by_result": by_result, "by_gender": by_gender,
            "follow_ups": follow_ups}


def _follow_up_step(visit: ReturnVisit) -> str:
    return f"{visit.utility}.{FOLLOW_UP_STEP}"


def _follow_up_join():
    return and_(SlaClock.tenant_id == ReturnVisit.tenant_id, SlaClock.application_id == ReturnVisit.application_id,
                SlaClock.step == ReturnVisit.utility + "." + FOLLOW_UP_STEP)


def _views():
    return (select(ReturnVisit, Application.number, SlaClock)
            .join(Application, and_(Application.tenant_id == ReturnVisit.tenant_id,
                                    Application.id == ReturnVisit.application_id))
            .outerjoin(SlaClock, _follow_up_join()))


def _view(visit: ReturnVisit, number: str, follow_up: SlaClock | None) -> dict:
    return {**{name: getattr(visit, name) for name in VIEW_FIELDS}, "number": number,
            "month": f"{visit.month:%Y-%m}",
            "follow_up": None if follow_up is None else {"due_at": follow_up.due_at, "done_at": follow_up.done_at,
                                                         "notes": visit.follow_up_notes}}


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def _duration(raw: dict) -> policy.Duration:
    """A decision's duration ({value: decimal string or null, unit}) as the policy's own."""
    return policy.Duration(policy.DurationUnit(raw["unit"]), None if raw["value"] is None else Decimal(raw["value"]))
