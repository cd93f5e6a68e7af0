"""Hostile JSON bodies on every operation that takes one: too deep, or past the size limit without a length."""
import io
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.request_json import nesting_depth
from tests.api.test_errors import assert_error

ROLES = ["admin", "engineer", "dispatcher", "crew", None]


def json_operations(app) -> list[tuple[str, str]]:
    spec = app.test_client().get("/docs/openapi.json").json
    return [(method.upper(), _fill(path, op.get("parameters", []) + spec["paths"][path].get("parameters", [])))
            for path, ops in spec["paths"].items() for method, op in ops.items()
            if isinstance(op, dict) and "application/json" in op.get("requestBody", {}).get("content", {})]


def _fill(path: str, parameters: list[dict]) -> str:
    """A path that routes: any value of the right type reaches the body parser (records are looked up after)."""
    for parameter in parameters:
        if parameter.get("in") != "path":
            continue
        schema = parameter.get("schema", {})
        if schema.get("format") == "uuid":
            value = uuid.uuid4()
        elif schema.get("type") == "integer":
            value = max(schema.get("minimum", 2030), 2030) if "maximum" not in schema else schema["maximum"]
        else:
            value = (schema.get("enum") or ["a" * 64 if "sha256" in parameter["name"] else "x"])[0]
        path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


def send_as_anyone_allowed(api, method: str, path: str, **kwargs):
    """The first role the operation lets in: the body is parsed after the role check."""
    for role in ROLES:
        response = api.request(method, path, as_=role, headers={"If-Match": '"any"'}, **kwargs)
        if response.status_code not in (401, 403):
            return response
    raise AssertionError(f"no role may call {method} {path}")


@pytest.mark.parametrize("depth", [65, 5000])
def test_a_body_nested_too_deep_is_400_on_every_json_operation(app, api, depth):
    body = '{"a":' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
    operations = json_operations(app)
    assert ("POST", "/api/v1/progress") in operations
    for method, path in operations:
        response = send_as_anyone_allowed(api, method, path, data=body, content_type="application/json")
        assert_error(response, 400, "json_too_deep")
        assert response.json["details"]["limit"] == app.config["MAX_JSON_DEPTH"], (method, path)


def test_a_body_at_the_depth_limit_is_parsed(app, api):
    limit = app.config["MAX_JSON_DEPTH"]
    body = '{"username":' + "[" * (limit - 1) + "]" * (limit - 1) + "}"
    response = api.post("/api/v1/users", data=body, content_type="application/json")
    assert_error(response, 422, "validation_error")
    assert response.json["field"] in ("username", "display_name", "role")


def chunked(api, path: str, body: bytes, **kwargs):
    """A body without Content-Length, as a server that decodes Transfer-Encoding: chunked passes it on."""
    return api.post(path, input_stream=io.BytesIO(body), content_type="application/json",
                    headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True},
                    **kwargs)


def test_a_chunked_body_past_the_limit_is_413_not_cut_short(app, api):
    limit = app.config["MAX_CONTENT_LENGTH"]
    # Valid JSON up to the limit, so a reader that stopped there would accept the cut body.
    body = json.dumps({"phone": "13800000000", "number": "x"}).encode() + b" " * limit
    response = chunked(api, "/api/v1/progress", body, as_=None)
    assert_error(response, 413, "body_too_large")
    assert response.json["details"]["limit"] == limit


def test_a_chunked_body_exactly_at_the_limit_is_read_whole(app, api):
    limit = app.config["MAX_CONTENT_LENGTH"]
    head = json.dumps({"username": "chunked", "display_name": "Chunked", "role": "crew"}).encode()
    response = chunked(api, "/api/v1/users", head + b" " * (limit - len(head)))
    assert response.status_code == 201, response.json


json_values = st.recursive(st.none() | st.integers() | st.text(),
                           lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20)


def _recursive_depth(value) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return 1 + max(map(_recursive_depth, value), default=0)
    return 0


@given(json_values)
def test_nesting_depth_counts_arrays_and_objects(value):
    assert nesting_depth(value) == _recursive_depth(value)
