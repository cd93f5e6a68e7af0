"""The notification outbox: each message to a person or a webhook, written in the transaction that caused it."""
import uuid
from datetime import datetime

from sqlalchemy import ARRAY, CheckConstraint, Index, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from policy.process import ALERT_LEVELS, NOTIFICATION_STATES
from server.models.base import Base, TenantKeyed

#: What a message is about: a deadline alert, or a dissatisfied return visit's follow-up.
NOTIFICATION_KINDS = (*ALERT_LEVELS, "follow_up")
NOTIFICATION_CHANNELS = ("email", "webhook")


class Notification(TenantKeyed, Base):
    """One message on one channel to one recipient; the worker delivers it and marks it sent or parked.

    A message is about the alerts of one level that one sweep raised in the tenant, or one follow-up: it names
    the clocks due first and counts them all, so a sweep over a backlog writes a handful of rows, not one per
    alert and recipient. Its `id` is the receivers' de-duplication key (the webhook's Idempotency-Key, the
    email's Message-ID). The text is written at delivery from the clocks.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(f"kind in {NOTIFICATION_KINDS}", name="kind"),
        CheckConstraint(f"channel in {NOTIFICATION_CHANNELS}", name="channel"),
        CheckConstraint(f"state in {NOTIFICATION_STATES}", name="state"),
        # The worker's claim runs over every tenant: pending rows by when they are next due.
        Index("ix_notifications_pending", "next_attempt_at", postgresql_where="state = 'pending'"),
        Index("ix_notifications_state", "tenant_id", "state", "created_at"),
    )
    # The clocks the message names, due first; at most outbox.NAMED_CLOCKS of the `clock_count` it is about.
    clock_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    clock_count: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    # An email address, or the webhook's URL.
    recipient: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
