"""The applicant's progress query (进度查询, 004 三(七)): public, answers the timeline only, gives nothing away."""
import hmac
import json

import pytest

from tests.factories import make_application

PROGRESS = "/api/v1/progress"


def ask(api, tenant, number: str, phone: str = "13872345678"):
    return api.post(PROGRESS, as_=None, json={"tenant": tenant.tenant.slug, "number": number, "contact_phone": phone})


def test_number_and_phone_give_the_steps_and_nothing_else(api, tenant):
    application = make_application(api, contact_phone="13872345678")
    response = ask(api, tenant, application["number"])
    assert response.status_code == 200, response.json
    assert list(response.json) == ["steps"]
    # 000 S1: water is connected on application (immediate), gas accepted at once (done on acceptance).
    steps = {(s["utility"], s["step"]): s for s in response.json["steps"]}
    assert sorted(steps) == [("gas", "acceptance"), ("water", "connection")]
    assert all(set(step) == {"utility", "step", "due_at", "done_at"} for step in steps.values())
    assert steps[("gas", "acceptance")]["done_at"] == application["applied_at"]
    text = json.dumps(response.json, ensure_ascii=False)
    for private in (application["applicant_unit"], application["address"], application["contact_name"],
                    application["id"], application["task_id"], "13872345678"):
        assert private not in text


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
    assert (limited.json["code"], limited.json["details"]) == ("rate_limited", {"limit_per_minute": limit})


@pytest.mark.parametrize("body, field", [
    ({"number": "BZ1", "contact_phone": "13872345678"}, "tenant"),
    ({"tenant": "t", "number": "BZ1", "contact_phone": "12345"}, "contact_phone"),
])
def test_a_malformed_query_is_a_422(api, body, field):
    response = api.post(PROGRESS, as_=None, json=body)
    assert (response.status_code, response.json["field"]) == (422, field)
