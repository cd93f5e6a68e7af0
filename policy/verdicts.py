"""What a rule, or a chain of rules deciding the same thing, can still conclude from incomplete facts.

Rules and their branches are read in order and the first that holds decides. When a condition is
unknown, its outcome stays possible and reading goes on, so a verdict is the set of outcomes still
possible. A decision is settled when one outcome remains — the missing facts could not change it — and
otherwise it is null and names the facts that would settle it: never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass


class _FallThrough:
    """The outcome "this rule says nothing here": reading goes on to the next rule."""

    def __repr__(self) -> str:
        return "FALL_THROUGH"


FALL_THROUGH = _FallThrough()


@dataclass(frozen=True)
class Verdict:
    """The outcomes still possible (``FALL_THROUGH`` among them when the rule may be silent)."""

    possible: frozenset[Hashable]
    missing: frozenset[str] = frozenset()

    @property
    def may_fall_through(self) -> bool:
        return FALL_THROUGH in self.possible


SILENT = Verdict(frozenset({FALL_THROUGH}))


def when(holds: bool | None, missing: frozenset[str], then: Callable[[], Verdict]) -> Verdict:
    """``then`` if ``holds``; silent if not; both possible if unknown (``then`` is only read if needed)."""
    if holds is False:
        return SILENT
    verdict = then()
    if holds is True:
        return verdict
    return Verdict(verdict.possible | {FALL_THROUGH}, verdict.missing | missing)


def outcome(value: Hashable) -> Callable[[], Verdict]:
    """A verdict that decides ``value``, for ``when``."""
    return lambda: Verdict(frozenset({value}))


def first(verdicts: Iterable[Verdict]) -> Verdict:
    """Read ``verdicts`` in order until one cannot fall through; the rest are never read (lazy)."""
    possible: set[Hashable] = set()
    missing: set[str] = set()
    for verdict in verdicts:
        possible |= verdict.possible - {FALL_THROUGH}
        missing |= verdict.missing
        if not verdict.may_fall_through:
            return Verdict(frozenset(possible), frozenset(missing))
    return Verdict(frozenset(possible | {FALL_THROUGH}), frozenset(missing))


@dataclass(frozen=True)
class Resolution:
    """A verdict read as a decision: ``value`` (None when silent or unsettled) and what would settle it."""

    value: Hashable | None
    settled: bool
    missing: frozenset[str]


def resolve(verdict: Verdict) -> Resolution:
    values = {None if value is FALL_THROUGH else value for value in verdict.possible}
    if len(values) == 1:
        return Resolution(values.pop(), True, frozenset())
    return Resolution(None, False, verdict.missing)
