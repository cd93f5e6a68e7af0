"""Lists: the configured largest page is the one enforced and documented; X-Pagination is JSON text, as documented."""
import json

from tests.api.test_errors import assert_error


def paginated_operations(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict):
                for parameter in operation.get("parameters", []):
                    if parameter.get("name") == "page_size":
                        yield method, path, operation, parameter


def test_the_openapi_states_the_configured_page_size_max(app, api):
    spec = api.get("/docs/openapi.json").json
    found = list(paginated_operations(spec))
    assert len(found) > 10
    assert {parameter["schema"]["maximum"] for *_, parameter in found} == {app.config["PAGE_SIZE_MAX"]}


def test_page_size_max_is_read_at_request_time(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE_MAX", 3)
    assert api.get("/api/v1/users", query_string={"page_size": 3}).status_code == 200
    refused = api.get("/api/v1/users", query_string={"page_size": 4})
    assert_error(refused, 422, "validation_error")
    assert (refused.json["field"], refused.json["details"]["limit"]) == ("query.page_size", 3)


def test_a_page_past_what_an_offset_can_hold_is_422_not_a_database_error(api):
    spec = api.get("/docs/openapi.json").json
    (page,) = [p for p in spec["paths"]["/api/v1/users"]["get"]["parameters"] if p["name"] == "page"]
    assert api.get("/api/v1/users", query_string={"page": page["schema"]["maximum"]}).status_code == 200
    refused = api.get("/api/v1/users", query_string={"page": page["schema"]["maximum"] + 1, "page_size": 87})
    assert_error(refused, 422, "validation_error")
    assert refused.json["field"] == "query.page"


def test_x_pagination_is_the_documented_object_as_json_text(api):
    spec = api.get("/docs/openapi.json").json
    header = spec["components"]["headers"]["PAGINATION"]
    assert "schema" not in header
    metadata_schema = header["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    response = api.get("/api/v1/users", query_string={"page_size": 2})
    metadata = json.loads(response.headers["X-Pagination"])
    assert metadata["total"] >= 5 and metadata["page"] == 1
    assert set(metadata) <= set(spec["components"]["schemas"][metadata_schema]["properties"])
    for *_, operation, _ in paginated_operations(spec):
        assert operation["responses"]["200"]["headers"]["X-Pagination"] == {"$ref": "#/components/headers/PAGINATION"}
