"""Policy versions through HTTP: upload (TOML, JSON), override, history, diff, the version that decides, preview."""
from datetime import date, datetime, timedelta
from importlib.resources import files

import pytest
from sqlalchemy import update

from policy.calendar import SHANGHAI
from policy.documents import shipped_document, to_json
from server.config import Config
from server.models import Application
from tests.factories import make_application, make_survey, move, put_survey, task_in, task_path

VERSIONS = "/api/v1/policies/suizhou/versions"
WATER_ONE_DAY = {"id": "S1", "kind": "deadline", "clause": "000 二(三)", "quote": "办理时限压缩为即办",
                 "when": [{"fact": "utility", "op": "==", "value": "water"}], "step": "connection",
                 "anchor": "applied_at", "duration": {"value": 1, "unit": "working_days", "wording": "1个工作日"}}


def in_days(days: int) -> date:
    return datetime.now(SHANGHAI).date() + timedelta(days=days)


def suizhou_document(version: str = "2.0", effective: date | None = None) -> dict:
    document = to_json(shipped_document("suizhou"))
    return {**document, "version": version, "effective_date": (effective or in_days(30)).isoformat()}


def suizhou_toml(version: str = "2.0", effective: date | None = None) -> str:
    text = (files("policy") / "profiles" / "suizhou.toml").read_text(encoding="utf-8")
    assert 'version = "1.0"' in text and "effective_date = 2023-01-12" in text
    return (text.replace('version = "1.0"', f'version = "{version}"')
            .replace("effective_date = 2023-01-12", f"effective_date = {(effective or in_days(30)).isoformat()}"))


def override(version: str = "1.0-一天", effective: date | None = None, **extra) -> dict:
    return {"override": {"version": version, "effective_date": (effective or in_days(10)).isoformat(),
                         "rules": [WATER_ONE_DAY], **extra}}


def test_the_shipped_profile_is_version_1(api):
    history = api.get(VERSIONS, as_="crew").json
    assert [(v["version"], v["origin"], v["in_force_today"], v["created_by"]) for v in history] == [
        ("1.0", "shipped", True, None)]


def test_an_admin_uploads_toml_and_it_is_kept_with_who_and_when(api):
    effective = in_days(30)
    response = api.post(VERSIONS, json={"toml": suizhou_toml("2.0", effective)})
    assert response.status_code == 201, response.json
    assert (response.json["version"], response.json["origin"], response.json["created_by"]) == ("2.0", "upload",
                                                                                                  "admin")
    history = api.get(VERSIONS, as_="engineer").json
    assert [(v["version"], v["effective_date"], v["in_force_today"]) for v in history] == [
        ("1.0", shipped_document("suizhou")["effective_date"].isoformat(), True), ("2.0", effective.isoformat(), False)]
    assert history[1]["created_at"]
    assert api.get(f"{VERSIONS}/2.0").json["rules"] == api.get(f"{VERSIONS}/1.0").json["rules"]


def test_a_json_override_is_its_own_version_and_the_shipped_file_is_untouched(api):
    response = api.post(VERSIONS, json=override())
    assert response.status_code == 201, response.json
    assert (response.json["origin"], response.json["base_version"]) == ("override", "1.0")
    assert response.json["overrides"] == [WATER_ONE_DAY]
    assert shipped_document("suizhou")["rules"][5]["duration"] == {"unit": "immediate", "wording": "即办"}
    assert api.get(f"{VERSIONS}/1.0").json["origin"] == "shipped"


def test_the_version_in_force_at_applied_at_decides(api):
    effective = in_days(10)
    api.post(VERSIONS, json=override(effective=effective))
    facts = {"utility": "water", "business_type": "new", "customer_class": "enterprise"}
    before = datetime.combine(effective - timedelta(days=1), datetime.min.time(), SHANGHAI).replace(hour=10)
    after = before + timedelta(days=1)
    decided = {at: api.post("/api/v1/policies/suizhou/evaluate", json={**facts, "applied_at": at.isoformat()}).json
               for at in (before, after)}
    assert decided[before]["version"] == "1.0"
    assert decided[before]["deadlines"][0]["due"] == before.isoformat()
    assert decided[after]["version"] == "1.0-一天"
    assert decided[after]["deadlines"][0]["duration"] == {"value": "1", "unit": "working_days",
                                                         "wording": "1个工作日"}
    today = api.post("/api/v1/policies/suizhou/evaluate", json=facts).json
    assert today["version"] == "1.0"
    assert api.get("/api/v1/policies/suizhou").json["version"] == "1.0"


@pytest.mark.parametrize(("body", "field", "rule", "message"), [
    pytest.param({"toml": "[[rules]"}, "toml", None, "not valid TOML", id="broken TOML"),
    pytest.param({"document": {**suizhou_document(), "id": "sanya"}}, "document.id", None, "profile in the URL",
                 id="another profile's document"),
    pytest.param({"document": {**suizhou_document(), "effective_date": "next year"}}, "document.effective_date",
                 None, "2023-01-12", id="effective date not a date"),
    pytest.param(override(rules=[{**WATER_ONE_DAY, "duration": {"value": -1, "unit": "working_days"}}]),
                 "override.rules[0]", "S1", "greater than 0", id="negative working days"),
    pytest.param(override(rules=[{**WATER_ONE_DAY, "step": "survey"}]), "override.rules[0]", "S1",
                 "no deadline rule S1 for step survey", id="overriding a rule the base lacks"),
    pytest.param(override(rules=[{**WATER_ONE_DAY, "colour": "red"}]), "override.rules[0].colour", "S1",
                 "unknown keys", id="unknown key in a rule"),
])
def test_a_bad_version_is_refused_naming_field_and_rule_and_nothing_is_stored(api, body, field, rule, message):
    response = api.post(VERSIONS, json=body)
    assert response.status_code == 422, response.json
    assert (response.json["code"], response.json["field"], response.json["details"]["rule"]) == (
        "invalid_profile", field, rule)
    assert message in response.json["message"]
    assert len(api.get(VERSIONS).json) == 1


def test_a_clause_error_in_an_uploaded_document_names_its_rule(api):
    document = suizhou_document()
    document["rules"][3]["clause"] = "004 二(四)"
    response = api.post(VERSIONS, json={"document": document})
    assert (response.status_code, response.json["field"], response.json["details"]["rule"]) == (
        422, "document.rules[3].clause", document["rules"][3]["id"])


@pytest.mark.parametrize("days", [0, -3])
def test_a_version_never_reaches_back(api, days):
    response = api.post(VERSIONS, json={"document": suizhou_document(effective=in_days(days))})
    assert (response.status_code, response.json["code"], response.json["field"]) == (
        422, "effective_date_not_future", "document.effective_date")


def test_a_version_is_never_replaced(api):
    assert api.post(VERSIONS, json=override("1.1")).status_code == 201
    for body in (override("1.1"), {"document": suizhou_document("1.0")}):
        response = api.post(VERSIONS, json=body)
        assert (response.status_code, response.json["code"]) == (409, "version_exists")
    assert len(api.get(VERSIONS).json) == 2


@pytest.mark.parametrize("body", [{}, {"toml": "x", "override": override()["override"]}])
def test_exactly_one_source_is_sent(api, body):
    response = api.post(VERSIONS, json=body)
    assert (response.status_code, response.json["code"]) == (422, "one_source_required")


@pytest.mark.parametrize("role", ["crew", "engineer", "dispatcher"])
def test_only_an_admin_authors_versions(api, role):
    assert api.post(VERSIONS, json=override(), as_=role).status_code == 403
    assert api.post(f"{VERSIONS}/preview", json=override(), as_=role).status_code == 403


def test_the_diff_names_each_changed_clause(api):
    api.post(VERSIONS, json=override("1.1"))
    diff = api.get("/api/v1/policies/suizhou/diff?from=1.0&to=1.1", as_="engineer").json
    assert (diff["from"], diff["to"]) == ("1.0", "1.1")
    assert [h["key"] for h in diff["header"]] == ["effective_date"]
    assert [(r["rule"], r["kind"], r["step"], r["change"], r["changed_keys"]) for r in diff["rules"]] == [
        ("S1", "deadline", "connection", "changed", ["branches", "quote"])]
    assert api.get("/api/v1/policies/suizhou/diff?from=1.0&to=9.9").status_code == 404
    assert api.get("/api/v1/policies/suizhou/diff?from=1.0").status_code == 422


def test_the_preview_lists_open_applications_whose_deadlines_would_change(api):
    application = make_application(api)
    response = api.post(f"{VERSIONS}/preview", json=override())
    assert response.status_code == 200, response.json
    preview = response.json
    assert (preview["version"], preview["open_applications"], preview["examined"], preview["truncated"]) == (
        "1.0-一天", 1, 1, False)
    [change] = preview["changes"]
    assert (change["application_id"], change["utility"], change["changed"]) == (
        application["id"], "water", ["deadlines.connection"])
    applied = datetime.fromisoformat(application["applied_at"])
    assert datetime.fromisoformat(change["before"]["deadlines"]["connection"]) == applied
    assert datetime.fromisoformat(change["after"]["deadlines"]["connection"]) > applied
    assert (change["before"]["version"], change["after"]["version"]) == ("1.0", "1.0-一天")
    assert len(api.get(VERSIONS).json) == 1


def test_the_preview_skips_cancelled_applications_and_says_when_it_stops(api, app):
    kept = make_application(api)
    make_application(api)
    cancelled = make_application(api)
    assert move(api, cancelled["task_id"], "cancelled", as_="dispatcher", reason="withdrawn").status_code == 200
    app.config["POLICY_PREVIEW_MAX_APPLICATIONS"] = 1
    try:
        preview = api.post(f"{VERSIONS}/preview", json=override()).json
    finally:
        app.config["POLICY_PREVIEW_MAX_APPLICATIONS"] = Config.POLICY_PREVIEW_MAX_APPLICATIONS
    assert (preview["open_applications"], preview["examined"], preview["truncated"], preview["limit"]) == (2, 1,
                                                                                                           True, 1)
    assert preview["changes"][0]["application_id"] != kept["id"]


def test_a_stored_version_is_previewed_before_it_takes_effect(api):
    application = make_application(api)
    assert api.post(VERSIONS, json=override()).status_code == 201
    preview = api.get(f"{VERSIONS}/1.0-一天/preview").json
    assert [(c["application_id"], c["changed"]) for c in preview["changes"]] == [
        (application["id"], ["deadlines.connection"])]
    assert api.get(f"{VERSIONS}/1.0/preview").json["changes"] == []
    assert api.get(f"{VERSIONS}/9.9/preview").status_code == 404
    assert api.get(f"{VERSIONS}/1.0-一天/preview", as_="engineer").status_code == 403


def test_a_determination_names_the_version_in_force_when_the_application_was_received(api, db_session):
    effective = in_days(10)
    assert api.post(VERSIONS, json=override(effective=effective)).status_code == 201
    early, late = task_in(api, "on_site"), task_in(api, "on_site")
    received = datetime.combine(effective, datetime.min.time(), SHANGHAI).replace(hour=9)
    late_application = api.get(task_path(late), as_="engineer").json["application_id"]
    # No application can be received in the future; move one there, as the calendar will.
    db_session.execute(update(Application).where(Application.id == late_application).values(applied_at=received))
    db_session.commit()
    for task_id in (early, late):
        for utility in ("water", "gas"):
            assert put_survey(api, task_id, utility, make_survey()).status_code == 200
        assert move(api, task_id, "submitted", as_="crew").status_code == 200
    water = {task_id: next(d for d in api.get(f"{task_path(task_id)}/determinations", as_="engineer").json
                           if d["utility"] == "water") for task_id in (early, late)}
    assert (water[early]["profile_version"], water[late]["profile_version"]) == ("1.0", "1.0-一天")
    deadline = {task_id: next(d for d in water[task_id]["decision"]["deadlines"] if d["step"] == "connection")
                for task_id in (early, late)}
    assert deadline[early]["duration"]["unit"] == "immediate"
    assert deadline[late]["duration"]["unit"] == "working_days"
