"""A city's policy profile: where it comes from, whom it covers, and its rules in the order they are read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from policy.catalogue import BUSINESS_TYPES, CUSTOMER_CLASSES
from policy.rules import CrossingExclusion, Rule, ScopeRule


@dataclass(frozen=True)
class Profile:
    """One tenant's rules as data, loaded from ``policy/profiles/<id>.toml``."""

    id: str
    name_zh: str
    name_en: str
    version: str
    effective_date: date
    source_seed: str
    notice_title: str
    notice_issuer: str
    notice_date: str          # ISO 8601, as precise as the notice is ("2023-01-12", "2023")
    rules: tuple[ScopeRule | CrossingExclusion | Rule, ...]

    @property
    def scope(self) -> ScopeRule:
        return next(rule for rule in self.rules if isinstance(rule, ScopeRule))

    @property
    def applicability_rules(self) -> tuple[ScopeRule | CrossingExclusion, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, (ScopeRule, CrossingExclusion)))

    def decisions(self) -> Iterator[tuple[str, tuple[Rule, ...]]]:
        """Each thing the profile decides, with the rules deciding it, in the order the file first names it."""
        outputs: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if isinstance(rule, Rule):
                outputs.setdefault(rule.output, []).append(rule)
        for output, rules in outputs.items():
            yield output, tuple(rules)

    def summary(self) -> dict[str, Any]:
        """What ``GET /policies`` lists."""
        scope = self.scope
        return {"id": self.id, "name_zh": self.name_zh, "name_en": self.name_en,
                "utilities": list(scope.utilities),
                "business_types": list(scope.business_types or BUSINESS_TYPES),
                "customer_classes": list(scope.customer_classes or CUSTOMER_CLASSES),
                "version": self.version, "effective_date": self.effective_date.isoformat(),
                "source_seed": self.source_seed, "notice_title": self.notice_title,
                "notice_issuer": self.notice_issuer, "notice_date": self.notice_date}

    def to_dict(self) -> dict[str, Any]:
        """The whole profile, rules included: ``GET /policies/{id}`` and the tablets' sync."""
        return {**self.summary(), "rules": [rule.to_dict() for rule in self.rules]}
