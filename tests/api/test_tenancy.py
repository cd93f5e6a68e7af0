"""Two tenants' data never mix: another tenant's records are as missing as none."""


def test_lists_show_only_the_callers_tenant(api, tenant, other_tenant):
    names = {u["username"] for u in api.get("/api/v1/users?page_size=100").json}
    assert names == {"admin", "engineer", "dispatcher", "crew", "crew_b"}
    ids = {u["id"] for u in api.get("/api/v1/users?page_size=100").json}
    assert not ids & {str(u.id) for u in other_tenant.users.values()}


def test_other_tenants_user_is_404(api, other_tenant):
    response = api.get(f"/api/v1/users/{other_tenant.users['crew'].id}")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_cannot_revoke_other_tenants_device(api, other_tenant):
    response = api.post(f"/api/v1/devices/{other_tenant.devices['crew'].id}/revoke")
    assert response.status_code == 404
    other = api.get("/api/v1/me", token=other_tenant.tokens["crew"])
    assert other.status_code == 200


def test_cannot_register_device_for_other_tenants_user(api, other_tenant):
    response = api.post("/api/v1/devices", json={"user_id": str(other_tenant.users["crew"].id), "name": "x"})
    assert response.status_code == 404


def test_cannot_put_other_tenants_user_in_a_crew(api, other_tenant):
    response = api.post("/api/v1/crews", json={"name": "x", "member_ids": [str(other_tenant.users["crew"].id)]})
    assert response.status_code == 422
    assert response.json["code"] == "unknown_user"


def test_same_username_in_two_tenants_is_fine(api, other_tenant):
    mine = api.post("/api/v1/users", json={"username": "crew_b2", "display_name": "x", "role": "crew"})
    assert mine.status_code == 201
    other = api.post("/api/v1/users", token=other_tenant.tokens["admin"],
                     json={"username": "crew_b2", "display_name": "y", "role": "crew"})
    assert other.status_code == 201
