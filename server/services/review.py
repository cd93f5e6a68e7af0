"""What a reviewer reads and writes about a task: its full record, comments, determinations and audit trail."""
import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import AuditEntry, Comment, Determination, Survey, TaskEvent
from server.services import determinations, records, task_flags
from server.services.applications import get_application
from server.services.changes import audit, log_created, record_change
from server.services.lookup import get_or_404
from server.services.surveys import EDITABLE_FIELDS, survey_of, survey_view
from server.services.tasks import get_task, task_summary, transitions_for
from server.unit_of_work import commits


def task_detail(session: Session, principal, task_id: uuid.UUID) -> dict:
    """The task with its application, surveys, latest determinations, comments and transitions."""
    task = get_task(session, principal, task_id)
    events = session.scalars(select(TaskEvent).where(TaskEvent.tenant_id == task.tenant_id,
                                                     TaskEvent.task_id == task.id).order_by(TaskEvent.created_at))
    latest = records.read(session, "determination", task.tenant_id,
                          [d.id for d in determinations.latest(session, task)])
    return {**task_summary(session, task),
            "application": get_application(session, task.tenant_id, task.application_id),
            "allowed_transitions": transitions_for(task.status, principal.role),
            "surveys": _rows(session, records.query("survey", task.tenant_id).where(Survey.task_id == task.id)
                             .order_by(Survey.utility)),
            "determinations": sorted(latest.values(), key=lambda determination: determination["utility"]),
            "comments": _rows(session, records.query("comment", task.tenant_id)
                              .where(Comment.task_id == task.id, Comment.deleted_at.is_(None))
                              .order_by(Comment.created_at)),
            "events": list(events)}


def _rows(session: Session, query) -> list[dict]:
    return [dict(row) for row in session.execute(query).mappings()]


@commits
def add_comment(session: Session, principal, task_id: uuid.UUID, fields: dict) -> dict:
    """An engineer's comment, on the task or on one survey, optionally pointing at a feature of it."""
    task = get_task(session, principal, task_id)
    utility, target = fields.get("utility"), fields.get("target")
    survey = None
    if utility is not None:
        if utility not in task.utilities:
            raise ApiError(ServerCode.UNKNOWN_UTILITY, f"the task covers {' and '.join(task.utilities)}, not {utility}",
                           field="utility", details={"allowed": task.utilities})
        survey = survey_of(session, task, utility)
    if target and "path" in target:
        _check_path(survey_view(session, survey), target["path"])
    comment = Comment(tenant_id=task.tenant_id, id=uuid.uuid4(), task_id=task.id,
                      survey_id=None if survey is None else survey.id, author_id=principal.user_id, body=fields["body"],
                      target=target, updated_by=principal.user_id, created_at=datetime.now(UTC))
    session.add(comment)
    log_created(session, principal, "comment", comment, {"survey_id": comment.survey_id, "body": comment.body,
                                                         "target": target}, crew_id=task.crew_id)
    return records.read_one(session, "comment", task.tenant_id, comment.id)


def _check_path(survey: dict, path: str) -> None:
    """A comment's path names a field of the survey record and, in a list, an item that exists."""
    name, index = re.match(r"([a-z_]+)(?:\[(\d+)\])?", path).groups()
    value = survey.get(name)
    if name not in EDITABLE_FIELDS or (index is not None and not (isinstance(value, list)
                                                                  and int(index) < len(value))):
        raise ApiError(ServerCode.UNKNOWN_TARGET, f"the survey has no {path}", field="target.path")


def task_determinations(session: Session, principal, task_id: uuid.UUID) -> list[dict]:
    """Every determination of the task, oldest first."""
    task = get_task(session, principal, task_id)
    return _rows(session, records.query("determination", task.tenant_id).where(Determination.task_id == task.id)
                 .order_by(Determination.created_at, Determination.utility))


@commits
def settle_pending(session: Session, principal, task_id: uuid.UUID, determination_id: uuid.UUID, *,
                   accept: bool) -> dict:
    """An engineer accepts a decision that a late edit produced (re-approval) or keeps the approved one."""
    task = get_task(session, principal, task_id, for_update=True)
    determination = get_or_404(session, Determination, task.tenant_id, determination_id, for_update=True)
    if determination.task_id != task.id:
        raise NotFound("Determination", determination_id)
    if determination.state != "pending":
        raise ApiError(ServerCode.NOT_PENDING, f"this determination is {determination.state}, not pending",
                       details={"state": determination.state})
    determination.state = "in_force" if accept else "declined"
    if not session.scalar(select(func.count()).select_from(Determination).where(
            Determination.tenant_id == task.tenant_id, Determination.task_id == task.id,
            Determination.state == "pending", Determination.id != determination.id)):
        task.flagged = [flag for flag in task.flagged if flag["code"] != "decision_pending"]
        task_flags.published(session, task, principal.user_id)
    record_change(session, task.tenant_id, "determination", determination.id, 1, crew_id=task.crew_id)
    audit(session, principal, "survey", determination.survey_id,
          "decision_accepted" if accept else "decision_declined",
          changes={"determination_id": str(determination.id), "decision": determination.decision})
    session.flush()
    settled = records.read_one(session, "determination", task.tenant_id, determination.id)
    return settled


def audit_trail(session: Session, principal, task_id: uuid.UUID, *, offset: int, limit: int):
    """The audit entries of the task, its application, surveys and comments, in the order they were written."""
    task = get_task(session, principal, task_id)
    entity_ids = [task.id, task.application_id,
                  *session.scalars(select(Survey.id).where(Survey.tenant_id == task.tenant_id,
                                                           Survey.task_id == task.id)),
                  *session.scalars(select(Comment.id).where(Comment.tenant_id == task.tenant_id,
                                                            Comment.task_id == task.id))]
    query = select(AuditEntry).where(AuditEntry.tenant_id == task.tenant_id, AuditEntry.entity_id.in_(entity_ids))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    return list(session.scalars(query.order_by(AuditEntry.seq).offset(offset).limit(limit))), total
