"""Users, devices (credentials) and crews."""
import marshmallow as ma
from marshmallow import validate

from policy.process import ROLES
from schemas.base import StrictSchema

USERNAME = validate.Regexp(r"^[a-z0-9_.-]{2,64}$", error="2–64 characters: lowercase letters, digits, _ . -")
PASSWORD_MIN_LENGTH = 10
PASSWORD = ma.fields.String(load_only=True, validate=validate.Length(PASSWORD_MIN_LENGTH, 200), metadata={
    "description": f"the console password ({PASSWORD_MIN_LENGTH}–200 characters), stored as an argon2id hash"})


class UserSchema(StrictSchema):
    id = ma.fields.UUID(dump_only=True)
    username = ma.fields.String(required=True, validate=USERNAME, metadata={"example": "zhang.wei"})
    display_name = ma.fields.String(required=True, validate=validate.Length(1, 200), metadata={"example": "张伟"})
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    phone = ma.fields.String(allow_none=True, validate=validate.Length(max=32))
    email = ma.fields.Email(allow_none=True, validate=validate.Length(max=254), metadata={
        "example": "zhang.wei@suizhou-water.example", "description": "where deadline alerts reach this user"})
    password = PASSWORD
    active = ma.fields.Boolean(dump_only=True)
    version = ma.fields.Integer(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


class UserUpdateSchema(StrictSchema):
    display_name = ma.fields.String(validate=validate.Length(1, 200))
    role = ma.fields.String(validate=validate.OneOf(ROLES))
    phone = ma.fields.String(allow_none=True, validate=validate.Length(max=32))
    email = ma.fields.Email(allow_none=True, validate=validate.Length(max=254))
    active = ma.fields.Boolean(metadata={"description": "false deactivates the user: every device gets 401"})
    password = PASSWORD


class UserQuerySchema(StrictSchema):
    role = ma.fields.String(validate=validate.OneOf(ROLES))


class DeviceSchema(StrictSchema):
    id = ma.fields.UUID(dump_only=True)
    user_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True, validate=validate.Length(1, 200), metadata={"example": "Tablet 07"})
    kind = ma.fields.String(load_default="tablet", validate=validate.OneOf(("tablet", "api")),
                            metadata={"description": "tablet: a field device that syncs; api: a web or system client"})
    created_at = ma.fields.DateTime(dump_only=True)
    revoked_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    last_seen_at = ma.fields.DateTime(dump_only=True, allow_none=True)


class DeviceQuerySchema(StrictSchema):
    user_id = ma.fields.UUID()


class RegisteredDeviceSchema(ma.Schema):
    device = ma.fields.Nested(DeviceSchema)
    token = ma.fields.String(metadata={"description": "the bearer token; shown only in this response"})


class MeSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    device = ma.fields.Nested(DeviceSchema)
    tenant = ma.fields.Dict()
    crew_ids = ma.fields.List(ma.fields.UUID())


class CrewSchema(StrictSchema):
    id = ma.fields.UUID(dump_only=True)
    name = ma.fields.String(required=True, validate=validate.Length(1, 200), metadata={"example": "踏勘一组"})
    active = ma.fields.Boolean(load_default=True)
    member_ids = ma.fields.List(ma.fields.UUID(), load_default=list)
    version = ma.fields.Integer(dump_only=True)


class CrewUpdateSchema(StrictSchema):
    name = ma.fields.String(validate=validate.Length(1, 200))
    active = ma.fields.Boolean()
    member_ids = ma.fields.List(ma.fields.UUID())
