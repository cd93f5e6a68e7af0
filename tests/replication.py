"""A hot standby of the test database and PgBouncer in front of both, built once per session when a test
asks for them (scripts/pg.sh replica, scripts/pgbouncer.sh), and what tests do to a standby."""
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from server.db import normalise_url

PROJECT = Path(__file__).resolve().parents[1]
CATCH_UP_SECONDS = 30


def _script(*args: str) -> str:
    done = subprocess.run([str(PROJECT / "scripts" / args[0]), *args[1:]], capture_output=True, text=True,
                          env={**os.environ, "TAPLINE_PG_FSYNC": "off"}, cwd=PROJECT)
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


@dataclass
class Standby:
    """A streaming hot standby of the test primary."""

    cluster: str
    primary_cluster: str
    database: str
    url: str
    engine: Engine
    primary: Engine

    def stop(self) -> None:
        _script("pg.sh", "stop", self.cluster)

    def start(self) -> None:
        _script("pg.sh", "replica", self.cluster, self.primary_cluster, self.database)

    def pause_replay(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("select pg_wal_replay_pause()"))

    def resume_replay(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("select pg_wal_replay_resume()"))

    def catch_up(self) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        with self.primary.connect() as connection:
            target = connection.execute(text("select pg_current_wal_insert_lsn()")).scalar_one()
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while True:
            with self.engine.connect() as connection:
                if connection.execute(text("select pg_last_wal_replay_lsn() >= cast(:target as pg_lsn)"),
                                      {"target": target}).scalar_one():
                    return
            if time.monotonic() > deadline:
                pytest.fail(f"the standby did not replay up to {target} within {CATCH_UP_SECONDS} s")
            time.sleep(0.02)


@pytest.fixture(scope="session")
def standby(migrated) -> Standby:
    """A hot standby streaming from the test primary (a base backup of it, as the postgres user)."""
    primary_cluster = os.environ.get("TEST_PG_CLUSTER")
    if not primary_cluster:
        pytest.fail("TEST_PG_CLUSTER is not set: run the suite with scripts/test.sh, which makes the cluster")
    database = make_url(migrated).database
    cluster = f"{primary_cluster}-standby"
    url = _script("pg.sh", "replica", cluster, primary_cluster, database).strip()
    # pre-ping: the tests stop and start the standby under its pooled connections
    primary, engine = create_engine(normalise_url(migrated)), create_engine(url, pool_pre_ping=True)
    standby = Standby(cluster, primary_cluster, database, url, engine, primary)
    yield standby
    engine.dispose()
    primary.dispose()
    _script("pg.sh", "destroy", cluster)


@dataclass
class PgBouncer:
    primary_url: str
    standby_url: str


@pytest.fixture(scope="session")
def pgbouncer(standby) -> PgBouncer:
    """PgBouncer (Debian's) in transaction pooling mode, pooling the primary and the standby."""
    directory = f"{standby.primary_cluster}-pgbouncer"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    primary_url, standby_url = _script("pgbouncer.sh", "start", directory, str(port), standby.database,
                                       standby.primary_cluster, standby.cluster).split()
    yield PgBouncer(primary_url, standby_url)
    _script("pgbouncer.sh", "destroy", directory)
