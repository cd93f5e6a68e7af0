"""A crew's task list and its first pull, among 100,000 tasks of the tenant.

`DATABASE_URL=… python -m bench.bench_tasks`. Targets (DESIGN "Performance targets"): list 50 tasks of a
crew p95 < 20 ms and ≤ 2 × the same raw SQL; pull of a 50-task package p95 < 50 ms.
"""
from sqlalchemy import insert, text

from bench.harness import bulk_tasks, fresh_app, report, seed_world
from bench.timing import time_calls
from server.extensions import db
from server.models import Change

TENANT_TASKS = 100_000
CREW_TASKS = 50
RAW_LIST = text("""
    select t.*, a.number, a.applicant_unit, a.address, ST_AsGeoJSON(t.site)
    from survey_tasks t join applications a on a.tenant_id = t.tenant_id and a.id = t.application_id
    where t.tenant_id = :tenant and t.crew_id = any(:crews)
    order by t.survey_due_at asc nulls last, t.created_at, t.id limit 50""")


def main() -> None:
    app = fresh_app()
    world = seed_world(db.engine)
    crew_a, crew_b = world.crews["crew_a"].id, world.crews["crew_b"].id
    bulk_tasks(db.engine, world, TENANT_TASKS - CREW_TASKS, crew_id=crew_b)
    mine = bulk_tasks(db.engine, world, CREW_TASKS, crew_id=crew_a)
    with db.engine.begin() as connection:
        # Assigned tasks enter the crew's scope through the change feed, as a dispatcher's assignment does.
        connection.execute(insert(Change), [{"tenant_id": world.id, "entity_type": "survey_task", "entity_id": task,
                                             "op": "enter", "version": 1, "crew_id": crew_a, "reference": False}
                                            for task, _ in mine])
        connection.execute(text("analyze"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['crew']}"}

    def list_http():
        response = client.get("/api/v1/tasks?page_size=50", headers=headers)
        assert response.status_code == 200 and len(response.json) == CREW_TASKS

    def list_raw():
        with db.engine.connect() as connection:
            crews = connection.execute(text("select crew_id from crew_members where tenant_id = :tenant and "
                                            "user_id = :user"), {"tenant": world.id, "user": world.users["crew"].id})
            rows = connection.execute(RAW_LIST, {"tenant": world.id, "crews": list(crews.scalars())}).all()
            assert len(rows) == CREW_TASKS

    def pull():
        """Every page of a first pull: the shipped reference data comes in a page of its own."""
        changes, cursor = [], None
        while True:
            response = client.get("/api/v1/sync/pull", query_string={"limit": 500, **({"cursor": cursor} if cursor
                                                                                     else {})}, headers=headers)
            assert response.status_code == 200
            page = response.json
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        assert sum(c["type"] == "survey_task" for c in changes) == CREW_TASKS

    listed, raw, pulled = (time_calls(call, repeat=200) for call in (list_http, list_raw, pull))
    report([
        ("list 50 tasks of a crew of 100,000 (HTTP)",
         f"p50 {listed['p50_ms']:.1f} ms, p95 {listed['p95_ms']:.1f} ms", "target p95 < 20 ms"),
        ("same query, raw SQL", f"p50 {raw['p50_ms']:.1f} ms, p95 {raw['p95_ms']:.1f} ms", ""),
        ("ratio HTTP / raw (p50)", f"{listed['p50_ms'] / raw['p50_ms']:.2f}", "target ≤ 2"),
        ("first pull of a 50-task package", f"p50 {pulled['p50_ms']:.1f} ms, p95 {pulled['p95_ms']:.1f} ms",
         "target p95 < 50 ms"),
    ])


if __name__ == "__main__":
    main()
