"""The worker's schedule and heartbeats: system tables, not a tenant's (a job runs over every tenant)."""
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class ScheduledJob(Base):
    """One periodic job; a worker runs it while holding its row (`FOR UPDATE SKIP LOCKED`), so only one does."""

    __tablename__ = "scheduled_jobs"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    every_s: Mapped[int]
    next_run_at: Mapped[datetime]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_duration_s: Mapped[float | None]
    last_outcome: Mapped[str | None] = mapped_column(Text)
    last_failed: Mapped[bool] = mapped_column(default=False)
    last_worker: Mapped[str | None] = mapped_column(String(200))


class WorkerHeartbeat(Base):
    """A worker process's last sign of life; `/readyz` and `/metrics` read it."""

    __tablename__ = "worker_heartbeats"
    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime]
