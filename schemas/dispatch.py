"""Construction teams (施工队伍), work orders (工单) and return visits (回访): the HTTP shapes."""
import marshmallow as ma
from marshmallow import validate

from geo import SUPPORTED_CRS
from policy.catalogue import UTILITIES
from policy.process import GENDERS, VISIT_RESULTS, VISIT_STATUSES, WORK_ORDER_STATUSES
from schemas.base import StrictSchema
from schemas.geo import GEOMETRY_DOC, geometry
from schemas.surveys import PHOTO_EXAMPLE, SHA256

MONTH = validate.Regexp(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", error="a month as YYYY-MM (1900–2199)")

SERVICE_AREA_EXAMPLE = {"type": "Polygon", "coordinates": [[
    [113.33, 31.66], [113.41, 31.66], [113.41, 31.72], [113.33, 31.72], [113.33, 31.66]]]}


class TeamSchema(StrictSchema):
    """A construction team: what it builds, where, and how many jobs it can start a day."""

    id = ma.fields.UUID(dump_only=True)
    name = ma.fields.String(required=True, validate=validate.Length(1, 200), metadata={"example": "曾都区第一施工队"})
    utilities = ma.fields.List(ma.fields.String(validate=validate.OneOf(UTILITIES)), required=True,
                               validate=validate.Length(1, 2),
                               metadata={"example": ["water"], "description": "the utilities it is skilled for"})
    crs = ma.fields.String(load_only=True, load_default="EPSG:4490", validate=validate.OneOf(sorted(SUPPORTED_CRS)),
                           metadata={"description": "CRS of service_area in the request; stored and returned in "
                                                    "EPSG:4490", "example": "EPSG:4490"})
    service_area = ma.fields.Dict(required=True, metadata={
        **geometry("Polygon", "MultiPolygon"),
        "description": "where it works, Polygon or MultiPolygon. " + GEOMETRY_DOC, "example": SERVICE_AREA_EXAMPLE})
    daily_capacity = ma.fields.Integer(required=True, validate=validate.Range(0, 1000),
                                       metadata={"example": 3, "description": "work orders it can start a day"})
    active = ma.fields.Boolean(load_default=True, metadata={"description": "inactive teams are never suggested "
                                                                           "or assigned"})
    version = ma.fields.Integer(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


class TeamUpdateSchema(StrictSchema):
    name = ma.fields.String(validate=validate.Length(1, 200))
    utilities = ma.fields.List(ma.fields.String(validate=validate.OneOf(UTILITIES)), validate=validate.Length(1, 2))
    crs = ma.fields.String(load_default="EPSG:4490", validate=validate.OneOf(sorted(SUPPORTED_CRS)))
    service_area = ma.fields.Dict(metadata={"example": SERVICE_AREA_EXAMPLE})
    daily_capacity = ma.fields.Integer(validate=validate.Range(0, 1000))
    active = ma.fields.Boolean()


class TeamQuerySchema(StrictSchema):
    utility = ma.fields.String(validate=validate.OneOf(UTILITIES))
    active = ma.fields.Boolean()


class ChecklistItemSchema(ma.Schema):
    """One post-connection document of the profile's list, and the blobs recorded for it."""

    key = ma.fields.String(metadata={"example": "acceptance_notice",
                                     "description": "names the item in PUT …/documents/{key}"})
    zh = ma.fields.String(metadata={"example": "受理通知單"})
    en = ma.fields.String(metadata={"example": "acceptance notice"})
    optional = ma.fields.Boolean(metadata={"description": "\"(如有)\": closing does not wait for it"})
    blobs = ma.fields.List(ma.fields.String(), metadata={"example": [PHOTO_EXAMPLE]})


class WorkOrderSchema(ma.Schema):
    """A work order: one utility's construction for an approved survey."""

    id = ma.fields.UUID()
    application_id = ma.fields.UUID()
    number = ma.fields.String(metadata={"example": "BZ2026112500042", "description": "the application's number"})
    task_id = ma.fields.UUID()
    utility = ma.fields.String(metadata={"example": "water"})
    status = ma.fields.String(metadata={"example": "assigned"})
    allowed_transitions = ma.fields.List(ma.fields.String(), metadata={"example": ["assigned", "in_progress"]})
    team_id = ma.fields.UUID(allow_none=True)
    start_on = ma.fields.Date(metadata={
        "example": "2026-11-26", "description": "the day construction starts and the team's capacity is counted "
                                                "on: the profile's construction_start deadline (Wuhu 002 二(二)5: "
                                                "the day after the work order), else the order's own day"})
    created_at = ma.fields.DateTime(metadata={"description": "when the work order was made (work_order_at)"})
    assigned_at = ma.fields.DateTime(allow_none=True)
    started_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    connected_at = ma.fields.DateTime(allow_none=True, metadata={"description": "通水 / 通气"})
    closed_at = ma.fields.DateTime(allow_none=True)
    checklist = ma.fields.List(ma.fields.Nested(ChecklistItemSchema), metadata={
        "description": "the profile's post-connection documents; closing waits until every required one has blobs"})
    version = ma.fields.Integer()


class WorkOrderQuerySchema(StrictSchema):
    status = ma.fields.String(validate=validate.OneOf(WORK_ORDER_STATUSES))
    utility = ma.fields.String(validate=validate.OneOf(UTILITIES))
    team_id = ma.fields.UUID()
    application_id = ma.fields.UUID()
    start_on = ma.fields.Date(metadata={"example": "2026-11-26"})


class WorkOrderTransitionSchema(StrictSchema):
    to = ma.fields.String(required=True, validate=validate.OneOf(WORK_ORDER_STATUSES),
                          metadata={"example": "assigned", "description": "the status to move the work order to"})
    team_id = ma.fields.UUID(metadata={"description": "the construction team to assign (only with to=assigned)"})


class DocumentsSchema(StrictSchema):
    blobs = ma.fields.List(ma.fields.String(validate=SHA256), required=True, validate=validate.Length(1, 50),
                           metadata={"example": [PHOTO_EXAMPLE],
                                     "description": "sha256 of the uploaded scans or photos of the document"})


class SuggestionSchema(ma.Schema):
    team_id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "曾都区第一施工队"})
    covers_site = ma.fields.Boolean(metadata={"description": "the service area contains the site"})
    daily_capacity = ma.fields.Integer(metadata={"example": 3})
    remaining_capacity = ma.fields.Integer(metadata={"example": 2, "description": "on the start day"})
    distance_m = ma.fields.Float(allow_none=True, metadata={
        "example": 0.0, "description": "geodesic distance from the site to the service area; null without a site"})


class SuggestionsSchema(ma.Schema):
    start_on = ma.fields.Date(metadata={"example": "2026-11-26"})
    teams = ma.fields.List(ma.fields.Nested(SuggestionSchema), metadata={
        "description": "active teams skilled for the utility: covering the site first, then most capacity left "
                       "on the start day, then nearest"})


class FollowUpSchema(ma.Schema):
    due_at = ma.fields.DateTime()
    done_at = ma.fields.DateTime(allow_none=True)
    notes = ma.fields.String(allow_none=True)


class ReturnVisitSchema(ma.Schema):
    """The return-visit decision for one connection, and the visit's result once made."""

    id = ma.fields.UUID()
    application_id = ma.fields.UUID()
    number = ma.fields.String(metadata={"example": "BZ2026112500042"})
    work_order_id = ma.fields.UUID()
    utility = ma.fields.String(metadata={"example": "gas"})
    month = ma.fields.String(metadata={"example": "2026-11", "description": "the month of the connection"})
    percent = ma.fields.Integer(metadata={"example": 10, "description": "the profile's quota for this customer"})
    selected_by = ma.fields.String(allow_none=True, metadata={
        "example": "sample", "description": "all (quota 100 %), sample (hash of tenant, month and application under "
                                            "the quota), top_up (keeps the month at the quota); null: not selected"})
    status = ma.fields.String(metadata={"example": "scheduled"})
    result = ma.fields.String(allow_none=True, metadata={"example": "satisfied"})
    owner_gender = ma.fields.String(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    visited_at = ma.fields.DateTime(allow_none=True)
    follow_up = ma.fields.Nested(FollowUpSchema, allow_none=True, metadata={
        "description": "opened by a dissatisfied result; due in the profile's feedback limit (3 working days)"})
    version = ma.fields.Integer()


class ReturnVisitQuerySchema(StrictSchema):
    status = ma.fields.String(validate=validate.OneOf(VISIT_STATUSES), metadata={"example": "scheduled"})
    month = ma.fields.String(validate=MONTH, metadata={"example": "2026-11"})
    utility = ma.fields.String(validate=validate.OneOf(UTILITIES))


class VisitResultSchema(StrictSchema):
    result = ma.fields.String(required=True, validate=validate.OneOf(VISIT_RESULTS))
    notes = ma.fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000),
                             metadata={"example": "施工后路面恢复不及时"})
    owner_gender = ma.fields.String(allow_none=True, load_default=None, validate=validate.OneOf(GENDERS),
                                    metadata={"description": "004 四(一)5: gender of the enterprise's owner, "
                                                             "counted in the report only"})


class FollowUpCloseSchema(StrictSchema):
    notes = ma.fields.String(required=True, validate=validate.Length(1, 4000),
                             metadata={"example": "已安排路面修复并回电客户确认"})


class ReportQuerySchema(StrictSchema):
    month = ma.fields.String(required=True, validate=MONTH, metadata={"example": "2026-11"})
    utility = ma.fields.String(validate=validate.OneOf(UTILITIES))


class ResultCountsSchema(ma.Schema):
    satisfied = ma.fields.Integer()
    dissatisfied = ma.fields.Integer()


class ReportSchema(ma.Schema):
    """Counts only: no application, name, phone or address."""

    month = ma.fields.String(metadata={"example": "2026-11"})
    utility = ma.fields.String(allow_none=True)
    connections = ma.fields.Integer(metadata={"description": "connections whose visit was decided this month"})
    scheduled = ma.fields.Integer(metadata={"description": "visits selected (done or not)"})
    done = ma.fields.Integer()
    by_result = ma.fields.Nested(ResultCountsSchema)
    by_gender = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ResultCountsSchema), metadata={
        "example": {"female": {"satisfied": 3, "dissatisfied": 1}, "male": {"satisfied": 5, "dissatisfied": 0},
                    "unrecorded": {"satisfied": 2, "dissatisfied": 0}}})
    follow_ups = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                metadata={"example": {"open": 1, "closed": 0}})
