"""The record types devices sync, and how a stored row becomes the JSON a device keeps."""
import uuid
from datetime import date, datetime
from decimal import Decimal

from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping

from server.models import Application, Comment, Conflict, ConstraintFeature, Determination, Survey, SurveyTask

# type name -> (model, column naming the task the record belongs to)
TASK_BOUND = {
    "survey_task": (SurveyTask, "id"),
    "survey": (Survey, "task_id"),
    "comment": (Comment, "task_id"),
    "determination": (Determination, "task_id"),
    "conflict": (Conflict, "task_id"),
}
MODELS = {**{name: model for name, (model, _) in TASK_BOUND.items()}, "application": Application,
          "constraint_feature": ConstraintFeature}
HIDDEN = {"tenant_id", "field_versions"}


def to_json_value(value):
    if isinstance(value, WKBElement):
        return mapping(to_shape(value))
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    return value


def serialize(row) -> dict:
    """Every column a device needs, geometry as GeoJSON (EPSG:4490), decimals as strings."""
    return {c.key: to_json_value(getattr(row, c.key)) for c in row.__table__.columns if c.key not in HIDDEN}
