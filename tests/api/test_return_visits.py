"""Return visits (回访, 003 三(六), 002 四7) through HTTP: the quota, reproducible sampling, follow-ups, the report."""
import json
import math
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest

from policy import Duration, DurationUnit, WorkingCalendar
from policy.calendar import SHANGHAI
from server.services.return_visits import sampled
from tests.factories import XINZHENG_SITE, approved_orders, city_client, connect, make_team

VISITS = "/api/v1/return-visits"


@pytest.fixture
def xinzheng(app, tenants):
    return city_client(app, tenants, "xinzheng")


@pytest.fixture
def team(xinzheng):
    return make_team(xinzheng, "新郑燃气施工队", around=XINZHENG_SITE, utilities=("gas",), daily_capacity=100)


def connected(api, team, customer_class: str) -> dict:
    """Connect a gas application of this class; returns its return-visit decision."""
    order = approved_orders(api, site=XINZHENG_SITE, utilities=["gas"], customer_class=customer_class)["gas"]
    connect(api, order["id"], team["id"])
    visit, = [v for v in api.get(VISITS, as_="dispatcher", query_string={"page_size": 500}).json
              if v["work_order_id"] == order["id"]]
    return visit


def test_the_hash_sample_is_reproducible_and_near_the_quota():
    tenant, month = uuid.uuid4(), date(2026, 11, 1)
    applications = [uuid.uuid4() for _ in range(20_000)]
    picked = [sampled(tenant, month, application, 10) for application in applications]
    assert picked == [sampled(tenant, month, application, 10) for application in applications]
    assert 0.09 < sum(picked) / len(picked) < 0.11
    # Another month draws another sample.
    assert picked != [sampled(tenant, date(2026, 12, 1), application, 10) for application in applications]


def test_every_non_residential_connection_is_visited(xinzheng, team):
    visit = connected(xinzheng, team, "enterprise")
    assert (visit["percent"], visit["selected_by"], visit["status"]) == (100, "all", "scheduled")
    assert visit["month"] == f"{datetime.now(SHANGHAI):%Y-%m}"


def test_residential_visits_are_sampled_reproducibly_and_never_below_ten_percent(xinzheng, team):
    """003 三(六)1 民用户……每月不低于10%的回访: a hash under the quota, topped up to keep the month at it."""
    visits = [connected(xinzheng, team, "residential") for _ in range(12)]
    tenant_id = xinzheng.world.id
    month = date.fromisoformat(f"{visits[0]['month']}-01")
    # Replaying the rule over the same connections, in order, gives the same decisions.
    selected = 0
    for decided, visit in enumerate(visits):
        if sampled(tenant_id, month, uuid.UUID(visit["application_id"]), 10):
            expected = "sample"
        elif selected < math.ceil((decided + 1) * 10 / 100):
            expected = "top_up"
        else:
            expected = None
        assert (visit["percent"], visit["selected_by"]) == (10, expected)
        assert visit["status"] == ("scheduled" if expected else "not_selected")
        selected += expected is not None
        assert selected >= math.ceil((decided + 1) / 10)
    assert visits[0]["selected_by"] in ("sample", "top_up")  # the month's first connection is always called


def test_a_dissatisfied_customer_opens_a_follow_up_due_in_three_working_days(app, xinzheng, team, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_WEBHOOK_URL", "https://hooks.example/tapline")
    visit = connected(xinzheng, team, "enterprise")
    path = f"{VISITS}/{visit['id']}"
    done = xinzheng.post(f"{path}/result", as_="dispatcher", json={
        "result": "dissatisfied", "notes": "施工后路面恢复不及时", "owner_gender": "female"})
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["result"], done.json["owner_gender"]) == ("done", "dissatisfied", "female")
    visited_at = datetime.fromisoformat(done.json["visited_at"])
    expected = WorkingCalendar().due(visited_at, Duration(DurationUnit.WORKING_DAYS, Decimal(3))).at
    assert datetime.fromisoformat(done.json["follow_up"]["due_at"]) == expected
    assert done.json["follow_up"]["done_at"] is None
    told = xinzheng.get("/api/v1/notifications", as_="admin", query_string={"state": "pending"}).json
    assert [(n["kind"], n["channel"], n["recipient"]) for n in told] == [
        ("follow_up", "webhook", "https://hooks.example/tapline")]
    again = xinzheng.post(f"{path}/result", as_="dispatcher", json={"result": "satisfied"})
    assert (again.status_code, again.json["code"]) == (409, "visit_not_open")

    closed = xinzheng.post(f"{path}/follow-up", as_="dispatcher", json={"notes": "已安排路面修复并回电客户确认"})
    assert closed.status_code == 200, closed.json
    assert closed.json["follow_up"]["done_at"] is not None
    assert closed.json["follow_up"]["notes"] == "已安排路面修复并回电客户确认"
    twice = xinzheng.post(f"{path}/follow-up", as_="dispatcher", json={"notes": "再次"})
    assert (twice.status_code, twice.json["code"]) == (409, "no_open_follow_up")


def test_a_satisfied_customer_needs_no_follow_up(xinzheng, team):
    visit = connected(xinzheng, team, "small_commercial")
    done = xinzheng.post(f"{VISITS}/{visit['id']}/result", as_="dispatcher", json={"result": "satisfied"})
    assert (done.json["follow_up"], done.json["owner_gender"]) == (None, None)
    response = xinzheng.post(f"{VISITS}/{visit['id']}/follow-up", as_="dispatcher", json={"notes": "无"})
    assert response.json["code"] == "no_open_follow_up"


def test_the_report_counts_results_and_genders_and_names_no_one(xinzheng, team):
    results = [("dissatisfied", "female"), ("satisfied", "female"), ("satisfied", None)]
    visits = [connected(xinzheng, team, "enterprise") for _ in results]
    for visit, (result, gender) in zip(visits, results, strict=True):
        xinzheng.post(f"{VISITS}/{visit['id']}/result", as_="dispatcher",
                      json={"result": result, "owner_gender": gender, "notes": "联系人 陈经理 13872345678"})
    response = xinzheng.get(f"{VISITS}/report", as_="admin", query_string={"month": visits[0]["month"]})
    assert response.status_code == 200, response.json
    assert response.json == {
        "month": visits[0]["month"], "utility": None, "connections": 3, "scheduled": 3, "done": 3,
        "by_result": {"satisfied": 2, "dissatisfied": 1},
        "by_gender": {"female": {"satisfied": 1, "dissatisfied": 1}, "male": {"satisfied": 0, "dissatisfied": 0},
                      "unrecorded": {"satisfied": 1, "dissatisfied": 0}},
        "follow_ups": {"open": 1, "closed": 0}}
    text = json.dumps(response.json, ensure_ascii=False)
    assert not any(secret in text for secret in ("13872345678", "陈经理", visits[0]["number"], visits[0]["id"]))
    assert xinzheng.get(f"{VISITS}/report", as_="admin", query_string={"month": "2026-13"}).status_code == 422


def test_a_profile_without_a_quota_schedules_nothing(api):
    team = make_team(api, "一队")
    order = approved_orders(api)["water"]
    connect(api, order["id"], team["id"])
    assert api.get(VISITS, as_="dispatcher").json == []


@pytest.mark.parametrize("role", ["crew", "engineer"])
def test_return_visits_are_for_admins_and_dispatchers(xinzheng, role):
    assert xinzheng.get(VISITS, as_=role).status_code == 403
    assert xinzheng.get(f"{VISITS}/report", as_=role, query_string={"month": "2026-11"}).status_code == 403
