"""The stages an applicant follows (受理, 踏勘, 审批, 施工, 通水/通气, 回访), from what Tapline recorded.

Each stage says whether it is done (with when), under way or still to come, and when it is due where a
clock gives a due; times are in the tenant's time zone, as the applicant reads them.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import Application, ReturnVisit, SurveyTask, TaskEvent, WorkOrder
from server.services.steps import CONNECTION_NAMES, UTILITY_NAMES

STATUS_NAMES = {"done": "已完成", "in_progress": "办理中", "waiting": "未开始", "not_needed": "无需办理"}
#: The clocks' steps whose due is each stage's.
DUE_STEPS = {
    "acceptance": ("acceptance",),
    "survey": ("survey_upload", "survey_and_design"),
    "approval": ("outer_works_approval",),
    "construction": ("construction", "construction_start"),
    "connection": ("connection", "connection_after_completion"),
    "return_visit": ("return_visit_follow_up",),
}


def stages(session: Session, application: Application, clocks: list[dict], zone: ZoneInfo) -> list[dict]:
    """Every stage of the application, in order, times in `zone`; a utility's own stages once per utility."""
    task = session.scalars(select(SurveyTask).where(SurveyTask.tenant_id == application.tenant_id,
                                                    SurveyTask.application_id == application.id)).one()
    approved_at = session.scalar(select(func.max(TaskEvent.created_at)).where(
        TaskEvent.tenant_id == task.tenant_id, TaskEvent.task_id == task.id, TaskEvent.to_status == "approved"))
    orders = {order.utility: order for order in session.scalars(select(WorkOrder).where(
        WorkOrder.tenant_id == application.tenant_id, WorkOrder.application_id == application.id))}
    visits = list(session.scalars(select(ReturnVisit).where(ReturnVisit.tenant_id == application.tenant_id,
                                                            ReturnVisit.application_id == application.id)))

    def due(stage: str, utility: str | None = None) -> datetime | None:
        dues = [clock["due_at"] for clock in clocks if clock["step"] in DUE_STEPS[stage] and clock["due_at"]
                and utility in (None, clock["utility"])]
        return min(dues, default=None)

    rows = [
        _stage("acceptance", "受理", None, application.applied_at, True, due("acceptance")),
        _stage("survey", "踏勘", None, task.surveyed_at, True, task.survey_due_at or due("survey")),
        _stage("approval", "审批", None, approved_at, task.surveyed_at is not None, due("approval")),
    ]
    for utility in application.utilities:
        order = orders.get(utility)
        rows.append(_stage("construction", f"施工（{UTILITY_NAMES[utility]}）", utility, order and order.completed_at,
                           bool(order and order.started_at), due("construction", utility)))
        rows.append(_stage("connection", CONNECTION_NAMES[utility], utility, order and order.connected_at,
                           bool(order and order.completed_at), due("connection", utility)))
    rows.append(_return_visit(visits, due("return_visit")))
    for row in rows:
        row["done_at"], row["due_at"] = local(row["done_at"], zone), local(row["due_at"], zone)
    return rows


def _stage(key: str, name: str, utility: str | None, done_at: datetime | None, started: bool,
           due_at: datetime | None) -> dict:
    status = "done" if done_at else "in_progress" if started else "waiting"
    return {"stage": key, "name": name, "utility": utility, "status": status, "status_name": STATUS_NAMES[status],
            "done_at": done_at, "due_at": due_at}


def _return_visit(visits: list[ReturnVisit], due_at: datetime | None) -> dict:
    """Done once a call was made; not needed when every connection fell outside the month's quota."""
    made = [visit.visited_at for visit in visits if visit.visited_at]
    row = _stage("return_visit", "回访", None, max(made, default=None),
                 any(visit.status == "scheduled" for visit in visits), due_at)
    if visits and all(visit.status == "not_selected" for visit in visits):
        row["status"], row["status_name"] = "not_needed", STATUS_NAMES["not_needed"]
    return row


def local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    return at.astimezone(zone) if at else None
