"""Deadline clocks, their alerts (超期预警督办) and the applicant's progress query (进度查询)."""
import marshmallow as ma
from marshmallow import validate

from policy.process import ALERT_LEVELS
from schemas.base import StrictSchema
from schemas.identifiers import validate_phone


class AlertQuerySchema(StrictSchema):
    level = ma.fields.String(validate=validate.OneOf(ALERT_LEVELS))
    application_id = ma.fields.UUID()
    step = ma.fields.String(validate=validate.Length(1, 64), metadata={"example": "water.construction_start"})
    since = ma.fields.AwareDateTime(metadata={"example": "2026-11-25T00:00:00+08:00",
                                              "description": "raised at or after this time"})


class AlertSchema(ma.Schema):
    """A clock that reached a level, recorded once by the sweep."""

    clock_id = ma.fields.UUID()
    level = ma.fields.String(metadata={"example": "overdue", "description": "warning (the configured share of the "
                                                                            "time has elapsed), overdue (past due), "
                                                                            "escalation (past due and the grace)"})
    application_id = ma.fields.UUID()
    number = ma.fields.String(metadata={"example": "BZ2026112500042"})
    step = ma.fields.String(metadata={"example": "water.construction_start"})
    due_at = ma.fields.DateTime()
    raised_at = ma.fields.DateTime()
    recipients = ma.fields.List(ma.fields.UUID(), metadata={
        "description": "escalation: the tenant's active admin users it went to; empty for other levels"})


class ClockSchema(ma.Schema):
    """One step of an application with its due time from the profile and when it was done."""

    utility = ma.fields.String(metadata={"example": "water"})
    step = ma.fields.String(metadata={"example": "construction_start"})
    anchor = ma.fields.String(metadata={"example": "work_order_at",
                                        "description": "the event (or earlier step) the time counts from"})
    duration = ma.fields.String(allow_none=True, metadata={"example": "next_day"})
    started_at = ma.fields.DateTime(allow_none=True)
    due_at = ma.fields.DateTime(allow_none=True, metadata={"description": "null until the anchor has happened"})
    done_at = ma.fields.DateTime(allow_none=True)
    calendar = ma.fields.String(allow_none=True, metadata={"example": "official"})
    rule = ma.fields.String(allow_none=True, metadata={"example": "W2"})
    clause = ma.fields.String(allow_none=True, metadata={"example": "002 二(二)5"})


class ProgressCode(ma.fields.String):
    """The receipt's code as people type it: any case, dashes and spaces ignored (`7f3a-9c21-d04b-e6a5`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).replace("-", "").replace(" ", "").upper()


BY_NUMBER = ("tenant", "number", "contact_phone")


class ProgressQuerySchema(StrictSchema):
    """The code printed on the application's receipt; or, without it, the tenant, number and contact phone."""

    code = ProgressCode(validate=validate.Regexp(r"^[0-9A-F]{16}$", error="16 hex digits, as on the receipt"),
                        metadata={"example": "7F3A-9C21-D04B-E6A5"})
    tenant = ma.fields.String(validate=validate.Length(1, 64),
                              metadata={"example": "suizhou-water", "description": "the utility applied to"})
    number = ma.fields.String(validate=validate.Length(1, 32), metadata={"example": "BZ2026112500042"})
    contact_phone = ma.fields.String(validate=validate_phone, metadata={"example": "13872345678"})

    @ma.validates_schema
    def _one_way(self, data, **_kwargs):
        given = [name for name in BY_NUMBER if name in data]
        if "code" in data and given:
            raise ma.ValidationError("give the code, or the tenant, number and phone, not both", given[0])
        if "code" not in data and not given:
            raise ma.ValidationError("the code on the application's receipt is required", "code")
        for name in BY_NUMBER:
            if given and name not in data:
                raise ma.ValidationError("required with the number and phone", name)


class ProgressStageSchema(ma.Schema):
    stage = ma.fields.String(metadata={"example": "connection", "description": "acceptance, survey, approval, "
                                                                               "construction, connection, "
                                                                               "return_visit"})
    name = ma.fields.String(metadata={"example": "通水",
                                      "description": "受理, 踏勘, 审批, 施工（用水）, 通水 / 通气, 回访"})
    utility = ma.fields.String(allow_none=True, metadata={"example": "water"})
    status = ma.fields.String(metadata={"example": "in_progress", "description": "done, in_progress, waiting, "
                                                                                 "not_needed"})
    status_name = ma.fields.String(metadata={"example": "办理中"})
    due_at = ma.fields.DateTime(allow_none=True, metadata={"example": "2026-12-01T17:30:00+08:00"})
    done_at = ma.fields.DateTime(allow_none=True)


class ProgressStepSchema(ma.Schema):
    utility = ma.fields.String(metadata={"example": "water"})
    step = ma.fields.String(metadata={"example": "connection"})
    name = ma.fields.String(metadata={"example": "用水·通水"})
    due_at = ma.fields.DateTime(allow_none=True)
    done_at = ma.fields.DateTime(allow_none=True)


class ProgressSchema(ma.Schema):
    """What an applicant sees: the stages and each step's due and done time (Asia/Shanghai), names masked."""

    number = ma.fields.String(metadata={"example": "BZ2026112500042"})
    applicant = ma.fields.String(metadata={"example": "随州市********有限公司"})
    contact = ma.fields.String(metadata={"example": "陈**"})
    utilities = ma.fields.List(ma.fields.String(), metadata={"example": ["用水", "用气"]})
    applied_at = ma.fields.DateTime()
    stages = ma.fields.List(ma.fields.Nested(ProgressStageSchema))
    steps = ma.fields.List(ma.fields.Nested(ProgressStepSchema))
