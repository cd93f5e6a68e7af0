"""A profile's rules, as loaded: who a notice covers, and what it decides for the cases it covers.

``ScopeRule`` and ``CrossingExclusion`` say whether the profile applies at all. Every other kind is a
``Rule``: a ``when`` that says which cases it speaks to, and branches read in order, the first whose
conditions hold giving the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy.catalogue import ANCHOR_EVENTS, BUSINESS_TYPES, CUSTOMER_CLASSES, UTILITIES
from policy.conditions import Condition, all_of
from policy.explanation import Check, Explanation, inputs_of
from policy.outcomes import RuleKind, outcome_json
from policy.verdicts import Verdict, first, outcome, resolve, when


@dataclass(frozen=True)
class Reason:
    """Why the profile does not apply, citing the rule."""

    rule: str
    clause: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "clause": self.clause, "message": self.message}


@dataclass(frozen=True)
class ApplicabilityCheck:
    """One scope or exclusion rule read against a request: holds, fails (with reasons) or unknown."""

    holds: bool | None
    missing: frozenset[str]
    reasons: tuple[Reason, ...]
    explanation: Explanation


@dataclass(frozen=True)
class ScopeRule:
    """The utilities, business types and customer classes a notice covers (None: all of them)."""

    id: str
    clause: str
    quote: str
    utilities: tuple[str, ...]
    business_types: tuple[str, ...] | None
    customer_classes: tuple[str, ...] | None

    kind = RuleKind.SCOPE

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Only the restricted dimensions: a profile covering every class needs no customer_class."""
        covered = {"utility": (self.utilities, UTILITIES),
                   "business_type": (self.business_types, BUSINESS_TYPES),
                   "customer_class": (self.customer_classes, CUSTOMER_CLASSES)}
        return tuple(Condition(fact, "in", tuple(values)) for fact, (values, every) in covered.items()
                     if values is not None and set(values) != set(every))

    def check(self, facts: Mapping[str, Any]) -> ApplicabilityCheck:
        conjunction = all_of(self.conditions, facts)
        reasons = tuple(
            Reason(self.id, self.clause,
                   f"{test.condition.fact} {test.value} is outside this profile "
                   f"(covers {', '.join(test.condition.value)})")
            for test in conjunction.tests if test.holds is False)
        checks = (Check("applies", conjunction),)
        return _applicability(self, conjunction.holds, conjunction.missing, reasons, inputs_of(checks), checks)

    def to_dict(self) -> dict[str, Any]:
        return {**_header(self), "reads": sorted({c.fact for c in self.conditions}),
                "utilities": list(self.utilities),
                "business_types": list(self.business_types or BUSINESS_TYPES),
                "customer_classes": list(self.customer_classes or CUSTOMER_CLASSES)}


@dataclass(frozen=True)
class CrossingExclusion:
    """Jobs whose outer route crosses one of ``layers`` are outside the notice (Sanya: rail, rivers …).

    The layers are data so that the list can grow with the notice's "等设施".
    """

    id: str
    clause: str
    quote: str
    layers: tuple[str, ...]

    kind = RuleKind.CROSSING_EXCLUSION

    def check(self, facts: Mapping[str, Any]) -> ApplicabilityCheck:
        if "crossings" not in facts:
            return _applicability(self, None, frozenset({"crossings"}), (), {"crossings": None}, ())
        hits = [crossing for crossing in facts["crossings"] if crossing.layer in self.layers]
        reasons = tuple(Reason(self.id, self.clause,
                               f"the route crosses {crossing.layer} {crossing.name or ''}".rstrip()
                               + f", excluded by {self.clause}")
                        for crossing in hits)
        return _applicability(self, not hits, frozenset(), reasons, {"crossings": facts["crossings"]}, ())

    def to_dict(self) -> dict[str, Any]:
        return {**_header(self), "reads": ["crossings"], "layers": list(self.layers)}


@dataclass(frozen=True)
class Branch:
    """One alternative of a rule: if every condition holds (none: always), ``outcome``."""

    when: tuple[Condition, ...]
    outcome: Any

    def to_dict(self) -> dict[str, Any]:
        return {"when": [c.to_dict() for c in self.when], "outcome": outcome_json(self.outcome)}


@dataclass(frozen=True)
class Rule:
    """A rule that decides one thing (``output``) for the cases its ``when`` covers."""

    id: str
    kind: RuleKind
    clause: str
    quote: str
    when: tuple[Condition, ...]
    branches: tuple[Branch, ...]
    step: str | None = None
    anchor: str | None = None

    @property
    def output(self) -> str:
        """What the rule decides; rules with the same output are read in profile order, first wins."""
        return f"deadline:{self.step}" if self.kind is RuleKind.DEADLINE else self.kind.value

    @property
    def reads(self) -> tuple[str, ...]:
        conditions = self.when + tuple(c for branch in self.branches for c in branch.when)
        facts = {c.fact for c in conditions}
        if self.anchor in ANCHOR_EVENTS:
            facts.add(self.anchor)
        return tuple(sorted(facts))

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[Verdict, Explanation]:
        """The outcomes still possible for this request, and the record of what was read."""
        checks: list[Check] = []
        guard = all_of(self.when, facts)
        if self.when:
            checks.append(Check("applies", guard))

        def branches():
            for branch in self.branches:
                conjunction = all_of(branch.when, facts)
                checks.append(Check(outcome_json(branch.outcome), conjunction))
                yield when(conjunction.holds, conjunction.missing, outcome(branch.outcome))

        verdict = when(guard.holds, guard.missing, lambda: first(branches()))
        inputs = inputs_of(tuple(checks))
        if self.anchor in ANCHOR_EVENTS:
            inputs[self.anchor] = facts.get(self.anchor)
        return verdict, _explanation(self, verdict, inputs, tuple(checks))

    def to_dict(self) -> dict[str, Any]:
        deadline = {"step": self.step, "anchor": self.anchor} if self.step else {}
        return {**_header(self), "reads": list(self.reads), **deadline,
                "when": [c.to_dict() for c in self.when],
                "branches": [branch.to_dict() for branch in self.branches]}


def _header(rule: ScopeRule | CrossingExclusion | Rule) -> dict[str, Any]:
    return {"id": rule.id, "kind": rule.kind.value, "clause": rule.clause, "quote": rule.quote}


def _explanation(rule: Rule, verdict: Verdict, inputs: dict[str, Any],
                 checks: tuple[Check, ...]) -> Explanation:
    resolution = resolve(verdict)
    if not resolution.settled:
        status, result = "undetermined", None
    elif resolution.value is None:
        status, result = "silent", None
    else:
        status, result = "decided", outcome_json(resolution.value)
    return Explanation(rule.id, rule.kind.value, rule.clause, rule.quote, inputs, checks, status, result,
                       tuple(sorted(resolution.missing)))


def _applicability(rule: ScopeRule | CrossingExclusion, holds: bool | None, missing: frozenset[str],
                   reasons: tuple[Reason, ...], inputs: dict[str, Any],
                   checks: tuple[Check, ...]) -> ApplicabilityCheck:
    status = "undetermined" if holds is None else "decided"
    explanation = Explanation(rule.id, rule.kind.value, rule.clause, rule.quote, inputs, checks, status,
                              holds, tuple(sorted(missing)))
    return ApplicabilityCheck(holds, missing, reasons, explanation)
