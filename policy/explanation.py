"""The record of one rule consulted, detailed enough for an engineer to redo the decision by hand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy.conditions import Conjunction, Test
from policy.facts import to_json


@dataclass(frozen=True)
class Check:
    """One set of conditions read for a rule — its own ``when`` or one branch — and what follows if it holds."""

    then: Any
    conjunction: Conjunction

    def to_dict(self) -> dict[str, Any]:
        return {"then": self.then, "holds": self.conjunction.holds,
                "tests": [test.to_dict() for test in self.conjunction.tests]}


@dataclass(frozen=True)
class Explanation:
    """A rule consulted: its clause and quote, the (rounded) inputs it read, the checks, the result.

    ``status`` is ``decided`` (``result`` holds the outcome), ``silent`` (the rule does not speak to this
    case) or ``undetermined`` (``missing`` names the facts it needed).
    """

    rule: str
    kind: str
    clause: str
    quote: str
    inputs: Mapping[str, Any]
    checks: tuple[Check, ...]
    status: str
    result: Any
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "kind": self.kind, "clause": self.clause, "quote": self.quote,
                "inputs": {name: to_json(value) for name, value in self.inputs.items()},
                "checks": [check.to_dict() for check in self.checks], "status": self.status,
                "result": self.result, "missing": list(self.missing)}

    @property
    def tests(self) -> list[Test]:
        """Every test this rule ran, guard and branches alike."""
        return [test for check in self.checks for test in check.conjunction.tests]


def inputs_of(checks: tuple[Check, ...]) -> dict[str, Any]:
    """The facts the checks read, as compared (rounded), None where the request lacks them."""
    return {test.condition.fact: test.value for check in checks for test in check.conjunction.tests}
