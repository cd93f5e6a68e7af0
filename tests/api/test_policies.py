"""GET /api/v1/policies and POST /api/v1/policies/{id}/evaluate through HTTP."""
import pytest

from server.api.policies import EXAMPLE

PROFILE_IDS = {"suizhou", "jingmen", "wuhu", "xinzheng", "sanya"}


def test_profiles_are_listed_with_version_and_source(api):
    profiles = {p["id"]: p for p in api.get("/api/v1/policies", as_="crew").json}
    assert set(profiles) == PROFILE_IDS
    assert profiles["sanya"]["utilities"] == ["water"]
    assert profiles["sanya"]["source_seed"].startswith("004_")
    assert all(p["version"] and p["effective_date"] for p in profiles.values())


def test_profile_rules_cite_their_clauses(api):
    rules = api.get("/api/v1/policies/suizhou").json["rules"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["S4"]["clause"] == "000 二(四)"


def test_unknown_profile_is_404(api):
    assert api.get("/api/v1/policies/atlantis").status_code == 404
    assert api.post("/api/v1/policies/atlantis/evaluate", json={"utility": "water"}).status_code == 404


def test_documented_example_is_what_the_engine_answers(api):
    """The OpenAPI example is a real decision, not prose."""
    response = api.post(f"/api/v1/policies/{EXAMPLE['profile']}/evaluate", json=EXAMPLE["request"])
    assert response.status_code == 200
    assert response.json == EXAMPLE["response"]


def test_example_shows_in_the_openapi(app):
    spec = app.test_client().get("/docs/openapi.json").json
    operation = spec["paths"]["/api/v1/policies/{profile_id}/evaluate"]["post"]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert {e["clause"] for e in example["explanation"]} >= {"004 四(二)2"}


@pytest.mark.parametrize("outside_length_m,path", [(200, "notify_commit"), (200.005, "tolerant_parallel"),
                                                   (200.004, "notify_commit"), (0, None)])
def test_sanya_y2_boundary_through_http(api, outside_length_m, path):
    """004 四(二)2: 长度不大于 200 米 → 告知承诺制; 200.005 rounds half-up to 200.01 and is over."""
    facts = {**EXAMPLE["request"], "outside_length_m": outside_length_m}
    assert api.post("/api/v1/policies/sanya/evaluate", json=facts).json["approval_path"] == path


def test_near_threshold_is_flagged_with_margin(api):
    body = api.post("/api/v1/policies/sanya/evaluate", json=EXAMPLE["request"]).json
    assert body["near_threshold"][0]["margin"] == "1.60"


def test_unknown_fact_is_422_naming_it(api):
    response = api.post("/api/v1/policies/sanya/evaluate", json={"utility": "water", "colour": "blue"})
    assert response.status_code == 422
    assert response.json["field"] == "colour"


@pytest.mark.parametrize("fact,value", [("outside_length_m", "far"), ("meter_dn", True), ("utility", "steam"),
                                        ("applied_at", "2026-11-25T10:00:00")])
def test_wrong_type_is_422_naming_the_fact(api, fact, value):
    response = api.post("/api/v1/policies/suizhou/evaluate", json={"utility": "water", fact: value})
    assert response.status_code == 422
    assert response.json["field"] == fact


def test_missing_fact_is_named_not_guessed(api):
    body = api.post("/api/v1/policies/suizhou/evaluate",
                    json={"utility": "water", "business_type": "new", "customer_class": "enterprise"}).json
    assert body["free_installation"] is None
    assert {"meter_dn", "outside_length_m"} <= set(body["missing_facts"])


def test_deadlines_follow_the_tenants_calendar_override(api):
    facts = {**EXAMPLE["request"], "surveyed_at": "2031-09-26T15:00:00+08:00"}
    before = api.post("/api/v1/policies/sanya/evaluate", json=facts).json
    approval = next(d for d in before["deadlines"] if d["step"] == "outer_works_approval")
    assert approval["calendar"] == "estimated"
    assert approval["due"] == "2031-09-29T17:30:00+08:00"
    api.put("/api/v1/calendar/2031", json={"holidays": ["2031-09-29"], "workdays": []})
    after = api.post("/api/v1/policies/sanya/evaluate", json=facts).json
    approval = next(d for d in after["deadlines"] if d["step"] == "outer_works_approval")
    assert (approval["calendar"], approval["due"]) == ("override", "2031-09-30T17:30:00+08:00")
