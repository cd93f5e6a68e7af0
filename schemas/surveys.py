"""Survey records (联合踏勘): what a crew draws and measures on site for one utility.

Geometries are checked by `geo` in the service (types, rings, CRS zones), so its 422 names the exact
position at fault; these schemas check everything else and document the shapes.
"""
from decimal import ROUND_HALF_UP

import marshmallow as ma
from marshmallow import validate, validates_schema

from field_forms import PIPE_DN_SERIES
from geo import SUPPORTED_CRS
from schemas.applications import PointSchema
from schemas.base import DecimalString, StrictSchema
from schemas.geo import GEOMETRY_DOC, geometry

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="a blob reference is its sha256: 64 lowercase hex digits")
DN = validate.OneOf(PIPE_DN_SERIES, error="{input} is not a standard nominal diameter (DN {choices})")
PHOTO_EXAMPLE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


class SegmentSchema(StrictSchema):
    """A run of pipe: its nominal diameter, material and the length the crew taped."""

    dn = ma.fields.Integer(required=True, validate=DN, metadata={"example": 50})
    material = ma.fields.String(required=True, validate=validate.Length(1, 32), metadata={"example": "PE100"})
    tape_length_m = DecimalString(allow_none=True, load_default=None,
                                      validate=validate.Range(min=0), metadata={"example": "42.5"})
    # A tape round the pipe or callipers across it: what the DN is checked against (docs/geo.md, pipe tables).
    outside_diameter_mm = DecimalString(validate=validate.Range(min=0, min_inclusive=False), metadata={
        "description": "measured outside diameter; or give circumference_mm", "example": "110.2"})
    circumference_mm = DecimalString(validate=validate.Range(min=0, min_inclusive=False), metadata={
        "description": "measured with a tape round the pipe", "example": "346"})
    measurement_accuracy_mm = DecimalString(validate=validate.Range(min=0), metadata={
        "description": "± of the measured quantity (default 2 mm round, 1 mm across)"})

    @validates_schema
    def one_measurement(self, data, **kwargs):
        if data.get("outside_diameter_mm") is not None and data.get("circumference_mm") is not None:
            raise ma.ValidationError("give outside_diameter_mm or circumference_mm, not both",
                                     field_name="circumference_mm")


class SurveyWriteSchema(StrictSchema):
    """The whole survey record of one utility (PUT replaces it: a field left out is cleared)."""

    crs = ma.fields.String(load_default="EPSG:4490", validate=validate.OneOf(sorted(SUPPORTED_CRS)),
                           metadata={"description": "CRS of every geometry in the request; stored as EPSG:4490",
                                     "example": "EPSG:4490"})
    red_line = ma.fields.Dict(allow_none=True, load_default=None, metadata={
        **geometry("Polygon", "MultiPolygon"), "description": "建筑区划红线, Polygon or MultiPolygon. " + GEOMETRY_DOC,
        "example": {"type": "Polygon", "coordinates": [[[113.3710, 31.6903], [113.3722, 31.6903],
                                                        [113.3722, 31.6915], [113.3710, 31.6915],
                                                        [113.3710, 31.6903]]]}})
    route = ma.fields.Dict(allow_none=True, load_default=None, metadata={
        **geometry("LineString", "MultiLineString"),
        "description": "from the main to the parcel, LineString or MultiLineString. " + GEOMETRY_DOC,
        "example": {"type": "LineString", "coordinates": [[113.3700, 31.6900], [113.3712, 31.6905]]}})
    main = ma.fields.Dict(allow_none=True, load_default=None, metadata={
        **geometry("LineString"),
        "description": "市政管道: the municipal main the route leaves from, LineString. " + GEOMETRY_DOC,
        "example": {"type": "LineString", "coordinates": [[113.3700, 31.6890], [113.3700, 31.6920]]}})
    green_areas = ma.fields.List(ma.fields.Dict(metadata=geometry("Polygon")), load_default=list, metadata={
        "description": "green space the works occupy, Polygons"})
    meter_position = ma.fields.Nested(PointSchema, allow_none=True, load_default=None,
                                      metadata={"example": {"type": "Point", "coordinates": [113.3713, 31.6906]}})
    meter_dn = ma.fields.Integer(allow_none=True, load_default=None, validate=DN, metadata={"example": 40})
    segments = ma.fields.List(ma.fields.Nested(SegmentSchema), load_default=list)
    # Areas are kept to 0.01 m², rounded half-up as the policy rounds them (DESIGN).
    road_occupation_area_m2 = DecimalString(allow_none=True, load_default=None, places=2,
                                                rounding=ROUND_HALF_UP, validate=validate.Range(min=0),
                                                metadata={"example": "12.5"})
    tree_felling = ma.fields.Boolean(allow_none=True, load_default=None, metadata={
        "description": "the outer works fell or move trees (changes Wuhu's approval path, 002 二(二)4)"})
    traffic_safety_impact = ma.fields.Boolean(allow_none=True, load_default=None, metadata={
        "description": "the outer works affect traffic safety (changes Wuhu's approval path, 002 二(二)4)"})
    outside_length_accuracy_m = DecimalString(allow_none=True, load_default=None, places=2,
                                                  rounding=ROUND_HALF_UP, validate=validate.Range(min=0), metadata={
        "description": "± metres the drawn route may be off (GNSS fix, tape); near a threshold the decision is "
                       "flagged for an engineer", "example": "3"})
    green_area_accuracy_m2 = DecimalString(allow_none=True, load_default=None, places=2,
                                               rounding=ROUND_HALF_UP, validate=validate.Range(min=0),
                                               metadata={"description": "± m² of the green areas", "example": "5"})
    photos = ma.fields.List(ma.fields.String(validate=SHA256), load_default=list,
                            metadata={"example": [PHOTO_EXAMPLE], "description": "sha256 of uploaded photos"})
    sketches = ma.fields.List(ma.fields.String(validate=SHA256), load_default=list)
    signature = ma.fields.String(allow_none=True, load_default=None, validate=SHA256)
    notes = ma.fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    form_id = ma.fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 64),
                               metadata={"example": "joint_survey"})
    form_version = ma.fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1),
                                     metadata={"example": 1})
    answers = ma.fields.Dict(load_default=dict, metadata={"description": "the form's answers, by question name"})

    @validates_schema
    def _form_named_with_answers(self, data, **_kwargs):
        if (data.get("form_id") is None) != (data.get("form_version") is None):
            raise ma.ValidationError("form_id and form_version go together", field_name="form_version")
        if data.get("answers") and data.get("form_id") is None:
            raise ma.ValidationError("answers need the form_id and form_version they answer", field_name="form_id")


class SurveySchema(SurveyWriteSchema):
    """A stored survey; geometries come back in EPSG:4490, red_line and route as Multi* types."""

    id = ma.fields.UUID(dump_only=True)
    task_id = ma.fields.UUID(dump_only=True)
    utility = ma.fields.String(dump_only=True, metadata={"example": "water"})
    submitted_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    version = ma.fields.Integer(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)
    updated_by = ma.fields.UUID(dump_only=True, allow_none=True)
