"""/metrics in Prometheus's format, and each request's id in its JSON log line."""
import io
import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from server.logs import json_handler
from tests.factories import mutation, push, task_in, task_path


def scrape(app) -> dict[tuple[str, tuple], float]:
    response = app.test_client().get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for sample in family.samples}


def pushed(samples, result: str) -> float:
    return samples.get(("tapline_sync_push_mutations_total", (("result", result),)), 0)


def test_a_push_is_counted_by_result_and_timed_by_route(app, api):
    task_id = task_in(api, "on_site")
    survey = api.get(task_path(task_id), as_="crew").json["surveys"][0]
    before = scrape(app)
    receipts = push(api, mutation("survey", survey["id"], base_version=survey["version"], notes="阀门井在人行道下"),
                    mutation("survey", survey["id"], base_version=survey["version"], meter_dn="not a number"))
    assert [r["result"] for r in receipts] == ["applied", "rejected"]
    after = scrape(app)
    assert pushed(after, "applied") - pushed(before, "applied") == 1
    assert pushed(after, "rejected") - pushed(before, "rejected") == 1
    timed = ("tapline_http_request_duration_seconds_count",
             (("method", "POST"), ("route", "/api/v1/sync/push"), ("status", "200")))
    assert after[timed] - before.get(timed, 0) == 1
    assert ("tapline_notifications", (("state", "parked"),)) in after
    assert after[("tapline_db_pool_connections_open", ())] >= 1


def test_a_pull_page_is_counted(app, api):
    before = scrape(app)
    assert api.get("/api/v1/sync/pull", as_="crew").status_code == 200
    after = scrape(app)
    pages = sum(value - before.get(key, 0) for key, value in after.items() if key[0] == "tapline_sync_pull_pages_total")
    assert pages == 1


def test_a_client_request_id_is_echoed_and_in_its_log_line(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_REQUESTS", True)
    stream = io.StringIO()
    handler = json_handler(stream)
    logging.getLogger("tapline.request").addHandler(handler)
    try:
        given = api.get("/api/v1/me", as_="crew", headers={"X-Request-ID": "tablet-7f3a:42"})
        made = api.get("/api/v1/me", as_="crew")
        forged = api.get("/api/v1/me", as_="crew", headers={"X-Request-ID": 'x" "level": "CRITICAL'})
    finally:
        logging.getLogger("tapline.request").removeHandler(handler)
    assert given.headers["X-Request-ID"] == "tablet-7f3a:42"
    assert len(made.headers["X-Request-ID"]) == 32 and forged.headers["X-Request-ID"] != made.headers["X-Request-ID"]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == [given.headers["X-Request-ID"], made.headers["X-Request-ID"],
                                                      forged.headers["X-Request-ID"]]
    assert {"time", "level", "logger", "message", "method", "path", "status", "duration_ms"} <= set(lines[0])
    assert (lines[0]["level"], lines[0]["path"], lines[0]["status"]) == ("INFO", "/api/v1/me", 200)


def test_a_traceback_is_logged_as_json():
    stream = io.StringIO()
    log = logging.getLogger("tapline.test")
    log.addHandler(json_handler(stream))
    try:
        raise ValueError("寄存器溢出")
    except ValueError:
        log.exception("the sweep failed")
    finally:
        log.handlers.clear()
    (line,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["message"] == "the sweep failed" and line["level"] == "ERROR"
    assert "Traceback" in line["exc_info"] and "ValueError: 寄存器溢出" in line["exc_info"]
