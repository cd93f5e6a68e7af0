"""Metrics under gunicorn's two workers: whichever answers the scrape, the push is counted once by result."""
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import make_application, move, mutation, task_path


def applied_pushes(url: str) -> float:
    text = requests.get(f"{url}/metrics", timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "tapline_sync_push_mutations_total" and sample.labels == {"result": "applied"})


def test_a_push_is_counted_whichever_worker_is_scraped(remote, live_server):
    task_id = make_application(remote)["task_id"]
    assert move(remote, task_id, "assigned", as_="dispatcher",
                crew_id=str(remote.world.crews["crew_a"].id)).status_code == 200
    assert move(remote, task_id, "on_site", as_="crew").status_code == 200
    survey = remote.get(task_path(task_id), as_="crew").json["surveys"][0]
    response = remote.post("/api/v1/sync/push", as_="crew", json={"mutations": [
        mutation("survey", survey["id"], base_version=survey["version"], notes="阀门井在人行道下")]})
    assert response.status_code == 200
    # Eight scrapes reach both workers; each sums both processes' counters.
    assert {applied_pushes(live_server.url) for _ in range(8)} == {1}
