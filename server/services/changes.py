"""Appending to the global change sequence and to the audit log, in the writer's transaction."""
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.models import AuditEntry, Change
from server.services.bulk import copy_rows
from server.services.jsonable import jsonable


def change_row(tenant_id: uuid.UUID, entity_type: str, entity_id: uuid.UUID, version: int, *,
               crew_id: uuid.UUID | None = None, reference: bool = False, op: str = "upsert",
               meta: dict | None = None, user_id: uuid.UUID | None = None) -> dict:
    """One row of the change feed devices pull.

    A task's records go to the devices of the task's crew (`crew_id`; none while unassigned); reference
    data (`reference=True`: forms, calendar, constraint layers) goes to every device of the tenant; a
    change for `user_id` goes to that user's devices alone (they joined or left a crew).
    """
    return {"tenant_id": tenant_id, "entity_type": entity_type, "entity_id": entity_id, "op": op,
            "version": version, "crew_id": crew_id, "reference": reference, "meta": meta, "user_id": user_id}


def audit_row(principal, entity_type: str, entity_id: uuid.UUID, action: str, *, changes: dict | None = None,
              device_time: datetime | None = None, evidence: Iterable[str] | None = None,
              reason: str | None = None) -> dict:
    """An audit entry: who, from which device, server time and device time, what changed, evidence hashes, why."""
    return {"tenant_id": principal.tenant_id, "entity_type": entity_type, "entity_id": entity_id, "action": action,
            "actor_id": principal.user_id, "device_id": principal.device_id, "at": datetime.now(UTC),
            "device_time": device_time, "changes": changes or {}, "evidence": sorted(set(evidence or ())),
            "reason": reason}


def record_change(session: Session, *args, **kwargs) -> None:
    session.execute(insert(Change), [change_row(*args, **kwargs)])


def audit(session: Session, *args, **kwargs) -> None:
    """Append an audit entry; the log is never updated or deleted through the API."""
    session.execute(insert(AuditEntry), [audit_row(*args, **kwargs)])


def bump_version(record, fields: Iterable[str], user_id: uuid.UUID | None) -> None:
    """A new version of `record`, stamped on each changed field (what the sync merge compares against)."""
    for name, value in next_version(record, fields, user_id).items():
        setattr(record, name, value)


def next_version(record, fields: Iterable[str], user_id: uuid.UUID | None) -> dict:
    """The version columns of `record`'s next version: `version`, `field_versions` and `updated_by`."""
    version = record.version + 1
    return {"version": version, "field_versions": {**record.field_versions, **dict.fromkeys(fields, version)},
            "updated_by": user_id}


def log_created(session: Session, principal, entity_type: str, record, fields: dict, *,
                crew_id: uuid.UUID | None) -> None:
    """Change-feed row and audit entry ({field: [null, value]}) of a record just added (at version 1)."""
    record_change(session, principal.tenant_id, entity_type, record.id, 1, crew_id=crew_id)
    audit(session, principal, entity_type, record.id, "created",
          changes={name: [None, value] for name, value in jsonable(fields).items()})


def log_updated(session: Session, principal, entity_type: str, record, changes: dict, *, crew_id: uuid.UUID | None,
                action: str = "updated", evidence: list[str] | None = None, reason: str | None = None) -> None:
    """Bump the version, stamp each changed field with it, and append to the change feed and the audit log.

    `changes` is {field: [before, after]} of what really changed; nothing changed writes nothing.
    """
    if not changes:
        return
    bump_version(record, changes, principal.user_id)
    record_change(session, principal.tenant_id, entity_type, record.id, record.version, crew_id=crew_id)
    audit(session, principal, entity_type, record.id, action, changes=jsonable(changes), evidence=evidence,
          reason=reason)


class Journal:
    """Change-feed and audit rows of many records, written in one statement each (a push of 1,000 edits)."""

    def __init__(self) -> None:
        self.changes: list[dict] = []
        self.audits: list[dict] = []

    def record_change(self, *args, **kwargs) -> None:
        self.changes.append(change_row(*args, **kwargs))

    def audit(self, *args, **kwargs) -> None:
        self.audits.append(audit_row(*args, **kwargs))

    def write(self, session: Session) -> None:
        copy_rows(session, Change.__table__, self.changes)
        copy_rows(session, AuditEntry.__table__, self.audits)
