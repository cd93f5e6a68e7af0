"""Probes and the served OpenAPI."""


def test_healthz(app):
    assert app.test_client().get("/healthz").json == {"status": "ok"}


def test_readyz_checks_database_and_migrations(app):
    body = app.test_client().get("/readyz").json
    assert body["status"] == "ok"
    assert {name: body["checks"][name] for name in ("database", "migrations")} == {"database": "reachable",
                                                                                   "migrations": "at head"}


def test_openapi_documents_the_error_shape(app):
    spec = app.test_client().get("/docs/openapi.json").json
    assert spec["info"]["title"] == "Tapline"
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"code", "message", "field", "details"}
    assert "/api/v1/users" in spec["paths"]


def test_swagger_ui_and_its_assets_are_served_without_internet(app):
    client = app.test_client()
    page = client.get("/docs/swagger").get_data(as_text=True)
    assert 'src="/docs/swagger-ui/swagger-ui-bundle.js"' in page
    assert client.get("/docs/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_exact_decimals_are_documented_as_decimal_strings(app):
    """They are written as strings ("200.01"); a numeric minimum on a string would make the spec invalid."""
    spec = app.test_client().get("/docs/openapi.json").json
    field = spec["components"]["schemas"]["Application"]["properties"]["gas_load_m3_per_h"]
    assert (field["type"], field["format"]) == ("string", "decimal")
    assert "minimum" not in field
