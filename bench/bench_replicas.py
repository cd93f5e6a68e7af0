"""Pull throughput with 0, 1 and 2 streaming standbys serving pulls, against a real gunicorn.

`make bench` runs it; alone: `DATABASE_URL=… BENCH_PG_CLUSTER=DIR python -m bench.bench_replicas`, where DIR
is the private cluster scripts/pg.sh made for DATABASE_URL (the standbys are base backups of it, made and
removed here). Devices of one crew took their first pull (a snapshot, always read on the primary); then
every task and survey of the crew changed. Each device pulls those changes from its cursor, again and
again, for a fixed time; every configuration serves the same pulls. All databases share this machine's
cores, so the numbers show what routing costs and how the load spreads, not the capacity that standbys on
their own hosts add.
"""
import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.harness import bulk_tasks, fresh_app, report, seed_world
from server.extensions import db
from server.models import Change
from tests.e2e.conftest import LiveServer
from tests.factories import TenantFactory

PROJECT = Path(__file__).resolve().parents[1]
DEVICES = 8
TASKS = 200


def script(*args: str) -> str:
    return subprocess.run([str(PROJECT / "scripts" / args[0]), *args[1:]], check=True, capture_output=True,
                          text=True, cwd=PROJECT).stdout.strip()


def seed(world) -> tuple[list[str], uuid.UUID, list]:
    """A crew of DEVICES members sharing TASKS tasks; their tokens, the crew and [(task, [survey])]."""
    with Session(db.engine, expire_on_commit=False) as session:
        factory = TenantFactory(session)
        members = [f"puller{i}" for i in range(DEVICES)]
        for name in members:
            factory.add_user(world, name, "crew")
        crew = factory.add_crew(world, "pullers", members)
        session.commit()
    return [world.tokens[name] for name in members], crew.id, bulk_tasks(db.engine, world, TASKS, crew_id=crew.id)


def change_everything(world, crew_id: uuid.UUID, tasks: list) -> None:
    """A feed row for every task and survey at its current version, as if each had just been edited."""
    rows = [{"tenant_id": world.id, "entity_type": entity_type, "entity_id": entity_id, "op": "upsert",
             "version": 1, "crew_id": crew_id, "reference": False}
            for task, surveys in tasks for entity_type, entity_id in [("survey_task", task)] +
            [("survey", survey) for survey in surveys]]
    with Session(db.engine) as session:
        session.execute(insert(Change), rows)
        session.commit()


def caught_up(primary_url: str, standby_urls: list[str]) -> None:
    with create_engine(primary_url).connect() as connection:
        target = connection.execute(text("select pg_current_wal_insert_lsn()")).scalar_one()
    for url in standby_urls:
        with create_engine(url).connect() as connection:
            while not connection.execute(text("select pg_last_wal_replay_lsn() >= cast(:t as pg_lsn)"),
                                         {"t": target}).scalar_one():
                time.sleep(0.05)


def transactions(url: str) -> int:
    """Transactions the database has committed so far (pg_stat_database, flushed within a second)."""
    with create_engine(url).connect() as connection:
        return connection.execute(text("select xact_commit from pg_stat_database where datname = current_database()"
                                       )).scalar_one()


def drain(server: LiveServer, token: str, cursor: str | None) -> str:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    has_more = True
    while has_more:
        page = http.get(f"{server.url}/api/v1/sync/pull", timeout=60,
                        params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
        cursor, has_more = page["cursor"], page["has_more"]
    return cursor


def pull_for(server: LiveServer, devices: list[tuple[str, str]], seconds: float) -> tuple[int, int]:
    """Each device pulls the changes after its cursor in a loop; returns (whole pulls done, failed requests)."""
    counts, failures = [0] * len(devices), [0] * len(devices)
    deadline = time.monotonic() + seconds

    def device(i: int) -> None:
        token, start = devices[i]
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        while time.monotonic() < deadline:
            cursor, has_more = start, True
            while has_more:
                response = http.get(f"{server.url}/api/v1/sync/pull", timeout=60,
                                    params={"limit": 500, **({"cursor": cursor} if cursor else {})})
                if response.status_code != 200:
                    failures[i] += 1
                    break
                page = response.json()
                cursor, has_more = page["cursor"], page["has_more"]
            else:
                counts[i] += 1

    threads = [threading.Thread(target=device, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), sum(failures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    cluster = os.environ.get("BENCH_PG_CLUSTER")
    if not cluster:
        sys.exit("BENCH_PG_CLUSTER is not set: run `make bench`, which makes the cluster the standbys copy")
    app = fresh_app()
    primary_url = app.config["DATABASE_URL"]
    world = seed_world(db.engine, slug="replicas")
    tokens, crew_id, tasks = seed(world)
    server = LiveServer(primary_url)
    server.start()
    try:
        devices = [(token, drain(server, token, None)) for token in tokens]
    finally:
        server.kill()
    change_everything(world, crew_id, tasks)
    database = make_url(primary_url).database
    standbys = [f"{cluster}-standby{n}" for n in (1, 2)]
    try:
        standby_urls = [script("pg.sh", "replica", standby, cluster, database) for standby in standbys]
        caught_up(primary_url, standby_urls)
        rows, baseline = [], None
        for count in (0, 1, 2):
            server = LiveServer(primary_url)
            server.env.update({"DATABASE_REPLICA_URLS": ",".join(standby_urls[:count]),
                               "TAPLINE_AUTH_FAILURES_PER_MINUTE": "100000"})
            server.start()
            before = [transactions(url) for url in standby_urls]
            try:
                pulls, failed = pull_for(server, devices, args.seconds)
            finally:
                server.kill()
            time.sleep(1.5)  # let the standbys' statistics flush
            on_standbys = sum(transactions(url) - b for url, b in zip(standby_urls, before, strict=True))
            rate = pulls / args.seconds
            baseline = baseline or rate
            rows.append((f"{count} standby(s): pulls of {TASKS * 2} changed records per second, {DEVICES} devices",
                         f"{rate:.1f}/s ({rate / baseline:.2f} x 0 standbys)",
                         f"{failed} failed requests; ~{on_standbys} transactions on standbys"))
        report(rows)
    finally:
        for standby in standbys:
            script("pg.sh", "destroy", standby)


if __name__ == "__main__":
    main()
