"""Determinations: what a submitted survey measures and what the city's policy decides on it, kept as history.

A survey is determined when its task is submitted, and again whenever its geometry or measurements change
after that; a new row is stored only when the result differs from the survey's latest, so the history
shows each change of outcome once.
"""
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

import geo
from server.error_codes import ServerCode
from server.errors import ApiError
from server.geometry import from_db
from server.models import Application, Determination, Survey, SurveyTask
from server.services import task_flags
from server.services.changes import audit, record_change
from server.services.facts import facts_for
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404
from server.services.measurements import measure_for_tenant
from server.services.policies import decide

#: Survey fields whose change after submission calls for a new determination.
MEASURED_FIELDS = frozenset({"red_line", "route", "main", "green_areas", "segments", "meter_dn", "tree_felling",
                             "traffic_safety_impact", "outside_length_accuracy_m", "green_area_accuracy_m2"})
#: Without these there is nothing to measure.
REQUIRED_GEOMETRY = ("red_line", "route")
#: The figures the audit log compares between one determination and the next.
MEASUREMENT_SUMMARY = ("total_length_m", "outside_length_m", "green_area_m2")
DECISION_SUMMARY = ("applicable", "free_installation", "approval_path")


def determine(session: Session, principal, task: SurveyTask, survey: Survey) -> Determination | None:
    """Measure the survey and decide on it under the task's profile; stores and returns it if the result changed."""
    errors = [{"code": ServerCode.MISSING_GEOMETRY, "message": f"the survey has no {name}; draw it before review",
               "field": name, "details": {}} for name in REQUIRED_GEOMETRY if getattr(survey, name) is None]
    measurement = None if errors else _measure(session, task.tenant_id, survey)
    application = get_or_404(session, Application, task.tenant_id, task.application_id)
    facts = facts_for(application, survey.utility, task=task, survey=survey, measurement=measurement)
    decision = None if errors else decide(session, task.tenant_id, task.profile_id, facts)
    result = jsonable({"profile_version": decision.version if decision else None, "measurement": measurement,
                       "decision": decision.to_dict() if decision else None, "errors": errors})
    latest = _latest_of(session, survey)
    if latest is not None and all(getattr(latest, name) == value for name, value in result.items()):
        return None
    now = datetime.now(UTC)
    state = _state_after_approval(task, _in_force(session, survey), result)
    determination = Determination(tenant_id=task.tenant_id, id=uuid.uuid4(), task_id=task.id, survey_id=survey.id,
                                  survey_version=survey.version, utility=survey.utility, profile_id=task.profile_id,
                                  inputs=jsonable(dict(facts.given)), created_at=now, state=state, **result)
    session.add(determination)
    if state == "pending":
        task_flags.flag(task, "decision_pending", f"a late edit of the {survey.utility} survey would change the "
                        "approved decision; the approved one stays in force until an engineer accepts the new one "
                        "(re-approval) or keeps the old", at=now, device_id=principal.device_id)
        task_flags.published(session, task, principal.user_id)
    record_change(session, task.tenant_id, "determination", determination.id, 1, crew_id=task.crew_id)
    before, after = _summary(latest), _summary(determination)
    audit(session, principal, "survey", survey.id, "determined",
          changes={name: [before.get(name), value] for name, value in after.items() if before.get(name) != value})
    return determination


def _state_after_approval(task: SurveyTask, in_force: Determination | None, result: dict) -> str:
    """An approved decision never changes silently: a different one waits for an engineer, as `pending`."""
    if task.status != "approved" or in_force is None:
        return "in_force"
    if _decided(in_force.decision) == _decided(result["decision"]) and not result["errors"]:
        return "in_force"
    return "pending"


def _decided(decision: dict | None) -> dict:
    decision = decision or {}
    return {name: decision.get(name) for name in (*DECISION_SUMMARY, "steps", "materials", "deadlines")}


def _measure(session: Session, tenant_id: uuid.UUID, survey: Survey) -> dict:
    green_areas = from_db(survey.green_areas)
    request = geo.MeasureRequest(crs="EPSG:4490", route=from_db(survey.route), red_line=from_db(survey.red_line),
                                 green_areas=tuple(green_areas.geoms) if green_areas else (),
                                 main=from_db(survey.main))
    measured = measure_for_tenant(session, tenant_id, request)
    return {**measured.to_dict(), "reconciliation": _reconcile(measured.total_length_m, survey.segments),
            "pipe_sizes": geo.check_segments(survey.segments)}


def _reconcile(drawn_m: float, segments: list[dict]) -> dict | None:
    """Drawn route length against the taped segments; none until every segment is taped (a partial sum misleads)."""
    taped = [segment["tape_length_m"] for segment in segments]
    if not taped or None in taped:
        return None
    return geo.reconcile_length(drawn_m, float(sum(Decimal(length) for length in taped)))


def _summary(determination: Determination | None) -> dict:
    if determination is None:
        return {}
    measurement, decision = determination.measurement or {}, determination.decision or {}
    return {"determination_id": str(determination.id), "profile_version": determination.profile_version,
            **{name: measurement.get(name) for name in MEASUREMENT_SUMMARY},
            **{name: decision.get(name) for name in DECISION_SUMMARY},
            "errors": [error["code"] for error in determination.errors]}


def _latest_of(session: Session, survey: Survey, states=("in_force", "pending")) -> Determination | None:
    return session.scalars(select(Determination).where(Determination.tenant_id == survey.tenant_id,
                                                       Determination.survey_id == survey.id,
                                                       Determination.state.in_(states))
                           .order_by(Determination.survey_version.desc(), Determination.created_at.desc())
                           .limit(1)).first()


def _in_force(session: Session, survey: Survey) -> Determination | None:
    return _latest_of(session, survey, ("in_force",))


def latest(session: Session, task: SurveyTask) -> list[Determination]:
    """The determination in force of each of the task's surveys, by utility."""
    found = session.scalars(select(Determination).where(Determination.tenant_id == task.tenant_id,
                                                        Determination.task_id == task.id,
                                                        Determination.state == "in_force")
                            .ext(distinct_on(Determination.survey_id))
                            .order_by(Determination.survey_id, Determination.survey_version.desc(),
                                      Determination.created_at.desc())).all()
    return sorted(found, key=lambda determination: determination.utility)


def check_near_threshold_confirmed(session: Session, task: SurveyTask, confirmed: bool) -> list[dict]:
    """A decision on a quantity within its accuracy of a threshold waits for the engineer's confirmation (409).

    Returns the borderline items, which the approval records as confirmed.
    """
    borderline = [{"utility": d.utility, **item} for d in latest(session, task) if d.decision
                  for item in d.decision.get("near_threshold") or []]
    if borderline and not confirmed:
        raise ApiError(ServerCode.NEAR_THRESHOLD_UNCONFIRMED,
                       "a measured quantity lies within its accuracy of a policy threshold; check it on the drawing, "
                       "then approve with confirm_near_threshold", details={"near_threshold": borderline})
    return borderline


def check_measured_cleanly(session: Session, task: SurveyTask) -> None:
    """Approval waits until the latest determination of every survey has no geometry error (409 otherwise)."""
    blocking = {d.utility: d.errors for d in latest(session, task) if d.errors}
    if blocking:
        raise ApiError(ServerCode.GEOMETRY_ERRORS,
                       f"the {' and '.join(blocking)} survey geometry has errors; return the task to the crew",
                       details={"errors": blocking})
