"""What each kind of rule decides, and how a profile writes it down.

Every outcome is an immutable value, so that two rules that reach the same one agree, and has
``to_json`` for the decision and its explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from policy.catalogue import ANCHOR_EVENTS
from policy.durations import Duration


class RuleKind(Enum):
    """The generic rules a profile composes; a new city is data over these, not new code."""

    SCOPE = "scope"                                          # who the notice covers
    CROSSING_EXCLUSION = "crossing_exclusion"                # crossings that put a job outside it
    FREE_INSTALLATION = "free_installation"
    APPROVAL_PATH = "approval_path"
    STEPS = "steps"
    MATERIALS = "materials"
    DEFERRED_MATERIALS = "deferred_materials"                # materials accepted now, due later
    DEADLINE = "deadline"
    POST_CONNECTION_DOCUMENTS = "post_connection_documents"  # what closes a work order
    RETURN_VISITS = "return_visits"


APPROVAL_PATHS = {
    "notify_commit": "告知承诺制: permits on the applicant's written commitment",
    "tolerant_parallel": "容缺受理+并联审批: accepted with missing materials, approvals in parallel",
    "filing": "容缺审批(报备): the outer works are filed, not approved",
    "escalate": "提级协调: referred to the housing bureau",
    "commitment_filing": "承诺备案: filed online on commitment by the utility's service team",
    "none": "no outer works, so no approval",
}

DEFERRAL_MECHANISMS = {
    "commitment": "告知承诺: accepted on the applicant's commitment",
    "tolerance": "容缺受理: accepted with materials missing",
}

VISIT_PERIODS = ("month",)


@dataclass(frozen=True)
class TimeLimit:
    """A step's time limit: counted from ``anchor`` (an event, or an earlier step's due) for ``duration``."""

    step: str
    anchor: str
    duration: Duration
    rule: str
    clause: str

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "anchor": self.anchor, "duration": self.duration.to_dict()}


@dataclass(frozen=True)
class Approval:
    """The approval path of the outer works' permits, and its time limit where the seed gives one."""

    path: str
    limit: TimeLimit | None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "deadline": self.limit.to_json() if self.limit else None}


@dataclass(frozen=True)
class Item:
    """A material or document, in the seed's words and in English; ``optional`` for "(如有)"."""

    zh: str
    en: str
    optional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"zh": self.zh, "en": self.en, "optional": self.optional}


@dataclass(frozen=True)
class DeferredMaterials:
    """Materials accepted later: how, which (none listed: whichever is missing), and before what event."""

    mechanism: str
    items: tuple[Item, ...]
    due_before: str | None

    def to_json(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism, "items": [item.to_json() for item in self.items],
                "due_before": self.due_before}


@dataclass(frozen=True)
class Documents:
    """The documents to hand in after connection, as the seed lists them."""

    items: tuple[Item, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [item.to_json() for item in self.items]


@dataclass(frozen=True)
class ReturnVisits:
    """The share of connections to call back (``percent`` per ``period``) and how fast feedback is closed."""

    percent: int
    period: str | None
    feedback_within: Duration | None

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "period": self.period,
                "feedback_within": self.feedback_within.to_dict() if self.feedback_within else None}


def outcome_json(value: Any) -> Any:
    """An outcome as JSON: structured outcomes know how, booleans and counts are themselves."""
    return value.to_json() if hasattr(value, "to_json") else value


@dataclass(frozen=True)
class RuleContext:
    """What an outcome may need from the rule that holds it (a deadline's step and anchor)."""

    id: str
    clause: str
    step: str | None
    anchor: str | None


# The keys a branch (or a rule without branches) writes its outcome with, per kind.
OUTCOME_KEYS = {
    RuleKind.FREE_INSTALLATION: frozenset({"free"}),
    RuleKind.APPROVAL_PATH: frozenset({"path", "duration"}),
    RuleKind.STEPS: frozenset({"steps"}),
    RuleKind.MATERIALS: frozenset({"materials"}),
    RuleKind.DEFERRED_MATERIALS: frozenset({"mechanism", "items", "due_before"}),
    RuleKind.DEADLINE: frozenset({"duration"}),
    RuleKind.POST_CONNECTION_DOCUMENTS: frozenset({"documents"}),
    RuleKind.RETURN_VISITS: frozenset({"percent", "period", "feedback_within"}),
}


def parse_outcome(kind: RuleKind, raw: Mapping[str, Any], rule: RuleContext) -> Any:
    """Read the outcome of one branch; ValueError says what is wrong."""
    return _OUTCOME_PARSERS[kind](raw, rule)


def _free(raw: Mapping[str, Any], rule: RuleContext) -> bool:
    free = raw.get("free")
    if not isinstance(free, bool):
        raise ValueError("free must be true or false")
    return free


def _count(key: str) -> Callable[[Mapping[str, Any], RuleContext], int]:
    def parse(raw: Mapping[str, Any], rule: RuleContext) -> int:
        count = raw.get(key)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{key} must be a whole number ≥ 0, not {count!r}")
        return count
    return parse


def _approval(raw: Mapping[str, Any], rule: RuleContext) -> Approval:
    path = raw.get("path")
    if path not in APPROVAL_PATHS:
        raise ValueError(f"approval path {path!r} is not one of {', '.join(APPROVAL_PATHS)}")
    if "duration" not in raw:
        return Approval(path, None)
    if path == "none":
        raise ValueError("no approval path cannot have a duration")
    return Approval(path, _time_limit(raw, rule))


def _time_limit(raw: Mapping[str, Any], rule: RuleContext) -> TimeLimit:
    if rule.step is None or rule.anchor is None:
        raise ValueError("a duration needs the rule's step and anchor")
    return TimeLimit(rule.step, rule.anchor, Duration.parse(raw.get("duration")), rule.id, rule.clause)


def _deferred(raw: Mapping[str, Any], rule: RuleContext) -> DeferredMaterials:
    mechanism = raw.get("mechanism")
    if mechanism not in DEFERRAL_MECHANISMS:
        raise ValueError(f"mechanism {mechanism!r} is not one of {', '.join(DEFERRAL_MECHANISMS)}")
    due_before = raw.get("due_before")
    if due_before is not None and due_before not in ANCHOR_EVENTS:
        raise ValueError(f"due_before {due_before!r} is not an event ({', '.join(sorted(ANCHOR_EVENTS))})")
    return DeferredMaterials(mechanism, _items(raw.get("items", []), "items"), due_before)


def _documents(raw: Mapping[str, Any], rule: RuleContext) -> Documents:
    items = _items(raw.get("documents"), "documents")
    if not items:
        raise ValueError("documents must list at least one document")
    return Documents(items)


def _items(raw: Any, key: str) -> tuple[Item, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"{key} must be a list of {{zh, en, optional}}")
    items = []
    for entry in raw:
        if not isinstance(entry, Mapping) or set(entry) - {"zh", "en", "optional"}:
            raise ValueError(f"each of {key} must be a table {{zh, en, optional}}")
        zh, en, optional = entry.get("zh"), entry.get("en"), entry.get("optional", False)
        if not (isinstance(zh, str) and zh and isinstance(en, str) and en and isinstance(optional, bool)):
            raise ValueError(f"each of {key} needs zh and en text (and optional true/false)")
        items.append(Item(zh, en, optional))
    return tuple(items)


def _return_visits(raw: Mapping[str, Any], rule: RuleContext) -> ReturnVisits:
    percent, period = raw.get("percent"), raw.get("period")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 < percent <= 100:
        raise ValueError(f"percent must be a whole number in 1..100, not {percent!r}")
    if period is not None and period not in VISIT_PERIODS:
        raise ValueError(f"period {period!r} is not one of {', '.join(VISIT_PERIODS)}")
    feedback = raw.get("feedback_within")
    return ReturnVisits(percent, period, None if feedback is None else Duration.parse(feedback))


_OUTCOME_PARSERS = {
    RuleKind.FREE_INSTALLATION: _free,
    RuleKind.APPROVAL_PATH: _approval,
    RuleKind.STEPS: _count("steps"),
    RuleKind.MATERIALS: _count("materials"),
    RuleKind.DEFERRED_MATERIALS: _deferred,
    RuleKind.DEADLINE: _time_limit,
    RuleKind.POST_CONNECTION_DOCUMENTS: _documents,
    RuleKind.RETURN_VISITS: _return_visits,
}
