"""The notification outbox as admins see it: parked messages and re-queueing them."""
import marshmallow as ma
from marshmallow import validate

from policy.process import NOTIFICATION_STATES
from schemas.base import StrictSchema


class NotificationQuerySchema(StrictSchema):
    state = ma.fields.String(load_default="parked", validate=validate.OneOf(NOTIFICATION_STATES))


class NotificationSchema(ma.Schema):
    """One message on one channel to one recipient."""

    id = ma.fields.UUID(metadata={"description": "also the webhook's Idempotency-Key and the email's Message-ID: "
                                                 "receivers de-duplicate on it"})
    clock_ids = ma.fields.List(ma.fields.UUID(), metadata={
        "description": "the deadline clocks the message names, due first: at most 20 of its clock_count"})
    clock_count = ma.fields.Integer(metadata={
        "example": 1, "description": "how many clocks the message is about: the alerts of its kind one sweep raised "
                                     "in the tenant, or one follow-up"})
    kind = ma.fields.String(metadata={"example": "overdue", "description": "warning, overdue, escalation (deadline "
                                                                           "alerts) or follow_up (a dissatisfied "
                                                                           "return visit)"})
    channel = ma.fields.String(metadata={"example": "email"})
    recipient = ma.fields.String(metadata={"example": "dispatch@suizhou-water.example"})
    state = ma.fields.String(metadata={"example": "parked", "description": "pending, sent, or parked after "
                                                                           "TAPLINE_NOTIFY_MAX_ATTEMPTS failures"})
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime()
    last_error = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)
