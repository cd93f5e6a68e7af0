"""Factories for policy tests: a request each profile applies to, changed only where a test says so."""

from __future__ import annotations

from typing import Any

from policy import Decision, Facts, parse_facts

# One case per profile that its scope covers; tests override the facts they are about.
BASELINES: dict[str, dict[str, Any]] = {
    "suizhou": {"utility": "water", "business_type": "new", "customer_class": "enterprise",
                "meter_dn": 25, "outside_length_m": "50"},
    "jingmen": {"utility": "water", "business_type": "new", "customer_class": "enterprise",
                "outside_length_m": "100"},
    "wuhu": {"utility": "water", "business_type": "new", "customer_class": "enterprise",
             "outside_length_m": "50", "tree_felling": False, "traffic_safety_impact": False},
    "xinzheng": {"utility": "gas", "business_type": "new", "customer_class": "residential",
                 "conditions_met": True},
    "sanya": {"utility": "water", "business_type": "new", "customer_class": "enterprise",
              "channel": "online", "conditions_met": True, "pre_service": False, "pipe_dn": 100,
              "outside_length_m": "50", "green_area_m2": "0", "crossings": []},
}


def raw_facts(profile_id: str, **overrides: Any) -> dict[str, Any]:
    """The profile's baseline request as JSON would carry it; an override of None leaves the fact out."""
    merged = {**BASELINES[profile_id], **overrides}
    return {name: value for name, value in merged.items() if value is not None}


def make_facts(profile_id: str, **overrides: Any) -> Facts:
    return parse_facts(raw_facts(profile_id, **overrides))


def at(local: str) -> str:
    """A Shanghai wall-clock time as the API sends it: ``at("2026-09-30 16:00")``."""
    return f"{local.replace(' ', 'T')}:00+08:00"


def deadline(decision: Decision, step: str):
    """The decision's deadline for ``step``, or None when it has none."""
    return next((d for d in decision.deadlines if d.step == step), None)


def due(decision: Decision, step: str) -> str | None:
    """The ISO due of ``step``; fails the test if the step has no deadline at all."""
    found = deadline(decision, step)
    assert found is not None, f"no deadline for {step}: {[d.step for d in decision.deadlines]}"
    return found.due.isoformat() if found.due else None


def explained(decision: Decision, rule: str, kind: str):
    """The explanation entries of one rule and kind (empty when the rule was not consulted)."""
    return [entry for entry in decision.explanation if entry.rule == rule and entry.kind == kind]
