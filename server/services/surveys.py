"""Survey records: crews write them on site, engineers correct them under review; stored in EPSG:4490."""
import uuid

import numpy as np
import shapely
from shapely import MultiLineString, MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

import geo
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.geometry import ewkb_of, from_db, to_db, to_ewkb
from server.models import Survey, SurveyTask
from server.services import determinations, edit_rules, forms, records
from server.services.applications import parse_point
from server.services.blobs import missing_blobs
from server.services.changes import log_updated
from server.services.evidence import answer_refs, evidence_of
from server.services.jsonable import jsonable
from server.services.tasks import get_task
from server.unit_of_work import commits

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


def as_stored(values: dict) -> dict:
    """Parsed values as their columns hold them, geometries as `to_ewkb` text."""
    return {name: to_ewkb(value) if name in GEOMETRY_FIELDS else value for name, value in values.items()
            if name != "crs"}


def stored_columns(survey: Survey, names) -> dict:
    """The survey's values of these fields as `as_stored` gives them."""
    return {name: ewkb_of(getattr(survey, name)) if name in GEOMETRY_FIELDS else getattr(survey, name)
            for name in names}


def differing_fields(stored: dict, values: dict) -> list[str]:
    """The names of `values` that differ from `stored` (both `as_stored`) as their GeoJSON would: a geometry's
    EWKB is equal exactly when its type and coordinates are, with no geometry built or written out."""
    return [name for name, value in values.items() if value != stored[name]]


def _geojson(geometry: BaseGeometry | None) -> dict | None:
    return None if geometry is None else geo.to_geojson(geometry)


def _areas_json(green_areas: BaseGeometry | None) -> list[dict]:
    return [] if green_areas is None else [geo.to_geojson(area) for area in green_areas.geoms]


def _point_json(meter: BaseGeometry | None) -> dict | None:
    return None if meter is None else {"type": "Point", "coordinates": [meter.x, meter.y]}


def editable_survey(session: Session, principal, task_id: uuid.UUID, utility: str) -> tuple[SurveyTask, Survey]:
    """The task and survey, locked for this caller's write: 409 `survey_locked` while the task's state forbids it."""
    task = get_task(session, principal, task_id, for_update=True)
    if edit_rules.survey_edit(principal, task, set(principal.crew_ids), held=set()) is not None:
        # Kept-and-flagged is for work done offline; a caller online sees the state first.
        editable_while = edit_rules.EDITABLE_WHILE[principal.role]
        raise ApiError(ServerCode.SURVEY_LOCKED,
                       f"a {principal.role} cannot change a survey while its task is {task.status}",
                       details={"status": task.status, "editable_while": list(editable_while)})
    return task, survey_of(session, task, utility, for_update=True)


@commits
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
            raise ApiError(ServerCode.MISSING_BLOB, f"blob {ref} has not been uploaded completely; upload it first",
                           field=field, details={"sha256": ref})


def parse_fields(session: Session, tenant_id: uuid.UUID, fields: dict, max_vertices: int, *,
                 geometries: dict | None = None) -> dict:
    """The given editable values (all, or some for a sync edit) as stored: geometries in EPSG:4490 shapely.

    Geometries are read in `fields["crs"]` (default EPSG:4490); `geometries` is this field set's item of
    `parse_geometries` when a batch read them already. Raises GeometryError (422 naming the field and
    position) or the form's SubmissionInvalid, for the first field in `fields`' order that is wrong.
    """
    crs = fields.get("crs", "EPSG:4490")
    if geometries is None or not geometries.keys() >= fields.keys() & {*SHAPES, "green_areas"}:
        geometries = parse_geometries([fields], max_vertices)[0]

    def geometry(name: str):
        value = geometries[name]
        if isinstance(value, geo.GeometryError):
            raise value
        return value

    parsers = {
        **{name: lambda v, name=name: geometry(name) for name in (*SHAPES, "green_areas")},
        "meter_position": lambda v: None if v is None else _as_shown(parse_point(v, field="meter_position",
                                                                                crs=crs)),
        "segments": jsonable,
        "answers": lambda v: jsonable(forms.validate(session, tenant_id, fields["form_id"], fields["form_version"], v)
                                      if fields.get("form_id") is not None else v),
    }
    return {name: parsers.get(name, lambda v: v)(value) for name, value in fields.items() if name != "crs"}


def parse_geometries(many: list[dict], max_vertices: int) -> list[dict]:
    """The red lines, routes, mains and green areas of many field sets, read together as stored.

    Each item maps the geometry fields its field set holds to the stored value (a Multi* where the column
    is one, coordinates to the decimals records show), None, or the GeometryError that field raises.
    A push reads its thousand routes in one `geo.parse_geometries` call per field and CRS.
    """
    out: list[dict] = [{} for _ in many]
    for name, (allowed, multi) in SHAPES.items():
        for crs, indices in _by_crs(many, name).items():
            shown = _parsed([many[i][name] for i in indices], [name] * len(indices), allowed, crs, max_vertices,
                            multi=multi)
            for i, value in zip(indices, shown, strict=True):
                out[i][name] = value
    for crs, indices in _by_crs(many, "green_areas").items():
        areas = [(i, f"green_areas[{k}]", area) for i in indices for k, area in enumerate(many[i]["green_areas"])]
        shown = _parsed([area for *_, area in areas], [field for _, field, _ in areas], ("Polygon",), crs,
                        max_vertices)
        parts_of: dict[int, list] = {i: [] for i in indices}
        for (owner, *_), value in zip(areas, shown, strict=True):
            parts_of[owner].append(value)
        for i, parts in parts_of.items():
            error = next((part for part in parts if isinstance(part, geo.GeometryError)), None)
            out[i]["green_areas"] = error or (MultiPolygon(parts) if parts else None)
    for fields, values in zip(many, out, strict=True):
        values.update({name: None for name in SHAPES if name in fields and fields[name] is None})
        if "green_areas" in fields and not fields["green_areas"]:
            values["green_areas"] = None
    return out


#: The GeoJSON types each geometry field takes, and the Multi* its column stores (None: stored as sent).
SHAPES = {"red_line": (("Polygon", "MultiPolygon"), MultiPolygon),
          "route": (("LineString", "MultiLineString"), MultiLineString),
          "main": (("LineString",), None)}


def _by_crs(many: list[dict], name: str) -> dict[object, list[int]]:
    """Which field sets hold a value of `name` worth reading, grouped by the CRS they are in."""
    groups: dict[object, list[int]] = {}
    for i, fields in enumerate(many):
        crs = fields.get("crs", "EPSG:4490")
        value = fields.get(name)
        readable = isinstance(value, list) and value if name == "green_areas" else value is not None
        if readable and isinstance(crs, str):
            groups.setdefault(crs, []).append(i)
    return groups


def _parsed(objs: list, fields: list[str], allowed: tuple[str, ...], crs: str, max_vertices: int, *,
            multi: type | None = None) -> list:
    """`geo.parse_geometries` with the accepted geometries rounded as shown, in one pass over their coordinates,
    and each made a `multi` when the column stores one."""
    try:
        parsed = geo.parse_geometries(objs, fields=fields, allowed=allowed, crs=crs, max_vertices=max_vertices)
    except geo.GeometryError as error:  # the CRS itself
        return [error] * len(objs)
    accepted = [i for i, value in enumerate(parsed) if not isinstance(value, geo.GeometryError)]
    shown = _as_shown(np.array([parsed[i] for i in accepted], dtype=object))
    if multi is not None:
        shown = _as_multi(shown, multi)
    for i, geometry in zip(accepted, shown, strict=True):
        parsed[i] = geometry
    return parsed


def _as_shown(geometry):
    """Coordinates kept to the decimals records show, so a geometry pulled and pushed back is the one stored."""
    return shapely.transform(geometry, lambda xy: np.round(xy, records.GEOJSON_DIGITS))


#: How the geometries of one part become the Multi* their column stores.
MULTI_OF = {MultiLineString: (shapely.GeometryType.MULTILINESTRING, shapely.multilinestrings),
            MultiPolygon: (shapely.GeometryType.MULTIPOLYGON, shapely.multipolygons)}


def _as_multi(geometries: np.ndarray, multi: type) -> np.ndarray:
    """The columns hold Multi* types, so one part and several are stored alike: each single part wrapped."""
    type_id, make = MULTI_OF[multi]
    single = shapely.get_type_id(geometries) != type_id
    geometries[single] = make(geometries[single], indices=np.arange(np.count_nonzero(single)))
    return geometries
