"""No lost change under concurrency: writers commit out of sequence order while devices pull.

Runs against PostGIS with real commits (not the rolled-back session of the API tests): writers hold
their transactions open for random times, so a change with a lower sequence number often commits after
one with a higher number — exactly the gap a naive `seq > cursor` feed falls into.
"""
import random
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import Change, Tenant
from server.services.changes import record_change
from server.services.sync import feed

WRITERS, CHANGES_PER_WRITER, PULLERS = 6, 25, 3


@dataclass(frozen=True)
class Device:
    tenant_id: uuid.UUID
    user_id: uuid.UUID


@pytest.fixture
def committed_tenant(app):
    tenant_id = uuid.uuid4()
    with Session(db.engine) as session:
        session.add(Tenant(id=tenant_id, slug=f"feed-{tenant_id.hex[:8]}", name="feed test", profile_id="suizhou"))
        session.commit()
    yield tenant_id
    with Session(db.engine) as session:
        session.execute(delete(Change).where(Change.tenant_id == tenant_id))
        session.execute(delete(Tenant).where(Tenant.id == tenant_id))
        session.commit()


def _write(tenant_id: uuid.UUID, ids: list[uuid.UUID], rng: random.Random) -> None:
    for entity_id in ids:
        with Session(db.engine) as session:
            # reference deletes need no record behind them, so the feed emits every one as a tombstone
            record_change(session, tenant_id, "constraint_feature", entity_id, 0, reference=True, op="delete")
            time.sleep(rng.uniform(0, 0.02))
            session.commit()


def _pull_until(device: Device, done: threading.Event, received: list) -> None:
    cursor = None
    while True:
        finished = done.is_set()
        with Session(db.engine) as session:
            page = feed.pull(session, device, cursor, limit=7)
        received.extend(c["id"] for c in page["changes"] if c["type"] == "constraint_feature")
        cursor = page["cursor"]
        if finished and not page["has_more"]:
            return
        time.sleep(0.001)


def test_every_committed_change_reaches_every_puller_once(committed_tenant, app):
    with app.app_context():
        ids = [[uuid.uuid4() for _ in range(CHANGES_PER_WRITER)] for _ in range(WRITERS)]
        done = threading.Event()
        received = [[] for _ in range(PULLERS)]
        device = Device(committed_tenant, uuid.uuid4())
        pullers = [threading.Thread(target=_pull_until, args=(device, done, r)) for r in received]
        writers = [threading.Thread(target=_write, args=(committed_tenant, chunk, random.Random(i)))
                   for i, chunk in enumerate(ids)]
        for thread in pullers + writers:
            thread.start()
        for thread in writers:
            thread.join()
        done.set()
        for thread in pullers:
            thread.join(timeout=60)
        expected = sorted(str(i) for chunk in ids for i in chunk)
        for got in received:
            assert sorted(got) == expected


def test_the_feed_waits_for_an_open_transaction_instead_of_skipping_it(committed_tenant, app):
    device = Device(committed_tenant, uuid.uuid4())
    with app.app_context():
        slow = Session(db.engine)
        early = uuid.uuid4()
        record_change(slow, committed_tenant, "constraint_feature", early, 0, reference=True, op="delete")
        slow.flush()  # holds a sequence number and an xid, not committed yet
        late = uuid.uuid4()
        with Session(db.engine) as fast:
            record_change(fast, committed_tenant, "constraint_feature", late, 0, reference=True, op="delete")
            fast.commit()
        with Session(db.engine) as session:
            first = feed.pull(session, device, None, limit=100)
        assert str(late) not in [c["id"] for c in first["changes"]]
        slow.commit()
        slow.close()
        with Session(db.engine) as session:
            second = feed.pull(session, device, first["cursor"], limit=100)
        assert [c["id"] for c in second["changes"] if c["type"] == "constraint_feature"] == [str(early), str(late)]
