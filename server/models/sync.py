"""Push receipts and conflicts: what the server answered each mutation, and edits that met a concurrent one."""
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base
from server.models.syncable import Syncable


class Receipt(Base):
    """The answer to one mutation, kept so a replay or a lost response gets the same answer."""

    __tablename__ = "sync_receipts"
    # What a device wrote to a record itself: its own earlier edits never conflict with its later ones.
    __table_args__ = (Index("ix_sync_receipts_entity", "tenant_id", "device_id", "entity_id"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    result: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())
    device_time: Mapped[datetime | None]
    skew_ms: Mapped[int | None] = mapped_column(BigInteger)
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    conflict_ids: Mapped[list] = mapped_column(JSONB, default=list)
    flags: Mapped[list] = mapped_column(JSONB, default=list)


class Conflict(Syncable, Base):
    """Both values of a field changed on the server and on a device since the device's base version."""

    __tablename__ = "conflicts"
    __table_args__ = (
        Index("ix_conflicts_entity", "tenant_id", "entity_type", "entity_id"),
        Index("ix_conflicts_open_task", "tenant_id", "task_id", postgresql_where="status = 'open'"),
    )
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    task_id: Mapped[uuid.UUID | None]
    field: Mapped[str] = mapped_column(String(64))
    base_version: Mapped[int]
    server_version: Mapped[int]
    server_value: Mapped[object | None] = mapped_column(JSONB)
    device_value: Mapped[object | None] = mapped_column(JSONB)
    details: Mapped[dict] = mapped_column(JSONB, default=dict)
    device_id: Mapped[uuid.UUID]
    mutation_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_value: Mapped[object | None] = mapped_column(JSONB)
    resolved_by: Mapped[uuid.UUID | None]
    resolved_at: Mapped[datetime | None]
