"""A clause-by-clause comparison of two versions of a profile, for the admin who reads what changed."""

from __future__ import annotations

from typing import Any

from policy.profile import Profile
from policy.versions import rule_key

#: Header keys that always differ between versions and say nothing about the rules.
_IDENTITY = ("version",)


def diff_profiles(before: Profile, after: Profile) -> dict[str, Any]:
    """What changed from ``before`` to ``after``: header keys, then each rule added, removed or changed.

    Rules are matched by id, kind and step; a changed rule lists the keys that differ (``branches``,
    ``clause`` …) with both whole rules, so the clause and quote of each side stay in view.
    """
    header_before, header_after = before.summary(), after.summary()
    header = [{"key": key, "before": header_before[key], "after": header_after[key]}
              for key in header_before if key not in _IDENTITY and header_before[key] != header_after[key]]
    old = {rule_key(rule): rule for rule in (r.to_dict() for r in before.rules)}
    new = {rule_key(rule): rule for rule in (r.to_dict() for r in after.rules)}
    rules = []
    for key, rule in new.items():
        previous = old.get(key)
        if previous is None:
            rules.append(_entry("added", key, None, rule))
        elif previous != rule:
            rules.append(_entry("changed", key, previous, rule))
    rules += [_entry("removed", key, rule, None) for key, rule in old.items() if key not in new]
    return {"profile": after.id, "from": before.version, "to": after.version, "header": header, "rules": rules}


def _entry(change: str, key: tuple[Any, Any, Any], before: dict | None, after: dict | None) -> dict[str, Any]:
    rule_id, kind, step = key
    changed = sorted(k for k in {*(before or {}), *(after or {})}
                     if (before or {}).get(k) != (after or {}).get(k)) if before and after else []
    return {"rule": rule_id, "kind": kind, "step": step, "change": change, "changed_keys": changed,
            "clause": (after or before or {}).get("clause"), "before": before, "after": after}
