"""The columns every record that tablets sync carries."""
import uuid
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import TenantKeyed


class Syncable(TenantKeyed):
    """UUID made offline, `version` bumped on each accepted change, and per-field versions.

    `field_versions` maps a field to the record version that last changed it, so a push based on an
    older version can tell which fields the server changed meanwhile (those conflict) from those it
    did not (those merge).
    """

    version: Mapped[int] = mapped_column(default=1)
    field_versions: Mapped[dict] = mapped_column(JSONB, default=dict)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    deleted_at: Mapped[datetime | None]
    updated_by: Mapped[uuid.UUID | None]
