"""Blobs (photos, sketches, signatures) a tenant uploaded, addressed by the SHA-256 of their content."""
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base

PARTIAL, COMPLETE = "partial", "complete"


class Blob(Base):
    """Partial while its chunks arrive; complete once its content matched its hash and a known type.

    The bytes are in the blob store, never here. A blob of one tenant is invisible to every other, even
    when they upload the same content.
    """

    __tablename__ = "blobs"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        CheckConstraint(f"status in {(PARTIAL, COMPLETE)}", name="status"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256"),
        CheckConstraint("received between 0 and size", name="received"),
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(8))
    # Declared by the first chunk (Content-Range TOTAL, or the Content-Length of a whole upload).
    size: Mapped[int] = mapped_column(BigInteger)
    # Bytes stored so far: the offset the next chunk starts at.
    received: Mapped[int] = mapped_column(BigInteger)
    # Sniffed from the content when it completes.
    content_type: Mapped[str | None] = mapped_column(String(64))
    # Names of the stored chunks in order (see server.blobstore.chunk_key); emptied when the blob completes.
    chunks: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default=text("'{}'"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    completed_at: Mapped[datetime | None]
