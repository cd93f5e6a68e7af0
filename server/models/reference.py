"""Reference data of a tenant: constraint layers and calendar overrides."""
import uuid
from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import ARRAY, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, TenantKeyed


class ConstraintFeature(TenantKeyed, Base):
    """Reference data a route must not cross unnoticed: expressways, railways, rivers (Y3)."""

    __tablename__ = "constraint_features"
    __table_args__ = (Index("ix_constraint_features_geom", "geom", postgresql_using="gist"),)
    layer: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    geom = mapped_column(Geometry("GEOMETRY", srid=4490, spatial_index=False), nullable=False)
    version: Mapped[int] = mapped_column(default=1)


class CalendarYear(Base):
    """A tenant's override of one year's statutory calendar, uploaded when the State Council publishes it."""

    __tablename__ = "calendar_years"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    holidays: Mapped[list[date]] = mapped_column(ARRAY(Date))
    workdays: Mapped[list[date]] = mapped_column(ARRAY(Date))
    version: Mapped[int] = mapped_column(default=1)
