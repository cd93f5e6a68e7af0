"""POST /api/v1/geo/measure through HTTP beside the pure function, same payload, same run.

`DATABASE_URL=… python -m bench.bench_measure_http`. Reports calls/s of each and their ratio (the cost of
JSON, auth, validation and the constraint-layer query around geo.measure).
"""
from functools import partial

from bench.bench_measure import bench_constraints, measure_payload
from bench.harness import fresh_app, report, seed_world
from bench.timing import time_calls
from geo import measure, parse_measure_request
from server.extensions import db


def main() -> None:
    app = fresh_app()
    world = seed_world(db.engine)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['crew']}"}
    rows = []
    for n_red in (200, 1000):
        payload = measure_payload(n_route=1000, n_red=n_red)

        def http(body=payload):
            response = client.post("/api/v1/geo/measure", json=body, headers=headers)
            assert response.status_code == 200, response.json

        pure = time_calls(partial(lambda p: measure(parse_measure_request(p), bench_constraints()), payload),
                          repeat=200)
        over_http = time_calls(http, repeat=200)
        rows += [
            (f"parse + measure, route 1000 / red line {n_red} (pure)",
             f"p50 {pure['p50_ms']:.2f} ms, {pure['calls_per_s']:.0f}/s", "target p50 < 5 ms"),
            (f"POST /geo/measure, route 1000 / red line {n_red} (HTTP)",
             f"p50 {over_http['p50_ms']:.2f} ms, {over_http['calls_per_s']:.0f}/s", ""),
            ("ratio HTTP / pure calls per second", f"{over_http['calls_per_s'] / pure['calls_per_s']:.2f}", ""),
        ]
    report(rows)


if __name__ == "__main__":
    main()
