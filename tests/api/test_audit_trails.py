"""Who did what to work orders, teams, users and devices: readable through the API, in the order written."""
import uuid

import pytest

from tests.factories import approved_orders, make_team, move_order


def trail(api, path: str, *, as_: str = "admin") -> list[dict]:
    response = api.get(f"{path}/audit", as_=as_)
    assert response.status_code == 200, response.json
    return response.json


def patch(api, path: str, body: dict, *, as_: str = "admin"):
    etag = api.get(path, as_=as_).headers["ETag"]
    return api.patch(path, as_=as_, json=body, headers={"If-Match": etag})


def test_a_work_orders_trail_has_its_creation_and_every_transition(api, tenant):
    order = approved_orders(api)["water"]
    team = make_team(api, "一队")
    assert move_order(api, order["id"], "assigned", team_id=team["id"]).status_code == 200
    entries = trail(api, f"/api/v1/work-orders/{order['id']}", as_="dispatcher")
    assert [e["action"] for e in entries] == ["created", "transition"]
    assert entries[1]["changes"]["team_id"] == [None, team["id"]]
    assert entries[1]["actor_id"] == str(tenant.users["dispatcher"].id)
    assert entries[1]["device_id"] == str(tenant.devices["dispatcher"].id)


def test_a_teams_trail_keeps_each_change_and_outlives_the_team(api, tenant):
    team = make_team(api, "二队", daily_capacity=2)
    path = f"/api/v1/teams/{team['id']}"
    assert patch(api, path, {"daily_capacity": 4}, as_="dispatcher").status_code == 200
    assert api.delete(path, as_="admin").status_code == 204
    entries = trail(api, path, as_="dispatcher")
    assert [e["action"] for e in entries] == ["created", "updated", "deleted"]
    assert entries[0]["changes"]["name"] == [None, "二队"]
    assert entries[1]["changes"] == {"daily_capacity": [2, 4]}
    assert entries[2]["actor_id"] == str(tenant.users["admin"].id)


def test_a_devices_trail_says_who_registered_and_who_revoked_it(api, tenant):
    registered = api.post("/api/v1/devices", json={"user_id": str(tenant.users["crew"].id), "name": "三号平板"})
    device_path = f"/api/v1/devices/{registered.json['device']['id']}"
    assert api.post(f"{device_path}/revoke").status_code == 200
    assert api.post(f"{device_path}/revoke").status_code == 200  # already revoked: nothing new to record
    entries = trail(api, device_path)
    assert [e["action"] for e in entries] == ["registered", "revoked"]
    assert entries[0]["changes"]["user_id"] == [None, str(tenant.users["crew"].id)]
    assert {e["actor_id"] for e in entries} == {str(tenant.users["admin"].id)}


def test_a_users_trail_has_each_change_of_role_and_state(api, tenant):
    path = f"/api/v1/users/{tenant.users['engineer'].id}"
    assert patch(api, path, {"role": "dispatcher", "display_name": tenant.users["engineer"].display_name}).status_code \
        == 200
    assert patch(api, path, {"active": False}).status_code == 200
    entries = trail(api, path)
    assert [e["changes"] for e in entries] == [{"role": ["engineer", "dispatcher"]}, {"active": [True, False]}]


@pytest.mark.parametrize(("path", "role"), [("/api/v1/work-orders", "crew"), ("/api/v1/teams", "engineer"),
                                            ("/api/v1/users", "dispatcher"), ("/api/v1/devices", "dispatcher")])
def test_trails_are_read_by_those_who_read_the_record(api, path, role):
    assert api.get(f"{path}/{uuid.uuid4()}/audit", as_=role).status_code == 403
    assert api.get(f"{path}/{uuid.uuid4()}/audit").status_code == 404


def test_another_tenants_record_has_no_trail(api, other_tenant):
    device = other_tenant.devices["crew"]
    assert api.get(f"/api/v1/devices/{device.id}/audit").status_code == 404
