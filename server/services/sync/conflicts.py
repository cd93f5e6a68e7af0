"""Conflicts: both values kept until an engineer keeps one of them or enters a third."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.surveys import SurveyWriteSchema
from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Comment, Conflict, Survey, SurveyTask
from server.services import determinations, records, surveys
from server.services.changes import audit, bump_version, record_change
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404
from server.services.sync.comment_mutations import COMMENT_EDIT
from server.unit_of_work import commits
from sync.merge import DELETED


def list_open(session: Session, tenant_id: uuid.UUID, *, offset: int, limit: int, task_id: uuid.UUID | None = None):
    query = records.query("conflict", tenant_id).where(Conflict.status == "open")
    if task_id:
        query = query.where(Conflict.task_id == task_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(Conflict.created_at, Conflict.id).offset(offset).limit(limit)).mappings()
    return [dict(row) for row in rows], total


@commits
def resolve(session: Session, principal, conflict_id: uuid.UUID, choose: str, value, *, max_vertices: int):
    """Settle a conflict; the record gets a new version when the kept value differs from what it holds."""
    conflict = get_or_404(session, Conflict, principal.tenant_id, conflict_id, for_update=True)
    if conflict.status != "open":
        raise ApiError(ServerCode.CONFLICT_RESOLVED, "this conflict is already resolved",
                       details={"resolution": conflict.resolution})
    keep = {"survey": _keep_survey_value, "comment": _keep_comment_value}[conflict.entity_type]
    kept, task = keep(session, principal, conflict, choose, value, max_vertices)
    conflict.status, conflict.resolution, conflict.resolved_value = "resolved", choose, jsonable(kept)
    conflict.resolved_by, conflict.resolved_at = principal.user_id, datetime.now(UTC)
    bump_version(conflict, ["status", "resolution", "resolved_value"], principal.user_id)
    record_change(session, principal.tenant_id, "conflict", conflict.id, conflict.version, crew_id=task.crew_id)
    return records.read_one(session, "conflict", principal.tenant_id, conflict.id)


def _keep_survey_value(session: Session, principal, conflict: Conflict, choose: str, value, max_vertices: int):
    survey = get_or_404(session, Survey, principal.tenant_id, conflict.entity_id, for_update=True)
    task = get_or_404(session, SurveyTask, principal.tenant_id, survey.task_id)
    current = surveys.as_json(surveys.stored_values(survey, [conflict.field]))[conflict.field]
    kept = {"server": current, "device": conflict.device_value, "value": value}[choose]
    if kept != current:
        fields = SurveyWriteSchema(partial=True).load({conflict.field: kept})
        values = surveys.parse_fields(session, principal.tenant_id, fields, max_vertices)
        surveys.write_values(survey, {conflict.field: values[conflict.field]})
        _record(session, principal, "survey", survey, task, conflict, {conflict.field: [current, kept]})
        if survey.submitted_at is not None and conflict.field in determinations.MEASURED_FIELDS:
            determinations.determine(session, principal, task, survey)
    return kept, task


def _keep_comment_value(session: Session, principal, conflict: Conflict, choose: str, value, _max_vertices: int):
    """A deletion met an edit (`_deleted`): keep the server's state or the device's intent; else a field's value."""
    comment = get_or_404(session, Comment, principal.tenant_id, conflict.entity_id, for_update=True)
    task = get_or_404(session, SurveyTask, principal.tenant_id, comment.task_id)
    if conflict.field == DELETED:
        if choose == "value":
            raise ApiError(ServerCode.NO_THIRD_VALUE,
                           "a deletion conflict keeps the server's state or the device's; there is no third value",
                           field="choose")
        if choose == "device":
            wanted_deleted = conflict.device_value is True
            edits = {} if wanted_deleted else COMMENT_EDIT.load(conflict.device_value)
            for name, edited in edits.items():
                setattr(comment, name, edited)
            comment.deleted_at = datetime.now(UTC) if wanted_deleted else None
            _record(session, principal, "comment", comment, task, conflict, {DELETED: [not wanted_deleted,
                                                                                      wanted_deleted], **edits})
        return conflict.device_value if choose == "device" else conflict.server_value, task
    current = getattr(comment, conflict.field)
    kept = {"server": current, "device": conflict.device_value, "value": value}[choose]
    if kept != current:
        setattr(comment, conflict.field, COMMENT_EDIT.load({conflict.field: kept})[conflict.field])
        _record(session, principal, "comment", comment, task, conflict, {conflict.field: [current, kept]})
    return kept, task


def _record(session: Session, principal, entity_type: str, record, task: SurveyTask, conflict: Conflict,
            changes: dict) -> None:
    bump_version(record, [conflict.field], principal.user_id)
    op = "delete" if getattr(record, "deleted_at", None) else "upsert"
    record_change(session, principal.tenant_id, entity_type, record.id, record.version, crew_id=task.crew_id, op=op)
    audit(session, principal, entity_type, record.id, "conflict_resolved",
          changes=jsonable({**changes, "conflict_id": str(conflict.id)}))
