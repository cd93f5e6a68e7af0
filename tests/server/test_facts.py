"""facts_for: the policy's facts built from the rows of a real application, survey and work order, and the
typed decision the services pass on."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

import policy
from server.models import Application, Determination, SlaClock, Survey, SurveyTask, WorkOrder
from server.services import policies, sla
from server.services.facts import current_facts, facts_for
from tests.factories import WUHU_SITE, approved_orders, city_client, make_application, make_survey, move, put_survey

SHANGHAI_OFFSET = timedelta(hours=8)


def application_of(db_session, api, application_id) -> Application:
    return db_session.get(Application, (api.world.id, uuid.UUID(str(application_id))))


def surveyed_rows(db_session, api, task_id, utility="water"):
    task = db_session.get(SurveyTask, (api.world.id, uuid.UUID(task_id)))
    survey = db_session.scalars(select(Survey).where(Survey.task_id == task.id, Survey.utility == utility)).one()
    determination = db_session.scalars(select(Determination).where(Determination.survey_id == survey.id)
                                       .order_by(Determination.created_at.desc())).first()
    return application_of(db_session, api, task.application_id), task, survey, determination


@pytest.mark.parametrize("channel", ["counter", "platform"])
def test_before_the_survey_the_facts_are_the_applications(api, db_session, channel):
    application = application_of(db_session, api, make_application(api, channel=channel)["id"])
    facts = facts_for(application, "gas")
    events = {"applied_at": application.applied_at, **({"pushed_at": application.applied_at}
                                                        if channel == "platform" else {})}
    assert dict(facts) == {"utility": "gas", "business_type": "new", "customer_class": "enterprise",
                           "channel": channel, "pre_service": False, **events}
    assert facts["applied_at"].utcoffset() == SHANGHAI_OFFSET
    # Given as the row holds it: no string round trip before JSON is written.
    assert facts.given["applied_at"] is application.applied_at


def test_a_determination_stores_the_facts_as_the_rows_gave_them(api, db_session):
    created = make_application(api)
    task_id = created["task_id"]
    move(api, task_id, "assigned", as_="dispatcher", crew_id=str(api.world.crews["crew_a"].id))
    move(api, task_id, "on_site", as_="crew")
    for utility in created["utilities"]:
        body = make_survey(outside_length_accuracy_m="3") if utility == "water" else make_survey()
        assert put_survey(api, task_id, utility, body).status_code == 200
    assert move(api, task_id, "submitted", as_="crew").status_code == 200
    application, task, survey, determination = surveyed_rows(db_session, api, task_id)
    measured = determination.measurement

    assert determination.inputs == {
        "utility": "water", "business_type": "new", "customer_class": "enterprise", "channel": "online",
        "pre_service": False, "applied_at": application.applied_at.isoformat(), "meter_dn": 40, "pipe_dn": 50,
        "surveyed_at": task.surveyed_at.isoformat(), "outside_length_accuracy_m": "3.00",
        "outside_length_m": measured["outside_length_m"], "green_area_m2": measured["green_area_m2"],
        "crossings": measured["crossings"]}
    assert isinstance(determination.inputs["outside_length_m"], float)

    rebuilt = facts_for(application, "water", task=task, survey=survey, measurement=measured)
    assert rebuilt == facts_for(application, "water", task=task, recorded=determination.inputs)
    assert rebuilt["outside_length_accuracy_m"] == Decimal("3.00")
    assert rebuilt["surveyed_at"] == task.surveyed_at and rebuilt["surveyed_at"].utcoffset() == SHANGHAI_OFFSET


def test_the_work_orders_events_join_the_facts_the_clocks_are_evaluated_with(api, db_session):
    water = approved_orders(api)["water"]
    order = db_session.get(WorkOrder, (api.world.id, uuid.UUID(water["id"])))
    application = application_of(db_session, api, order.application_id)
    _, task, _, determination = surveyed_rows(db_session, api, str(order.task_id))

    facts, events = current_facts(db_session, application, "water")
    assert facts["work_order_at"] == order.created_at and facts["work_order_at"].utcoffset() == SHANGHAI_OFFSET
    assert facts["outside_length_m"] == Decimal(str(determination.inputs["outside_length_m"]))
    assert events == {"applied_at": application.applied_at, "surveyed_at": task.surveyed_at,
                      "work_order_at": order.created_at}


def test_a_refresh_stores_the_due_times_of_the_typed_decision_it_returns(app, tenants, db_session):
    wuhu = city_client(app, tenants, "wuhu")
    water = approved_orders(wuhu, site=WUHU_SITE)["water"]
    order = db_session.get(WorkOrder, (wuhu.world.id, uuid.UUID(water["id"])))
    application = application_of(db_session, wuhu, order.application_id)

    decision = sla.refresh(db_session, application, "water")
    assert isinstance(decision, policy.Decision)
    facts, _ = current_facts(db_session, application, "water")
    assert decision.to_dict() == policies.evaluate(db_session, wuhu.world.id, "wuhu", facts.to_dict())
    clocks = {clock.step: clock for clock in db_session.scalars(select(SlaClock).where(
        SlaClock.tenant_id == wuhu.world.id, SlaClock.application_id == application.id))}
    counted = [deadline for deadline in decision.deadlines
               if deadline.due and deadline.duration.unit is not policy.DurationUnit.IMMEDIATE]
    assert counted
    for deadline in counted:
        assert clocks[f"water.{deadline.step}"].due_at == deadline.due, deadline.step
