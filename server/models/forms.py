"""Form versions a tenant published (the built-in forms ship with the package as their first versions)."""
import uuid
from datetime import datetime

from sqlalchemy import String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class FormVersion(Base):
    """Immutable once published: a submission names (form_id, version) and is checked against it forever."""

    __tablename__ = "form_versions"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    definition: Mapped[dict] = mapped_column(JSONB)
    digest: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(server_default=func.now())
    published_by: Mapped[uuid.UUID]
