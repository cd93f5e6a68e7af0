"""Survey records: crews write them on site, engineers correct them under review; stored in EPSG:4490."""
import uuid

import numpy as np
import shapely
from shapely import MultiLineString, MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

import geo
from server.errors import Conflict, NotFound, Unprocessable
from server.geometry import from_db, to_db
from server.models import Survey, SurveyTask
from server.services import determinations, edit_rules, forms, records
from server.services.applications import parse_point
from server.services.blobs import missing_blobs
from server.services.changes import log_updated
from server.services.crews import crews_of_user
from server.services.evidence import answer_refs, evidence_of
from server.services.jsonable import jsonable
from server.services.tasks import get_task

GEOMETRY_FIELDS = ("red_line", "route", "main", "green_areas", "meter_position")
EDITABLE_FIELDS = (*GEOMETRY_FIELDS, "meter_dn", "segments", "road_occupation_area_m2", "tree_felling",
                   "traffic_safety_impact", "outside_length_accuracy_m", "green_area_accuracy_m2", "photos",
                   "sketches", "signature", "notes", "form_id", "form_version", "answers")


def survey_of(session: Session, task: SurveyTask, utility: str, *, for_update: bool = False) -> Survey:
    """The task's survey of this utility; 404 when the task does not cover it."""
    query = select(Survey).where(Survey.tenant_id == task.tenant_id, Survey.task_id == task.id,
                                 Survey.utility == utility)
    survey = session.scalars(query.with_for_update() if for_update else query).first()
    if survey is None:
        raise NotFound("Survey", f"{task.id}/{utility}")
    return survey


def get_survey(session: Session, principal, task_id: uuid.UUID, utility: str) -> dict:
    return survey_view(session, survey_of(session, get_task(session, principal, task_id), utility))


def survey_view(session: Session, survey: Survey) -> dict:
    """The survey as REST and pull show it (records), geometries as GeoJSON in EPSG:4490."""
    return records.read_one(session, "survey", survey.tenant_id, survey.id)


def stored_values(survey: Survey, names=EDITABLE_FIELDS) -> dict:
    """The editable values (all, or `names`) of a stored survey, geometries as shapely."""
    return {name: from_db(getattr(survey, name)) if name in GEOMETRY_FIELDS else getattr(survey, name)
            for name in names}


def write_values(survey: Survey, values: dict) -> None:
    """Set parsed values on the survey, geometries through the one PostGIS adapter."""
    for name, value in values.items():
        setattr(survey, name, to_db(value) if name in GEOMETRY_FIELDS else value)


def as_json(values: dict) -> dict:
    """Editable values (all or some) with geometries as GeoJSON: the one form views show and writes compare."""
    converters = {"red_line": _geojson, "route": _geojson, "main": _geojson, "green_areas": _areas_json,
                  "meter_position": _point_json}
    return {name: converters[name](value) if name in converters else value
            for name, value in values.items() if name != "crs"}


def _geojson(geometry: BaseGeometry | None) -> dict | None:
    return None if geometry is None else geo.to_geojson(geometry)


def _areas_json(green_areas: BaseGeometry | None) -> list[dict]:
    return [] if green_areas is None else [geo.to_geojson(area) for area in green_areas.geoms]


def _point_json(meter: BaseGeometry | None) -> dict | None:
    return None if meter is None else {"type": "Point", "coordinates": [meter.x, meter.y]}


def editable_survey(session: Session, principal, task_id: uuid.UUID, utility: str) -> tuple[SurveyTask, Survey]:
    """The task and survey, locked for this caller's write: 409 `survey_locked` while the task's state forbids it."""
    task = get_task(session, principal, task_id, for_update=True)
    crews = set(crews_of_user(session, principal.tenant_id, principal.user_id))
    if edit_rules.survey_edit(principal, task, crews, held=set()) is not None:
        # Kept-and-flagged is for work done offline; a caller online sees the state first.
        editable_while = edit_rules.EDITABLE_WHILE[principal.role]
        raise Conflict(f"a {principal.role} cannot change a survey while its task is {task.status}",
                       code="survey_locked", details={"status": task.status, "editable_while": list(editable_while)})
    return task, survey_of(session, task, utility, for_update=True)


def replace_survey(session: Session, principal, task: SurveyTask, survey: Survey, fields: dict, *,
                   max_vertices: int) -> dict:
    """Replace the survey's record with `fields`; everything is validated before anything is stored.

    A change to geometry or measurements after submission is determined again at once.
    """
    values = parse_fields(session, principal.tenant_id, fields, max_vertices)
    check_blobs_uploaded(session, principal.tenant_id, values)
    before, after = as_json(stored_values(survey)), as_json(values)
    changes = {name: [before[name], after[name]] for name in EDITABLE_FIELDS if before[name] != after[name]}
    write_values(survey, {name: values[name] for name in changes})
    log_updated(session, principal, "survey", survey, changes, crew_id=task.crew_id,
                evidence=evidence_of(session, survey))
    if survey.submitted_at is not None and changes.keys() & determinations.MEASURED_FIELDS:
        determinations.determine(session, principal, task, survey)
    session.commit()
    return survey_view(session, survey)


def check_blobs_uploaded(session: Session, tenant_id: uuid.UUID, values: dict) -> None:
    """Photos, sketches and the signature must be uploaded completely first: 422 `missing_blob` names the field.

    So must those the form's answers name (its photo, sketch and signature questions).
    """
    named = {f"{name}[{i}]": ref for name in ("photos", "sketches") for i, ref in enumerate(values.get(name) or [])}
    if values.get("signature"):
        named["signature"] = values["signature"]
    for ref in sorted(answer_refs(session, tenant_id, values)):
        named[f"answers ({ref[:8]}…)"] = ref
    missing = set(missing_blobs(session, tenant_id, named.values()))
    for field, ref in named.items():
        if ref in missing:
            raise Unprocessable(f"blob {ref} has not been uploaded completely; upload it first",
                                code="missing_blob", field=field, details={"sha256": ref})


def parse_fields(session: Session, tenant_id: uuid.UUID, fields: dict, max_vertices: int) -> dict:
    """The given editable values (all, or some for a sync edit) as stored: geometries in EPSG:4490 shapely.

    Geometries are read in `fields["crs"]` (default EPSG:4490). Raises GeometryError (422 naming the field
    and position) or the form's SubmissionInvalid.
    """
    crs = fields.get("crs", "EPSG:4490")

    def parse(obj: dict | None, field: str, allowed: tuple[str, ...]) -> BaseGeometry | None:
        return None if obj is None else _as_shown(geo.parse_geometry(obj, field=field, allowed=allowed, crs=crs,
                                                                     max_vertices=max_vertices))

    parsers = {
        "red_line": lambda v: _multi(parse(v, "red_line", ("Polygon", "MultiPolygon")), MultiPolygon),
        "route": lambda v: _multi(parse(v, "route", ("LineString", "MultiLineString")), MultiLineString),
        "main": lambda v: parse(v, "main", ("LineString",)),
        "green_areas": lambda v: MultiPolygon([parse(area, f"green_areas[{i}]", ("Polygon",))
                                               for i, area in enumerate(v)]) if v else None,
        "meter_position": lambda v: None if v is None else _as_shown(parse_point(v, field="meter_position",
                                                                                crs=crs)),
        "segments": jsonable,
        "answers": lambda v: jsonable(forms.validate(session, tenant_id, fields["form_id"], fields["form_version"], v)
                                      if fields.get("form_id") is not None else v),
    }
    return {name: parsers.get(name, lambda v: v)(value) for name, value in fields.items() if name != "crs"}


def _as_shown(geometry: BaseGeometry) -> BaseGeometry:
    """Coordinates kept to the decimals records show, so a geometry pulled and pushed back is the one stored."""
    return shapely.transform(geometry, lambda xy: np.round(xy, records.GEOJSON_DIGITS))


def _multi(geometry: BaseGeometry | None, multi: type) -> BaseGeometry | None:
    """The columns hold Multi* types, so one part and several are stored alike."""
    if geometry is None or isinstance(geometry, multi):
        return geometry
    return multi([geometry])
