"""The engineers' console: the queue, the task page and its map data, comments pinned to a vertex, review actions."""
import re

import pytest

from tests.factories import (
    SUIZHOU_SITE,
    make_survey,
    move,
    put_survey,
    task_in,
    task_path,
)

RIVER = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
         "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.680], [113.3730, 31.700]]}}
FAR_RAILWAY = {"type": "Feature", "properties": {"layer": "railway", "name": "汉丹铁路"},
               "geometry": {"type": "LineString", "coordinates": [[113.3650, 31.680], [113.3650, 31.700]]}}


@pytest.fixture
def submitted(api_of):
    """A submitted water+gas task whose route crosses a river (and passes a railway it does not cross)."""
    assert api_of.post("/api/v1/constraint-layers/import", json={"features": [RIVER, FAR_RAILWAY]}).status_code == 201
    return task_in(api_of, "submitted")


def _features(data, layer):
    return data["layers"][layer]["features"]


def test_the_queue_lists_submitted_tasks_with_deadline_and_flags(signed_in, submitted, api_of):
    task_in(api_of, "assigned")
    page = signed_in("engineer").get("/console/review", headers={"Accept-Language": "zh-CN"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('data-task-id="') == 1 and f'data-task-id="{submitted}"' in html
    assert "穿越" in html  # the crossing flag
    assert re.search(r'class="deadline deadline-(on_time|warning|overdue)"', html)


def test_map_data_draws_red_line_route_split_and_crossing(signed_in, submitted):
    data = signed_in("engineer").get(f"/console/tasks/{submitted}/map.json").json
    assert data["crs"] == "EPSG:4490" and data["basemap"] == {"url": None, "gcj02": False}
    assert len(_features(data, "red_line")) == 2 and len(_features(data, "route")) == 2
    route = _features(data, "route")[0]["properties"]
    outside = _features(data, "route_outside")[0]["properties"]
    assert route["total_length_m"] == pytest.approx(route["inside_length_m"] + route["outside_length_m"])
    assert outside["outside_length_m"] == route["outside_length_m"] > 150
    assert [f["properties"]["name"] for f in _features(data, "crossings")] == ["㵐水", "㵐水"]
    assert {f["properties"]["name"]: f["properties"]["crossed"] for f in _features(data, "constraints")} == {
        "㵐水": True, "汉丹铁路": False}
    crossing = _features(data, "crossings")[0]["geometry"]
    assert crossing["type"] == "Point" and crossing["coordinates"][0] == pytest.approx(113.3730)
    assert len(_features(data, "meter")) == 2
    route_vertices = [f for f in _features(data, "vertices") if f["properties"]["of"] == "route"]
    assert len(route_vertices) == 4  # two per survey's route
    west, south, east, north = data["extent"]
    assert west < SUIZHOU_SITE[0] < east and south < SUIZHOU_SITE[1] < north


def test_a_gcj02_basemap_shifts_every_overlay(signed_in, submitted, api_of):
    plain = signed_in("engineer").get(f"/console/tasks/{submitted}/map.json").json
    tiles = "https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"
    assert api_of.put("/api/v1/tenant/basemap", json={"url": tiles, "gcj02": True}).status_code == 200
    shifted = signed_in("engineer").get(f"/console/tasks/{submitted}/map.json").json
    assert shifted["crs"] == "GCJ-02" and shifted["basemap"]["url"] == tiles
    before = _features(plain, "meter")[0]["geometry"]["coordinates"]
    after = _features(shifted, "meter")[0]["geometry"]["coordinates"]
    # In Suizhou GCJ-02 lies a few hundred metres from WGS84: east by ~0.005°, north by ~-0.002°…0.003°.
    assert 0.003 < after[0] - before[0] < 0.008 and abs(after[1] - before[1]) > 0.001
    vertex = _features(shifted, "vertices")[0]
    assert vertex["properties"]["at"] != vertex["geometry"]["coordinates"]


def test_the_task_page_shows_measurements_decision_evidence_and_history(signed_in, submitted):
    html = signed_in("engineer").get(f"/console/tasks/{submitted}", headers={"Accept-Language": "zh-CN"}) \
        .get_data(as_text=True)
    for text in ("红线外长度", "免费安装", "S4", "000 二(四)", "照片", "签字", "流转记录", 'id="approve-form"',
                 'id="return-form"', 'data-map-url="/console/tasks/'):
        assert text in html, text
    assert re.search(r'<code class="hash" title="SHA-256">[0-9a-f]{64}</code>', html)


def test_evidence_images_are_served_to_the_signed_in_office(signed_in, submitted):
    engineer = signed_in("engineer")
    sha = re.search(r'/console/blobs/([0-9a-f]{64})', engineer.get(f"/console/tasks/{submitted}")
                    .get_data(as_text=True)).group(1)
    image = engineer.get(f"/console/blobs/{sha}")
    assert image.status_code == 200 and image.headers["Content-Type"] in ("image/png", "image/jpeg")


def test_a_comment_pinned_to_a_vertex_reaches_the_api(signed_in, submitted, api_of):
    engineer = signed_in("engineer")
    vertex = next(f for f in _features(engineer.get(f"/console/tasks/{submitted}/map.json").json, "vertices")
                  if f["properties"]["of"] == "route")
    at = vertex["properties"]["at"]
    posted = engineer.post(f"/console/tasks/{submitted}/comments", {
        "body": "这个拐点离红线太近", "utility": vertex["properties"]["utility"], "vertex": f"{at[0]},{at[1]}"})
    assert posted.status_code == 303
    comments = api_of.get(task_path(submitted), as_="engineer").json["comments"]
    assert [(c["body"], c["target"]) for c in comments] == [("这个拐点离红线太近", {"vertex": at})]
    pins = _features(engineer.get(f"/console/tasks/{submitted}/map.json").json, "comments")
    assert [p["geometry"]["coordinates"] for p in pins] == [at]


def test_a_bad_comment_is_refused_with_the_field_named(signed_in, submitted, api_of):
    engineer = signed_in("engineer")
    refused = engineer.post(f"/console/tasks/{submitted}/comments", {"body": "x", "vertex": "113.37,abc"},
                            headers={"Referer": f"http://localhost/console/tasks/{submitted}"})
    assert (refused.status_code, refused.headers["Location"]) == (303, f"/console/tasks/{submitted}")
    assert "target.vertex" in engineer.get(refused.headers["Location"]).get_data(as_text=True)
    assert api_of.get(task_path(submitted), as_="engineer").json["comments"] == []


def test_return_then_approve_after_the_crews_fix(signed_in, submitted, api_of):
    engineer = signed_in("engineer")
    no_reason = engineer.post(f"/console/tasks/{submitted}/transitions", {"to": "returned"}, follow_redirects=True)
    assert "say why the task is returned (reason)" in no_reason.get_data(as_text=True)
    assert api_of.get(task_path(submitted), as_="engineer").json["status"] == "submitted"
    engineer.post(f"/console/tasks/{submitted}/transitions", {"to": "returned", "reason": "路由与现场不符"})
    assert api_of.get(task_path(submitted), as_="engineer").json["status"] == "returned"
    assert move(api_of, submitted, "on_site", as_="crew").status_code == 200
    for utility in ("water", "gas"):
        assert put_survey(api_of, submitted, utility, make_survey(outside_deg=0.001)).status_code == 200
    assert move(api_of, submitted, "submitted", as_="crew").status_code == 200
    engineer.post(f"/console/tasks/{submitted}/transitions", {"to": "approved"})
    assert api_of.get(task_path(submitted), as_="engineer").json["status"] == "approved"


def test_a_near_threshold_figure_must_be_confirmed(signed_in, api_of):
    task_id = task_in(api_of, "on_site")
    for utility in ("water", "gas"):
        body = make_survey(outside_deg=0.00209, outside_length_accuracy_m="3")
        assert put_survey(api_of, task_id, utility, body).status_code == 200
    assert move(api_of, task_id, "submitted", as_="crew").status_code == 200
    engineer = signed_in("engineer")
    page = engineer.get(f"/console/tasks/{task_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="confirm-near-threshold"' in page and "outside_length_m" in page
    refused = engineer.post(f"/console/tasks/{task_id}/transitions", {"to": "approved"}, follow_redirects=True)
    assert "confirm_near_threshold" in refused.get_data(as_text=True)
    engineer.post(f"/console/tasks/{task_id}/transitions", {"to": "approved", "confirm_near_threshold": "true"})
    assert api_of.get(task_path(task_id), as_="engineer").json["status"] == "approved"


def test_another_tenants_task_is_404(signed_in, other_tenant, app):
    from tests.factories import ApiClient
    foreign = task_in(ApiClient(app.test_client(), other_tenant), "assigned")
    engineer = signed_in("engineer")
    assert engineer.get(f"/console/tasks/{foreign}").status_code == 404
    assert engineer.get(f"/console/tasks/{foreign}/map.json").status_code == 404
