"""What the server demands, the OpenAPI declares: a client generated from it is not refused for a missing part."""
from tests.api.test_request_bodies import ROLES, _fill

IF_MATCH = "#/components/parameters/IF_MATCH"


def test_every_operation_that_demands_if_match_declares_it(app, api):
    spec = api.get("/docs/openapi.json").json
    undeclared, checked = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", []) + operations.get("parameters", [])
            url = _fill(path, parameters)
            for role in ROLES:
                response = api.request(method.upper(), url, as_=role, json={})
                if response.status_code not in (401, 403):
                    break
            if response.status_code == 428:
                checked += 1
                if {"$ref": IF_MATCH} not in parameters:
                    undeclared.append(f"{method.upper()} {path}")
    assert checked >= 3
    assert not undeclared
    assert spec["components"]["parameters"]["IF_MATCH"]["required"] is True


def test_the_blob_path_states_its_sha256_pattern(api):
    spec = api.get("/docs/openapi.json").json
    (parameter,) = [p for p in spec["paths"]["/api/v1/blobs/{sha256}"]["parameters"] if p["name"] == "sha256"]
    assert parameter["schema"]["pattern"] == "^[0-9a-f]{64}$"
