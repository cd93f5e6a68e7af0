"""Site sheets: what exports show of a task (application, people, surveys measured by geo), one or a selection.

Access is the task list's: a crew sees its crews' tasks only, and another tenant's task does not exist
(404). Every survey is measured here by the same `measure_for_tenant` as POST /geo/measure, so each
length an export prints is the one /geo/measure gives for the same geometry.
"""
import uuid
from collections.abc import Iterator

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

import geo
from server.blobstore import BlobStore, blob_key
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.exports.photos import photo_point
from server.exports.sheets import SurveySheet, TaskSheet
from server.geometry import from_db
from server.models import Application, Blob, Crew, Survey, SurveyTask, TaskEvent, User
from server.services import determinations
from server.services.measurements import measure_for_tenant
from server.services.tasks import get_task, meets_box, visible

#: Photos larger than this are not opened for their GPS tags (a panorama is no site photo).
MAX_PHOTO_BYTES = 20 * 1024 * 1024


def task_sheet(session: Session, store: BlobStore | None, principal, task_id: uuid.UUID) -> TaskSheet:
    """The task's sheet; 404 when the caller may not see the task."""
    return _sheet(session, store, get_task(session, principal, task_id))


def application_sheets(session: Session, store: BlobStore | None, principal,
                       application_id: uuid.UUID) -> list[TaskSheet]:
    """The sheets of the application's tasks the caller sees; 404 when there are none."""
    tasks = session.scalars(visible(select(SurveyTask).where(
        SurveyTask.tenant_id == principal.tenant_id, SurveyTask.application_id == application_id), principal)
        .order_by(SurveyTask.created_at)).all()
    if not tasks:
        raise NotFound("Application", application_id)
    return [_sheet(session, store, task) for task in tasks]


def count_selection(session: Session, principal, filters: dict, *, max_tasks: int) -> int:
    """How many tasks the selection holds; 422 `export_too_large` past `max_tasks`."""
    total = session.scalar(select(func.count()).select_from(_selection(session, principal, filters).subquery()))
    if total > max_tasks:
        raise ApiError(ServerCode.EXPORT_TOO_LARGE,
                       f"the selection holds {total} tasks, more than the {max_tasks} one export takes; "
                       "narrow it (dates, crew, status, bbox) or page through the OGC API",
                       details={"tasks": total, "limit": max_tasks})
    return total


def selection_sheets(session: Session, store: BlobStore | None, principal, filters: dict, *,
                     batch: int = 100) -> Iterator[list[TaskSheet]]:
    """The selected tasks' sheets in batches, oldest first, so a large selection is never held whole."""
    after: tuple | None = None
    while True:
        query = _selection(session, principal, filters)
        if after is not None:
            query = query.where(func.row(SurveyTask.created_at, SurveyTask.id) > func.row(*after))
        tasks = session.scalars(query.order_by(SurveyTask.created_at, SurveyTask.id).limit(batch)).all()
        if not tasks:
            return
        yield [_sheet(session, store, task) for task in tasks]
        after = (tasks[-1].created_at, tasks[-1].id)


def _selection(session: Session, principal, filters: dict) -> Select:
    query = visible(select(SurveyTask).where(SurveyTask.tenant_id == principal.tenant_id), principal)
    if "status" in filters:
        query = query.where(SurveyTask.status == filters["status"])
    if "crew_id" in filters:
        query = query.where(SurveyTask.crew_id == filters["crew_id"])
    if "surveyed_from" in filters:
        query = query.where(SurveyTask.surveyed_at >= filters["surveyed_from"])
    if "surveyed_to" in filters:
        query = query.where(SurveyTask.surveyed_at < filters["surveyed_to"])
    if "bbox" in filters:
        query = query.where(meets_box(func.ST_MakeEnvelope(*filters["bbox"], 4490)))
    return query


def _sheet(session: Session, store: BlobStore | None, task: SurveyTask) -> TaskSheet:
    application = session.get(Application, (task.tenant_id, task.application_id))
    crew = session.get(Crew, (task.tenant_id, task.crew_id)) if task.crew_id else None
    decisions = {d.survey_id: d.decision for d in determinations.latest(session, task)}
    surveys = session.scalars(select(Survey).where(Survey.tenant_id == task.tenant_id, Survey.task_id == task.id)
                              .order_by(Survey.utility)).all()
    return TaskSheet(task_id=task.id, application_id=task.application_id, application_number=application.number,
                     applicant_unit=application.applicant_unit, address=application.address, status=task.status,
                     profile_id=task.profile_id, crew_name=crew.name if crew else None,
                     engineer_name=_reviewer(session, task), surveyed_at=task.surveyed_at,
                     surveys=tuple(_survey_sheet(session, store, task.tenant_id, survey, decisions.get(survey.id))
                                   for survey in surveys))


def _survey_sheet(session: Session, store: BlobStore | None, tenant_id: uuid.UUID, survey: Survey,
                  decision: dict | None) -> SurveySheet:
    red_line, route, green_areas = from_db(survey.red_line), from_db(survey.route), from_db(survey.green_areas)
    main = from_db(survey.main)
    measurement = None
    if red_line is not None and route is not None:
        request = geo.MeasureRequest(crs="EPSG:4490", route=route, red_line=red_line,
                                     green_areas=tuple(green_areas.geoms) if green_areas else (), main=main)
        measurement = measure_for_tenant(session, tenant_id, request)
    return SurveySheet(survey_id=survey.id, utility=survey.utility, red_line=red_line, route=route, main=main,
                       green_areas=green_areas, meter_position=from_db(survey.meter_position),
                       meter_dn=survey.meter_dn, segments=list(survey.segments), measurement=measurement,
                       decision=decision, submitted_at=survey.submitted_at, photos=tuple(survey.photos),
                       signature=survey.signature,
                       photo_points=tuple(_photo_points(session, store, tenant_id, survey.photos)))


def _photo_points(session: Session, store: BlobStore | None, tenant_id: uuid.UUID, photos: list[str]):
    if store is None or not photos:
        return
    readable = session.scalars(select(Blob.sha256).where(
        Blob.tenant_id == tenant_id, Blob.sha256.in_(photos), Blob.status == "complete",
        Blob.content_type == "image/jpeg", Blob.size <= MAX_PHOTO_BYTES)).all()
    for sha256 in photos:
        if sha256 in readable:
            point = photo_point(sha256, read_blob(store, tenant_id, sha256))
            if point is not None:
                yield point


def read_blob(store: BlobStore, tenant_id: uuid.UUID, sha256: str) -> bytes:
    return b"".join(store.read(blob_key(tenant_id, sha256)))


def _reviewer(session: Session, task: SurveyTask) -> str | None:
    """The engineer who last approved or returned the task."""
    return session.scalar(select(User.display_name).join(TaskEvent, and_(
        TaskEvent.tenant_id == User.tenant_id, TaskEvent.actor_id == User.id))
        .where(TaskEvent.tenant_id == task.tenant_id, TaskEvent.task_id == task.id,
               TaskEvent.to_status.in_(("approved", "returned")))
        .order_by(TaskEvent.created_at.desc()).limit(1))
