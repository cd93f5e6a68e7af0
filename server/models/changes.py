"""The global change sequence that sync pulls from.

Every accepted change to a syncable record appends one row, in the writer's transaction. `xid`
is the writing transaction's id: a pull only returns rows whose transaction is older than every
transaction still running (the snapshot's xmin), so a cursor never passes a change that commits
later with a lower `seq` (see docs/sync-protocol.md).
"""
import uuid

from sqlalchemy import BigInteger, Identity, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from server.models.base import Base


class Xid8(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "xid8"


class Change(Base):
    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_tenant_xid_seq", "tenant_id", "xid", "seq"),
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    xid = mapped_column(Xid8(), server_default=text("pg_current_xact_id()"), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(8))
    version: Mapped[int]
    # The crew whose devices receive this change (null: no crew yet); reference data goes to every device.
    crew_id: Mapped[uuid.UUID | None]
    reference: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # One user whose devices alone receive this change: a task entering or leaving their scope because they
    # joined or left its crew.
    user_id: Mapped[uuid.UUID | None]
    meta: Mapped[dict | None] = mapped_column(JSONB)
