"""Applications (一表申请): Jingmen's demand form fields (seed 001 附件, rule J3), one form for water and gas."""
import marshmallow as ma
from marshmallow import validate, validates_schema

from policy.catalogue import BUSINESS_TYPES, CHANNELS, CUSTOMER_CLASSES, UTILITIES
from schemas.base import DecimalString, StrictSchema
from schemas.identifiers import CREDIT_CODE_PATTERN, validate_credit_code, validate_phone


class PointSchema(StrictSchema):
    """A GeoJSON Point; the service converts it from the request's CRS and checks its range."""

    type = ma.fields.String(required=True, validate=validate.Equal("Point"))
    coordinates = ma.fields.List(ma.fields.Float(allow_nan=False), required=True, validate=validate.Length(2, 3),
                                 metadata={"description": "[x, y] (or [x, y, z], z ignored): longitude, latitude "
                                                          "in a geographic CRS"})


class ApplicationSchema(StrictSchema):
    id = ma.fields.UUID(metadata={"description": "optional: clients may create the id offline"})
    number = ma.fields.String(dump_only=True, metadata={"example": "BZ2026112500042"})
    progress_code = ma.fields.String(dump_only=True, metadata={
        "example": "7F3A9C21D04BE6A5", "description": "print it on the applicant's receipt: it opens the public "
                                                     "progress query (`POST /api/v1/progress`), nothing else"})
    profile_id = ma.fields.String(metadata={"description": "policy profile (city); default: the tenant's",
                                            "example": "suizhou"})
    applicant_unit = ma.fields.String(required=True, validate=validate.Length(1, 200),
                                      metadata={"example": "随州市曾都区新能源科技有限公司"})
    credit_code = ma.fields.String(allow_none=True, validate=validate_credit_code,
                                   metadata={"example": "91110000802100433B", "pattern": CREDIT_CODE_PATTERN,
                                             "description": "统一社会信用代码 (GB 32100-2015, check character "
                                                            "verified); when missing it becomes a deferred "
                                                            "material due before connection (000 二(二), 002 三(一)1)"})
    address = ma.fields.String(required=True, validate=validate.Length(1, 300),
                               metadata={"example": "随州市曾都区交通大道88号"})
    location = ma.fields.Nested(PointSchema, allow_none=True,
                                metadata={"description": "the site, CGCS2000 (EPSG:4490) lon/lat",
                                          "example": {"type": "Point", "coordinates": [113.3712, 31.6905]}})
    requested_connection_at = ma.fields.AwareDateTime(allow_none=True,
                                                      metadata={"example": "2026-12-01T09:00:00+08:00"})
    contact_name = ma.fields.String(required=True, validate=validate.Length(1, 100), metadata={"example": "陈经理"})
    contact_phone = ma.fields.String(required=True, validate=validate_phone, metadata={"example": "13872345678"})
    project_code = ma.fields.String(allow_none=True, validate=validate.Length(1, 64),
                                    metadata={"example": "2026-421302-44-01-123456"})
    utilities = ma.fields.List(ma.fields.String(validate=validate.OneOf(UTILITIES)), required=True,
                               validate=validate.Length(1, 2), metadata={"example": ["water", "gas"]})
    customer_class = ma.fields.String(load_default="enterprise", validate=validate.OneOf(CUSTOMER_CLASSES))
    business_type = ma.fields.String(load_default="new", validate=validate.OneOf(BUSINESS_TYPES),
                                     metadata={"description": "业务类型: 新开户 new / 扩容 expansion / 临时 temporary"})
    water_demand_t_per_day = DecimalString(allow_none=True, validate=validate.Range(min=0),
                                               metadata={"example": "120"})
    gas_pressure_kpa = DecimalString(allow_none=True, validate=validate.Range(min=0),
                                         metadata={"example": "5"})
    gas_load_m3_per_h = DecimalString(allow_none=True, validate=validate.Range(min=0),
                                          metadata={"example": "60"})
    channel = ma.fields.String(load_default="counter", validate=validate.OneOf(CHANNELS))
    pre_service = ma.fields.Boolean(load_default=False, metadata={"description": "前置服务: engaged before applying"})
    deferred_materials = ma.fields.List(ma.fields.Dict(), dump_only=True,
                                        metadata={"example": [{"material": "credit_code", "due_before": "connection",
                                                               "clause": "000 二(二); 002 三(一)1"}]})
    applied_at = ma.fields.DateTime(dump_only=True)
    version = ma.fields.Integer(dump_only=True)
    task_id = ma.fields.UUID(dump_only=True, metadata={"description": "the application's one joint survey task"})

    @validates_schema
    def _utilities_once(self, data, **_kwargs):
        utilities = data.get("utilities") or []
        if len(set(utilities)) != len(utilities):
            raise ma.ValidationError("each utility once", field_name="utilities")


class PlatformApplicationSchema(ApplicationSchema):
    """An application a government platform pushes: its project code is the idempotency key."""

    class Meta:
        exclude = ("channel",)

    project_code = ma.fields.String(required=True, validate=validate.Length(1, 64),
                                    metadata={"example": "2026-460200-44-01-654321",
                                              "description": "the platform's project code; a batch resent with "
                                                             "the same code creates nothing twice"})


class ApplicationQuerySchema(StrictSchema):
    channel = ma.fields.String(validate=validate.OneOf(CHANNELS))


class IntakeSchema(StrictSchema):
    applications = ma.fields.List(ma.fields.Nested(PlatformApplicationSchema), required=True,
                                  validate=validate.Length(1, 200))


class IntakeResultSchema(ma.Schema):
    project_code = ma.fields.String()
    application_id = ma.fields.UUID()
    number = ma.fields.String()
    result = ma.fields.String(metadata={"description": "created | existing"})


class IntakeResponseSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(IntakeResultSchema))
