"""Receipts: the server's answer to each mutation, kept per device so a replay gets the same answer."""
import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.errors import NotFound
from server.models import Receipt


def receipt_view(receipt: Mapping, *, duplicate: bool = False) -> dict:
    """A receipt row (stored or about to be) as the device reads it."""
    return {
        "mutation_id": receipt["mutation_id"], "type": receipt["entity_type"], "id": receipt["entity_id"],
        "result": "duplicate" if duplicate else receipt["result"],
        "original_result": receipt["result"] if duplicate else None,
        "version": receipt["version"], "received_at": receipt["received_at"], "device_time": receipt["device_time"],
        "skew_ms": receipt["skew_ms"], "errors": receipt["errors"], "conflict_ids": receipt["conflict_ids"],
        "flags": receipt["flags"],
    }


def stored_receipts(session: Session, principal, mutation_ids: list[uuid.UUID]) -> dict[uuid.UUID, Mapping]:
    """This device's stored receipts of these mutations, as rows (a replay reads a thousand at once)."""
    rows = session.execute(select(Receipt.__table__).where(Receipt.tenant_id == principal.tenant_id,
                                                           Receipt.device_id == principal.device_id,
                                                           Receipt.mutation_id.in_(mutation_ids))).mappings()
    return {row["mutation_id"]: row for row in rows}


def own_versions(session: Session, principal, entity_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[int]]:
    """The versions of these records that this device's own accepted mutations made."""
    versions: dict[uuid.UUID, set[int]] = {}
    rows = session.execute(select(Receipt.entity_id, Receipt.version).where(
        Receipt.tenant_id == principal.tenant_id, Receipt.device_id == principal.device_id,
        Receipt.entity_id.in_(entity_ids), Receipt.version.is_not(None), Receipt.result != "rejected"))
    for entity_id, version in rows:
        versions.setdefault(entity_id, set()).add(version)
    return versions


def get_receipt(session: Session, principal, mutation_id: uuid.UUID) -> dict:
    """The receipt of one of this device's mutations; another device's mutation ids are not visible."""
    receipt = stored_receipts(session, principal, [mutation_id]).get(mutation_id)
    if receipt is None:
        raise NotFound("Receipt", mutation_id)
    return receipt_view(receipt)
