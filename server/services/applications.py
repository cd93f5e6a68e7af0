"""Applications (一表申请): create one with its single joint survey task, or take a batch from a platform."""
import math
import secrets
import uuid
from datetime import UTC, datetime

import numpy as np
from shapely import Point
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import geo
from policy.calendar import SHANGHAI
from server.geometry import to_db
from server.models import Application, Survey, SurveyTask, Tenant
from server.services import records, sla
from server.services.changes import log_created
from server.services.policies import known_profile
from server.unit_of_work import commits

# 000 二(二) and 002 三(一)1: a missing credit code is accepted, due before connection.
CREDIT_CODE_DEFERRED = {"material": "credit_code", "due_before": "connection", "clause": "000 二(二); 002 三(一)1"}


def parse_point(obj: dict, *, field: str, crs: str) -> Point:
    """A GeoJSON Point (its shape checked by the schema) in CGCS2000 lon/lat; geo.parse_geometry reads no points.

    Raises GeometryError (422) for a position that is not on the earth once converted.
    """
    lon, lat = geo.resolve_crs(crs).to_cgcs2000(np.array([obj["coordinates"][:2]], dtype=np.float64))[0]
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise geo.GeometryError(geo.GeoCode.INVALID_POSITION, f"{field} is not a position on the earth in {crs}",
                                field=f"{field}.coordinates", details={"coordinate": obj["coordinates"]})
    return Point(lon, lat)


def _number(session: Session, applied_at: datetime) -> str:
    serial = session.execute(text("select nextval('application_number_seq')")).scalar_one()
    return f"BZ{applied_at.astimezone(SHANGHAI):%Y%m%d}{serial % 100000:05d}"


def _store(session: Session, principal, fields: dict, *, at: str = "") -> Application:
    """Add the application, its one survey task covering every utility, a blank survey per utility and its
    SLA clocks; `at` prefixes the JSON path of errors (an item of a batch)."""
    fields = dict(fields)
    profile_id = fields.pop("profile_id", None) or session.get(Tenant, principal.tenant_id).profile_id
    known_profile(profile_id, field=f"{at}profile_id")
    location = fields.pop("location", None)
    point = None if location is None else parse_point(location, field=f"{at}location", crs="EPSG:4490")
    applied_at = datetime.now(UTC)
    application = Application(
        tenant_id=principal.tenant_id, id=fields.pop("id", None) or uuid.uuid4(), number=_number(session, applied_at),
        profile_id=profile_id, location=to_db(point), applied_at=applied_at, updated_by=principal.user_id,
        progress_code=secrets.token_hex(8).upper(),
        deferred_materials=[] if fields.get("credit_code") else [CREDIT_CODE_DEFERRED], **fields)
    task = SurveyTask(tenant_id=principal.tenant_id, id=uuid.uuid4(), application_id=application.id, status="new",
                      utilities=list(application.utilities), profile_id=profile_id, site=to_db(point),
                      updated_by=principal.user_id)
    # The server makes the surveys, so a tablet only ever updates them: two tablets cannot both create one.
    surveys = [Survey(tenant_id=principal.tenant_id, id=uuid.uuid4(), task_id=task.id, utility=utility,
                      updated_by=principal.user_id) for utility in application.utilities]
    session.add_all([application, task, *surveys])
    session.flush()
    task.survey_due_at = sla.start_clocks(session, application)
    log_created(session, principal, "application", application,
                {**fields, "profile_id": profile_id, "location": location}, crew_id=None)
    log_created(session, principal, "survey_task", task, {"status": "new", "utilities": task.utilities},
                crew_id=None)
    for survey in surveys:
        log_created(session, principal, "survey", survey, {"utility": survey.utility}, crew_id=None)
    return application


@commits
def create_application(session: Session, principal, fields: dict) -> dict:
    application = _store(session, principal, fields)
    session.expire(application)  # answer with what was stored (numbers at their scale, times normalised)
    return get_application(session, principal.tenant_id, application.id)


@commits
def intake(session: Session, principal, items: list[dict]) -> list[dict]:
    """Platform push (前置服务): idempotent by project code, so a resent batch creates nothing twice; all or nothing."""
    results = []
    for index, fields in enumerate(items):
        code = fields["project_code"]
        existing = session.scalar(select(Application).where(
            Application.tenant_id == principal.tenant_id, Application.channel == "platform",
            Application.project_code == code))
        application = existing or _store(session, principal, {**fields, "channel": "platform"},
                                         at=f"applications[{index}].")
        results.append({"project_code": code, "application_id": application.id, "number": application.number,
                        "result": "existing" if existing else "created"})
    return results


def get_application(session: Session, tenant_id: uuid.UUID, application_id: uuid.UUID) -> dict:
    return records.read_one(session, "application", tenant_id, application_id)


def list_applications(session: Session, tenant_id: uuid.UUID, *, channel: str | None, offset: int,
                      limit: int) -> tuple[list[dict], int]:
    """Newest first."""
    query = records.query("application", tenant_id)
    if channel:
        query = query.where(Application.channel == channel)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(Application.applied_at.desc(), Application.id).offset(offset).limit(limit))
    return [dict(row) for row in rows.mappings()], total
