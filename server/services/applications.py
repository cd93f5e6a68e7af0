"""Applications (一表申请): create one with its single joint survey task, or take a batch from a platform."""
import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import geo
from policy.calendar import SHANGHAI
from server.errors import NotFound, Unprocessable
from server.geometry import to_db
from server.models import Application, SurveyTask, Tenant
from server.services import sla
from server.services.changes import audit, record_change
from server.services.jsonable import jsonable
from server.services.policies import known_profile

# 000 二(二) and 002 三(一)1: a missing credit code is accepted, due before connection.
CREDIT_CODE_DEFERRED = {"material": "credit_code", "due_before": "connection", "clause": "000 二(二); 002 三(一)1"}


def _number(session: Session, applied_at: datetime) -> str:
    serial = session.execute(text("select nextval('application_number_seq')")).scalar_one()
    return f"BZ{applied_at.astimezone(SHANGHAI):%Y%m%d}{serial % 100000:05d}"


def create_application(session: Session, principal, fields: dict, *, commit: bool = True) -> Application:
    """Store the application, its one survey task covering every utility, and its SLA clocks."""
    tenant = session.get(Tenant, principal.tenant_id)
    profile_id = fields.pop("profile_id", None) or tenant.profile_id
    known_profile(profile_id, field="profile_id")
    location = fields.pop("location", None)
    point = geo.parse_geometry(location, field="location", allowed=("Point",), crs="EPSG:4490",
                               max_vertices=1) if location else None
    applied_at = datetime.now(UTC)
    application = Application(
        tenant_id=principal.tenant_id, id=fields.pop("id", None) or uuid.uuid4(), number=_number(session, applied_at),
        profile_id=profile_id, location=to_db(point), applied_at=applied_at, updated_by=principal.user_id,
        deferred_materials=[] if fields.get("credit_code") else [CREDIT_CODE_DEFERRED], **fields)
    session.add(application)
    task = SurveyTask(tenant_id=principal.tenant_id, id=uuid.uuid4(), application_id=application.id, status="new",
                      utilities=list(application.utilities), profile_id=profile_id, site=to_db(point),
                      updated_by=principal.user_id)
    session.add(task)
    session.flush()
    task.survey_due_at = sla.start_clocks(session, application)
    record_change(session, principal.tenant_id, "application", application.id, application.version)
    record_change(session, principal.tenant_id, "survey_task", task.id, task.version)
    audit(session, principal, "application", application.id, "created", changes=jsonable(fields))
    audit(session, principal, "survey_task", task.id, "created", changes={"status": [None, "new"]})
    if commit:
        session.commit()
    return application


def intake(session: Session, principal, items: list[dict]) -> list[dict]:
    """Platform push (前置服务): idempotent by project code, so a resent batch creates nothing twice."""
    results = []
    for index, fields in enumerate(items):
        code = fields.get("project_code")
        if not code:
            raise Unprocessable("platform applications need their project_code", code="missing_project_code",
                                field=f"applications[{index}].project_code")
        existing = session.scalar(select(Application).where(
            Application.tenant_id == principal.tenant_id, Application.channel == "platform",
            Application.project_code == code))
        if existing:
            results.append({"project_code": code, "application_id": existing.id, "number": existing.number,
                            "result": "existing"})
            continue
        created = create_application(session, principal, {**fields, "channel": "platform"}, commit=False)
        results.append({"project_code": code, "application_id": created.id, "number": created.number,
                        "result": "created"})
    session.commit()
    return results


def get_application(session: Session, tenant_id: uuid.UUID, application_id: uuid.UUID) -> dict:
    row = session.execute(
        select(Application, SurveyTask.id, func.ST_AsGeoJSON(Application.location))
        .join(SurveyTask, (SurveyTask.tenant_id == Application.tenant_id)
              & (SurveyTask.application_id == Application.id))
        .where(Application.tenant_id == tenant_id, Application.id == application_id)).first()
    if row is None:
        raise NotFound("Application", application_id)
    return application_view(*row)


def application_view(application: Application, task_id: uuid.UUID, location_json: str | None) -> dict:
    view = {c.key: getattr(application, c.key) for c in Application.__table__.columns if c.key != "location"}
    view["location"] = json.loads(location_json) if location_json else None
    view["task_id"] = task_id
    return view
