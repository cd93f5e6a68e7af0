"""Conflicts: both values kept until an engineer keeps one of them or enters a third."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.surveys import SurveyWriteSchema
from server.errors import Conflict as ConflictError
from server.models import Conflict, Survey, SurveyTask
from server.services import determinations, surveys
from server.services.changes import audit, bump_version, record_change
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404


def list_open(session: Session, tenant_id: uuid.UUID, *, offset: int, limit: int, task_id: uuid.UUID | None = None):
    query = select(Conflict).where(Conflict.tenant_id == tenant_id, Conflict.status == "open")
    if task_id:
        query = query.where(Conflict.task_id == task_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Conflict.created_at, Conflict.id).offset(offset).limit(limit)).all()
    return list(rows), total


def resolve(session: Session, principal, conflict_id: uuid.UUID, choose: str, value, *, max_vertices: int) -> dict:
    """Settle a conflict; the survey gets a new version when the kept value differs from what it holds."""
    conflict = get_or_404(session, Conflict, principal.tenant_id, conflict_id, for_update=True)
    if conflict.status != "open":
        raise ConflictError("this conflict is already resolved", code="conflict_resolved",
                            details={"resolution": conflict.resolution})
    survey = get_or_404(session, Survey, principal.tenant_id, conflict.entity_id, for_update=True)
    task = get_or_404(session, SurveyTask, principal.tenant_id, survey.task_id)
    current = surveys.as_json(surveys.stored_values(survey))[conflict.field]
    kept = {"server": current, "device": conflict.device_value, "value": value}[choose]
    if kept != current:
        fields = SurveyWriteSchema(partial=True).load({conflict.field: kept})
        values = surveys.parse_fields(session, principal.tenant_id, fields, max_vertices)
        surveys.write_values(survey, {conflict.field: values[conflict.field]})
        bump_version(survey, [conflict.field], principal.user_id)
        record_change(session, principal.tenant_id, "survey", survey.id, survey.version, crew_id=task.crew_id)
        audit(session, principal, "survey", survey.id, "conflict_resolved",
              changes=jsonable({conflict.field: [current, kept], "conflict_id": str(conflict.id)}))
        if survey.submitted_at is not None and conflict.field in determinations.MEASURED_FIELDS:
            determinations.determine(session, principal, task, survey)
    conflict.status, conflict.resolution, conflict.resolved_value = "resolved", choose, jsonable(kept)
    conflict.resolved_by, conflict.resolved_at = principal.user_id, datetime.now(UTC)
    bump_version(conflict, ["status", "resolution", "resolved_value"], principal.user_id)
    record_change(session, principal.tenant_id, "conflict", conflict.id, conflict.version, crew_id=task.crew_id)
    session.commit()
    return conflict
