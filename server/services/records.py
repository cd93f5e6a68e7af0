"""Syncable records as REST and pull both show them: one query per type, GeoJSON written by PostGIS.

The fields of each record are its `schemas/` response schema's, in its order; the values come from one
SQL statement (no ORM objects, no shapely), so a record version reads the same over REST and in a pull.
REST dumps a record's row through the schema; the task list and pulls take each record as JSON text that
PostgreSQL writes in the schema's form (`json_query`) and pass it through without parsing it.
"""
import uuid
from collections.abc import Iterable
from functools import cache

from sqlalchemy import JSON, DateTime, Float, Numeric, Select, Text, and_, cast, func, literal, select
from sqlalchemy.orm import Session

from schemas.applications import ApplicationSchema
from schemas.geo import ConstraintFeatureSchema
from schemas.surveys import SurveySchema
from schemas.sync import ConflictSchema
from schemas.tasks import CommentSchema, DeterminationSchema, TaskSchema
from server.errors import NotFound
from server.models import Application, Comment, Conflict, ConstraintFeature, Determination, Survey, SurveyTask

#: Decimal places of every coordinate shown; 1e-9° is 0.1 mm, and surveys store no finer (surveys.parse_fields).
GEOJSON_DIGITS = 9


def geojson(column):
    """A geometry column as a GeoJSON object (no `crs` member: RFC 7946, EPSG:4490 by contract)."""
    return cast(func.ST_AsGeoJSON(column, GEOJSON_DIGITS, 0), JSON)


def _polygons(column):
    """A MultiPolygon column as a list of GeoJSON Polygons (green areas are edited one by one)."""
    parts = func.ST_Dump(column).table_valued("path", "geom").render_derived()
    return func.coalesce(select(func.json_agg(geojson(parts.c.geom))).scalar_subquery(),
                         cast(literal("[]"), JSON))


def _fields(schema, model, **computed) -> list:
    """The schema's fields in its order: a column of `model` of that name, unless computed."""
    return [computed[name].label(name) if name in computed else getattr(model, name).label(name)
            for name in schema().dump_fields]


def _applications() -> Select:
    return select(*_fields(ApplicationSchema, Application, location=geojson(Application.location),
                           task_id=SurveyTask.id)).join(
        SurveyTask, and_(SurveyTask.tenant_id == Application.tenant_id, SurveyTask.application_id == Application.id))


def _tasks() -> Select:
    return select(*_fields(TaskSchema, SurveyTask, number=Application.number,
                           applicant_unit=Application.applicant_unit, address=Application.address,
                           site=geojson(SurveyTask.site))).join(
        Application, and_(Application.tenant_id == SurveyTask.tenant_id, Application.id == SurveyTask.application_id))


def _surveys() -> Select:
    return select(*_fields(SurveySchema, Survey, crs=literal("EPSG:4490"), red_line=geojson(Survey.red_line),
                           route=geojson(Survey.route), main=geojson(Survey.main),
                           green_areas=_polygons(Survey.green_areas),
                           meter_position=geojson(Survey.meter_position)))


def _comments() -> Select:
    return select(*_fields(CommentSchema, Comment, utility=Survey.utility)).outerjoin(
        Survey, and_(Survey.tenant_id == Comment.tenant_id, Survey.id == Comment.survey_id))


def _determinations() -> Select:
    return select(*_fields(DeterminationSchema, Determination))


def _conflicts() -> Select:
    return select(*_fields(ConflictSchema, Conflict))


def _constraint_features() -> Select:
    return select(*_fields(ConstraintFeatureSchema, ConstraintFeature, geometry=geojson(ConstraintFeature.geom)))


#: type name -> (model, the statement reading its records)
SHAPES = {
    "application": (Application, _applications),
    "survey_task": (SurveyTask, _tasks),
    "survey": (Survey, _surveys),
    "comment": (Comment, _comments),
    "determination": (Determination, _determinations),
    "conflict": (Conflict, _conflicts),
    "constraint_feature": (ConstraintFeature, _constraint_features),
}


def query(entity_type: str, tenant_id: uuid.UUID) -> Select:
    """The records of a type in a tenant, one row each; add filters, order and columns to taste."""
    return _statement(entity_type).where(SHAPES[entity_type][0].tenant_id == tenant_id)


def json_query(entity_type: str, tenant_id: uuid.UUID) -> Select:
    """`query` with the record as its one column `json`: the JSON text its schema dumps, which a response passes
    through as an `orjson.Fragment` without parsing it."""
    return _json_statement(entity_type).where(SHAPES[entity_type][0].tenant_id == tenant_id)


# The statements are built once per process: building one took longer than PostgreSQL took to run it.
@cache
def _statement(entity_type: str) -> Select:
    return SHAPES[entity_type][1]()


@cache
def _json_statement(entity_type: str) -> Select:
    """The record as `row_to_json` of a one-row subquery of its fields, which writes them in their order and
    without spaces (`json_build_object` puts a space around every `:`)."""
    statement = _statement(entity_type)
    fields = select(*[json_value(column).label(column.key) for column in statement.selected_columns])
    record = fields.correlate(*statement.get_final_froms()).subquery("record")
    return statement.with_only_columns(
        cast(select(func.row_to_json(record.table_valued())).scalar_subquery(), Text).label("json"),
        maintain_column_froms=True)


def json_value(column):
    """A value as marshmallow dumps it: times as Python's `isoformat()` (PostgreSQL's own JSON trims the
    microseconds' trailing zeros, Python writes six digits or none), exact decimals as strings."""
    if isinstance(column.type, DateTime):
        return func.replace(func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM'), ".000000", "")
    if isinstance(column.type, Numeric) and not isinstance(column.type, Float):
        return cast(column, Text)
    return column


def read(session: Session, entity_type: str, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict:
    """{id: record} of the given ids that exist."""
    model = SHAPES[entity_type][0]
    rows = session.execute(query(entity_type, tenant_id).where(model.id.in_(list(ids)))).mappings()
    return {row["id"]: dict(row) for row in rows}


def read_one(session: Session, entity_type: str, tenant_id: uuid.UUID, record_id: uuid.UUID) -> dict:
    """The record; 404 when the tenant has none of that id."""
    found = read(session, entity_type, tenant_id, [record_id]).get(record_id)
    if found is None:
        raise NotFound(SHAPES[entity_type][0].__name__, record_id)
    return found
