"""Work orders (工单): one per utility of an approved survey, from team assignment to closing.

States: created → assigned → in_progress → completed → connected → closed. Each state stamps its time;
starting, completing and connecting are events the deadline clocks count from or finish on, so they
refresh them. Closing waits for the profile's post-connection documents (Wuhu 002 二(二)5).
"""
import re
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

import policy
from policy.calendar import SHANGHAI
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import Application, SurveyTask, WorkOrder
from server.services import blobs, return_visits, sla, teams
from server.services.changes import audit
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404
from server.unit_of_work import commits

# to_status -> the statuses it may be reached from (assigned → assigned: another team).
TRANSITIONS = {
    "assigned": ("created", "assigned"),
    "in_progress": ("assigned",),
    "completed": ("in_progress",),
    "connected": ("completed",),
    "closed": ("connected",),
}
# The time each status stamps when it is reached.
STAMPS = {"assigned": "assigned_at", "in_progress": "started_at", "completed": "completed_at",
          "connected": "connected_at", "closed": "closed_at"}
# The statuses that are events of the deadline clocks.
CLOCK_EVENTS = ("in_progress", "completed", "connected")
# The profile's deadline for entering the site; its last day is the day construction starts.
START_STEP = "construction_start"
VIEW_FIELDS = ("id", "application_id", "task_id", "utility", "status", "team_id", "start_on", "created_at",
               "assigned_at", "started_at", "completed_at", "connected_at", "closed_at", "version")


def create_for_approved_task(session: Session, principal, task: SurveyTask) -> None:
    """One work order per utility of the task, in the approval's transaction; clocks count from it at once."""
    application = get_or_404(session, Application, task.tenant_id, task.application_id)
    now = datetime.now(UTC)
    for utility in task.utilities:
        order = WorkOrder(tenant_id=task.tenant_id, id=uuid.uuid4(), application_id=application.id, task_id=task.id,
                          utility=utility, status="created", created_at=now, start_on=now.astimezone(SHANGHAI).date())
        session.add(order)
        session.flush()
        decision = sla.refresh(session, application, utility)
        order.start_on = _start_day(decision) or order.start_on
        order.checklist = _checklist(decision)
        audit(session, principal, "work_order", order.id, "created",
              changes=jsonable({"utility": [None, utility], "start_on": [None, order.start_on],
                                "checklist": [None, [item["key"] for item in order.checklist]]}))


def allowed_from(status: str) -> list[str]:
    return [to for to, sources in TRANSITIONS.items() if status in sources]


def list_work_orders(session: Session, tenant_id: uuid.UUID, filters: dict, *, offset: int,
                     limit: int) -> tuple[list[dict], int]:
    """Soonest start first."""
    query = _with_numbers().where(WorkOrder.tenant_id == tenant_id)
    for name in ("status", "utility", "team_id", "application_id", "start_on"):
        if name in filters:
            query = query.where(getattr(WorkOrder, name) == filters[name])
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(WorkOrder.start_on, WorkOrder.created_at, WorkOrder.id)
                           .offset(offset).limit(limit))
    return [_view(order, number) for order, number in rows], total


def get_work_order(session: Session, tenant_id: uuid.UUID, order_id: uuid.UUID) -> dict:
    row = session.execute(_with_numbers().where(WorkOrder.tenant_id == tenant_id, WorkOrder.id == order_id)).first()
    if row is None:
        raise NotFound("WorkOrder", order_id)
    return _view(*row)


def suggest_teams(session: Session, tenant_id: uuid.UUID, order_id: uuid.UUID) -> dict:
    return teams.suggestions(session, get_or_404(session, WorkOrder, tenant_id, order_id))


@commits
def transition(session: Session, principal, order_id: uuid.UUID, to: str, *, team_id: uuid.UUID | None) -> dict:
    """Move the work order to `to` and commit.

    Raises 409 `illegal_transition` (with the allowed ones), `team_at_capacity` or `checklist_incomplete`
    (with the missing documents), and 422 `team_required`, `team_not_expected`, `unknown_team` or
    `team_lacks_utility`.
    """
    order = get_or_404(session, WorkOrder, principal.tenant_id, order_id, for_update=True)
    _check_transition(order.status, to)
    if to == "assigned":
        if team_id is None:
            raise ApiError(ServerCode.TEAM_REQUIRED, "name the construction team to assign", field="team_id")
        teams.reserve(session, order, team_id)
    elif team_id is not None:
        raise ApiError(ServerCode.TEAM_NOT_EXPECTED, "a team is named only to assign the work order", field="team_id")
    if to == "closed":
        _check_checklist(order)
    now = datetime.now(UTC)
    stamp = STAMPS[to]
    changes = {"status": [order.status, to], stamp: [getattr(order, stamp), now]}
    if to == "assigned":
        changes["team_id"] = [order.team_id, team_id]
    for name, (_, value) in changes.items():
        setattr(order, name, value)
    order.version += 1
    audit(session, principal, "work_order", order.id, "transition", changes=jsonable(changes))
    if to in CLOCK_EVENTS:
        application = get_or_404(session, Application, order.tenant_id, order.application_id)
        decision = sla.refresh(session, application, order.utility)
        if to == "connected":
            return_visits.schedule(session, application, order, decision.return_visits)
    return get_work_order(session, principal.tenant_id, order.id)


@commits
def record_document(session: Session, principal, order_id: uuid.UUID, key: str, shas: list[str]) -> dict:
    """Set the blobs of one checklist item and commit; they become the audit entry's evidence.

    Raises 404 for an item not on the checklist, 422 `missing_blob` naming those not uploaded, 409
    `work_order_closed`.
    """
    order = get_or_404(session, WorkOrder, principal.tenant_id, order_id, for_update=True)
    if order.status == "closed":
        raise ApiError(ServerCode.WORK_ORDER_CLOSED, "a closed work order's documents are final")
    if key not in {item["key"] for item in order.checklist}:
        raise NotFound("ChecklistItem", key)
    shas = list(dict.fromkeys(shas))
    missing = blobs.missing_blobs(session, order.tenant_id, shas)
    if missing:
        raise ApiError(ServerCode.MISSING_BLOB,
                       f"blob {missing[0]} has not been uploaded completely; upload it, then record the document",
                       field=f"blobs[{shas.index(missing[0])}]", details={"missing": missing})
    before = order.documents.get(key)
    order.documents = {**order.documents, key: shas}
    order.version += 1
    audit(session, principal, "work_order", order.id, "document_recorded", changes={key: [before, shas]},
          evidence=shas)
    return get_work_order(session, principal.tenant_id, order.id)


def _check_transition(status: str, to: str) -> None:
    if status not in TRANSITIONS.get(to, ()):  # `created` is a state no transition leads back into
        allowed = allowed_from(status)
        raise ApiError(ServerCode.ILLEGAL_TRANSITION,
                       f"a {status} work order cannot become {to}; allowed: {', '.join(allowed) or 'none'}", field="to",
                       details={"status": status, "to": to, "allowed": allowed})


def _check_checklist(order: WorkOrder) -> None:
    missing = [{name: item[name] for name in ("key", "zh", "en")} for item in order.checklist
               if not item["optional"] and not order.documents.get(item["key"])]
    if missing:
        raise ApiError(ServerCode.CHECKLIST_INCOMPLETE, f"{len(missing)} post-connection document(s) are missing: "
                       f"{', '.join(item['zh'] for item in missing)}",
                       details={"missing": missing})


def _start_day(decision: policy.Decision) -> date | None:
    """The last day the profile lets construction start on (a due at 24:00 is the end of the day before)."""
    due = next((d.due for d in decision.deadlines if d.step == START_STEP and d.due), None)
    if due is None:
        return None
    return (due - timedelta(microseconds=1)).astimezone(SHANGHAI).date()


def _checklist(decision: policy.Decision) -> list[dict]:
    documents = decision.post_connection_documents
    return [{"key": _item_key(item["en"]), **item} for item in (documents.to_json() if documents else [])]


def _item_key(english: str) -> str:
    """`customer acceptance confirmation` → `customer_acceptance_confirmation`: a key a URL can carry."""
    return re.sub(r"[^a-z0-9]+", "_", english.lower().replace("'", "")).strip("_")


def _with_numbers():
    return select(WorkOrder, Application.number).join(
        Application, and_(Application.tenant_id == WorkOrder.tenant_id, Application.id == WorkOrder.application_id))


def _view(order: WorkOrder, number: str) -> dict:
    checklist = [{**item, "blobs": order.documents.get(item["key"], [])} for item in order.checklist]
    return {**{name: getattr(order, name) for name in VIEW_FIELDS}, "number": number,
            "allowed_transitions": allowed_from(order.status), "checklist": checklist}
