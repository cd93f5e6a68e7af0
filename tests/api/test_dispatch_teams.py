"""Construction teams (施工队伍) through HTTP: CRUD for admins and dispatchers, geometry checked, tenant-scoped."""
import pytest

from tests.factories import SUIZHOU_SITE, ApiClient, approved_orders, make_team, move_order, square_ring

TEAMS = "/api/v1/teams"


def test_a_dispatcher_creates_a_team_with_its_service_area_in_cgcs2000(api):
    team = make_team(api, "曾都区第一施工队", utilities=("water",), daily_capacity=3)
    assert team["utilities"] == ["water"]
    assert (team["daily_capacity"], team["active"], team["version"]) == (3, True, 1)
    assert team["service_area"] == {"type": "Polygon", "coordinates": [square_ring(*SUIZHOU_SITE, 0.05)]}
    assert api.get(f"{TEAMS}/{team['id']}", as_="admin").json["name"] == "曾都区第一施工队"


def test_a_service_area_in_another_crs_is_stored_in_cgcs2000(api):
    team = make_team(api, "GCJ-02 队", crs="GCJ-02")
    lon, lat = team["service_area"]["coordinates"][0][0]
    west, south = SUIZHOU_SITE[0] - 0.05, SUIZHOU_SITE[1] - 0.05
    # GCJ-02 is shifted a few hundred metres from CGCS2000 in China.
    assert 0.001 < abs(lon - west) + abs(lat - south) < 0.02


@pytest.mark.parametrize("area, code", [
    ({"type": "Polygon", "coordinates": [[[113.0, 31.0], [113.1, 31.1], [113.1, 31.0], [113.0, 31.1],
                                          [113.0, 31.0]]]}, "self_intersection"),
    ({"type": "LineString", "coordinates": [[113.0, 31.0], [113.1, 31.1]]}, "wrong_geometry_type"),
])
def test_a_bad_service_area_is_a_422_naming_it(api, area, code):
    response = api.post(TEAMS, as_="dispatcher", json={"name": "坏队", "utilities": ["water"], "daily_capacity": 1,
                                                       "service_area": area})
    assert response.status_code == 422
    assert (response.json["code"], response.json["field"].split(".")[0]) == (code, "service_area")


def test_names_are_unique_in_a_tenant(api):
    make_team(api, "一队")
    response = api.post(TEAMS, as_="dispatcher", json={
        "name": "一队", "utilities": ["gas"], "daily_capacity": 1,
        "service_area": {"type": "Polygon", "coordinates": [square_ring(*SUIZHOU_SITE)]}})
    assert (response.status_code, response.json["code"], response.json["field"]) == (409, "team_name_taken", "name")


def test_list_filters_by_utility_and_active(api):
    make_team(api, "水队", utilities=("water",))
    make_team(api, "气队", utilities=("gas",))
    make_team(api, "停用队", utilities=("gas",), active=False)

    def names(**query):
        return [team["name"] for team in api.get(TEAMS, as_="dispatcher", query_string=query).json]

    assert names(utility="gas") == sorted(["气队", "停用队"])
    assert names(utility="gas", active="true") == ["气队"]


def test_an_update_needs_the_current_etag(api):
    team = make_team(api, "二队", daily_capacity=2)
    path = f"{TEAMS}/{team['id']}"
    assert api.patch(path, as_="dispatcher", json={"daily_capacity": 4}).status_code == 428
    etag = api.get(path, as_="dispatcher").headers["ETag"]
    updated = api.patch(path, as_="dispatcher", json={"daily_capacity": 4, "active": False},
                        headers={"If-Match": etag})
    assert updated.status_code == 200, updated.json
    assert (updated.json["daily_capacity"], updated.json["active"], updated.json["version"]) == (4, False, 2)
    stale = api.patch(path, as_="dispatcher", json={"daily_capacity": 5}, headers={"If-Match": etag})
    assert stale.status_code == 412


def test_a_team_without_work_orders_is_deleted_one_with_them_only_deactivated(api):
    idle = make_team(api, "闲置队")
    assert api.delete(f"{TEAMS}/{idle['id']}", as_="admin").status_code == 204
    assert api.get(f"{TEAMS}/{idle['id']}", as_="admin").status_code == 404

    busy = make_team(api, "忙碌队")
    order = approved_orders(api)["water"]
    assert move_order(api, order["id"], "assigned", team_id=busy["id"]).status_code == 200
    response = api.delete(f"{TEAMS}/{busy['id']}", as_="admin")
    assert (response.status_code, response.json["code"]) == (409, "team_has_work_orders")


@pytest.mark.parametrize("role", ["crew", "engineer"])
def test_only_admins_and_dispatchers_manage_teams(api, role):
    assert api.get(TEAMS, as_=role).status_code == 403
    response = api.post(TEAMS, as_=role, json={})
    assert (response.status_code, response.json["code"]) == (403, "forbidden")


def test_another_tenants_team_does_not_exist(api, app, other_tenant):
    team = make_team(api, "随州队")
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(f"{TEAMS}/{team['id']}", as_="dispatcher").status_code == 404
    assert other.get(TEAMS, as_="dispatcher").json == []
