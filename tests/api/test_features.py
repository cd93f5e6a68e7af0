"""OGC API – Features over HTTP: landing page, conformance, collections, items with bbox, datetime, paging."""
import pytest

from tests.factories import ApiClient, move, task_in

BASE = "/api/v1/features"


def test_the_landing_page_links_the_definition_conformance_and_collections(api):
    landing = api.get(BASE, as_="crew")
    assert landing.status_code == 200
    rels = {link["rel"]: link["href"] for link in landing.json["links"]}
    assert rels["service-desc"] == "http://localhost/docs/openapi.json"
    assert rels["data"] == "http://localhost/api/v1/features/collections"
    assert api.get("/docs/openapi.json").json["openapi"].startswith("3.0")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in \
        api.get(f"{BASE}/conformance").json["conformsTo"]


def test_collections_carry_extents_and_item_links(api):
    task_in(api, "approved")
    found = {c["id"]: c for c in api.get(f"{BASE}/collections", as_="engineer").json["collections"]}
    assert set(found) == {"red_lines", "routes", "mains", "green_areas"}
    red_lines = found["red_lines"]
    west, south, east, north = red_lines["extent"]["spatial"]["bbox"][0]
    assert west == pytest.approx(113.3707) and north == pytest.approx(31.691)
    assert red_lines["extent"]["temporal"]["interval"][0][0] is not None
    assert any(link["rel"] == "items" for link in red_lines["links"])
    assert api.get(f"{BASE}/collections/volcanoes").status_code == 404


def test_items_page_with_next_and_prev_links(api):
    for _ in range(3):
        task_in(api, "approved")
    page = api.get(f"{BASE}/collections/routes/items", query_string={"limit": 2}).json
    assert (page["numberMatched"], page["numberReturned"]) == (6, 2)
    next_link = next(link["href"] for link in page["links"] if link["rel"] == "next")
    assert next_link.endswith("/collections/routes/items?limit=2&offset=2")
    last = api.get(f"{BASE}/collections/routes/items", query_string={"limit": 2, "offset": 4}).json
    rels = {link["rel"] for link in last["links"]}
    assert "next" not in rels and "prev" in rels
    seen = {f["id"] for f in page["features"]} | {f["id"] for f in last["features"]}
    assert len(seen) == 4
    one = page["features"][0]
    assert api.get(f"{BASE}/collections/routes/items/{one['id']}").json["geometry"] == one["geometry"]


def test_bbox_and_datetime_filter_items(api):
    task_in(api, "approved")
    task_in(api, "approved", site=(113.50, 31.80))
    near = api.get(f"{BASE}/collections/red_lines/items", query_string={"bbox": "113.49,31.79,113.51,31.81"}).json
    assert near["numberMatched"] == 2 and {f["properties"]["utility"] for f in near["features"]} == {"water", "gas"}
    assert api.get(f"{BASE}/collections/red_lines/items",
                   query_string={"datetime": "../2000-01-01T00:00:00Z"}).json["numberMatched"] == 0
    assert api.get(f"{BASE}/collections/red_lines/items",
                   query_string={"datetime": "2000-01-01T00:00:00Z/.."}).json["numberMatched"] == 4


@pytest.mark.parametrize("query,field", [
    ({"bbox": "1,2,3"}, "query.bbox"),
    ({"bbox": "5,2,3,4"}, "query.bbox"),
    ({"datetime": "yesterday"}, "query.datetime"),
    ({"datetime": "2026-12-01T00:00:00/.."}, "query.datetime"),
    ({"limit": 0}, "query.limit"),
    ({"colour": "red"}, "query.colour"),
])
def test_bad_parameters_are_400_naming_them(api, query, field):
    response = api.get(f"{BASE}/collections/routes/items", query_string=query)
    assert (response.status_code, response.json.get("field")) == (400, field), response.json


def test_a_limit_past_the_maximum_gets_the_maximum(api, app, monkeypatch):
    task_in(api, "approved")
    monkeypatch.setitem(app.config, "FEATURES_LIMIT_MAX", 1)
    page = api.get(f"{BASE}/collections/routes/items", query_string={"limit": 500}).json
    assert page["numberReturned"] == 1 and page["numberMatched"] == 2


def test_crews_see_their_crews_features_and_tenants_their_own(api, app, other_tenant):
    mine = task_in(api, "approved")
    theirs = task_in(api, "on_site")
    move(api, theirs, "assigned", as_="dispatcher", crew_id=str(api.world.crews["crew_b"].id))
    seen = api.get(f"{BASE}/collections/routes/items", as_="crew").json["features"]
    assert {f["properties"]["task_id"] for f in seen} == {mine}
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(f"{BASE}/collections/routes/items").json["numberMatched"] == 0
    assert other.get(f"{BASE}/collections/routes/items/{seen[0]['id']}").status_code == 404
    assert api.get(f"{BASE}/collections", token="nope").status_code == 401
