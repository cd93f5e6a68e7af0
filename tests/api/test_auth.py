"""Bearer tokens, roles, revocation and the auth failure rate limit."""
import re

import pytest

SAMPLE_ARGS = {"uuid": "00000000-0000-0000-0000-000000000000", "int": "2026"}
PROTECTED_GETS = ["/api/v1/users", "/api/v1/devices", "/api/v1/me", "/api/v1/crews"]


@pytest.mark.parametrize("path", PROTECTED_GETS)
def test_no_token_is_401_with_code(api, path):
    response = api.get(path, as_=None)
    assert response.status_code == 401
    assert response.json["code"] == "token_missing"


def test_unknown_token_is_401(api):
    response = api.get("/api/v1/me", token="tpl_not-a-real-token")
    assert response.status_code == 401
    assert response.json["code"] == "token_invalid"


def _sample_argument(match: re.Match) -> str:
    """A value the route's converter accepts: the first choice of an `any(...)`, else a typed sample."""
    converter, choices = match.group(1), match.group(2)
    if converter == "any":
        return choices.split(",")[0].strip()
    return SAMPLE_ARGS.get(converter, "x")


def test_every_api_route_demands_a_token(app, api):
    """No endpoint under /api/v1 is reachable anonymously unless it is meant to be public."""
    public = {"/api/v1/progress"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in public:
            continue
        path = re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>", _sample_argument, rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = api.request(method, path, as_=None, json={} if method != "GET" else None)
            assert response.status_code == 401, f"{method} {path} answered {response.status_code} without a token"


def test_revoked_device_gets_401_at_once(api, tenant):
    assert api.get("/api/v1/me", as_="crew").status_code == 200
    device_id = tenant.devices["crew"].id
    response = api.post(f"/api/v1/devices/{device_id}/revoke", as_="admin")
    assert response.status_code == 200
    assert response.json["revoked_at"] is not None
    again = api.get("/api/v1/me", as_="crew")
    assert again.status_code == 401
    assert again.json["code"] == "device_revoked"


def test_revoking_one_device_leaves_the_users_other_devices(api, tenant):
    user_id = str(tenant.users["crew"].id)
    second = api.post("/api/v1/devices", json={"user_id": user_id, "name": "Tablet 2"}).json
    api.post(f"/api/v1/devices/{tenant.devices['crew'].id}/revoke")
    assert api.get("/api/v1/me", token=second["token"]).status_code == 200


def test_deactivated_user_gets_401(api, tenant):
    user_path = f"/api/v1/users/{tenant.users['crew'].id}"
    etag = api.get(user_path).headers["ETag"]
    assert api.patch(user_path, json={"active": False}, headers={"If-Match": etag}).status_code == 200
    response = api.get("/api/v1/me", as_="crew")
    assert response.status_code == 401
    assert response.json["code"] == "user_inactive"


def test_token_is_stored_hashed(api, db_session, tenant):
    from sqlalchemy import text

    token = api.post("/api/v1/devices", json={"user_id": str(tenant.users["crew"].id), "name": "T"}).json["token"]
    stored = db_session.execute(text("select token_hash from devices")).scalars().all()
    assert token not in stored
    assert api.get("/api/v1/me", token=token).status_code == 200


def test_repeated_bad_tokens_are_rate_limited(app, api):
    limit = app.config["AUTH_FAILURES_PER_MINUTE"]
    statuses = [api.get("/api/v1/me", token=f"tpl_bad{i}").status_code for i in range(2 * limit + 1)]
    assert statuses[:limit] == [401] * limit
    assert 429 in statuses
    limited = api.get("/api/v1/me", token="tpl_bad")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json["details"]["retry_after_s"] == int(limited.headers["Retry-After"])


def test_a_valid_token_gets_in_from_an_address_that_keeps_failing(app, api):
    limit = app.config["AUTH_FAILURES_PER_MINUTE"]
    for i in range(limit + 1):
        api.get("/api/v1/me", token=f"tpl_bad{i}")
    assert api.get("/api/v1/me", token="tpl_bad").status_code == 429
    assert api.get("/api/v1/me", as_="crew").status_code == 200
    assert api.get("/api/v1/users", as_="admin").status_code == 200


def test_me_describes_user_device_tenant_and_crews(api, tenant):
    body = api.get("/api/v1/me", as_="crew").json
    assert body["user"]["username"] == "crew"
    assert body["device"]["id"] == str(tenant.devices["crew"].id)
    assert body["tenant"]["slug"] == tenant.tenant.slug
    assert body["crew_ids"] == [str(tenant.crews["crew_a"].id)]


def test_behind_a_load_balancer_the_app_sees_the_client_address(migrated):
    """Rate limits count per client; behind a balancer that address comes from X-Forwarded-For."""
    from flask import request

    from server import create_app
    from server.config import Config

    seen = []
    for hops in (0, 1):
        app = create_app(Config(DATABASE_URL=migrated, LOG_REQUESTS=False, PROXY_HOPS=hops))
        app.after_request(lambda response: seen.append(request.remote_addr) or response)
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"},
                              environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen == ["10.0.0.2", "203.0.113.7"]
