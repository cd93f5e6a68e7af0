"""Deadline clocks and alerts (超期预警督办, 000 二(三)) through HTTP and the cron command."""
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

import policy
from domain_errors import CommonCode
from policy import Duration, DurationUnit, WorkingCalendar
from policy.calendar import SHANGHAI
from server.cli import main
from server.models import SlaEvaluation
from server.services import sla
from tests.factories import (
    SANYA_SITE,
    WUHU_SITE,
    XINZHENG_SITE,
    ApiClient,
    approved_orders,
    city_client,
    clocks,
    make_application,
    make_team,
    move,
    move_order,
    sweep,
    task_in,
    task_path,
)

ALERTS = "/api/v1/sla/alerts"
NOTHING = {"warning": 0, "overdue": 0, "escalation": 0}


@pytest.fixture
def wuhu(app, tenants):
    return city_client(app, tenants, "wuhu")


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def working_days_after(instant: str, days: int = 1) -> datetime:
    return WorkingCalendar().due(at(instant), Duration(DurationUnit.WORKING_DAYS, Decimal(days))).at


def surveyed(api, status: str = "submitted", **application) -> dict:
    """The task, brought to `status` (its surveys submitted on the way)."""
    return api.get(task_path(task_in(api, status, **application)), as_="dispatcher").json


def test_a_survey_submission_starts_its_clocks(app, wuhu):
    """002 二(二)3: survey data uploaded within 1 working day after the survey; submitting is the upload."""
    application = make_application(wuhu, site=WUHU_SITE)
    before = clocks(wuhu, application["id"])
    assert sorted(before) == ["water.construction_start", "water.survey_upload", "water.system_entry"]
    assert all(clock["due_at"] is None for clock in before.values())

    task = surveyed(wuhu, site=WUHU_SITE)
    assert sweep(app, datetime.now(UTC)) == {"applications_refreshed": 0, **NOTHING}
    upload = clocks(wuhu, task["application_id"])["water.survey_upload"]
    assert at(upload["started_at"]) == at(upload["done_at"]) == at(task["surveyed_at"])
    assert at(upload["due_at"]) == working_days_after(task["surveyed_at"])
    assert (upload["calendar"], upload["rule"]) == ("official", "W1")
    assert sweep(app, datetime.now(UTC))["applications_refreshed"] == 0


def test_the_approval_path_is_due_from_the_survey(app, tenants):
    """004 四(二)2: outer pipe over 200 m (the survey's is ~211 m) takes tolerant parallel approval, 4 working days."""
    sanya = city_client(app, tenants, "sanya")
    task = surveyed(sanya, site=SANYA_SITE, utilities=["water"])
    # The path needs the measured length: the clock appears when the survey is submitted.
    approval = clocks(sanya, task["application_id"])["water.outer_works_approval"]
    assert at(approval["started_at"]) == at(task["surveyed_at"])
    assert at(approval["due_at"]) == working_days_after(task["surveyed_at"], 4)
    assert (approval["rule"], approval["done_at"]) == ("Y2", None)


def test_xinzheng_steps_follow_survey_agreement_and_work_order(app, tenants):
    """003 三(二)4-5: fee agreement 1 working day after the survey; small commercial construction in 2 days."""
    xinzheng = city_client(app, tenants, "xinzheng")
    order = approved_orders(xinzheng, site=XINZHENG_SITE, utilities=["gas"], customer_class="small_commercial")["gas"]
    task = xinzheng.get(task_path(order["task_id"]), as_="dispatcher").json
    steps = clocks(xinzheng, order["application_id"])
    fee = steps["gas.fee_agreement"]
    assert at(fee["due_at"]) == working_days_after(task["surveyed_at"])
    assert at(fee["done_at"]) == at(order["created_at"])  # the work order is handed over after the agreement
    construction = steps["gas.construction"]
    made_on = at(order["created_at"]).astimezone(SHANGHAI).date()
    assert at(construction["due_at"]) == datetime.combine(made_on + timedelta(days=3), time(0), tzinfo=SHANGHAI)
    # Nothing records the platform hand-over or the manager's call: those steps never get a due.
    assert steps["gas.handover_to_account_manager"]["due_at"] is None


def test_each_level_is_raised_once_however_often_the_sweep_runs(app, wuhu):
    order = approved_orders(wuhu, site=WUHU_SITE)["water"]
    clock = clocks(wuhu, order["application_id"])["water.construction_start"]
    start, due = at(clock["started_at"]), at(clock["due_at"])
    span = due - start

    assert sweep(app, start + span / 2) == {"applications_refreshed": 0, **NOTHING}
    assert sweep(app, start + span * 0.8) == {"applications_refreshed": 0, **NOTHING, "warning": 1}
    assert sweep(app, start + span * 0.8)["warning"] == 0
    assert sweep(app, due + timedelta(minutes=1)) == {"applications_refreshed": 0, **NOTHING, "overdue": 1}
    assert sweep(app, due + timedelta(hours=23)) == {"applications_refreshed": 0, **NOTHING}
    assert sweep(app, due + timedelta(hours=25)) == {"applications_refreshed": 0, **NOTHING, "escalation": 1}
    for _ in range(2):
        assert sweep(app, due + timedelta(days=30)) == {"applications_refreshed": 0, **NOTHING}

    raised = wuhu.get(ALERTS, as_="dispatcher").json
    assert [(a["level"], a["step"]) for a in raised] == [
        ("escalation", "water.construction_start"), ("overdue", "water.construction_start"),
        ("warning", "water.construction_start")]
    assert {a["number"] for a in raised} == {order["number"]}
    admin = str(wuhu.world.users["admin"].id)
    assert [a["recipients"] for a in raised] == [[admin], [], []]
    assert at(raised[0]["raised_at"]) == due + timedelta(hours=25)


def test_a_step_done_stops_its_alerts(app, wuhu):
    team = make_team(wuhu, "鸠江区施工队", around=WUHU_SITE)
    order = approved_orders(wuhu, site=WUHU_SITE)["water"]
    due = at(clocks(wuhu, order["application_id"])["water.construction_start"]["due_at"])
    for to, body in (("assigned", {"team_id": team["id"]}), ("in_progress", {})):
        assert move_order(wuhu, order["id"], to, **body).status_code == 200
    assert sweep(app, due + timedelta(days=2)) == {"applications_refreshed": 0, **NOTHING}


def after_todays_close() -> datetime:
    """A minute after the close of the working day now falls in: when a 即办 step registered now is overdue."""
    return WorkingCalendar().close_of_working_day(datetime.now(UTC)) + timedelta(minutes=1)


def test_an_immediate_step_is_not_overdue_when_its_clock_starts(app, api):
    """000 二(三) water is 报装即通水, 即办: due the instant it is applied for, its clock runs to that day's close."""
    application = make_application(api)
    connection = clocks(api, application["id"])["water.connection"]
    applied_at = at(application["applied_at"])
    assert at(connection["started_at"]) == applied_at
    assert at(connection["due_at"]) == WorkingCalendar().close_of_working_day(applied_at)
    assert at(connection["due_at"]) > applied_at
    assert sweep(app, applied_at)["overdue"] == 0
    assert sweep(app, at(connection["due_at"]) + timedelta(seconds=1))["overdue"] == 1


def test_a_cancelled_applications_clocks_no_longer_alert(app, api):
    """000 二(三): water is 报装即通水, 即办; a withdrawn application is no longer anyone's deadline."""
    kept = make_application(api)
    withdrawn = make_application(api)
    assert move(api, withdrawn["task_id"], "cancelled", as_="dispatcher", reason="申请人撤回").status_code == 200
    assert sweep(app, after_todays_close()) == {
        "applications_refreshed": 0, "warning": 1, "overdue": 1, "escalation": 0}
    assert {a["application_id"] for a in api.get(ALERTS, as_="admin").json} == {kept["id"]}


def test_alerts_are_filtered_and_paginated(app, api):
    first, second = make_application(api), make_application(api)
    sweep(app, after_todays_close())
    later = after_todays_close() + timedelta(hours=25)
    sweep(app, later)

    def listed(**query):
        response = api.get(ALERTS, as_="dispatcher", query_string=query)
        assert response.status_code == 200, response.json
        return [(a["application_id"], a["level"]) for a in response.json]

    assert len(listed()) == 6
    assert sorted(listed(level="escalation")) == sorted([(first["id"], "escalation"), (second["id"], "escalation")])
    assert {level for _, level in listed(application_id=first["id"])} == {"warning", "overdue", "escalation"}
    assert listed(step="gas.acceptance") == []  # done when the application was accepted
    assert {level for _, level in listed(since=later.isoformat())} == {"escalation"}
    page = api.get(ALERTS, as_="dispatcher", query_string={"page_size": 4, "page": 2})
    assert len(page.json) == 2
    assert '"total": 6' in page.headers["X-Pagination"]
    bad = api.get(ALERTS, as_="dispatcher", query_string={"level": "panic"})
    assert (bad.status_code, bad.json["field"]) == (422, "query.level")


def test_alerts_and_clocks_stay_in_their_tenant_and_with_staff(app, api, other_tenant):
    application = make_application(api)
    sweep(app, after_todays_close())
    other = ApiClient(app.test_client(), other_tenant)
    assert other.get(ALERTS, as_="admin").json == []
    assert other.get(f"/api/v1/sla/applications/{application['id']}/clocks", as_="admin").status_code == 404
    assert api.get(ALERTS, as_="crew").status_code == 403
    assert api.get(ALERTS, as_="engineer").status_code == 403
    assert api.get(f"/api/v1/sla/applications/{application['id']}/clocks", as_="engineer").status_code == 200


def test_the_sweep_needs_an_instant_with_its_offset(app):
    result = app.test_cli_runner().invoke(main, ["sla", "sweep", "--at", "2026-11-25T09:00:00"])
    assert result.exit_code == 2
    assert "offset" in result.output


def test_a_platform_push_starts_xinzhengs_24_hour_hand_over(app, tenants):
    """003 三(二)1: project information pushed by the platform reaches the account manager within 24 hours."""
    xinzheng = city_client(app, tenants, "xinzheng")
    item = {"applicant_unit": "新郑市龙湖镇食品有限公司", "address": "新郑市龙湖镇华夏大道18号",
            "location": {"type": "Point", "coordinates": list(XINZHENG_SITE)}, "contact_name": "赵经理",
            "contact_phone": "13937112345", "project_code": "2026-410184-14-01-000777", "utilities": ["gas"],
            "customer_class": "small_commercial", "gas_pressure_kpa": "5", "gas_load_m3_per_h": "30"}
    response = xinzheng.post("/api/v1/applications/intake", as_="dispatcher", json={"applications": [item]})
    application_id = response.json["results"][0]["application_id"]
    application = xinzheng.get(f"/api/v1/applications/{application_id}", as_="dispatcher").json
    hand_over = clocks(xinzheng, application_id)["gas.handover_to_account_manager"]
    assert at(hand_over["due_at"]) == at(application["applied_at"]) + timedelta(hours=24)
    assert hand_over["rule"] == "X1"


def test_one_application_the_profile_cannot_decide_does_not_stop_the_sweep(app, wuhu, db_session, monkeypatch):
    first, second = (surveyed(wuhu, site=WUHU_SITE) for _ in range(2))
    db_session.execute(delete(SlaEvaluation))  # as if both were surveyed since their clocks were computed
    db_session.flush()
    real_refresh = sla.refresh

    def refresh(session, application, utility):
        if str(application.id) == first["application_id"]:
            raise policy.FactError(CommonCode.INVALID_VALUE, "a fact the profile refuses", field="customer_class")
        return real_refresh(session, application, utility)

    monkeypatch.setattr(sla, "refresh", refresh)
    assert sweep(app, datetime.now(UTC))["applications_refreshed"] == 1
    evaluated = {str(a) for a in db_session.scalars(select(SlaEvaluation.application_id))}
    assert evaluated == {second["application_id"]}
