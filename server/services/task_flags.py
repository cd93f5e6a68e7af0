"""Flags on a task: work kept for a dispatcher or an engineer to look at (late edits, pending decisions).

A flag says what happened and who did it, once: the same thing from the same device raises a count and a
time on its flag instead of a new one, so a tablet replaying a thousand late edits cannot grow the task.
"""
from datetime import datetime


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


def _str(value) -> str | None:
    return None if value is None else str(value)
