"""What ``evaluate`` returns: the decision for one request under one profile, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from policy.calendar import CalendarSource
from policy.durations import Duration
from policy.explanation import Explanation
from policy.outcomes import DeferredMaterials, Documents, ReturnVisits
from policy.rules import Reason


@dataclass(frozen=True)
class Deadline:
    """When a step is due: ``due`` is None until its ``anchor`` has happened (``calendar`` too)."""

    step: str
    anchor: str
    due: datetime | None
    duration: Duration
    calendar: CalendarSource | None
    rule: str
    clause: str

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "anchor": self.anchor,
                "due": self.due.isoformat() if self.due else None, "duration": self.duration.to_dict(),
                "calendar": self.calendar.value if self.calendar else None,
                "rule": self.rule, "clause": self.clause}


@dataclass(frozen=True)
class NearThreshold:
    """A measured value within its stated accuracy of a threshold: decided as usual, to be confirmed."""

    fact: str
    value: Decimal
    accuracy: Decimal
    threshold: Decimal
    margin: Decimal
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "value": str(self.value), "accuracy": str(self.accuracy),
                "threshold": str(self.threshold), "margin": str(self.margin), "rules": list(self.rules)}


@dataclass(frozen=True)
class Decision:
    """The profile's answer for one request; every field None that the facts or the profile leave open."""

    profile: str
    version: str
    applicable: bool | None
    reasons: tuple[Reason, ...]
    free_installation: bool | None
    approval_path: str | None
    steps: int | None
    materials: int | None
    deferred_materials: DeferredMaterials | None
    deadlines: tuple[Deadline, ...]
    post_connection_documents: Documents | None
    return_visits: ReturnVisits | None
    missing_facts: tuple[str, ...]
    near_threshold: tuple[NearThreshold, ...]
    explanation: tuple[Explanation, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: decimals as strings, times as ISO 8601 with +08:00."""
        return {
            "profile": self.profile,
            "version": self.version,
            "applicable": self.applicable,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "free_installation": self.free_installation,
            "approval_path": self.approval_path,
            "steps": self.steps,
            "materials": self.materials,
            "deferred_materials": _json_or_none(self.deferred_materials),
            "deadlines": [deadline.to_dict() for deadline in self.deadlines],
            "post_connection_documents": _json_or_none(self.post_connection_documents),
            "return_visits": _json_or_none(self.return_visits),
            "missing_facts": list(self.missing_facts),
            "near_threshold": [near.to_dict() for near in self.near_threshold],
            "explanation": [entry.to_dict() for entry in self.explanation],
        }


def _json_or_none(value: DeferredMaterials | Documents | ReturnVisits | None) -> Any:
    return None if value is None else value.to_json()
