"""Reading the audit log of one record: a work order, a team, a user or a device (tasks have their own trail)."""
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.errors import NotFound
from server.models import AuditEntry

ENTITY_TYPES = {"WorkOrder": "work_order", "ConstructionTeam": "team", "User": "user", "Device": "device"}


def record_trail(session: Session, tenant_id: uuid.UUID, model: type, record_id: uuid.UUID, *, offset: int,
                 limit: int) -> tuple[list[AuditEntry], int]:
    """The entries of the record in the order they were written; a deleted team's trail stays readable.

    Raises 404 when the tenant has no such record and never had one.
    """
    query = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id,
                                     AuditEntry.entity_type == ENTITY_TYPES[model.__name__],
                                     AuditEntry.entity_id == record_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    if not total and session.scalar(select(model.id).where(model.tenant_id == tenant_id,
                                                           model.id == record_id)) is None:
        raise NotFound(model.__name__, record_id)
    return list(session.scalars(query.order_by(AuditEntry.seq).offset(offset).limit(limit))), total
