"""``evaluate``: one request's facts, read by one profile's rules, on one working calendar."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from policy.calendar import CalendarSource, WorkingCalendar
from policy.catalogue import FACTS
from policy.decision import Deadline, Decision, NearThreshold
from policy.explanation import Explanation
from policy.facts import Facts
from policy.outcomes import Approval, TimeLimit
from policy.profile import Profile
from policy.rules import ApplicabilityCheck, Rule
from policy.verdicts import Verdict, first, resolve


def evaluate(profile: Profile, facts: Facts, calendar: WorkingCalendar) -> Decision:
    """Decide ``facts`` under ``profile``; pure, so the HTTP layer and the SLA sweep get the same answer.

    Scope and exclusion rules are read first: a case outside them is ``applicable: false`` with the reasons
    and nothing else is decided. Then each thing the profile decides is read from its rules, in order.
    """
    explanation: list[Explanation] = []
    checks = [rule.check(facts) for rule in profile.applicability_rules]
    explanation.extend(check.explanation for check in checks)
    applicable = _all_hold(checks)
    if applicable is False:
        return _not_applicable(profile, checks, explanation)

    missing: set[str] = set()
    if applicable is None:
        missing.update(*(check.missing for check in checks if check.holds is None))
    decided: dict[str, Any] = {}
    for output, rules in profile.decisions():
        resolution = resolve(first(_consult(rules, facts, explanation)))
        decided[output] = resolution.value
        missing |= resolution.missing

    approval: Approval | None = decided.get("approval_path")
    return Decision(
        profile=profile.id, version=profile.version, applicable=applicable, reasons=(),
        free_installation=decided.get("free_installation"),
        approval_path=None if approval is None or approval.path == "none" else approval.path,
        steps=decided.get("steps"), materials=decided.get("materials"),
        deferred_materials=decided.get("deferred_materials"),
        deadlines=_deadlines(_time_limits(decided.values()), facts, calendar),
        post_connection_documents=decided.get("post_connection_documents"),
        return_visits=decided.get("return_visits"),
        missing_facts=tuple(sorted(missing)),
        near_threshold=_near_threshold(explanation, facts),
        explanation=tuple(explanation),
    )


def _all_hold(checks: list[ApplicabilityCheck]) -> bool | None:
    """Kleene's AND: one failing rule settles it, whatever the unknown ones would say."""
    if any(check.holds is False for check in checks):
        return False
    if any(check.holds is None for check in checks):
        return None
    return True


def _not_applicable(profile: Profile, checks: list[ApplicabilityCheck],
                    explanation: list[Explanation]) -> Decision:
    reasons = tuple(reason for check in checks for reason in check.reasons)
    return Decision(
        profile=profile.id, version=profile.version, applicable=False, reasons=reasons,
        free_installation=None, approval_path=None, steps=None, materials=None, deferred_materials=None,
        deadlines=(), post_connection_documents=None, return_visits=None, missing_facts=(),
        near_threshold=(), explanation=tuple(explanation))


def _consult(rules: tuple[Rule, ...], facts: Facts, explanation: list[Explanation]) -> Iterator[Verdict]:
    """Each rule's verdict as the chain asks for it, so only the rules consulted are explained."""
    for rule in rules:
        verdict, entry = rule.evaluate(facts)
        explanation.append(entry)
        yield verdict


def _time_limits(outcomes: Iterable[Any]) -> list[TimeLimit]:
    """The time limits decided, in profile order (a step anchored on another comes after it)."""
    limits = []
    for value in outcomes:
        if isinstance(value, Approval) and value.limit is not None:
            limits.append(value.limit)
        elif isinstance(value, TimeLimit):
            limits.append(value)
    return limits


def _deadlines(limits: list[TimeLimit], facts: Mapping[str, Any],
               calendar: WorkingCalendar) -> tuple[Deadline, ...]:
    """Due times: from the anchor event, or from the due of the step the limit follows."""
    dues: dict[str, tuple[datetime, CalendarSource]] = {}
    deadlines = []
    for limit in limits:
        start, inherited = _start(limit.anchor, facts, dues)
        due_at, source = None, None
        if start is not None:
            due = calendar.due(start, limit.duration)
            due_at = due.at
            # A due counted from an estimated due is itself estimated.
            source = CalendarSource.least_certain(s for s in (due.calendar, inherited) if s is not None)
            dues[limit.step] = (due_at, source)
        deadlines.append(Deadline(limit.step, limit.anchor, due_at, limit.duration, source, limit.rule,
                                  limit.clause))
    return tuple(deadlines)


def _start(anchor: str, facts: Mapping[str, Any],
           dues: dict[str, tuple[datetime, CalendarSource]]) -> tuple[datetime | None, CalendarSource | None]:
    if anchor in facts:
        return facts[anchor], None
    if anchor in dues:
        return dues[anchor]
    return None, None


def _near_threshold(explanation: list[Explanation], facts: Mapping[str, Any]) -> tuple[NearThreshold, ...]:
    """Measured values within their stated accuracy of a threshold a consulted rule compared them with."""
    found: dict[tuple[str, Any], NearThreshold] = {}
    for entry in explanation:
        for test in entry.tests:
            spec = FACTS[test.condition.fact]
            if spec.accuracy_fact is None or spec.accuracy_fact not in facts or test.value is None:
                continue
            accuracy = FACTS[spec.accuracy_fact].compared(facts[spec.accuracy_fact])
            threshold = test.condition.value
            margin = abs(test.value - threshold)
            if margin > accuracy:
                continue
            key = (spec.name, threshold)
            rules = found[key].rules if key in found else ()
            if entry.rule not in rules:
                rules += (entry.rule,)
            found[key] = NearThreshold(spec.name, test.value, accuracy, threshold, margin, rules)
    return tuple(found.values())
