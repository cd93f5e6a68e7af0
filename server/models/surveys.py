"""Survey records crews submit, the determinations computed from them, and review comments."""
import uuid
from datetime import datetime
from decimal import Decimal

from geoalchemy2 import Geometry
from sqlalchemy import ARRAY, CheckConstraint, ForeignKeyConstraint, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, TenantKeyed
from server.models.syncable import Syncable


class Survey(Syncable, Base):
    """What a crew recorded on site for one utility: geometry, measurements, evidence, form answers."""

    __tablename__ = "surveys"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "task_id"], ["survey_tasks.tenant_id", "survey_tasks.id"]),
        UniqueConstraint("tenant_id", "task_id", "utility"),
        Index("ix_surveys_route", "route", postgresql_using="gist"),
        Index("ix_surveys_red_line", "red_line", postgresql_using="gist"),
    )
    task_id: Mapped[uuid.UUID]
    utility: Mapped[str] = mapped_column(String(8))
    red_line = mapped_column(Geometry("MULTIPOLYGON", srid=4490, spatial_index=False), nullable=True)
    route = mapped_column(Geometry("MULTILINESTRING", srid=4490, spatial_index=False), nullable=True)
    # The municipal main the route leaves from (市政管道), as the crew found it on site.
    main = mapped_column(Geometry("LINESTRING", srid=4490, spatial_index=False), nullable=True)
    green_areas = mapped_column(Geometry("MULTIPOLYGON", srid=4490, spatial_index=False), nullable=True)
    meter_position = mapped_column(Geometry("POINT", srid=4490, spatial_index=False), nullable=True)
    meter_dn: Mapped[int | None]
    segments: Mapped[list] = mapped_column(JSONB, default=list)
    road_occupation_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # Site conditions of the outer works that change the approval path (Wuhu W5: 002 二(二)4).
    tree_felling: Mapped[bool | None]
    # How sure the crew is of what it drew (GNSS fix ± m, tape ± m): a decision that close to a threshold is
    # flagged for an engineer to confirm (DESIGN "Borderline decisions").
    outside_length_accuracy_m: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    green_area_accuracy_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    traffic_safety_impact: Mapped[bool | None]
    photos: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    sketches: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    signature: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    form_id: Mapped[str | None] = mapped_column(String(64))
    form_version: Mapped[int | None]
    answers: Mapped[dict] = mapped_column(JSONB, default=dict)
    submitted_at: Mapped[datetime | None]

    @property
    def evidence(self) -> list[str]:
        """The blobs the record refers to, bound by hash to its audit entries (DESIGN "Evidence that holds")."""
        return [*self.photos, *self.sketches, *([self.signature] if self.signature else [])]


class Determination(TenantKeyed, Base):
    """Measurement and policy decision computed from a survey, with the inputs and profile version used."""

    __tablename__ = "determinations"
    __table_args__ = (
        Index("ix_determinations_task", "tenant_id", "task_id", "created_at"),
        CheckConstraint("state in ('in_force', 'pending', 'declined')", name="ck_determinations_state"),
    )
    task_id: Mapped[uuid.UUID]
    survey_id: Mapped[uuid.UUID]
    survey_version: Mapped[int]
    utility: Mapped[str] = mapped_column(String(8))
    profile_id: Mapped[str] = mapped_column(String(64))
    # Null when the survey's geometry was too incomplete to decide on (see `errors`).
    profile_version: Mapped[str | None] = mapped_column(String(32))
    inputs: Mapped[dict] = mapped_column(JSONB)
    measurement: Mapped[dict | None] = mapped_column(JSONB)
    decision: Mapped[dict | None] = mapped_column(JSONB)
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    # in_force | pending (computed from an edit that reached an approved task; an engineer accepts or declines it)
    # | declined. An approved decision stays in force until the engineer accepts a pending one.
    state: Mapped[str] = mapped_column(String(16), default="in_force", server_default="in_force")


class Comment(Syncable, Base):
    """An engineer's review comment, optionally pointing at a feature (a segment, a vertex)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_task", "tenant_id", "task_id"),)
    task_id: Mapped[uuid.UUID]
    survey_id: Mapped[uuid.UUID | None]
    author_id: Mapped[uuid.UUID]
    body: Mapped[str] = mapped_column(Text)
    target: Mapped[dict | None] = mapped_column(JSONB)
    resolved: Mapped[bool] = mapped_column(default=False)
