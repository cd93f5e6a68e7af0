"""Deadline clocks (超期预警督办): every step of an application with its due time from the profile."""
import uuid
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.models import Application, SlaClock
from server.services.policies import evaluate


def application_facts(application: Application, utility: str) -> dict:
    """The facts an application states before anyone has been on site."""
    return {"utility": utility, "business_type": application.business_type,
            "customer_class": application.customer_class, "channel": application.channel,
            "pre_service": application.pre_service, "applied_at": application.applied_at.isoformat()}


def start_clocks(session: Session, application: Application) -> datetime | None:
    """One clock per utility and step of the profile; returns when the survey is due (the earliest survey step)."""
    rows = []
    for utility in application.utilities:
        decision = evaluate(session, application.tenant_id, application.profile_id,
                            application_facts(application, utility))
        for deadline in decision["deadlines"]:
            due = deadline.get("due")
            rows.append({
                "tenant_id": application.tenant_id, "id": uuid.uuid4(), "application_id": application.id,
                "step": f"{utility}.{deadline['step']}", "anchor": deadline["anchor"],
                "duration": _duration_text(deadline.get("duration")),
                "started_at": application.applied_at if deadline["anchor"] == "applied_at" else None,
                "due_at": datetime.fromisoformat(due) if due else None, "calendar": deadline.get("calendar"),
                "rule": deadline.get("rule"), "clause": deadline.get("clause"),
            })
    if rows:
        session.execute(insert(SlaClock), rows)
    survey_dues = [r["due_at"] for r in rows if "survey" in r["step"] and r["due_at"]]
    return min(survey_dues, default=None)


def _duration_text(duration) -> str | None:
    if not duration:
        return None
    if isinstance(duration, dict):
        return " ".join(str(duration[k]) for k in ("value", "unit") if duration.get(k) is not None)
    return str(duration)
