"""The console's task page and its map data, among 100,000 tasks of the tenant.

`DATABASE_URL=… python -m bench.bench_console`. Target (DESIGN "Performance targets"): the task page with its
map data in < 100 ms of server time (here: the WSGI app in-process, page and map.json one after the other).
"""
import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.harness import bulk_tasks, fresh_app, report, seed_world
from bench.timing import time_calls
from server.extensions import db
from server.models import User
from server.services.passwords import hash_password
from tests.factories import ApiClient, task_in

TENANT_TASKS = 100_000
PASSWORD = "bench password"
RIVER = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
         "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.680], [113.3730, 31.700]]}}


def main() -> None:
    app = fresh_app(SECRET_KEY="bench")
    world = seed_world(db.engine)
    bulk_tasks(db.engine, world, TENANT_TASKS - 1, crew_id=world.crews["crew_b"].id, status="submitted")
    api = ApiClient(app.test_client(), world)
    assert api.post("/api/v1/constraint-layers/import", json={"features": [RIVER]}).status_code == 201
    task_id = task_in(api, "submitted")
    with Session(db.engine) as session:
        session.get(User, (world.id, world.users["engineer"].id)).password_hash = hash_password(PASSWORD)
        session.commit()
    with db.engine.begin() as connection:
        connection.execute(text("analyze"))
    browser = app.test_client()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', browser.get("/console/sign-in").get_data(as_text=True))
    signed_in = browser.post("/console/sign-in", data={"tenant": world.tenant.slug, "username": "engineer",
                                                       "password": PASSWORD, "csrf_token": csrf.group(1)})
    assert signed_in.status_code == 303

    def page():
        response = browser.get(f"/console/tasks/{task_id}")
        assert response.status_code == 200

    def map_data():
        response = browser.get(f"/console/tasks/{task_id}/map.json")
        assert response.status_code == 200 and response.json["layers"]["crossings"]["features"]

    def both():
        page()
        map_data()

    timed = {name: time_calls(call, repeat=100) for name, call in
             (("page", page), ("map", map_data), ("both", both))}
    report([
        ("console task page, 100,000 tasks in the tenant", _figures(timed["page"]), ""),
        ("its map data (map.json)", _figures(timed["map"]), ""),
        ("page + map data", _figures(timed["both"]), "target < 100 ms"),
    ])


def _figures(timed: dict) -> str:
    return f"p50 {timed['p50_ms']:.1f} ms, p95 {timed['p95_ms']:.1f} ms"


if __name__ == "__main__":
    main()
