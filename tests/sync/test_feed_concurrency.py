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

import orjson
import pytest
from shapely import LineString
from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.extensions import db
from server.geometry import to_db
from server.json_codec import dumps_bytes
from server.models import Change, ConstraintFeature, Tenant
from server.services.changes import record_change
from server.services.sync import feed
from sync.client.store import item_id

WRITERS, CHANGES_PER_WRITER, PULLERS = 6, 25, 3


@dataclass(frozen=True)
class Device:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    crew_ids: tuple = ()  # reference data only


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


def _pull(device: Device, cursor: str | None, limit: int) -> dict:
    """A page as the device reads it: written by the app's JSON encoder, read back."""
    with Session(db.engine) as session:
        return orjson.loads(dumps_bytes(feed.pull(session, device, cursor, limit=limit)))


def _pull_until(device: Device, cursor: str, done: threading.Event, received: list) -> None:
    while True:
        finished = done.is_set()
        page = _pull(device, cursor, 7)
        received.extend(item_id(c) for c in page["changes"] if c["type"] == "constraint_feature")
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
        _, cursor = _drain(device, None)  # the first pull, a snapshot, before any change is written
        pullers = [threading.Thread(target=_pull_until, args=(device, cursor, done, r)) for r in received]
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


def _drain(device: Device, cursor: str | None) -> tuple[list[dict], str]:
    """Pull pages until has_more is false."""
    changes = []
    while True:
        page = _pull(device, cursor, 100)
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


def test_the_feed_waits_for_an_open_transaction_instead_of_skipping_it(committed_tenant, app):
    device = Device(committed_tenant, uuid.uuid4())
    with app.app_context():
        _, cursor = _drain(device, None)  # the device's first pull: a snapshot of nothing yet
        slow = Session(db.engine)
        early = uuid.uuid4()
        record_change(slow, committed_tenant, "constraint_feature", early, 0, reference=True, op="delete")
        slow.flush()  # holds a sequence number and an xid, not committed yet
        late = uuid.uuid4()
        with Session(db.engine) as fast:
            record_change(fast, committed_tenant, "constraint_feature", late, 0, reference=True, op="delete")
            fast.commit()
        first, cursor = _drain(device, cursor)
        assert str(late) not in [item_id(c) for c in first]
        slow.commit()
        slow.close()
        second, _ = _drain(device, cursor)
        assert [item_id(c) for c in second if c["type"] == "constraint_feature"] == [str(early), str(late)]


def _add_feature(session: Session, tenant_id: uuid.UUID) -> uuid.UUID:
    feature = ConstraintFeature(tenant_id=tenant_id, id=uuid.uuid4(), layer="river", name="㵐水",
                                geom=to_db(LineString([(113.36, 31.68), (113.38, 31.70)])))
    session.add(feature)
    record_change(session, tenant_id, "constraint_feature", feature.id, 1, reference=True)
    session.flush()
    return feature.id


def test_a_first_pull_is_a_snapshot_and_a_writer_running_meanwhile_is_not_lost(committed_tenant, app):
    device = Device(committed_tenant, uuid.uuid4())
    with app.app_context():
        with Session(db.engine) as before:
            edited = _add_feature(before, committed_tenant)
            for version in (2, 3):  # edited twice: one record, one version in a snapshot
                record_change(before, committed_tenant, "constraint_feature", edited, version, reference=True)
            before.commit()
        slow = Session(db.engine)
        running = _add_feature(slow, committed_tenant)  # not committed while the device takes its snapshot
        snapshot, cursor = _drain(device, None)
        features = [item_id(c) for c in snapshot if c["type"] == "constraint_feature"]
        assert features == [str(edited)]
        slow.commit()
        slow.close()
        after, _ = _drain(device, cursor)
        assert [item_id(c) for c in after if c["type"] == "constraint_feature"] == [str(running)]
    with Session(db.engine) as session:
        session.execute(delete(ConstraintFeature).where(ConstraintFeature.tenant_id == committed_tenant))
        session.commit()


def test_a_first_pull_taken_while_a_transaction_runs_gets_its_changes_once_it_commits(committed_tenant, app):
    device = Device(committed_tenant, uuid.uuid4())
    with app.app_context():
        slow = Session(db.engine)
        early = uuid.uuid4()
        record_change(slow, committed_tenant, "constraint_feature", early, 0, reference=True, op="delete")
        slow.flush()  # running while the snapshot is taken: not in it, so the feed must bring it
        with Session(db.engine) as fast:
            record_change(fast, committed_tenant, "constraint_feature", uuid.uuid4(), 0, reference=True, op="delete")
            fast.commit()
        _, cursor = _drain(device, None)
        slow.commit()
        slow.close()
        after, _ = _drain(device, cursor)
        assert [item_id(c) for c in after if c["type"] == "constraint_feature"] == [str(early)]
