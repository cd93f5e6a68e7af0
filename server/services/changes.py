"""Appending to the global change sequence and to the audit log, in the writer's transaction."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.models import AuditEntry, Change


def record_change(session: Session, tenant_id: uuid.UUID, entity_type: str, entity_id: uuid.UUID, version: int, *,
                  crew_id: uuid.UUID | None = None, reference: bool = False, op: str = "upsert",
                  meta: dict | None = None) -> None:
    """One row of the change feed devices pull.

    A task's records go to the devices of the task's crew (`crew_id`; none while unassigned); reference
    data (`reference=True`: forms, calendar, constraint layers) goes to every device of the tenant.
    """
    session.execute(insert(Change).values(tenant_id=tenant_id, entity_type=entity_type, entity_id=entity_id, op=op,
                                          version=version, crew_id=crew_id, reference=reference, meta=meta))


def audit(session: Session, principal, entity_type: str, entity_id: uuid.UUID, action: str, *,
          changes: dict | None = None, device_time: datetime | None = None, evidence: list[str] | None = None) -> None:
    """Append an audit entry; the log is never updated or deleted through the API."""
    session.execute(insert(AuditEntry).values(
        tenant_id=principal.tenant_id, entity_type=entity_type, entity_id=entity_id, action=action,
        actor_id=principal.user_id, device_id=principal.device_id, at=datetime.now(UTC),
        device_time=device_time, changes=changes or {}, evidence=evidence or []))
