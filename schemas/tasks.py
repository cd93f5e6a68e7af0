"""Joint survey tasks: listing, transitions, review (determinations, comments) and the audit trail."""
import marshmallow as ma
from marshmallow import validate, validates_schema

from policy.catalogue import UTILITIES
from policy.process import TASK_STATUSES
from schemas.applications import ApplicationSchema, PointSchema
from schemas.base import StrictSchema
from schemas.surveys import SurveySchema

# A path into a survey record: `segments[2]`, `route`, `answers.meter_room`.
TARGET_PATH = validate.Regexp(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$",
                              error="a path into the survey record, such as segments[2]")


class BBoxField(ma.fields.Field):
    """`minlon,minlat,maxlon,maxlat` in CGCS2000 degrees.

    With `ogc=True` it reads OGC API – Features' bbox: a 6-number 3D box by its 2D corners, and a box that
    is a line or a point.
    """

    def __init__(self, *, ogc: bool = False, description: str = "minlon,minlat,maxlon,maxlat (EPSG:4490): tasks "
                 "whose site or survey geometry meets the box", **kwargs):
        super().__init__(metadata={"type": "string", "example": "113.36,31.68,113.38,31.70",
                                   "description": description}, **kwargs)
        self.ogc = ogc

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            box = [float(part) for part in str(value).split(",")]
        except ValueError:
            raise ma.ValidationError("four numbers: minlon,minlat,maxlon,maxlat") from None
        if self.ogc and len(box) == 6:
            box = [box[0], box[1], box[3], box[4]]
        if len(box) != 4:
            raise ma.ValidationError("four numbers: minlon,minlat,maxlon,maxlat")
        min_lon, min_lat, max_lon, max_lat = box
        ordered = (min_lon <= max_lon and min_lat <= max_lat) if self.ogc else (min_lon < max_lon and min_lat < max_lat)
        if not (ordered and -180 <= min_lon and max_lon <= 180 and -90 <= min_lat and max_lat <= 90):
            raise ma.ValidationError("minlon < maxlon within ±180 and minlat < maxlat within ±90")
        return tuple(box)


class TaskQuerySchema(StrictSchema):
    status = ma.fields.String(validate=validate.OneOf(TASK_STATUSES), metadata={"example": "submitted"})
    utility = ma.fields.String(validate=validate.OneOf(UTILITIES))
    profile = ma.fields.String(validate=validate.Length(1, 64), metadata={"example": "suizhou"})
    crew_id = ma.fields.UUID()
    bbox = BBoxField()
    due_before = ma.fields.AwareDateTime(metadata={"example": "2026-12-01T17:30:00+08:00",
                                                   "description": "survey due before this time"})


class TaskSchema(ma.Schema):
    """A task as lists show it, with its application's number, applicant and address."""

    id = ma.fields.UUID()
    application_id = ma.fields.UUID()
    number = ma.fields.String(metadata={"example": "BZ2026112500042"})
    applicant_unit = ma.fields.String()
    address = ma.fields.String()
    status = ma.fields.String(metadata={"example": "submitted"})
    crew_id = ma.fields.UUID(allow_none=True)
    utilities = ma.fields.List(ma.fields.String(), metadata={"example": ["water", "gas"]})
    profile_id = ma.fields.String(metadata={"example": "suizhou"})
    site = ma.fields.Nested(PointSchema, allow_none=True)
    survey_due_at = ma.fields.DateTime(allow_none=True)
    surveyed_at = ma.fields.DateTime(allow_none=True)
    version = ma.fields.Integer()
    updated_at = ma.fields.DateTime()
    flagged = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "work a device pushed after the task was cancelled or reassigned: kept, for a dispatcher",
        "example": [{"code": "task_cancelled", "device_id": "…", "mutation_id": "…", "at": "…"}]})


class TransitionSchema(StrictSchema):
    to = ma.fields.String(required=True, validate=validate.OneOf(TASK_STATUSES),
                          metadata={"example": "assigned", "description": "the status to move the task to"})
    crew_id = ma.fields.UUID(metadata={"description": "the crew to assign (only with to=assigned)"})
    reason = ma.fields.String(validate=validate.Length(1, 2000),
                              metadata={"description": "why; required to return or cancel a task",
                                        "example": "红线西北角与规划图不符，请复测"})
    confirm_near_threshold = ma.fields.Boolean(load_default=False, metadata={
        "description": "to approve: the engineer has checked the measured quantities that lie within their stated "
                       "accuracy of a policy threshold (the determinations' near_threshold)"})


class TaskEventSchema(ma.Schema):
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    actor_id = ma.fields.UUID()
    device_id = ma.fields.UUID(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class TargetSchema(StrictSchema):
    """What a comment points at: a path into the survey record, or a position on the map."""

    path = ma.fields.String(validate=TARGET_PATH, metadata={"example": "segments[2]"})
    vertex = ma.fields.List(ma.fields.Float(allow_nan=False), validate=validate.Length(2, 2),
                            metadata={"example": [113.3712, 31.6905], "description": "[lon, lat] in EPSG:4490"})

    @validates_schema
    def _exactly_one(self, data, **_kwargs):
        if len(data) != 1:
            raise ma.ValidationError("give either path or vertex")


class CommentSchema(StrictSchema):
    id = ma.fields.UUID(dump_only=True)
    task_id = ma.fields.UUID(dump_only=True)
    survey_id = ma.fields.UUID(dump_only=True, allow_none=True)
    utility = ma.fields.String(allow_none=True, validate=validate.OneOf(UTILITIES),
                               metadata={"description": "the survey commented on; required with a target",
                                         "example": "water"})
    body = ma.fields.String(required=True, validate=validate.Length(1, 4000),
                            metadata={"example": "第3段管长与卷尺读数相差较大，请核实"})
    target = ma.fields.Nested(TargetSchema, allow_none=True)
    author_id = ma.fields.UUID(dump_only=True)
    resolved = ma.fields.Boolean(dump_only=True)
    version = ma.fields.Integer(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)

    @validates_schema
    def _target_names_survey(self, data, **_kwargs):
        if data.get("target") and not data.get("utility"):
            raise ma.ValidationError("a comment with a target names the utility's survey", field_name="utility")


class DeterminationSchema(ma.Schema):
    """Measurement and policy decision computed from one version of a survey."""

    id = ma.fields.UUID()
    task_id = ma.fields.UUID()
    survey_id = ma.fields.UUID()
    survey_version = ma.fields.Integer()
    utility = ma.fields.String()
    profile_id = ma.fields.String()
    profile_version = ma.fields.String(allow_none=True)
    inputs = ma.fields.Dict(metadata={"description": "the facts the policy was given"})
    measurement = ma.fields.Dict(allow_none=True, metadata={
        "description": "geo measure result plus `reconciliation`: drawn route length against the taped segments, "
                       "and `pipe_sizes`: each measured segment's declared DN against its measured diameter"})
    decision = ma.fields.Dict(allow_none=True)
    errors = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "what kept a measurement from being made; approval waits until there are none"})
    state = ma.fields.String(metadata={"description": "in_force | pending (from an edit after approval: the approved "
                                                      "decision stays in force until an engineer accepts this one) "
                                                      "| declined"})
    created_at = ma.fields.DateTime()


class TaskDetailSchema(TaskSchema):
    """A task with all a reviewer needs: application, surveys, latest determinations, comments, history."""

    application = ma.fields.Nested(ApplicationSchema)
    allowed_transitions = ma.fields.List(ma.fields.String(), metadata={"example": ["approved", "returned"]})
    surveys = ma.fields.List(ma.fields.Nested(SurveySchema))
    determinations = ma.fields.List(ma.fields.Nested(DeterminationSchema),
                                    metadata={"description": "the latest determination of each survey"})
    comments = ma.fields.List(ma.fields.Nested(CommentSchema))
    events = ma.fields.List(ma.fields.Nested(TaskEventSchema))


class AuditEntrySchema(ma.Schema):
    seq = ma.fields.Integer()
    entity_type = ma.fields.String(metadata={"example": "survey"})
    entity_id = ma.fields.UUID()
    action = ma.fields.String(metadata={"example": "updated"})
    actor_id = ma.fields.UUID(allow_none=True)
    device_id = ma.fields.UUID(allow_none=True)
    at = ma.fields.DateTime()
    device_time = ma.fields.DateTime(allow_none=True)
    changes = ma.fields.Dict(metadata={"description": "{field: [before, after]}",
                                       "example": {"status": ["on_site", "submitted"]}})
    evidence = ma.fields.List(ma.fields.String(), metadata={"description": "sha256 of the blobs the entry used"})
    reason = ma.fields.String(allow_none=True, metadata={"description": "why, where the act needs a reason (a task "
                                                                        "returned or cancelled)"})
