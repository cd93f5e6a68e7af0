"""The append-only audit log."""
import uuid
from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, Identity, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class AuditEntry(Base):
    """Append-only: who changed what, from which device, server and device time, and evidence hashes."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "tenant_id", "entity_type", "entity_id", "seq"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # A bigint identity: the log only grows, and its order is the order entries were written.
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[uuid.UUID | None]
    device_id: Mapped[uuid.UUID | None]
    at: Mapped[datetime]
    device_time: Mapped[datetime | None]
    changes: Mapped[dict] = mapped_column(JSONB, default=dict)
    evidence: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    # What the person said, where the act needs a reason (a task returned to its crew).
    reason: Mapped[str | None] = mapped_column(Text)
