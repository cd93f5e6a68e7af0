"""The facts the city's policy decides one utility of an application on, read from the rows that record them.

Every decision starts here: the clocks when an application arrives and after each event, a survey's
determination, a policy version's preview. The application says who applies for what and how; the survey what
the crew recorded, its measurement what the geometry gives, or, once a survey has been determined, that
determination's facts stand for both; the task and the utility's work order add the events that have happened.
"""
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import policy
from policy.catalogue import ANCHOR_EVENTS
from server.models import Application, Determination, Survey, SurveyTask, WorkOrder

#: What the policy reads of a survey's measurement.
MEASURED = ("outside_length_m", "green_area_m2", "crossings")


def facts_for(application: Application, utility: str, *, task: SurveyTask | None = None,
              survey: Survey | None = None, measurement: Mapping[str, Any] | None = None,
              recorded: Mapping[str, Any] | None = None, work_order: WorkOrder | None = None) -> policy.Facts:
    """The typed facts of `utility`; their `given` values are what a determination stores as its inputs.

    `recorded` (a determination's inputs) replaces what the application, `survey` and `measurement` would
    say. Raises `policy.FactError` for a value the policy refuses.
    """
    happened = events(application, task, work_order)
    if recorded is not None:
        given = dict(recorded)
    else:
        given = {"utility": utility, "business_type": application.business_type,
                 "customer_class": application.customer_class, "channel": application.channel,
                 "pre_service": application.pre_service, "applied_at": application.applied_at,
                 "pushed_at": happened.get("pushed_at")}
        if survey is not None:
            # Thresholds on the outer pipe (Y2: > DN300) look at the largest pipe the works lay.
            given |= {"meter_dn": survey.meter_dn,
                      "pipe_dn": max((segment["dn"] for segment in survey.segments), default=None),
                      "surveyed_at": happened.get("surveyed_at"), "tree_felling": survey.tree_felling,
                      "traffic_safety_impact": survey.traffic_safety_impact,
                      "outside_length_accuracy_m": survey.outside_length_accuracy_m,
                      "green_area_accuracy_m2": survey.green_area_accuracy_m2}
        if measurement is not None:
            given |= {name: measurement[name] for name in MEASURED}
    given |= {name: at for name, at in happened.items() if name in ANCHOR_EVENTS}
    return policy.parse_facts(given)


def current_facts(session: Session, application: Application,
                  utility: str) -> tuple[policy.Facts, dict[str, datetime]]:
    """The facts the utility is decided on now (its latest determination's, or before one the application's),
    and the events that have happened."""
    task = session.scalars(select(SurveyTask).where(SurveyTask.tenant_id == application.tenant_id,
                                                    SurveyTask.application_id == application.id)).one()
    order = session.scalars(select(WorkOrder).where(WorkOrder.tenant_id == application.tenant_id,
                                                    WorkOrder.application_id == application.id,
                                                    WorkOrder.utility == utility)).first()
    recorded = session.scalars(select(Determination.inputs).where(
        Determination.tenant_id == task.tenant_id, Determination.task_id == task.id, Determination.utility == utility)
        .order_by(Determination.survey_version.desc(), Determination.created_at.desc()).limit(1)).first()
    facts = facts_for(application, utility, task=task, recorded=recorded, work_order=order)
    return facts, events(application, task, order)


def events(application: Application, task: SurveyTask | None = None,
           work_order: WorkOrder | None = None) -> dict[str, datetime]:
    """The events of the application, its survey task and the utility's work order that have happened."""
    happened = {"applied_at": application.applied_at, "surveyed_at": task.surveyed_at if task else None,
                # 003 三(二)1 counts from the planning platform's push, which is when intake received it.
                "pushed_at": application.applied_at if application.channel == "platform" else None}
    if work_order is not None:
        happened |= {"work_order_at": work_order.created_at, "construction_started_at": work_order.started_at,
                     "completed_at": work_order.completed_at, "connected_at": work_order.connected_at}
    return {name: at for name, at in happened.items() if at is not None}
