"""500 simulated tablets pulling and pushing against a real gunicorn for 60 s: 0 errors, nothing lost or doubled;
the p95 of push and pull as the tablets saw them.

`DATABASE_URL=… python -m bench.bench_tablets [--tablets 500] [--seconds 60]`. Each tablet is the reference
client (its own SQLite store and outbox) of a crew member; crews of 10 share their tasks, so every tablet
pulls its crewmates' edits while pushing its own. At the end every edit must be on the server exactly
once and in every crewmate's store.
"""
import argparse
import random
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bench.harness import bulk_tasks, fresh_app, report, seed_world
from server.extensions import db
from server.models import Change, Survey
from sync.client import LocalStore, SyncClient
from tests.e2e.conftest import LiveServer
from tests.factories import TenantFactory

CREW_SIZE = 10


def seed(world, tablets: int) -> list[tuple[str, uuid.UUID]]:
    """One crew member per tablet, crews of 10, one task per tablet; returns (token, own survey)."""
    out = []
    with Session(db.engine, expire_on_commit=False) as session:
        factory = TenantFactory(session)
        for crew_no in range(tablets // CREW_SIZE):
            members = [f"t{crew_no}_{i}" for i in range(CREW_SIZE)]
            for name in members:
                factory.add_user(world, name, "crew")
            crew = factory.add_crew(world, f"bench crew {crew_no}", members)
            session.commit()
            tasks = bulk_tasks(db.engine, world, CREW_SIZE, crew_id=crew.id)
            session.execute(insert(Change), [{"tenant_id": world.id, "entity_type": "survey_task",
                                              "entity_id": task, "op": "enter", "version": 1, "crew_id": crew.id,
                                              "reference": False} for task, _ in tasks])
            session.commit()
            out += [(world.tokens[name], survey) for name, (_, (survey,)) in zip(members, tasks, strict=True)]
    return out


def tablet(client: SyncClient, survey: uuid.UUID, deadline: float, log: dict, rng: random.Random) -> None:
    edits = 0
    try:
        client.pull()
        while time.monotonic() < deadline:
            edits += 1
            client.edit("survey", str(survey), {"notes": f"{survey} edit {edits}"})
            timed(log["push"], client.push)
            timed(log["pull"], client.pull)
            time.sleep(rng.uniform(0.1, 0.5))  # a crew member's pace, not a tight loop
        log["edits"][survey] = edits
    except Exception as error:  # every failure counts against the target
        log["errors"].append(repr(error))


def timed(seconds: list[float], call) -> None:
    started = time.perf_counter()
    call()
    seconds.append(time.perf_counter() - started)


def p95_ms(seconds: list[float]) -> str:
    return f"{statistics.quantiles(seconds, n=20)[-1] * 1000:.0f} ms" if len(seconds) > 1 else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tablets", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    app = fresh_app()
    world = seed_world(db.engine, slug="tablets")
    devices = seed(world, args.tablets)
    server = LiveServer(app.config["DATABASE_URL"])
    server.env["TAPLINE_AUTH_FAILURES_PER_MINUTE"] = "1000"
    server.start()
    log = {"edits": {}, "errors": [], "push": [], "pull": []}
    try:
        with tempfile.TemporaryDirectory() as folder:
            clients = [SyncClient(server.url, token, LocalStore(Path(folder) / f"{i}.sqlite"), timeout=60)
                       for i, (token, _) in enumerate(devices)]
            deadline = time.monotonic() + args.seconds
            threads = [threading.Thread(target=tablet, args=(c, s, deadline, log, random.Random(i)))
                       for i, (c, (_, s)) in enumerate(zip(clients, devices, strict=True))]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            for client in clients:
                client.pull()
            stale = sum(1 for client in clients for s in client.store.records("survey")
                        if not s["notes"].endswith(f"edit {log['edits'].get(uuid.UUID(s['id']), 0)}"))
    finally:
        server.kill()
    with Session(db.engine) as session:
        versions = dict(session.execute(select(Survey.id, Survey.version)).all())
        feed = dict(session.execute(select(Change.entity_id, func.count()).where(Change.entity_type == "survey")
                                    .group_by(Change.entity_id)).all())
    lost = sum(1 for s, n in log["edits"].items() if versions[s] != 1 + n)
    doubled = sum(1 for s, n in log["edits"].items() if feed.get(s, 0) != n)
    total = sum(log["edits"].values())
    report([
        (f"{len(devices)} tablets for {args.seconds:.0f} s (pull, edit, push, pull)",
         f"{total} edits, {total / elapsed:.0f} edits/s", ""),
        ("errors", str(len(log["errors"])), "target 0"),
        ("push p95 / pull p95, as the tablets saw them", f"{p95_ms(log['push'])} / {p95_ms(log['pull'])}", ""),
        ("edits lost (server version != 1 + edits)", str(lost), "target 0"),
        ("edits doubled (feed rows != edits)", str(doubled), "target 0"),
        ("crewmates' stores not converged after a final pull", str(stale), "target 0"),
    ])
    for error in log["errors"][:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
