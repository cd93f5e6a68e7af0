"""Applications (一表申请): the demand form's checks, the one joint survey task, and platform intake."""
import pytest

from tests.factories import CREDIT_CODE, ApiClient, make_application, task_path

APPLICATIONS = "/api/v1/applications"


def platform_item(code: str, **overrides) -> dict:
    item = {"project_code": code, "applicant_unit": "三亚市吉阳区某酒店管理有限公司",
            "address": "三亚市吉阳区迎宾路1号", "contact_name": "林经理", "contact_phone": "0898-88661234",
            "utilities": ["water"], "profile_id": "sanya",
            "location": {"type": "Point", "coordinates": [109.5115, 18.2505]}}
    return {**item, **overrides}


def application_body() -> dict:
    """The fewest fields of a valid water application."""
    return {"applicant_unit": "随州市某公司", "credit_code": CREDIT_CODE, "address": "随州市曾都区",
            "contact_name": "陈经理", "contact_phone": "13872345678", "utilities": ["water"]}


def test_an_application_makes_one_task_covering_every_utility(api):
    application = make_application(api)
    assert application["number"].startswith("BZ")
    assert application["profile_id"] == "suizhou"  # the tenant's profile by default
    task = api.get(task_path(application["task_id"]), as_="dispatcher").json
    assert task["status"] == "new"
    assert task["utilities"] == ["water", "gas"]
    assert [survey["utility"] for survey in task["surveys"]] == ["gas", "water"]
    assert task["site"] == {"type": "Point", "coordinates": [113.3712, 31.6905]}
    assert '"total": 1' in api.get("/api/v1/tasks", as_="dispatcher").headers["X-Pagination"]


def test_the_application_is_read_back_as_stored(api):
    created = make_application(api, requested_connection_at="2026-12-01T09:00:00+08:00", pre_service=True)
    fetched = api.get(f"{APPLICATIONS}/{created['id']}", as_="engineer")
    assert fetched.status_code == 200
    assert fetched.json == created
    assert created["water_demand_t_per_day"] == "120.00"
    assert created["requested_connection_at"] == "2026-12-01T01:00:00+00:00"
    assert [a["id"] for a in api.get(APPLICATIONS, as_="engineer").json] == [created["id"]]


@pytest.mark.parametrize("credit_code,message", [
    ("91421300MA4F1234XB", "check character is 'B' but should be 'A'"),
    ("91421300ma4f1234xa", "use capital letters"),
    ("91421300MA4F1234X", "has 18 characters, this has 17"),
    ("91421300MA4F1234XAA", "has 18 characters, this has 19"),
    ("91421300MA4F1234OA", "'O' cannot appear"),
])
def test_a_wrong_credit_code_is_a_422_on_the_field(api, credit_code, message):
    response = api.post(APPLICATIONS, as_="dispatcher", json={**application_body(), "credit_code": credit_code})
    assert response.status_code == 422
    assert response.json["field"] == "credit_code"
    assert message in response.json["message"]


def test_a_valid_credit_code_defers_nothing(api):
    assert make_application(api, credit_code=CREDIT_CODE)["deferred_materials"] == []


@pytest.mark.parametrize("absent", [{"credit_code": None}, {}])
def test_a_missing_credit_code_becomes_a_deferred_material(api, absent):
    body = {k: v for k, v in application_body().items() if k != "credit_code"} | absent
    response = api.post(APPLICATIONS, as_="dispatcher", json=body)
    assert response.status_code == 201
    assert response.json["deferred_materials"] == [
        {"material": "credit_code", "due_before": "connection", "clause": "000 二(二); 002 三(一)1"}]


@pytest.mark.parametrize("field,value,code", [
    ("contact_phone", "1387234567", "validation_error"),
    ("utilities", ["water", "water"], "validation_error"),
    ("utilities", ["electricity"], "validation_error"),
    ("profile_id", "beijing", "unknown_profile"),
    ("location", {"type": "Point", "coordinates": [213.37, 31.69]}, "invalid_position"),
    ("location", {"type": "LineString", "coordinates": [113.37, 31.69]}, "validation_error"),
])
def test_invalid_fields_are_named(api, field, value, code):
    response = api.post(APPLICATIONS, as_="dispatcher", json={**application_body(), field: value})
    assert response.status_code == 422
    assert response.json["code"] == code
    assert response.json["field"].startswith(field)


@pytest.mark.parametrize("role", ["engineer", "crew"])
def test_only_dispatchers_and_admins_create(api, role):
    assert api.post(APPLICATIONS, as_=role, json=application_body()).status_code == 403
    intake = api.post(f"{APPLICATIONS}/intake", as_=role, json={"applications": [platform_item("P-1")]})
    assert intake.status_code == 403


def test_intake_is_idempotent_by_project_code(api):
    batch = {"applications": [platform_item("2026-460200-44-01-000001"), platform_item("2026-460200-44-01-000002")]}
    first = api.post(f"{APPLICATIONS}/intake", as_="dispatcher", json=batch)
    assert first.status_code == 200
    assert [r["result"] for r in first.json["results"]] == ["created", "created"]
    again = api.post(f"{APPLICATIONS}/intake", as_="dispatcher",
                     json={"applications": [platform_item("2026-460200-44-01-000003"), *batch["applications"]]})
    assert [r["result"] for r in again.json["results"]] == ["created", "existing", "existing"]
    assert [r["application_id"] for r in again.json["results"][1:]] == [r["application_id"]
                                                                       for r in first.json["results"]]
    stored = api.get(f"{APPLICATIONS}?channel=platform", as_="dispatcher")
    assert '"total": 3' in stored.headers["X-Pagination"]
    assert {a["channel"] for a in stored.json} == {"platform"}


def test_intake_takes_a_code_once_within_a_batch(api):
    batch = {"applications": [platform_item("P-7"), platform_item("P-7", address="重复推送")]}
    results = api.post(f"{APPLICATIONS}/intake", as_="dispatcher", json=batch).json["results"]
    assert [r["result"] for r in results] == ["created", "existing"]
    assert results[0]["application_id"] == results[1]["application_id"]


def test_intake_needs_project_codes_and_names_the_item(api):
    item = {k: v for k, v in platform_item("x").items() if k != "project_code"}
    response = api.post(f"{APPLICATIONS}/intake", as_="dispatcher", json={"applications": [platform_item("P-1"), item]})
    assert response.status_code == 422
    assert response.json["field"] == "applications[1].project_code"


def test_intake_is_all_or_nothing(api):
    batch = {"applications": [platform_item("P-1"), platform_item("P-2", profile_id="atlantis")]}
    response = api.post(f"{APPLICATIONS}/intake", as_="dispatcher", json=batch)
    assert response.status_code == 422
    assert response.json["field"] == "applications[1].profile_id"
    assert api.get(APPLICATIONS, as_="dispatcher").json == []


def test_applications_do_not_cross_tenants(api, app, other_tenant):
    created = make_application(api)
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(f"{APPLICATIONS}/{created['id']}", as_="admin").status_code == 404
    assert other.get(APPLICATIONS, as_="admin").json == []
