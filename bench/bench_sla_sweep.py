"""The SLA alert sweep over 100,000 open clocks: `DATABASE_URL=… python bench/bench_sla_sweep.py`.

Migrates DATABASE_URL, then in one transaction that is rolled back at the end (nothing stays behind):
creates a tenant with an admin and a dispatcher (both with email addresses), inserts --clocks open clocks
with set-based SQL (five steps per application, started up to ten days ago, due one hour to five days after
their start, so that every level occurs), and times a bare `select count(*)` over the open clocks, the sweep
(target < 2 s), the sweep again (idempotent: 0 new alerts), and the floor: a bare `INSERT … SELECT` of the
alerts the first sweep wrote into an empty copy of `sla_alerts`, indexes included. The sweep covers every
tenant, as the worker runs it, on the app's connections, with email and a webhook configured, so its new
alerts also write their notification rows (docs/notifications.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from server import create_app, migrate  # noqa: E402
from server.config import Config  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Tenant, User  # noqa: E402
from server.services import alerts, sla  # noqa: E402
from server.services.notifications.outbox import Targets  # noqa: E402

TARGET_S = 2.0
WARNING_SHARE = 0.75
GRACE = timedelta(hours=24)
TARGETS = Targets(email=True, webhook_url="https://hooks.example/tapline")

# Pseudo-random but repeatable spreads from the row number: start 0–10 days before now, 1 h – 5 days to run.
CLOCKS = text("""
insert into sla_clocks (tenant_id, id, application_id, step, anchor, duration, started_at, due_at, calendar)
select cast(:tenant as uuid), gen_random_uuid(), md5(:tenant || ':' || (i / 5))::uuid, 'water.step_' || (i % 5),
       'applied_at', '1 working_days', started, started + ((60 + (i * 104729) % 7140) * interval '1 minute'),
       'official'
from generate_series(0::bigint, :n - 1) as i,
     lateral (select cast(:now as timestamptz) - ((i * 7919) % 14400) * interval '1 minute' as started) as s
""")
COUNT_OPEN = text("select count(*) from sla_clocks where done_at is null")
# The floor: the alerts the first sweep wrote, copied with a bare INSERT … SELECT into an empty table just like
# sla_alerts (its indexes included), with nothing else (no check for alerts already raised, no cancelled
# applications, no recipients, no notifications).
FLOOR_TABLE = text("create table floor_alerts (like sla_alerts including all)")
FLOOR = text("insert into floor_alerts select * from sla_alerts where tenant_id = :tenant")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the bare count (the median is reported)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("set DATABASE_URL to a PostGIS database", file=sys.stderr)
        return 2
    migrate.upgrade(url)
    create_app(Config(DATABASE_URL=url, LOG_REQUESTS=False))  # the worker's engine: its connection settings
    now = datetime.now(UTC)
    with Session(db.engine) as session:
        try:
            result = measure(session, args.clocks, args.repeat, now)
        finally:
            session.rollback()
    db.engine.dispose()

    first, second = result["first"], result["second"]
    ok = first["seconds"] < TARGET_S and sum(second["new"].values()) == 0
    print(f"{result['open']:,} open clocks ({args.clocks:,} inserted in {result['insert_s']:.2f} s)")
    print(f"bare count(*):     {result['count_s'] * 1000:8.1f} ms  (median of {args.repeat})")
    print(f"floor:             {result['floor_s'] * 1000:8.1f} ms  (bare INSERT … SELECT of "
          f"{result['floor_rows']:,} alerts)")
    for name, run in (("first sweep", first), ("second sweep", second)):
        new = ", ".join(f"{level} {count:,}" for level, count in run["new"].items())
        print(f"{name + ':':18} {run['seconds'] * 1000:8.1f} ms  {run['seconds'] / result['floor_s']:5.2f} × floor"
              f"  new alerts: {new}")
    print(f"catch-up of survey submissions: {result['catch_up_s'] * 1000:.1f} ms")
    print(f"target: one pass < {TARGET_S:.0f} s and the second pass adds nothing: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def measure(session: Session, n: int, repeat: int, now: datetime) -> dict:
    tenant_id = uuid.uuid4()
    session.add(Tenant(id=tenant_id, slug=f"bench-sla-{tenant_id.hex[:8]}", name="SLA bench", profile_id="suizhou"))
    session.flush()
    for role in ("admin", "dispatcher"):
        session.add(User(tenant_id=tenant_id, id=uuid.uuid4(), username=f"bench-{role}", display_name="bench",
                         role=role, email=f"{role}@bench.example"))
    session.flush()
    started = time.perf_counter()
    session.execute(CLOCKS, {"tenant": str(tenant_id), "n": n, "now": now})
    insert_s = time.perf_counter() - started
    session.execute(text("analyze sla_clocks"))

    counts = []
    for _ in range(repeat):
        started = time.perf_counter()
        open_clocks = session.scalar(COUNT_OPEN)
        counts.append(time.perf_counter() - started)

    started = time.perf_counter()
    sla.catch_up(session)
    catch_up_s = time.perf_counter() - started
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        new = alerts.sweep(session, at=now, warning_share=WARNING_SHARE, escalation_grace=GRACE, targets=TARGETS)
        runs.append({"seconds": time.perf_counter() - started, "new": new})
    session.execute(FLOOR_TABLE)
    started = time.perf_counter()
    floor_rows = session.execute(FLOOR, {"tenant": tenant_id}).rowcount
    floor_s = time.perf_counter() - started
    return {"open": open_clocks, "insert_s": insert_s, "count_s": statistics.median(counts), "floor_s": floor_s,
            "floor_rows": floor_rows, "catch_up_s": catch_up_s, "first": runs[0], "second": runs[1]}


if __name__ == "__main__":
    sys.exit(main())
