"""Deadline clocks of applications."""
import uuid
from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, TenantKeyed


class SlaClock(TenantKeyed, Base):
    """The due time of one step of an application, from the profile's deadlines (超期预警督办)."""

    __tablename__ = "sla_clocks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "application_id", "step"),
        Index("ix_sla_clocks_open_due", "tenant_id", "due_at", postgresql_where="done_at is null"),
    )
    application_id: Mapped[uuid.UUID]
    step: Mapped[str] = mapped_column(String(64))
    anchor: Mapped[str] = mapped_column(String(32))
    duration: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    calendar: Mapped[str | None] = mapped_column(String(16))
    done_at: Mapped[datetime | None]
    rule: Mapped[str | None] = mapped_column(String(16))
    clause: Mapped[str | None] = mapped_column(String(64))
