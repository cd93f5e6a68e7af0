"""Applications (报装) and their joint survey tasks (联合踏勘)."""
import uuid
from datetime import datetime
from decimal import Decimal

from geoalchemy2 import Geometry
from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from policy.process import TASK_STATUSES
from server.models.base import Base, TenantKeyed
from server.models.syncable import Syncable


class Application(Syncable, Base):
    """One request for water, gas or both (一表申请), fields of Jingmen's demand form (J3)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("uq_applications_platform_project", "tenant_id", "project_code", unique=True,
              postgresql_where="channel = 'platform'"),
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        Index("ix_applications_location", "location", postgresql_using="gist"),
        # The applicant's query comes without a tenant (a global index, a reference table under Citus).
        Index("uq_applications_progress_code", "progress_code", unique=True),
    )
    number: Mapped[str] = mapped_column(String(32))
    profile_id: Mapped[str] = mapped_column(String(64))
    applicant_unit: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(300))
    location = mapped_column(Geometry("POINT", srid=4490, spatial_index=False), nullable=True)
    requested_connection_at: Mapped[datetime | None]
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(32))
    project_code: Mapped[str | None] = mapped_column(String(64))
    utilities: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    customer_class: Mapped[str] = mapped_column(String(32))
    business_type: Mapped[str] = mapped_column(String(16))
    water_demand_t_per_day: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    gas_pressure_kpa: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    gas_load_m3_per_h: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    channel: Mapped[str] = mapped_column(String(16))
    pre_service: Mapped[bool] = mapped_column(default=False)
    deferred_materials: Mapped[list] = mapped_column(JSONB, default=list)
    applied_at: Mapped[datetime]
    # Printed on the applicant's receipt: 16 random hex digits that open the progress query (进度查询).
    progress_code: Mapped[str] = mapped_column(String(16))


class SurveyTask(Syncable, Base):
    """The one joint survey task of an application, covering every requested utility."""

    __tablename__ = "survey_tasks"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "application_id"], ["applications.tenant_id", "applications.id"]),
        ForeignKeyConstraint(["tenant_id", "crew_id"], ["crews.tenant_id", "crews.id"]),
        CheckConstraint(f"status in {TASK_STATUSES}", name="status"),
        Index("ix_survey_tasks_crew", "tenant_id", "crew_id", "status", "survey_due_at"),
        Index("ix_survey_tasks_status_due", "tenant_id", "status", "survey_due_at"),
        Index("ix_survey_tasks_application", "tenant_id", "application_id"),
        Index("ix_survey_tasks_site", "site", postgresql_using="gist"),
    )
    application_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(16), default="new")
    crew_id: Mapped[uuid.UUID | None]
    utilities: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    profile_id: Mapped[str] = mapped_column(String(64))
    site = mapped_column(Geometry("POINT", srid=4490, spatial_index=False), nullable=True)
    survey_due_at: Mapped[datetime | None]
    surveyed_at: Mapped[datetime | None]
    flagged: Mapped[list] = mapped_column(JSONB, default=list)


class TaskEvent(TenantKeyed, Base):
    """A state transition of a task: who, which device, when."""

    __tablename__ = "task_events"
    __table_args__ = (
        Index("ix_task_events_task", "tenant_id", "task_id", "created_at"),
        Index("ix_task_events_crew", "tenant_id", "task_id", "crew_id", postgresql_where=text("crew_id is not null")),
    )
    task_id: Mapped[uuid.UUID]
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID]
    device_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(Text)
    # The crew an assignment gave the task to: the history of who held it (push keeps their late work).
    crew_id: Mapped[uuid.UUID | None]
