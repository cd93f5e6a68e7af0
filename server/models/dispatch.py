"""Construction teams and work orders, the alerts and evaluations of deadline clocks, and return visits."""
import uuid
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import ARRAY, CheckConstraint, ForeignKeyConstraint, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from policy.process import ALERT_LEVELS, GENDERS, VISIT_RESULTS, VISIT_STATUSES, WORK_ORDER_STATUSES
from server.models.base import Base, TenantKeyed, Versioned

#: Why a connection is called back: every one is (100 %), its hash fell under the quota, or the month was short.
VISIT_SELECTIONS = ("all", "sample", "top_up")


class ConstructionTeam(TenantKeyed, Versioned, Base):
    """A construction team (施工队伍): the utilities it builds, where it works, how many jobs it starts a day."""

    __tablename__ = "construction_teams"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        CheckConstraint("daily_capacity >= 0", name="daily_capacity"),
        Index("ix_construction_teams_service_area", "service_area", postgresql_using="gist"),
    )
    name: Mapped[str] = mapped_column(String(200))
    utilities: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    # Polygon or MultiPolygon, as drawn.
    service_area = mapped_column(Geometry("GEOMETRY", srid=4490, spatial_index=False), nullable=False)
    daily_capacity: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)


class WorkOrder(TenantKeyed, Versioned, Base):
    """The construction of one utility's connection for an approved survey (工单)."""

    __tablename__ = "work_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "task_id", "utility"),
        ForeignKeyConstraint(["tenant_id", "application_id"], ["applications.tenant_id", "applications.id"]),
        ForeignKeyConstraint(["tenant_id", "task_id"], ["survey_tasks.tenant_id", "survey_tasks.id"]),
        ForeignKeyConstraint(["tenant_id", "team_id"], ["construction_teams.tenant_id", "construction_teams.id"]),
        CheckConstraint(f"status in {WORK_ORDER_STATUSES}", name="status"),
        # A team's bookings on a day: what its remaining capacity is counted from.
        Index("ix_work_orders_team_day", "tenant_id", "team_id", "start_on"),
        Index("ix_work_orders_status", "tenant_id", "status", "start_on"),
        Index("ix_work_orders_application", "tenant_id", "application_id"),
    )
    application_id: Mapped[uuid.UUID]
    task_id: Mapped[uuid.UUID]
    utility: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="created")
    team_id: Mapped[uuid.UUID | None]
    start_on: Mapped[date]
    assigned_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    connected_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The profile's post-connection documents when the order was made: [{key, zh, en, optional}].
    checklist: Mapped[list] = mapped_column(JSONB, default=list)
    # {checklist key: [sha256, …]}
    documents: Mapped[dict] = mapped_column(JSONB, default=dict)


class SlaAlert(Base):
    """A clock that reached a level; the key (clock, level) makes the sweep record each one once.

    Narrow on purpose: a first sweep may insert hundreds of thousands; the clock holds application and step.
    """

    __tablename__ = "sla_alerts"
    __table_args__ = (
        CheckConstraint(f"level in {ALERT_LEVELS}", name="level"),
        Index("ix_sla_alerts_raised", "tenant_id", "raised_at"),
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    clock_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    # The due the level was reached against: a later evaluation may move the clock's.
    due_at: Mapped[datetime]
    raised_at: Mapped[datetime]
    recipients: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default=text("'{}'"))


class SlaEvaluation(Base):
    """When the clocks of an application's utility were last computed from its events.

    Submission refreshes the clocks itself; the sweep compares this time with the survey's submission to
    catch any that have not seen it yet (a refresh that failed, a submission made by an older release).
    """

    __tablename__ = "sla_evaluations"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    utility: Mapped[str] = mapped_column(String(8), primary_key=True)
    evaluated_at: Mapped[datetime]


class ReturnVisit(TenantKeyed, Versioned, Base):
    """Whether a connection is called back (回访) under the profile's quota, and what the customer said."""

    __tablename__ = "return_visits"
    __table_args__ = (
        UniqueConstraint("tenant_id", "work_order_id"),
        ForeignKeyConstraint(["tenant_id", "work_order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        CheckConstraint(f"status in {VISIT_STATUSES}", name="status"),
        CheckConstraint(f"selected_by in {VISIT_SELECTIONS}", name="selected_by"),
        CheckConstraint(f"result in {VISIT_RESULTS}", name="result"),
        CheckConstraint(f"owner_gender in {GENDERS}", name="owner_gender"),
        Index("ix_return_visits_month", "tenant_id", "month", "percent", "status"),
    )
    application_id: Mapped[uuid.UUID]
    work_order_id: Mapped[uuid.UUID]
    utility: Mapped[str] = mapped_column(String(8))
    # The first day of the connection's month (Asia/Shanghai): quotas are monthly.
    month: Mapped[date]
    percent: Mapped[int]
    selected_by: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    # The profile's limit for closing a dissatisfied customer's feedback (a policy duration), if it sets one.
    feedback_within: Mapped[dict | None] = mapped_column(JSONB)
    result: Mapped[str | None] = mapped_column(String(16))
    owner_gender: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    visited_at: Mapped[datetime | None]
    visited_by: Mapped[uuid.UUID | None]
    follow_up_notes: Mapped[str | None] = mapped_column(Text)
