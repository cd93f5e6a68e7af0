"""Push of 1,000 survey edits in one request vs inserting the same rows with raw batched SQL, same run.

`DATABASE_URL=… python bench/bench_push.py` (or `make bench`). Target (DESIGN "Performance targets"):
push ≥ 0.5 × the raw insert's throughput, its replay ≥ 0.8 ×, and a 1,000-mutation push grows the process's
peak RSS by less than 50 MB.

Two workloads, each a round of 1,000 edits sending notes, DN, segments, a 20-vertex route and a red line:
`resent`, where the crew resends the geometry it pulled (only the notes differ, so only they are written),
and `redrawn`, where every route and red line moved (both geometries are written and audited). Beside the
push it times loading the same mutations with the API's marshmallow schemas alone: a floor no push that
validates each mutation as REST does goes below.
"""
import json
import os
import statistics
import time
import uuid

import orjson
from sqlalchemy import text

from bench.harness import bulk_tasks, fresh_app, report, reset_peak_rss, seed_world, status_kb
from server.extensions import db
from server.services.sync.push import MUTATION
from server.services.sync.survey_mutations import SURVEY_EDIT
from tests.factories import SUIZHOU_SITE, make_survey

MUTATIONS = 1_000
ROUNDS = 5


def edits(surveys: list[uuid.UUID], base_version: int, round_no: int, *, redrawn: bool) -> list[dict]:
    lon, lat = SUIZHOU_SITE
    drawn = make_survey((lon + 0.0001 * round_no, lat) if redrawn else SUIZHOU_SITE)
    return [{"mutation_id": str(uuid.uuid4()), "type": "survey", "id": str(survey_id), "op": "update",
             "base_version": base_version, "device_time": "2026-11-25T10:42:00+08:00",
             "fields": {"notes": f"第{round_no}轮 {i}", "meter_dn": 40, "route": drawn["route"],
                        "red_line": drawn["red_line"],
                        "segments": [{"dn": 50, "material": "PE100", "tape_length_m": "212.4"}]}}
            for i, survey_id in enumerate(surveys)]


def raw_insert_seconds(engine, rows: list[dict], *, durable: bool) -> float:
    """The baseline: the same survey rows, into a table with the same indexes, in one batched INSERT.

    `durable`: into a logged table and committed, as push's rows are; otherwise into a temporary table (no
    WAL) with the commit left out of the clock, the floor the first figures of issue #15 used.
    """
    table = "raw_surveys" if durable else "raw_surveys_temp"
    with engine.connect() as connection:  # one connection: a temporary table is its own
        connection.execute(text(f"create {'' if durable else 'temp'} table if not exists {table} "
                                "(like surveys including all)"))
        connection.execute(text(f"truncate {table}"))
        connection.commit()
        started = time.perf_counter()
        connection.execute(text(
            f"insert into {table} (tenant_id, id, task_id, utility, notes, meter_dn, route, red_line, segments, "
            "version, field_versions, photos, sketches, answers) values (:tenant_id, :id, :task_id, 'water', "
            ":notes, :meter_dn, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(:route), 4490)), "
            "ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(:red_line), 4490)), "
            "cast(:segments as jsonb), 2, '{}', '{}', '{}', '{}')"), rows)
        if durable:
            connection.commit()
        elapsed = time.perf_counter() - started
        connection.commit()
    return elapsed


def schema_load_seconds(mutations: list[dict]) -> float:
    """Loading each mutation and its fields with the schemas push loads them with, and nothing else."""
    started = time.perf_counter()
    for mutation in mutations:
        SURVEY_EDIT.load(MUTATION.load(mutation)["fields"])
    return time.perf_counter() - started


def main() -> None:
    app = fresh_app(SYNC_MAX_MUTATIONS=MUTATIONS)
    world = seed_world(db.engine)
    surveys = [survey for _, (survey,) in bulk_tasks(db.engine, world, MUTATIONS, crew_id=world.crews["crew_a"].id)]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['crew']}"}
    rows, version = [], 1
    for workload in ("resent", "redrawn"):
        push_seconds, raw_seconds, floor_seconds, replay_seconds, growth_mb, schema_seconds = [], [], [], [], [], []
        for round_no in range(ROUNDS):
            batch = edits(surveys, version, round_no, redrawn=workload == "redrawn")
            version += 1
            # Encoded before the clock starts: a tablet sends bytes, and encoding them is the client's work.
            body = orjson.dumps({"mutations": batch})
            reset_peak_rss(os.getpid())
            baseline_kb = status_kb(os.getpid(), "VmRSS")
            started = time.perf_counter()
            response = client.post("/api/v1/sync/push", data=body, content_type="application/json", headers=headers)
            push_seconds.append(time.perf_counter() - started)
            growth_mb.append((status_kb(os.getpid(), "VmHWM") - baseline_kb) / 1024)
            results = {r["result"] for r in response.json["receipts"]}
            assert response.status_code == 200 and results == {"applied"}, (response.status_code, results)
            started = time.perf_counter()
            replay = client.post("/api/v1/sync/push", data=body, content_type="application/json", headers=headers)
            replay_seconds.append(time.perf_counter() - started)
            assert {r["result"] for r in replay.json["receipts"]} == {"duplicate"}
            raw_rows = [{"tenant_id": world.id, "id": uuid.uuid4(), "task_id": uuid.uuid4(),
                         "notes": m["fields"]["notes"], "meter_dn": 40, "route": json.dumps(m["fields"]["route"]),
                         "red_line": json.dumps(m["fields"]["red_line"]),
                         "segments": json.dumps(m["fields"]["segments"])} for m in batch]
            raw_seconds.append(raw_insert_seconds(db.engine, raw_rows, durable=True))
            floor_seconds.append(raw_insert_seconds(db.engine, raw_rows, durable=False))
            schema_seconds.append(schema_load_seconds(orjson.loads(body)["mutations"]))
        push, raw, floor, replay, schemas = (statistics.median(s) for s in (
            push_seconds, raw_seconds, floor_seconds, replay_seconds, schema_seconds))
        rows += [
            (f"{workload}: push 1,000 survey edits (HTTP in-process)",
             f"{push * 1000:.0f} ms ({MUTATIONS / push:.0f}/s)", ""),
            (f"{workload}: raw batched INSERT of the same rows, committed",
             f"{raw * 1000:.0f} ms ({MUTATIONS / raw:.0f}/s)", ""),
            ("  the same into a temp table (no WAL), commit not timed",
             f"{floor * 1000:.0f} ms ({MUTATIONS / floor:.0f}/s)", ""),
            (f"{workload}: ratio push / raw throughput", f"{raw / push:.2f} (temp table: {floor / push:.2f})",
             "target ≥ 0.5"),
            (f"{workload}: of the push, loading its mutations with the API's schemas alone",
             f"{schemas * 1000:.0f} ms ({raw / schemas:.2f} × raw throughput)", "a floor: ≥ 0.5 needs the whole push"),
            (f"{workload}: replayed push (1,000 duplicates)", f"{replay * 1000:.0f} ms", ""),
            (f"{workload}: ratio replay / raw throughput", f"{raw / replay:.2f} (temp table: {floor / replay:.2f})",
             "target ≥ 0.8"),
            (f"{workload}: peak RSS growth during a push (max of rounds; includes the request body)",
             f"{max(growth_mb):.1f} MB", "target < 50 MB"),
        ]
    report(rows)


if __name__ == "__main__":
    main()
