"""Receipts: the server's answer to each mutation, kept per device so a replay gets the same answer."""
import uuid
from collections.abc import Mapping
from functools import cache

import orjson
from sqlalchemy import ARRAY, Integer, Select, Text, Uuid, any_, bindparam, cast, func, literal, select
from sqlalchemy.orm import Session

from server.errors import NotFound
from server.models import Receipt
from server.services.records import json_value


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


def replayed(session: Session, principal, mutation_ids: list[uuid.UUID]) -> dict[uuid.UUID, orjson.Fragment]:
    """This device's stored receipts of these mutations as a replay answers them (`receipt_view(…, duplicate=True)`),
    each as the JSON text PostgreSQL writes: a replayed push of a thousand reads no row into Python."""
    rows = session.connection().execute(_replayed_statement(), {
        "tenant_id": principal.tenant_id, "device_id": principal.device_id, "mutation_ids": mutation_ids})
    return {row.mutation_id: orjson.Fragment(row.json) for row in rows}


@cache
def _replayed_statement() -> Select:
    """`receipt_view`'s fields, in its order, as `row_to_json` of a one-row subquery (built once per process)."""
    receipt = Receipt.__table__.c
    view = select(receipt.mutation_id, receipt.entity_type.label("type"), receipt.entity_id.label("id"),
                  literal("duplicate").label("result"), receipt.result.label("original_result"), receipt.version,
                  json_value(receipt.received_at).label("received_at"),
                  json_value(receipt.device_time).label("device_time"), receipt.skew_ms, receipt.errors,
                  receipt.conflict_ids, receipt.flags).where(
        receipt.tenant_id == bindparam("tenant_id"), receipt.device_id == bindparam("device_id"),
        receipt.mutation_id == any_(bindparam("mutation_ids", type_=ARRAY(Uuid)))).subquery("receipt")
    return select(view.c.mutation_id, cast(func.row_to_json(view.table_valued()), Text).label("json"))


def own_versions(session: Session, principal, records) -> dict[uuid.UUID, set[int]]:
    """Which of the versions that last changed these records' fields this device's own mutations made.

    Only the versions a record's `field_versions` still name are asked for, so the answer stays as small
    as the records however long the device has been editing them.
    """
    pairs = [(record.id, version) for record in records for version in set(record.field_versions.values())]
    if not pairs:
        return {}
    wanted = select(func.unnest(bindparam("ids", [i for i, _ in pairs], type_=ARRAY(Uuid))).label("id"),
                    func.unnest(bindparam("versions", [v for _, v in pairs], type_=ARRAY(Integer))).label("version")
                    ).subquery()
    rows = session.execute(select(Receipt.entity_id, Receipt.version).join(
        wanted, (Receipt.entity_id == wanted.c.id) & (Receipt.version == wanted.c.version)).where(
        Receipt.tenant_id == principal.tenant_id, Receipt.device_id == principal.device_id,
        Receipt.result != "rejected"))
    versions: dict[uuid.UUID, set[int]] = {}
    for entity_id, version in rows:
        versions.setdefault(entity_id, set()).add(version)
    return versions


def get_receipt(session: Session, principal, mutation_id: uuid.UUID) -> dict:
    """The receipt of one of this device's mutations; another device's mutation ids are not visible."""
    receipt = session.execute(select(Receipt.__table__).where(
        Receipt.tenant_id == principal.tenant_id, Receipt.device_id == principal.device_id,
        Receipt.mutation_id == mutation_id)).mappings().first()
    if receipt is None:
        raise NotFound("Receipt", mutation_id)
    return receipt_view(receipt)
