"""Which of a profile's versions decides, and a tenant's override of some of its rules.

Versions are immutable; a change is a new version with its own effective date, never an edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from policy.errors import ProfileError
from policy.loader import read_profile
from policy.profile import Profile

V = TypeVar("V")


def in_force(versions: Sequence[V], on: date, effective: Callable[[V], date]) -> V:
    """The version in force on ``on``, from ``versions`` in the order they were made (the shipped one first).

    The latest effective date not after ``on`` wins; of two with the same date, the one made later. A day
    before every version's date is decided by the earliest, so that an old application is never left
    without rules.
    """
    if not versions:
        raise ValueError("a profile has at least its shipped version")
    dated = [(effective(version), order, version) for order, version in enumerate(versions)]
    started = [entry for entry in dated if entry[0] <= on]
    if not started:
        return min(dated, key=lambda entry: (entry[0], entry[1]))[2]
    return max(started, key=lambda entry: (entry[0], entry[1]))[2]


def rule_key(rule: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    """What names one rule in a profile: its id, kind and, for deadlines, step (the loader keeps it unique)."""
    return rule.get("id"), rule.get("kind"), rule.get("step")


def apply_overrides(base: Mapping[str, Any], rules: Sequence[Any], *, version: str, effective_date: date,
                    source: str) -> dict[str, Any]:
    """``base``'s document with each of ``rules`` replacing the base rule of the same id, kind and step.

    The result is a whole document for the loader to check. An override only replaces: a rule the base
    lacks is refused (``rules[i]``), since a new rule is a new version of the notice, not a tenant's variant.
    """
    replacements: dict[tuple[Any, Any, Any], Mapping[str, Any]] = {}
    base_keys = {rule_key(rule) for rule in base["rules"]}
    for index, rule in enumerate(rules):
        field = f"rules[{index}]"
        if not isinstance(rule, Mapping):
            raise ProfileError("an override rule must be an object", file=source, field=field)
        key = rule_key(rule)
        if key not in base_keys:
            step = f" for step {key[2]}" if key[2] else ""
            raise ProfileError(f"version {base['version']} has no {key[1]} rule {key[0]}{step} to override",
                               file=source, rule=str(key[0]), field=field)
        if key in replacements:
            raise ProfileError("this rule is overridden twice", file=source, rule=str(key[0]), field=field)
        replacements[key] = rule
    return {**base, "version": version, "effective_date": effective_date,
            "rules": [dict(replacements.get(rule_key(rule), rule)) for rule in base["rules"]]}


def read_override(base: Mapping[str, Any], rules: Sequence[Any], *, version: str, effective_date: date,
                  source: str) -> tuple[Profile, dict[str, Any]]:
    """The checked profile of ``base`` with ``rules`` replaced, and its whole document.

    An error in a replaced rule names its place among ``rules`` (``rules[0].duration``), not in the merge.
    """
    merged = apply_overrides(base, rules, version=version, effective_date=effective_date, source=source)
    try:
        return read_profile(merged, source=source, expected_id=base["id"], id_source="the base version"), merged
    except ProfileError as error:
        error.field = _field_in_overrides(error.field, merged, rules)
        raise


def _field_in_overrides(field: str | None, merged: Mapping[str, Any], rules: Sequence[Any]) -> str | None:
    found = re.fullmatch(r"rules\[(\d+)\](.*)", field or "")
    if not found:
        return field
    key = rule_key(merged["rules"][int(found[1])])
    index = next((i for i, rule in enumerate(rules) if rule_key(rule) == key), None)
    return field if index is None else f"rules[{index}]{found[2]}"
