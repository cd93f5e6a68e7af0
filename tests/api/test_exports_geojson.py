"""GeoJSON exports (RFC 7946) of a task, an application, a selection and a constraint layer."""
import json

import pytest

from tests.factories import (
    ApiClient,
    make_application,
    make_survey,
    measure_stored,
    move,
    put_survey,
    square_ring,
    task_in,
)

EXPORTS = "/api/v1/exports"
MM = 0.0005


def features_of(collection: dict, layer: str) -> list[dict]:
    return [f for f in collection["features"] if f["properties"]["layer"] == layer]


def test_a_task_is_a_feature_collection_whose_lengths_are_measures(api):
    task_id = task_in(api, "approved")
    response = api.get(f"{EXPORTS}/tasks/{task_id}/geojson", as_="engineer")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    collection = response.json
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert {f["properties"]["layer"] for f in collection["features"]} == {
        "red_lines", "routes_outside", "routes_inside", "mains", "meter_positions"}
    for utility in ("water", "gas"):
        truth = measure_stored(api, task_id, utility)
        (outside,) = [f for f in features_of(collection, "routes_outside") if f["properties"]["utility"] == utility]
        (inside,) = [f for f in features_of(collection, "routes_inside") if f["properties"]["utility"] == utility]
        (red_line,) = [f for f in features_of(collection, "red_lines") if f["properties"]["utility"] == utility]
        assert outside["properties"]["length_m"] == pytest.approx(truth["outside_length_m"], abs=MM)
        assert inside["properties"]["length_m"] == pytest.approx(truth["inside_length_m"], abs=MM)
        assert outside["geometry"] == truth["outside_route"]
        assert outside["properties"]["dn"] == 50
        assert red_line["properties"]["total_length_m"] == pytest.approx(truth["total_length_m"], abs=MM)
    water = [f for f in features_of(collection, "red_lines") if f["properties"]["utility"] == "water"][0]
    assert water["properties"]["free_installation"] is True
    assert "S4 000 二(四)" in water["properties"]["clauses"]
    assert water["properties"]["application_number"] and water["properties"]["crew"] == "crew_a"


def test_polygons_follow_the_right_hand_rule(api):
    task_id = task_in(api, "on_site")
    clockwise = [list(reversed(square_ring(113.3712, 31.6905)))]
    put_survey(api, task_id, "water", make_survey(red_line={"type": "Polygon", "coordinates": clockwise}))
    collection = api.get(f"{EXPORTS}/tasks/{task_id}/geojson", as_="crew").json
    (red_line,) = [f for f in features_of(collection, "red_lines") if f["properties"]["utility"] == "water"]
    ring = red_line["geometry"]["coordinates"][0][0]
    signed_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    assert signed_area > 0  # counter-clockwise


def test_an_application_exports_its_tasks(api):
    application = make_application(api)
    task_id = application["task_id"]
    move(api, task_id, "assigned", as_="dispatcher", crew_id=str(api.world.crews["crew_a"].id))
    move(api, task_id, "on_site", as_="crew")
    put_survey(api, task_id, "gas", make_survey())
    collection = api.get(f"{EXPORTS}/applications/{application['id']}/geojson", as_="dispatcher").json
    assert {f["properties"]["task_id"] for f in collection["features"]} == {task_id}
    assert {f["properties"]["utility"] for f in collection["features"]} == {"gas"}
    assert collection["name"] == f"application {application['number']}"


def test_another_tenants_or_crews_task_is_404(api, app, other_tenant):
    task_id = task_in(api, "approved")
    other = ApiClient(app.test_client(), other_tenant)
    for path in (f"tasks/{task_id}/geojson", f"tasks/{task_id}/gpkg", f"tasks/{task_id}/dxf"):
        assert other.get(f"{EXPORTS}/{path}", as_="admin").status_code == 404
        assert api.get(f"{EXPORTS}/{path}", as_="crew_b").status_code == 404
    application_id = api.get(f"/api/v1/tasks/{task_id}", as_="admin").json["application_id"]
    assert other.get(f"{EXPORTS}/applications/{application_id}/geojson", as_="admin").status_code == 404


def test_a_selection_streams_only_the_callers_tasks(api):
    mine = task_in(api, "approved")
    theirs = task_in(api, "on_site")
    move(api, theirs, "assigned", as_="dispatcher", crew_id=str(api.world.crews["crew_b"].id))
    response = api.get(f"{EXPORTS}/tasks/geojson", as_="crew")
    assert response.status_code == 200
    assert response.headers["Tapline-Export-Tasks"] == "1"
    collection = json.loads(response.get_data(as_text=True))
    assert {f["properties"]["task_id"] for f in collection["features"]} == {mine}
    everyone = json.loads(api.get(f"{EXPORTS}/tasks/geojson", as_="engineer", query_string={
        "status": "approved"}).get_data(as_text=True))
    assert {f["properties"]["task_id"] for f in everyone["features"]} == {mine}


def test_a_selection_past_the_limit_is_422_with_it(api, app, monkeypatch):
    task_in(api, "on_site")
    task_in(api, "on_site")
    monkeypatch.setitem(app.config, "EXPORT_MAX_TASKS", 1)
    for fmt in ("geojson", "gpkg"):
        response = api.get(f"{EXPORTS}/tasks/{fmt}", as_="engineer")
        assert (response.status_code, response.json["code"]) == (422, "export_too_large")
        assert response.json["details"] == {"tasks": 2, "limit": 1}


def test_selection_filters_are_checked(api):
    response = api.get(f"{EXPORTS}/tasks/gpkg", as_="engineer", query_string={
        "surveyed_from": "2026-12-01T00:00:00+08:00", "surveyed_to": "2026-11-01T00:00:00+08:00"})
    assert (response.status_code, response.json["field"]) == (422, "query.surveyed_to")
    response = api.get(f"{EXPORTS}/tasks/gpkg", as_="engineer", query_string={"bbox": "1,2,3"})
    assert (response.status_code, response.json["field"]) == (422, "query.bbox")
