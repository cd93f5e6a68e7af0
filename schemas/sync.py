"""The offline sync protocol's shapes: pull pages, push batches and their receipts, conflicts."""
import marshmallow as ma
from marshmallow import validate, validates_schema

from schemas.base import StrictSchema

PUSH_TYPES = ("survey", "survey_task", "comment")
OPS = ("create", "update", "delete", "transition")
RESULTS = ("applied", "merged", "conflict", "rejected", "duplicate")


class PullQuerySchema(StrictSchema):
    cursor = ma.fields.String(metadata={"description": "opaque; omit on the first pull"})
    limit = ma.fields.Integer(load_default=500, validate=validate.Range(1, 2000), metadata={
        "description": "most items in `changes` (upserts, tombstones, revokes); only the page of shipped reference "
                       "data and a task entering the scope whole are never split and may hold more "
                       "(docs/sync-protocol.md)"})


class ChangeSchema(ma.Schema):
    type = ma.fields.String(metadata={"example": "survey"})
    id = ma.fields.String(metadata={
        "example": "5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11",
        "description": "absent from an upsert of a record (application, survey_task, survey, comment, determination, "
                       "conflict, constraint_feature): its `data.id` names it; present on every other item"})
    op = ma.fields.String(metadata={"description": "upsert | delete | revoke"})
    version = ma.fields.Raw(metadata={"example": 3})
    data = ma.fields.Raw(allow_none=True)


class PullSchema(ma.Schema):
    changes = ma.fields.List(ma.fields.Nested(ChangeSchema))
    cursor = ma.fields.String()
    has_more = ma.fields.Boolean()


class MutationSchema(StrictSchema):
    mutation_id = ma.fields.UUID(required=True, metadata={"description": "made by the device; idempotency key"})
    type = ma.fields.String(required=True, validate=validate.OneOf(PUSH_TYPES))
    id = ma.fields.UUID(required=True, metadata={"description": "the record's id (made offline for creates)"})
    op = ma.fields.String(required=True, validate=validate.OneOf(OPS))
    base_version = ma.fields.Integer(load_default=None, strict=True, validate=validate.Range(min=0),
                                     metadata={"description": "the version the device edited; required but for "
                                                              "create"})
    fields = ma.fields.Dict(load_default=dict, metadata={"example": {"notes": "阀门井在人行道下"}})
    device_time = ma.fields.AwareDateTime(required=True, metadata={"description": "the tablet's clock when the "
                                                                                 "edit was made",
                                                                  "example": "2026-11-25T10:42:00+08:00"})

    @validates_schema
    def _base_version_unless_create(self, data, **_kwargs):
        if data.get("op") != "create" and data.get("base_version") is None:
            raise ma.ValidationError("base_version is required to update, delete or transition",
                                     field_name="base_version")


class PushSchema(StrictSchema):
    """The envelope. Each mutation is read on its own (MutationSchema): a malformed one is rejected in its
    receipt, the others are stored."""

    mutations = ma.fields.List(ma.fields.Dict(metadata={"allOf": [{"$ref": "#/components/schemas/Mutation"}]}),
                               required=True, metadata={
        "description": "each shaped as Mutation; one that is not gets a `rejected` receipt naming the field"})


class ReceiptSchema(ma.Schema):
    mutation_id = ma.fields.UUID(allow_none=True, metadata={"description": "null only when the mutation's own "
                                                                          "mutation_id was unreadable"})
    result = ma.fields.String(metadata={"description": " | ".join(RESULTS)})
    original_result = ma.fields.String(allow_none=True, metadata={"description": "for a duplicate: the result the "
                                                                                "first delivery got"})
    type = ma.fields.String(allow_none=True)
    id = ma.fields.UUID(allow_none=True)
    version = ma.fields.Integer(allow_none=True, metadata={"description": "server version after the mutation"})
    received_at = ma.fields.DateTime()
    device_time = ma.fields.DateTime(allow_none=True)
    skew_ms = ma.fields.Integer(allow_none=True, metadata={"description": "received_at - device_time"})
    errors = ma.fields.List(ma.fields.Dict())
    conflict_ids = ma.fields.List(ma.fields.String())
    flags = ma.fields.List(ma.fields.Dict(), metadata={"description": "e.g. the task was cancelled meanwhile: the "
                                                                     "data is kept and a dispatcher is told"})


class PushResultSchema(ma.Schema):
    receipts = ma.fields.List(ma.fields.Nested(ReceiptSchema))


class ConflictSchema(ma.Schema):
    id = ma.fields.UUID()
    entity_type = ma.fields.String()
    entity_id = ma.fields.UUID()
    task_id = ma.fields.UUID(allow_none=True)
    field = ma.fields.String()
    base_version = ma.fields.Integer()
    server_version = ma.fields.Integer()
    server_value = ma.fields.Raw(allow_none=True)
    device_value = ma.fields.Raw(allow_none=True)
    details = ma.fields.Dict(metadata={"description": "for geometry: hausdorff_m and moved vertices"})
    device_id = ma.fields.UUID()
    status = ma.fields.String(metadata={"description": "open | resolved"})
    resolution = ma.fields.String(allow_none=True)
    resolved_value = ma.fields.Raw(allow_none=True)
    resolved_at = ma.fields.DateTime(allow_none=True)
    version = ma.fields.Integer()


class ResolveSchema(StrictSchema):
    choose = ma.fields.String(required=True, validate=validate.OneOf(("server", "device", "value")))
    value = ma.fields.Raw(allow_none=True, metadata={"description": "the third value, with choose = value"})

    @validates_schema
    def _value_with_value(self, data, **_kwargs):
        if data.get("choose") == "value" and "value" not in data:
            raise ma.ValidationError("give the value to keep", field_name="value")
