"""The xmin-horizon cursor on a hot standby (docs/sync-protocol.md, "Scale-out").

A standby builds its snapshots from the WAL it replays: a transaction the primary still runs is in the
standby's snapshot as running once its xid was seen, and an xid not seen yet but below one that was is
assumed running too. So the feed's horizon on a standby never passes a transaction the primary may still
commit, even one that has written nothing yet.

Only the snapshot's xmin means the same there: on a standby `pg_current_snapshot()` lists no running xids
(PostgreSQL keeps them in the part of a recovery snapshot it does not export), so `pg_visible_in_snapshot`
calls every xid below xmax ended. The feed compares with xmin alone.
"""
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.services.changes import record_change

SNAPSHOT = text("select pg_snapshot_xmin(snapshot)::text::bigint, array(select pg_snapshot_xip(snapshot)) "
                "from pg_current_snapshot() as snapshot")
BELOW_HORIZON = text("""select entity_id from changes
                        where tenant_id = :tenant and xid < pg_snapshot_xmin(pg_current_snapshot())
                        order by xid, seq""")


@pytest.fixture
def tenant_id(standby):
    tenant_id = uuid.uuid4()
    yield tenant_id
    with standby.primary.begin() as connection:
        connection.execute(text("delete from changes where tenant_id = :tenant"), {"tenant": tenant_id})


def _write(session: Session, tenant_id: uuid.UUID) -> uuid.UUID:
    entity_id = uuid.uuid4()
    record_change(session, tenant_id, "constraint_feature", entity_id, 0, reference=True, op="delete")
    return entity_id


def _xid(session: Session) -> int:
    return session.execute(text("select pg_current_xact_id()::text::bigint")).scalar_one()


def _on_standby(standby, statement, **params):
    with standby.engine.connect() as connection:
        return connection.execute(statement, params).all()


@pytest.mark.parametrize("wrote_before", [True, False], ids=["wrote", "xid-only"])
def test_the_standby_horizon_stays_below_a_transaction_the_primary_still_runs(standby, tenant_id, wrote_before):
    slow = Session(standby.primary)
    try:
        early = _write(slow, tenant_id) if wrote_before else None
        slow_xid = _xid(slow)  # without a write, its xid is in no WAL record yet
        with Session(standby.primary) as fast:
            late = _write(fast, tenant_id)
            fast.commit()
        standby.catch_up()
        ((xmin, running),) = _on_standby(standby, SNAPSHOT)
        assert (xmin <= slow_xid, running) == (True, [])
        assert _on_standby(standby, BELOW_HORIZON, tenant=tenant_id) == []
        early = early or _write(slow, tenant_id)
        slow.commit()
    finally:
        slow.close()
    standby.catch_up()
    assert [row.entity_id for row in _on_standby(standby, BELOW_HORIZON, tenant=tenant_id)] == [early, late]
