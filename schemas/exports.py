"""Query shapes of the exports: which tasks a selection export takes."""
import marshmallow as ma
from marshmallow import validate, validates_schema

from geo import CONSTRAINT_LAYERS
from policy.process import TASK_STATUSES
from schemas.base import StrictSchema
from schemas.tasks import BBoxField


class SelectionQuerySchema(StrictSchema):
    """Tasks the caller sees, narrowed by survey date, crew, status and area (all optional, all combined)."""

    surveyed_from = ma.fields.AwareDateTime(metadata={"example": "2026-11-01T00:00:00+08:00",
                                                      "description": "surveyed at or after this time"})
    surveyed_to = ma.fields.AwareDateTime(metadata={"example": "2026-12-01T00:00:00+08:00",
                                                    "description": "surveyed before this time"})
    crew_id = ma.fields.UUID()
    status = ma.fields.String(validate=validate.OneOf(TASK_STATUSES), metadata={"example": "approved"})
    bbox = BBoxField()

    @validates_schema
    def _dates_in_order(self, data, **_kwargs):
        if "surveyed_from" in data and "surveyed_to" in data and data["surveyed_from"] >= data["surveyed_to"]:
            raise ma.ValidationError("surveyed_to must come after surveyed_from", field_name="surveyed_to")


class ConstraintLayerPathSchema(ma.Schema):
    layer = ma.fields.String(validate=validate.OneOf(CONSTRAINT_LAYERS))
