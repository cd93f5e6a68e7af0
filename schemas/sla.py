"""Deadline clocks, their alerts (超期预警督办) and the applicant's progress query (进度查询)."""
import marshmallow as ma
from marshmallow import validate

from schemas.base import StrictSchema
from schemas.identifiers import validate_phone

ALERT_LEVELS = ("warning", "overdue", "escalation")


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


class ProgressQuerySchema(StrictSchema):
    tenant = ma.fields.String(required=True, validate=validate.Length(1, 64),
                              metadata={"example": "suizhou-water", "description": "the utility applied to"})
    number = ma.fields.String(required=True, validate=validate.Length(1, 32), metadata={"example": "BZ2026112500042"})
    contact_phone = ma.fields.String(required=True, validate=validate_phone, metadata={"example": "13872345678"})


class ProgressStepSchema(ma.Schema):
    utility = ma.fields.String(metadata={"example": "water"})
    step = ma.fields.String(metadata={"example": "connection"})
    due_at = ma.fields.DateTime(allow_none=True)
    done_at = ma.fields.DateTime(allow_none=True)


class ProgressSchema(ma.Schema):
    """The timeline of the application's steps, and nothing else about it."""

    steps = ma.fields.List(ma.fields.Nested(ProgressStepSchema))
