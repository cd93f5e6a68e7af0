"""Admin endpoints for users and devices: each role's allowed and forbidden calls."""
import pytest

ADMIN_CALLS = [
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"username": "new.user", "display_name": "新用户", "role": "engineer"}),
    ("GET", "/api/v1/devices", None),
]


@pytest.mark.parametrize("role", ["engineer", "dispatcher", "crew"])
@pytest.mark.parametrize("method,path,body", ADMIN_CALLS)
def test_non_admins_are_forbidden(api, role, method, path, body):
    response = api.request(method, path, as_=role, json=body)
    assert response.status_code == 403
    assert response.json["code"] == "forbidden"
    assert response.json["details"]["required"] == ["admin"]


@pytest.mark.parametrize("method,path,body", ADMIN_CALLS)
def test_admin_is_allowed(api, method, path, body):
    assert api.request(method, path, as_="admin", json=body).status_code in (200, 201)


@pytest.mark.parametrize("role", ["engineer", "dispatcher", "crew"])
def test_non_admins_cannot_register_or_revoke_devices(api, tenant, role):
    register = api.post("/api/v1/devices", as_=role, json={"user_id": str(tenant.users["crew"].id), "name": "x"})
    revoke = api.post(f"/api/v1/devices/{tenant.devices['crew'].id}/revoke", as_=role)
    assert (register.status_code, revoke.status_code) == (403, 403)


def test_create_user_then_list_it(api):
    created = api.post("/api/v1/users", json={"username": "li.gong", "display_name": "李工", "role": "engineer"})
    assert created.status_code == 201
    listed = api.get("/api/v1/users?role=engineer").json
    assert "li.gong" in [u["username"] for u in listed]


def test_duplicate_username_is_409(api):
    body = {"username": "dup", "display_name": "甲", "role": "crew"}
    assert api.post("/api/v1/users", json=body).status_code == 201
    response = api.post("/api/v1/users", json=body)
    assert response.status_code == 409
    assert response.json == {"code": "username_taken", "message": "username 'dup' is taken", "field": "username",
                             "details": {}}


def test_users_are_paginated(api):
    response = api.get("/api/v1/users?page=1&page_size=2")
    assert len(response.json) == 2
    assert '"total": 5' in response.headers["X-Pagination"]


def test_registered_device_token_works_and_is_shown_once(api, tenant):
    created = api.post("/api/v1/devices", json={"user_id": str(tenant.users["engineer"].id), "name": "Web"})
    assert created.status_code == 201
    token = created.json["token"]
    assert api.get("/api/v1/me", token=token).json["user"]["username"] == "engineer"
    listed = api.get(f"/api/v1/devices/{created.json['device']['id']}").json
    assert "token" not in listed


def test_patch_without_if_match_is_428(api, tenant):
    response = api.patch(f"/api/v1/users/{tenant.users['crew'].id}", json={"display_name": "x"})
    assert response.status_code == 428
    assert response.json["code"] == "precondition_required"


def test_patch_with_stale_etag_is_412_and_changes_nothing(api, tenant):
    path = f"/api/v1/users/{tenant.users['crew'].id}"
    etag = api.get(path).headers["ETag"]
    assert api.patch(path, json={"display_name": "第一次"}, headers={"If-Match": etag}).status_code == 200
    stale = api.patch(path, json={"display_name": "第二次"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["code"] == "precondition_failed"
    assert api.get(path).json["display_name"] == "第一次"


def test_crews_admin_and_dispatcher_manage_members(api, tenant):
    body = {"name": "踏勘二组", "member_ids": [str(tenant.users["crew_b"].id)]}
    assert api.post("/api/v1/crews", as_="crew", json=body).status_code == 403
    created = api.post("/api/v1/crews", as_="dispatcher", json=body)
    assert created.status_code == 201
    assert created.json["member_ids"] == [str(tenant.users["crew_b"].id)]


def test_crew_members_must_have_the_crew_role(api, tenant):
    body = {"name": "混编", "member_ids": [str(tenant.users["crew"].id), str(tenant.users["engineer"].id)]}
    response = api.post("/api/v1/crews", json=body)
    assert response.status_code == 422
    assert response.json["code"] == "not_a_crew_user"
    assert response.json["field"] == "member_ids[1]"


def test_an_admin_cannot_revoke_the_device_it_calls_from(api, tenant):
    response = api.post(f"/api/v1/devices/{tenant.devices['admin'].id}/revoke")
    assert (response.status_code, response.json["code"]) == (409, "own_device")
    assert api.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("change", [{"role": "engineer"}, {"active": False}])
def test_the_last_admin_cannot_demote_or_deactivate_itself(api, tenant, change):
    path = f"/api/v1/users/{tenant.users['admin'].id}"
    etag = api.get(path).headers["ETag"]
    refused = api.patch(path, json=change, headers={"If-Match": etag})
    assert (refused.status_code, refused.json["code"]) == (409, "last_admin")
    assert api.get("/api/v1/me").json["user"]["role"] == "admin"
    engineer = f"/api/v1/users/{tenant.users['engineer'].id}"
    promoted = api.patch(engineer, json={"role": "admin"}, headers={"If-Match": api.get(engineer).headers["ETag"]})
    assert promoted.status_code == 200
    assert api.patch(path, json=change, headers={"If-Match": etag}).status_code == 200
