"""Flags on a task: work kept for a dispatcher or an engineer to look at (late edits, pending decisions).

A flag says what happened and who did it, once: the same thing from the same device raises a count and a
time on its flag instead of a new one, so a tablet replaying a thousand late edits cannot grow the task.
Flags are part of the task's record, so changing them is a new version of the task (`published`), which
devices pull like any other change.
"""
import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from server.services.changes import bump_version, record_change


def flag(task, code: str, message: str, *, at: datetime, device_id=None, mutation_id=None) -> dict:
    """Raise (or repeat) a flag on the task; returns the `{code, message}` a receipt carries."""
    device = None if device_id is None else str(device_id)
    flags = list(task.flagged)
    for i, existing in enumerate(flags):
        if existing["code"] == code and existing.get("device_id") == device:
            flags[i] = {**existing, "message": message, "count": existing.get("count", 1) + 1,
                        "last_at": at.isoformat(), "last_mutation_id": _str(mutation_id)}
            break
    else:
        flags.append({"code": code, "message": message, "device_id": device, "mutation_id": _str(mutation_id),
                      "at": at.isoformat(), "count": 1, "last_at": at.isoformat(),
                      "last_mutation_id": _str(mutation_id)})
    task.flagged = flags
    return {"code": code, "message": message}


def published(session: Session, task, user_id: uuid.UUID | None) -> None:
    """The task's flags changed: a new version of the task, in the change feed."""
    bump_version(task, ["flagged"], user_id)
    record_change(session, task.tenant_id, "survey_task", task.id, task.version, crew_id=task.crew_id)


def _str(value) -> str | None:
    return None if value is None else str(value)
