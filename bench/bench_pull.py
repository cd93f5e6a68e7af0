"""Pull against raw SQL, same run: 1,000 changed records by a second device, and a fresh device's first pull.

`DATABASE_URL=… python -m bench.bench_pull` (or `make bench`). Targets (DESIGN "Performance targets"):
pull of 1,000 changed records ≤ 5 × the raw `SELECT … ST_AsGeoJSON` of the same rows; a first pull of N
records each edited k times returns N records, bytes ≤ 1.1 × their JSON, time independent of k.
"""
import json
import statistics
import time

from sqlalchemy import text

from bench.harness import bulk_tasks, fresh_app, report, seed_world
from server.extensions import db
from server.models import Change
from server.services.changes import change_row

CHANGED = 1_000
FRESH, EDITS = 3_000, 10
ROUNDS = 7
RAW = text("select id, task_id, utility, version, notes, meter_dn, segments, updated_at, "
           "ST_AsGeoJSON(route, 9) as route, ST_AsGeoJSON(red_line, 9) as red_line from surveys "
           "where tenant_id = :tenant and id = any(:ids)")


def pull_all(client, headers, cursor=None, limit=2000) -> tuple[list[dict], int, str, float]:
    """Every page after `cursor`: the items, the bytes, the last cursor and the seconds the server took.

    The seconds are the requests' alone: reading the pages is the device's work, not the server's.
    """
    changes, size, seconds = [], 0, 0.0
    while True:
        started = time.perf_counter()
        response = client.get("/api/v1/sync/pull", query_string={"limit": limit, **({"cursor": cursor} if cursor
                                                                                    else {})}, headers=headers)
        seconds += time.perf_counter() - started
        size += len(response.data)
        page = json.loads(response.data)
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, size, cursor, seconds


def touch(world, surveys, times: int) -> None:
    """`times` new versions of each survey, each with its change row (what a push or a PUT leaves)."""
    with db.engine.begin() as connection:
        for _ in range(times):
            connection.execute(text("update surveys set version = version + 1, notes = 'v' || version "
                                    "where tenant_id = :tenant and id = any(:ids)"),
                               {"tenant": world.id, "ids": surveys})
            versions = dict(connection.execute(text("select id, version from surveys where id = any(:ids)"),
                                               {"ids": surveys}).all())
            connection.execute(Change.__table__.insert(), [
                change_row(world.id, "survey", s, versions[s], crew_id=world.crews["crew_a"].id) for s in surveys])


def main() -> None:
    app = fresh_app()
    world = seed_world(db.engine)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['crew']}"}
    crew = world.crews["crew_a"].id
    changed = [s for _, (s,) in bulk_tasks(db.engine, world, CHANGED, crew_id=crew)]
    _, _, cursor, _ = pull_all(client, headers)
    pull_seconds, raw_seconds = [], []
    for _ in range(ROUNDS):
        touch(world, changed, 1)
        changes, _, cursor, seconds = pull_all(client, headers, cursor)
        pull_seconds.append(seconds)
        assert len(changes) == CHANGED, len(changes)
        with db.engine.connect() as connection:
            started = time.perf_counter()
            connection.execute(RAW, {"tenant": world.id, "ids": changed}).all()
            raw_seconds.append(time.perf_counter() - started)
    pull, raw = statistics.median(pull_seconds), statistics.median(raw_seconds)

    fresh = [s for _, (s,) in bulk_tasks(db.engine, world, FRESH - CHANGED, crew_id=crew)] + changed
    first_seconds = {}
    for edits in (1, EDITS):
        touch(world, fresh, edits)
        changes, size, _, first_seconds[edits] = pull_all(client, headers, limit=500)
        surveys = [c for c in changes if c["type"] == "survey"]
    records_bytes = sum(len(json.dumps(c["data"], ensure_ascii=False, separators=(",", ":")).encode())
                        for c in changes if c["data"] is not None)
    report([
        (f"pull of {CHANGED:,} changed records (HTTP in-process)", f"{pull * 1000:.1f} ms", ""),
        ("raw SELECT … ST_AsGeoJSON of the same rows", f"{raw * 1000:.1f} ms", ""),
        ("ratio pull / raw", f"{pull / raw:.1f}", "target ≤ 5"),
        (f"first pull, {FRESH:,} surveys edited {EDITS}×: surveys sent", f"{len(surveys):,}", f"target {FRESH:,}"),
        ("first pull bytes / the records' own JSON", f"{size / records_bytes:.2f}", "target ≤ 1.1"),
        (f"first pull time, edited {EDITS}× / edited once", f"{first_seconds[EDITS] / first_seconds[1]:.2f}",
         "target ≈ 1 (independent of k)"),
    ])


if __name__ == "__main__":
    main()
