"""Policy profile versions a tenant uploaded (the shipped profiles are version 1 of each city and stay files)."""
import uuid
from datetime import date

from sqlalchemy import Date, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, TenantKeyed

POLICY_VERSION_ORIGINS = ("upload", "override")


class PolicyVersion(TenantKeyed, Base):
    """Immutable once stored: a determination names its version, and must be reproducible from it."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "profile_id", "version"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        ForeignKeyConstraint(["tenant_id", "created_by"], ["users.tenant_id", "users.id"]),
    )
    profile_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    effective_date: Mapped[date] = mapped_column(Date)
    #: The whole profile as the loader reads it (dates as ISO strings), overrides already merged.
    document: Mapped[dict] = mapped_column(JSONB)
    origin: Mapped[str] = mapped_column(String(16))
    #: For an override: the version it was made from and the rules it replaced.
    base_version: Mapped[str | None] = mapped_column(String(32))
    overrides: Mapped[list | None] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID]
