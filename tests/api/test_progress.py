"""The applicant's progress query (进度查询, 004 三(七)): public, answers the timeline only, gives nothing away."""
import hmac
import json
from datetime import datetime

import pytest

from tests.factories import approved_orders, connect, make_application, make_team

PROGRESS = "/api/v1/progress"


def ask(api, tenant, number: str, phone: str = "13872345678"):
    return api.post(PROGRESS, as_=None, json={"tenant": tenant.tenant.slug, "number": number, "contact_phone": phone})


def by_code(api, code: str):
    return api.post(PROGRESS, as_=None, json={"code": code})


def test_the_receipts_code_gives_every_stage_in_chinese_local_time_and_masked_names(api, tenant):
    application = make_application(api, contact_phone="13872345678")
    code = application["progress_code"]
    assert len(code) == 16 and code != make_application(api)["progress_code"]
    printed = "-".join(code[i:i + 4] for i in range(0, 16, 4)).lower()
    response = by_code(api, printed)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["number"], body["applicant"], body["contact"], body["utilities"]) == (
        application["number"], "随州市********有限公司", "陈**", ["用水", "用气"])
    assert [(s["name"], s["status_name"]) for s in body["stages"]] == [
        ("受理", "已完成"), ("踏勘", "办理中"), ("审批", "未开始"), ("施工（用水）", "未开始"), ("通水", "未开始"),
        ("施工（用气）", "未开始"), ("通气", "未开始"), ("回访", "未开始")]
    accepted, water_on = body["stages"][0], body["stages"][4]
    assert accepted["done_at"].endswith("+08:00") and body["applied_at"].endswith("+08:00")
    assert datetime.fromisoformat(accepted["done_at"]) == datetime.fromisoformat(application["applied_at"])
    # 000 S1: water on at application (即办): due by the close of that working day, shown in Beijing time.
    assert water_on["due_at"].endswith("T17:30:00+08:00")
    steps = {(s["utility"], s["step"]): s for s in body["steps"]}
    assert sorted(steps) == [("gas", "acceptance"), ("water", "connection")]
    assert (steps[("water", "connection")]["name"], steps[("gas", "acceptance")]["name"]) == ("用水·通水", "用气·受理")
    text = json.dumps(body, ensure_ascii=False)
    for private in (application["applicant_unit"], application["address"], application["contact_name"],
                    application["id"], application["task_id"], "13872345678"):
        assert private not in text


def test_the_stages_follow_survey_approval_construction_and_connection(api, tenant):
    orders = approved_orders(api)
    team = make_team(api, "曾都一队")
    connect(api, orders["water"]["id"], team["id"])
    code = api.get(f"/api/v1/applications/{orders['water']['application_id']}", as_="dispatcher").json["progress_code"]
    stages = {s["name"]: s for s in by_code(api, code).json["stages"]}
    assert {name: stage["status"] for name, stage in stages.items()} == {
        "受理": "done", "踏勘": "done", "审批": "done", "施工（用水）": "done", "通水": "done",
        "施工（用气）": "waiting", "通气": "waiting", "回访": "waiting"}
    assert all(stage["done_at"].endswith("+08:00") for stage in stages.values() if stage["done_at"])


def test_times_are_shown_in_the_tenants_time_zone(api, tenant, db_session):
    tenant.tenant.time_zone = "Asia/Urumqi"
    db_session.flush()
    body = by_code(api, make_application(api)["progress_code"]).json
    assert body["applied_at"].endswith("+06:00") and body["stages"][4]["due_at"].endswith("T15:30:00+06:00")


def test_number_and_phone_still_give_the_same_answer(api, tenant):
    application = make_application(api, contact_phone="13872345678")
    response = ask(api, tenant, application["number"])
    assert response.status_code == 200, response.json
    assert response.json == by_code(api, application["progress_code"]).json


def test_a_wrong_code_is_the_same_404(api, tenant):
    application = make_application(api)
    wrong = by_code(api, "0" * 16)
    assert (wrong.status_code, wrong.json) == (404, ask(api, tenant, application["number"], "13900001111").json)


def test_the_phone_may_be_written_with_the_country_code(api, tenant):
    application = make_application(api, contact_phone="13872345678")
    assert ask(api, tenant, application["number"], "+8613872345678").status_code == 200


def test_wrong_pairs_and_missing_applications_get_the_same_404(api, tenant, other_tenant):
    application = make_application(api, contact_phone="13872345678")
    answers = [
        ask(api, tenant, application["number"], "13900001111"),  # wrong phone
        ask(api, tenant, "BZ2026010100000"),  # no such number
        ask(api, other_tenant, application["number"]),  # another utility's
    ]
    assert {response.status_code for response in answers} == {404}
    assert len({json.dumps(response.json, sort_keys=True) for response in answers}) == 1
    assert answers[0].json["code"] == "not_found"
    assert application["number"] not in json.dumps(answers[0].json)


def test_the_phone_is_compared_in_constant_time_even_when_nothing_matched(api, tenant, monkeypatch):
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append((len(a), len(b))) or real(a, b))
    application = make_application(api)
    ask(api, tenant, application["number"], "13900001111")
    ask(api, tenant, "BZ2026010100000")
    ask(api, tenant, application["number"])
    assert compared == [(32, 32)] * 3  # equal-length digests, whatever matched


def test_hammering_the_query_gets_429(app, api, tenant):
    application = make_application(api)
    limit = app.config["PROGRESS_QUERIES_PER_MINUTE"]
    # Twice the limit and one: a minute boundary can reset the window once, not twice.
    answers = [ask(api, tenant, application["number"], "13900001111") for _ in range(2 * limit + 1)]
    assert [response.status_code for response in answers[:limit]] == [404] * limit
    limited = next(response for response in answers if response.status_code == 429)
    assert (limited.json["code"], limited.json["details"]["limit_per_minute"]) == ("rate_limited", limit)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("body, field", [
    ({}, "code"),
    ({"code": "7F3A-9C21"}, "code"),
    ({"code": "7F3A9C21D04BE6A5", "number": "BZ1"}, "number"),
    ({"number": "BZ1", "contact_phone": "13872345678"}, "tenant"),
    ({"tenant": "t", "number": "BZ1", "contact_phone": "12345"}, "contact_phone"),
])
def test_a_malformed_query_is_a_422(api, body, field):
    response = api.post(PROGRESS, as_=None, json=body)
    assert (response.status_code, response.json["field"]) == (422, field)
