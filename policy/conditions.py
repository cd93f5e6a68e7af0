"""A rule's conditions: one fact, one operator, one threshold from the profile, read three-valued.

A condition on a fact the request lacks neither holds nor fails: it is unknown (None), and so is any
conjunction it decides. Measured quantities are rounded half-up to their quantum before comparing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from policy.catalogue import DN_SERIES, FACTS, FactKind
from policy.facts import to_json

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "in": lambda value, allowed: value in allowed,
    "not_in": lambda value, allowed: value not in allowed,
}
ORDERINGS = frozenset({"<", "<=", ">", ">="})
_EQUALITY = frozenset({"==", "!="})
_MEMBERSHIP = frozenset({"in", "not_in"})
_OPERATORS_BY_KIND = {
    FactKind.CHOICE: _EQUALITY | _MEMBERSHIP,
    FactKind.BOOLEAN: _EQUALITY,
    FactKind.DN: _EQUALITY | ORDERINGS,
    FactKind.QUANTITY: _EQUALITY | ORDERINGS,
}

# How the notices write a boundary, and the operator it means. 民法典 第一千二百五十九条: 以上、以下、以内
# include the number; 不满、超过 do not. Negated forms come first so that 不大于 is not read as 大于.
BOUNDARY_WORDS = (
    ("不大于", "<="), ("不超过", "<="), ("不长于", "<="), ("不高于", "<="), ("不多于", "<="),
    ("不小于", ">="), ("不低于", ">="), ("不少于", ">="),
    ("不满", "<"), ("不足", "<"),
    ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("以上", ">="),
    ("超过", ">"), ("大于", ">"), ("长于", ">"), ("高于", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
)

_CONDITION_KEYS = frozenset({"fact", "op", "value", "wording"})


@dataclass(frozen=True)
class Condition:
    """``fact op value``, with the seed's own words for the boundary (``"200 米以内"``)."""

    fact: str
    op: str
    value: Any
    wording: str | None = None

    def test(self, facts: Mapping[str, Any]) -> Test:
        """Compare the request's (rounded) fact with the threshold; unknown when the fact is absent."""
        if self.fact not in facts:
            return Test(self, None, None)
        compared = FACTS[self.fact].compared(facts[self.fact])
        return Test(self, compared, _COMPARISONS[self.op](compared, self.value))

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else to_json(self.value)
        return {"fact": self.fact, "op": self.op, "value": value, "wording": self.wording}


@dataclass(frozen=True)
class Test:
    """One condition tested against one request: the value compared and whether it held (None: unknown)."""

    condition: Condition
    value: Any
    holds: bool | None

    def to_dict(self) -> dict[str, Any]:
        """``{fact, op, threshold, wording, value, holds}``: ``value`` is the rounded figure compared."""
        condition = self.condition.to_dict()
        return {"fact": self.condition.fact, "op": self.condition.op, "threshold": condition["value"],
                "wording": self.condition.wording, "value": to_json(self.value), "holds": self.holds}


@dataclass(frozen=True)
class Conjunction:
    """Several tests read together: Kleene's AND, and which absent facts left it unknown."""

    tests: tuple[Test, ...]

    @property
    def holds(self) -> bool | None:
        if any(test.holds is False for test in self.tests):
            return False
        if any(test.holds is None for test in self.tests):
            return None
        return True

    @property
    def missing(self) -> frozenset[str]:
        """The absent facts, when (and only when) they are why the answer is unknown."""
        if self.holds is not None:
            return frozenset()
        return frozenset(test.condition.fact for test in self.tests if test.holds is None)


def all_of(conditions: Iterable[Condition], facts: Mapping[str, Any]) -> Conjunction:
    return Conjunction(tuple(condition.test(facts) for condition in conditions))


def parse_condition(raw: Any) -> Condition:
    """Read ``{fact, op, value, wording}`` from a profile; ValueError says what is wrong."""
    if not isinstance(raw, Mapping):
        raise ValueError("a condition must be a table {fact, op, value, wording}")
    extra = set(raw) - _CONDITION_KEYS
    if extra:
        raise ValueError(f"condition has unknown keys: {', '.join(sorted(extra))}")
    name, op, wording = raw.get("fact"), raw.get("op"), raw.get("wording")
    spec = FACTS.get(name)
    if spec is None:
        raise ValueError(f"unknown fact {name!r}")
    if not spec.comparable:
        raise ValueError(f"fact {name!r} cannot be read by a condition")
    if op not in _OPERATORS_BY_KIND[spec.kind]:
        raise ValueError(f"operator {op!r} does not apply to {name} "
                         f"(use {', '.join(sorted(_OPERATORS_BY_KIND[spec.kind]))})")
    if wording is not None and not isinstance(wording, str):
        raise ValueError(f"wording of the condition on {name} must be a string")
    _check_wording(name, op, wording)
    return Condition(name, op, _threshold(spec.kind, spec.choices, name, op, raw.get("value")), wording)


def _check_wording(name: str, op: str, wording: str | None) -> None:
    """The operator must say what the seed's words say: "以内" is <=, "超过" is >."""
    if wording is None:
        return
    for words, meant in BOUNDARY_WORDS:
        if words in wording:
            if op != meant:
                raise ValueError(f"condition on {name}: wording {wording!r} ({words}) means {meant}, not {op}")
            return


def _threshold(kind: FactKind, choices: tuple[str, ...], name: str, op: str, value: Any) -> Any:
    if kind is FactKind.CHOICE:
        return _choice_threshold(choices, name, op, value)
    if kind is FactKind.BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(f"threshold of {name} must be true or false, not {value!r}")
        return value
    # bool is an int in Python; a threshold of true is a typo, not a number.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"threshold of {name} must be a number, not {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise ValueError(f"threshold of {name} must be a finite number ≥ 0, not {value!r}")
    if kind is FactKind.DN:
        if number != number.to_integral_value() or int(number) not in DN_SERIES:
            raise ValueError(f"threshold of {name} must be a standard DN, not {value!r}")
        return int(number)
    return number


def _choice_threshold(choices: tuple[str, ...], name: str, op: str, value: Any) -> Any:
    listed = value if op in _MEMBERSHIP else [value]
    if not isinstance(listed, list) or not listed:
        raise ValueError(f"{op} on {name} needs a non-empty list of values")
    unknown = [item for item in listed if item not in choices]
    if unknown:
        raise ValueError(f"{name} has no value {unknown[0]!r} (one of {', '.join(choices)})")
    return tuple(listed) if op in _MEMBERSHIP else value
