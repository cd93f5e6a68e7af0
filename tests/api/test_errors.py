"""Every error status comes back in one shape: {code, message, field, details}."""
import pytest

SHAPE = {"code", "message", "field", "details"}


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert set(response.json) == SHAPE
    assert response.json["code"] == code
    assert isinstance(response.json["message"], str) and response.json["message"]


def test_400_malformed_json(api):
    response = api.post("/api/v1/users", data="{not json", content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_401(api):
    assert_error(api.get("/api/v1/users", as_=None), 401, "token_missing")


def test_403(api):
    assert_error(api.get("/api/v1/users", as_="crew"), 403, "forbidden")


def test_404_unknown_route(api):
    assert_error(api.get("/api/v1/nothing-here"), 404, "not_found")


def test_404_unknown_record(api):
    response = api.get("/api/v1/users/00000000-0000-0000-0000-000000000000")
    assert_error(response, 404, "not_found")
    assert response.json["details"]["resource"] == "User"


def test_405_names_allowed_methods(api):
    response = api.delete("/api/v1/users")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.json["details"]["allowed"]
    assert set(response.headers["Allow"].split(", ")) == set(response.json["details"]["allowed"])


def test_409(api):
    body = {"username": "twice", "display_name": "x", "role": "crew"}
    api.post("/api/v1/users", json=body)
    assert_error(api.post("/api/v1/users", json=body), 409, "username_taken")


def test_412(api, tenant):
    response = api.patch(f"/api/v1/users/{tenant.users['crew'].id}", json={"display_name": "x"},
                         headers={"If-Match": '"stale"'})
    assert_error(response, 412, "precondition_failed")


def test_413_oversize_body(app, api):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = api.post("/api/v1/users", data=b"x" * (limit + 1), content_type="application/json")
    assert_error(response, 413, "body_too_large")
    assert response.json["details"]["limit"] == limit


def test_415(api):
    assert_error(api.post("/api/v1/users", data="a=1", content_type="application/x-www-form-urlencoded"),
                 415, "unsupported_media_type")


def test_422_names_every_bad_field(api):
    response = api.post("/api/v1/users", json={"username": "Bad Name", "role": "boss", "extra": 1})
    assert_error(response, 422, "validation_error")
    fields = {e["field"] for e in response.json["details"]["errors"]}
    assert fields == {"username", "display_name", "role", "extra"}
    assert response.json["field"] in fields


def test_422_query_args_are_prefixed(api):
    response = api.get("/api/v1/users?role=boss")
    assert_error(response, 422, "validation_error")
    assert response.json["field"] == "query.role"


def test_429(app, api):
    attempts = 2 * app.config["AUTH_FAILURES_PER_MINUTE"] + 1
    responses = [api.get("/api/v1/me", token=f"tpl_x{i}") for i in range(attempts)]
    limited = [r for r in responses if r.status_code == 429]
    assert limited
    assert_error(limited[0], 429, "rate_limited")


def test_500_is_shaped_and_hides_internals(app, api, monkeypatch):
    from server.services import me

    def explode(*_args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(me, "get_or_404", explode)
    response = api.get("/api/v1/me")
    assert_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page_size", [0, 501])
def test_page_size_limit_is_422(api, page_size):
    assert_error(api.get(f"/api/v1/users?page_size={page_size}"), 422, "validation_error")
