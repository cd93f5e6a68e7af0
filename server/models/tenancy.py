"""Tenants, users, devices (bearer tokens) and survey crews."""
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column

from policy.process import ROLES
from server.models.base import Base, TenantKeyed, Versioned

# console: one browser sign-in (server/console), revoked on sign-out like a lost tablet.
DEVICE_KINDS = ("tablet", "api", "console")


class Tenant(Base):
    """One utility, or one city's joint service; its policy profile is the city's rules."""

    __tablename__ = "tenants"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[str] = mapped_column(String(64))
    # Where times are shown to the tenant's people (alert emails, the applicant's progress); the business
    # clock (deadlines, working days) stays Asia/Shanghai, as the policies say.
    time_zone: Mapped[str] = mapped_column(String(64), server_default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The console's map tiles ({z}/{x}/{y} URL); none: a plain background. gcj02: the tiles are in GCJ-02.
    basemap_url: Mapped[str | None] = mapped_column(String(500))
    basemap_gcj02: Mapped[bool] = mapped_column(default=False, server_default=false())


class User(TenantKeyed, Versioned, Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "username"),
        CheckConstraint(f"role in {ROLES}", name="role"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    )
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    # Where deadline alerts reach the user (dispatchers: warnings and overdue steps; admins: escalations).
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    # argon2id (server/services/passwords.py); none: the user cannot sign in to the console.
    password_hash: Mapped[str | None] = mapped_column(String(200))


class Device(TenantKeyed, Base):
    """A credential: a tablet registered to a user, or an API token for the web; revocable one by one."""

    __tablename__ = "devices"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        CheckConstraint(f"kind in {DEVICE_KINDS}", name="kind"),
        # Token lookup happens before the tenant is known; a global unique index serves it
        # (under Citus this lookup table becomes a reference table).
        Index("ix_devices_token_hash", "token_hash", unique=True),
    )
    user_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]


class Crew(TenantKeyed, Versioned, Base):
    """A survey team (踏勘组); tasks are assigned to a crew and its members' devices sync them."""

    __tablename__ = "crews"
    __table_args__ = (UniqueConstraint("tenant_id", "name"), ForeignKeyConstraint(["tenant_id"], ["tenants.id"]))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class CrewMember(Base):
    __tablename__ = "crew_members"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "crew_id"], ["crews.tenant_id", "crews.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        Index("ix_crew_members_user", "tenant_id", "user_id"),
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    crew_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
