"""COPY stores exactly what the ORM's INSERT stores, so push can write its rows either way."""
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from server.models import AuditEntry, Change, Conflict
from server.services.bulk import copy_rows


def _conflict(tenant, server_value, device_value) -> dict:
    return {"tenant_id": tenant.id, "id": uuid.uuid4(), "version": 1, "field_versions": {},
            "entity_type": "survey", "entity_id": uuid.uuid4(), "task_id": None, "field": "notes",
            "base_version": 1, "server_version": 2, "server_value": server_value, "device_value": device_value,
            "details": {"kind": "text"}, "device_id": uuid.uuid4(), "mutation_id": uuid.uuid4(), "status": "open",
            "updated_by": None}


@pytest.mark.parametrize("server_value, device_value", [
    (None, "已改"), ({"type": "Point", "coordinates": [113.37, 31.69]}, [1, 2.5, "三"]), ("", 0)])
def test_copied_conflict_equals_inserted_one(db_session, tenant, server_value, device_value):
    copied, inserted = _conflict(tenant, server_value, device_value), _conflict(tenant, server_value, device_value)
    copy_rows(db_session, Conflict.__table__, [copied])
    db_session.execute(insert(Conflict), [inserted])
    table = Conflict.__table__
    rows = {row.id: row._asdict() for row in db_session.execute(select(table).where(
        table.c.id.in_([copied["id"], inserted["id"]])))}
    different = {"id", "entity_id", "device_id", "mutation_id", "updated_at"}
    assert ({k: v for k, v in rows[copied["id"]].items() if k not in different}
            == {k: v for k, v in rows[inserted["id"]].items() if k not in different})
    # JSON null, not SQL NULL, as SQLAlchemy stores None in a JSONB column
    assert db_session.scalar(select(table.c.server_value.is_(None)).where(table.c.id == copied["id"])) is False


def test_omitted_columns_take_their_server_defaults(db_session, tenant):
    entity = uuid.uuid4()
    copy_rows(db_session, Change.__table__, [
        {"tenant_id": tenant.id, "entity_type": "survey", "entity_id": entity, "op": "upsert", "version": v,
         "crew_id": None, "reference": False, "meta": None, "user_id": None} for v in (1, 2)])
    rows = db_session.execute(select(Change.seq, Change.xid, Change.version).where(
        Change.entity_id == entity).order_by(Change.seq)).all()
    assert [r.version for r in rows] == [1, 2] and rows[0].seq < rows[1].seq
    assert rows[0].xid == rows[1].xid is not None


def test_arrays_and_text_round_trip(db_session, tenant):
    entity = uuid.uuid4()
    at = datetime(2026, 11, 25, 2, 42, tzinfo=UTC)
    copy_rows(db_session, AuditEntry.__table__, [{
        "tenant_id": tenant.id, "entity_type": "survey", "entity_id": entity, "action": "synced", "actor_id": None,
        "device_id": None, "at": at, "device_time": None, "changes": {"notes": ["旧\t行\n", "新 \\N"]},
        "evidence": ["a" * 64, "b" * 64], "reason": "tab\tand \\N stay text"}])
    row = db_session.execute(select(AuditEntry).where(AuditEntry.entity_id == entity)).scalar_one()
    assert (row.at, row.changes, row.evidence, row.reason) == (
        at, {"notes": ["旧\t行\n", "新 \\N"]}, ["a" * 64, "b" * 64], "tab\tand \\N stay text")

