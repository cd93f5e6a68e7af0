"""Scale-out on PostgreSQL itself: a hot standby serving pulls, behind PgBouncer in transaction pooling mode.

Two app servers share one primary: `direct` talks to it alone; `scaled` reaches it and a streaming standby
through PgBouncer and reads pulls from the standby. Devices alternate between the two.
"""
import random
import threading
import time
import uuid

import pytest
import requests
from sqlalchemy.orm import Session

from server.services.changes import record_change
from sync.client import LocalStore, SyncClient
from sync.client.store import item_id
from tests.e2e.conftest import LiveServer, RemoteApi
from tests.factories import make_application, move

WRITERS, CHANGES_PER_WRITER = 4, 20
PULLERS = ("crew", "crew_tablet2", "engineer")
MAX_LAG_SECONDS = 3
STATE_SECONDS = 30
QUERY_WAIT_SECONDS = 2  # PgBouncer's query_wait_timeout in scripts/pgbouncer.sh


@pytest.fixture(scope="module")
def direct(migrated):
    with LiveServer(migrated) as server:
        yield server


@pytest.fixture(scope="module")
def scaled(pgbouncer):
    """One worker, so that what /readyz reports is what routes the pulls."""
    server = LiveServer(pgbouncer.primary_url, workers=1)
    server.env.update({"DATABASE_REPLICA_URLS": pgbouncer.standby_url, "TAPLINE_DB_TRANSACTION_POOLING": "true",
                       "TAPLINE_DB_REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
                       # only /readyz checks the standby here: a pull meets it stopped before the server knows
                       "TAPLINE_DB_REPLICA_CHECK_SECONDS": "600"})
    with server:
        yield server


def pull(server: LiveServer, token: str, cursor: str | None, *, limit: int = 7) -> requests.Response:
    return requests.get(f"{server.url}/api/v1/sync/pull", params={"limit": limit, **({"cursor": cursor} if cursor else {})},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)


def drain(server: LiveServer, token: str, cursor: str | None) -> tuple[list[str], str]:
    """Pull until nothing is left: the ids received and the cursor to go on from."""
    ids, has_more = [], True
    while has_more:
        page = pull(server, token, cursor, limit=500).json()
        ids += [item_id(c) for c in page["changes"]]
        cursor, has_more = page["cursor"], page["has_more"]
    return ids, cursor


def replica_state(server: LiveServer) -> str:
    (replica,) = requests.get(f"{server.url}/readyz", timeout=30).json()["checks"]["replicas"]
    return replica["state"]


def wait_for_state(server: LiveServer, state: str) -> None:
    deadline = time.monotonic() + STATE_SECONDS
    while (seen := replica_state(server)) != state:
        assert time.monotonic() < deadline, f"the replica stayed {seen}, never {state}"
        time.sleep(0.05)


class Writers:
    """Writers committing out of sequence order on the primary: each holds its transaction open a while."""

    def __init__(self, standby, tenant_id: uuid.UUID):
        self.ids = [[uuid.uuid4() for _ in range(CHANGES_PER_WRITER)] for _ in range(WRITERS)]
        self.threads = [threading.Thread(target=self._write, args=(standby.primary, tenant_id, chunk, random.Random(i)))
                        for i, chunk in enumerate(self.ids)]

    @staticmethod
    def _write(engine, tenant_id, ids, rng) -> None:
        for entity_id in ids:
            with Session(engine) as session:
                record_change(session, tenant_id, "constraint_feature", entity_id, 0, reference=True, op="delete")
                time.sleep(rng.uniform(0, 0.03))
                session.commit()

    def expected(self) -> list[str]:
        return sorted(str(i) for chunk in self.ids for i in chunk)


class Puller(threading.Thread):
    """A device pulling round-robin from `servers` until told to finish and nothing is left; its first pull (a
    snapshot, which holds no tombstones) is done before the writers start."""

    def __init__(self, servers: list[LiveServer], token: str, done: threading.Event):
        super().__init__()
        self.servers, self.token, self.done = servers, token, done
        self.received: list[str] = []
        self.failures: list[str] = []
        _, self.cursor = drain(servers[-1], token, None)

    def run(self) -> None:
        cursor, turn = self.cursor, 0
        while True:
            finished = self.done.is_set()
            response = pull(self.servers[turn % len(self.servers)], self.token, cursor)
            turn += 1
            if response.status_code != 200:
                self.failures.append(f"{response.status_code} {response.text[:200]}")
                continue
            page = response.json()
            self.received += [item_id(c) for c in page["changes"] if c["type"] == "constraint_feature"]
            cursor = page["cursor"]
            if finished and not page["has_more"]:
                return


def run_until_written(writers: Writers, pullers: list[Puller], standby, during) -> None:
    """Start everything, call `during()` while the writers write, then let the pullers drain."""
    for thread in pullers + writers.threads:
        thread.start()
    during()
    for thread in writers.threads:
        thread.join()
    standby.catch_up()
    pullers[0].done.set()
    for puller in pullers:
        puller.join(timeout=120)
    for puller in pullers:
        assert (puller.failures, sorted(puller.received)) == ([], writers.expected())


def test_pulls_alternating_between_primary_and_standby_get_every_change_once(direct, scaled, standby, world):
    """The standby falls behind and catches up while writers commit: alternating pulls see two horizons."""
    done = threading.Event()
    pullers = [Puller([direct, scaled], world.tokens[name], done) for name in PULLERS]
    writers = Writers(standby, world.id)

    def stall_the_standby_now_and_then():
        for _ in range(3):
            time.sleep(0.3)
            standby.pause_replay()
            time.sleep(0.3)
            standby.resume_replay()

    run_until_written(writers, pullers, standby, stall_the_standby_now_and_then)


def test_a_device_reads_its_own_push_at_once_however_far_the_standby_lags(scaled, standby, world, tmp_path):
    remote = RemoteApi(scaled, world)
    task_id = make_application(remote)["task_id"]
    assert move(remote, task_id, "assigned", as_="dispatcher", crew_id=str(world.crews["crew_a"].id)).status_code == 200
    assert move(remote, task_id, "on_site", as_="crew").status_code == 200
    standby.catch_up()
    tablet = SyncClient(scaled.url, world.tokens["crew"], LocalStore(tmp_path / "tablet.sqlite"))
    tablet.pull()
    survey = next(s for s in tablet.store.records("survey") if s["task_id"] == task_id)
    standby.pause_replay()
    try:
        tablet.edit("survey", survey["id"], {"notes": "阀门井在人行道下"})
        assert tablet.push() == {"applied": 1}
        behind = pull(scaled, world.tokens["crew"], tablet.store.get_meta("cursor")).json()
        assert survey["id"] not in [item_id(c) for c in behind["changes"]]  # the standby serves pulls, and lags
        tablet.pull()
    finally:
        standby.resume_replay()
    mine = next(s for s in tablet.store.records("survey") if s["id"] == survey["id"])
    assert (mine["notes"], mine["version"]) == ("阀门井在人行道下", survey["version"] + 1)


def test_a_stopped_standby_costs_no_failed_pull(scaled, standby, world):
    done = threading.Event()
    pullers = [Puller([scaled], world.tokens[name], done) for name in PULLERS]
    writers = Writers(standby, world.id)

    def stop_the_standby_a_while():
        wait_for_state(scaled, "in_rotation")
        time.sleep(0.3)
        standby.stop()
        try:
            time.sleep(QUERY_WAIT_SECONDS + 0.5)  # pulls PgBouncer queued for it fail over meanwhile
            wait_for_state(scaled, "unreachable")
        finally:
            standby.start()

    run_until_written(writers, pullers, standby, stop_the_standby_a_while)
    wait_for_state(scaled, "in_rotation")


def test_a_standby_lagging_past_the_bound_leaves_rotation_until_it_catches_up(scaled, standby, world):
    _, cursor = drain(scaled, world.tokens["crew"], None)
    standby.pause_replay()
    try:
        with Session(standby.primary) as session:
            record_change(session, world.id, "constraint_feature", entity_id := uuid.uuid4(), 0, reference=True,
                          op="delete")
            session.commit()
        wait_for_state(scaled, "lagging")
        assert str(entity_id) in drain(scaled, world.tokens["crew"], cursor)[0]  # the primary served it
    finally:
        standby.resume_replay()
    wait_for_state(scaled, "in_rotation")


def test_a_first_pull_taken_while_a_transaction_runs_gets_its_changes_later(scaled, standby, world):
    """A first pull is a snapshot, and the feed after it skips what the snapshot held. Taken on a standby, the
    snapshot would list no running transaction (PostgreSQL exports none there), so the feed would skip what
    one still running commits later: snapshots are read on the primary."""
    slow = Session(standby.primary)
    try:
        record_change(slow, world.id, "constraint_feature", early := uuid.uuid4(), 0, reference=True, op="delete")
        slow.flush()
        with Session(standby.primary) as fast:
            record_change(fast, world.id, "constraint_feature", uuid.uuid4(), 0, reference=True, op="delete")
            fast.commit()
        standby.catch_up()
        _, cursor = drain(scaled, world.tokens["crew"], None)
        slow.commit()
    finally:
        slow.close()
    standby.catch_up()
    assert str(early) in drain(scaled, world.tokens["crew"], cursor)[0]
