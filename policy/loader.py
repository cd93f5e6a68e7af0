"""Read profiles from TOML and refuse, naming the file and the rule, anything the engine cannot trust."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from policy.catalogue import ANCHOR_EVENTS, BUSINESS_TYPES, CUSTOMER_CLASSES, UTILITIES
from policy.conditions import Condition, parse_condition
from policy.errors import ProfileError
from policy.outcomes import OUTCOME_KEYS, RuleContext, RuleKind, parse_outcome
from policy.profile import Profile
from policy.rules import Branch, CrossingExclusion, Rule, ScopeRule

_PROFILE_KEYS = frozenset({"id", "name_zh", "name_en", "version", "effective_date", "source_seed",
                           "notice_title", "notice_issuer", "notice_date", "rules"})
_RULE_KEYS = frozenset({"id", "kind", "clause", "quote"})
_KIND_KEYS = {
    RuleKind.SCOPE: frozenset({"utilities", "business_types", "customer_classes"}),
    RuleKind.CROSSING_EXCLUSION: frozenset({"layers"}),
    RuleKind.DEADLINE: frozenset({"when", "branches", "step", "anchor"}),
    RuleKind.APPROVAL_PATH: frozenset({"when", "branches", "step", "anchor"}),
}
_BRANCHING_KEYS = frozenset({"when", "branches"})

_SEED_FILE = re.compile(r"(\d{3})_[0-9a-f]+\.txt")
_RULE_ID = re.compile(r"[A-Z][0-9]+")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def load_profiles(directory: Path | str | None = None) -> dict[str, Profile]:
    """Every ``*.toml`` profile in ``directory`` (default: the package's ``policy/profiles``), by id."""
    folder: Traversable = Path(directory) if directory is not None else files("policy") / "profiles"
    paths = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
                   key=lambda entry: entry.name)
    profiles = [load_profile(path) for path in paths]
    return {profile.id: profile for profile in profiles}


def load_profile(path: Traversable) -> Profile:
    """One profile file; ``ProfileError`` names the file and the rule when anything is wrong."""
    raw = parse_toml(path.read_text(encoding="utf-8"), source=path.name)
    return read_profile(raw, source=path.name, expected_id=path.name.removesuffix(".toml"))


def parse_toml(text: str, *, source: str) -> dict[str, Any]:
    """A profile document written in TOML, not yet checked."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"not valid TOML: {error}", file=source) from None


def read_profile(raw: Any, *, source: str, expected_id: str, id_source: str = "the file name") -> Profile:
    """Check a parsed profile document (from a file or an upload) and build the ``Profile``.

    ``source`` names the document in errors; ``expected_id`` is what its ``id`` must be.
    """
    if not isinstance(raw, Mapping):
        raise ProfileError("a profile document must be an object (a TOML table)", file=source)
    return _ProfileReader(source, raw, expected_id, id_source).read()


class _ProfileReader:
    """Checks one parsed TOML document and builds the ``Profile``."""

    def __init__(self, file: str, raw: Mapping[str, Any], expected_id: str, id_source: str) -> None:
        self.file = file
        self.raw = raw
        self.expected_id = expected_id
        self.id_source = id_source
        self.seed = ""
        self.steps_defined: set[str] = set()

    def fail(self, message: str, rule: str | None = None, field: str | None = None) -> ProfileError:
        return ProfileError(message, file=self.file, rule=rule, field=field)

    def read(self) -> Profile:
        raw = self.raw
        unknown = set(raw) - _PROFILE_KEYS
        if unknown:
            raise self.fail(f"unknown keys: {', '.join(sorted(unknown))}", field=min(unknown))
        for key in sorted(_PROFILE_KEYS - {"effective_date", "rules"}):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise self.fail(f"{key} must be a non-empty string", field=key)
        if raw["id"] != self.expected_id:
            raise self.fail(f"id {raw['id']!r} must match {self.id_source} {self.expected_id!r}", field="id")
        seed = _SEED_FILE.fullmatch(raw["source_seed"])
        if not seed:
            raise self.fail("source_seed must name a seed file such as 000_87ffbf2a7ff4b79d.txt", field="source_seed")
        self.seed = seed.group(1)
        effective = raw.get("effective_date")
        if not isinstance(effective, date) or isinstance(effective, datetime):
            raise self.fail("effective_date must be a TOML date (2023-01-12)", field="effective_date")
        if not _PARTIAL_DATE.fullmatch(raw["notice_date"]):
            raise self.fail("notice_date must be ISO 8601 as precise as the notice: 2023-01-12, 2023-01 or 2023",
                            field="notice_date")
        rules = self.read_rules(raw.get("rules"))
        return Profile(id=raw["id"], name_zh=raw["name_zh"], name_en=raw["name_en"], version=raw["version"],
                       effective_date=effective, source_seed=raw["source_seed"],
                       notice_title=raw["notice_title"], notice_issuer=raw["notice_issuer"],
                       notice_date=raw["notice_date"], rules=rules)

    def read_rules(self, raw_rules: Any) -> tuple[ScopeRule | CrossingExclusion | Rule, ...]:
        if not isinstance(raw_rules, list) or not raw_rules:
            raise self.fail("rules must be a non-empty array of tables [[rules]]", field="rules")
        rules = []
        seen: set[tuple[str, str, str | None]] = set()
        for index, raw in enumerate(raw_rules, start=1):
            rule = self.read_rule(raw, index)
            key = (rule.id, rule.kind.value, getattr(rule, "step", None))
            if key in seen:
                raise self.fail(f"a second {rule.kind.value} rule with this id"
                                + (f" for step {key[2]}" if key[2] else ""), rule.id, f"rules[{index - 1}]")
            seen.add(key)
            rules.append(rule)
        scopes = [rule for rule in rules if isinstance(rule, ScopeRule)]
        if len(scopes) != 1:
            raise self.fail(f"a profile needs exactly one scope rule, found {len(scopes)}", field="rules")
        return tuple(rules)

    def read_rule(self, raw: Any, index: int) -> ScopeRule | CrossingExclusion | Rule:
        at = f"rules[{index - 1}]"
        if not isinstance(raw, Mapping):
            raise self.fail(f"rule #{index} must be a table", field=at)
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not _RULE_ID.fullmatch(rule_id):
            raise self.fail(f"rule #{index} needs an id such as S4 (a capital letter and a number)",
                            str(rule_id) if rule_id else f"#{index}", f"{at}.id")
        try:
            kind = RuleKind(raw.get("kind"))
        except ValueError:
            raise self.fail(f"unknown rule kind {raw.get('kind')!r} "
                            f"(one of {', '.join(k.value for k in RuleKind)})", rule_id, f"{at}.kind") from None
        clause, quote = raw.get("clause"), raw.get("quote")
        if not isinstance(clause, str) or not clause.strip():
            raise self.fail("missing clause: every rule cites the seed's clause, e.g. "
                            f"\"{self.seed} 二(四)\"", rule_id, f"{at}.clause")
        if not re.fullmatch(rf"{self.seed} \S.*", clause):
            raise self.fail(f"clause {clause!r} must cite this profile's seed: \"{self.seed} <clause>\"", rule_id,
                            f"{at}.clause")
        if not isinstance(quote, str) or not quote.strip():
            raise self.fail("missing quote: every rule quotes the seed's words", rule_id, f"{at}.quote")
        allowed = _RULE_KEYS | _KIND_KEYS.get(kind, _BRANCHING_KEYS) | OUTCOME_KEYS.get(kind, frozenset())
        unknown = set(raw) - allowed
        if unknown:
            raise self.fail(f"unknown keys for a {kind.value} rule: {', '.join(sorted(unknown))}", rule_id,
                            f"{at}.{min(unknown)}")
        try:
            if kind is RuleKind.SCOPE:
                return self.read_scope(raw, rule_id, clause, quote)
            if kind is RuleKind.CROSSING_EXCLUSION:
                return CrossingExclusion(rule_id, clause, quote, _names(raw.get("layers"), "layers"))
            return self.read_deciding_rule(raw, kind, rule_id, clause, quote)
        except ValueError as error:
            raise self.fail(str(error), rule_id, at) from None

    def read_scope(self, raw: Mapping[str, Any], rule_id: str, clause: str, quote: str) -> ScopeRule:
        return ScopeRule(rule_id, clause, quote,
                         utilities=_subset(raw.get("utilities"), UTILITIES, "utilities"),
                         business_types=_optional_subset(raw.get("business_types"), BUSINESS_TYPES,
                                                         "business_types"),
                         customer_classes=_optional_subset(raw.get("customer_classes"), CUSTOMER_CLASSES,
                                                           "customer_classes"))

    def read_deciding_rule(self, raw: Mapping[str, Any], kind: RuleKind, rule_id: str, clause: str,
                           quote: str) -> Rule:
        step, anchor = raw.get("step"), raw.get("anchor")
        if kind is RuleKind.DEADLINE or step is not None or anchor is not None:
            self.check_step(step, anchor)
        context = RuleContext(rule_id, clause, step, anchor)
        if "branches" in raw:
            stray = set(raw) & OUTCOME_KEYS[kind]
            if stray:
                raise ValueError(f"{', '.join(sorted(stray))} belong in the branches when a rule has them")
            branches = self.read_branches(raw["branches"], kind, context)
        else:
            branches = (Branch((), parse_outcome(kind, raw, context)),)
        if step is not None:
            self.steps_defined.add(step)
        return Rule(rule_id, kind, clause, quote, _conditions(raw.get("when", [])), branches, step, anchor)

    def read_branches(self, raw: Any, kind: RuleKind, context: RuleContext) -> tuple[Branch, ...]:
        if not isinstance(raw, list) or not raw:
            raise ValueError("branches must be a non-empty array of tables")
        branches = []
        for position, entry in enumerate(raw, start=1):
            if not isinstance(entry, Mapping):
                raise ValueError(f"branch {position} must be a table")
            unknown = set(entry) - OUTCOME_KEYS[kind] - {"when"}
            if unknown:
                raise ValueError(f"branch {position} has unknown keys: {', '.join(sorted(unknown))}")
            if branches and not branches[-1].when:
                raise ValueError(f"branch {position} can never be reached: branch {position - 1} always holds")
            branches.append(Branch(_conditions(entry.get("when", [])), parse_outcome(kind, entry, context)))
        return tuple(branches)

    def check_step(self, step: Any, anchor: Any) -> None:
        if not isinstance(step, str) or not _NAME.fullmatch(step) or step in ANCHOR_EVENTS:
            raise ValueError("step must be a snake_case name such as survey_upload, not an event's name")
        if anchor not in ANCHOR_EVENTS and anchor not in self.steps_defined:
            raise ValueError(f"anchor {anchor!r} is neither an event ({', '.join(sorted(ANCHOR_EVENTS))}) "
                             "nor a step defined earlier in the profile")


def _conditions(raw: Any) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        raise ValueError("when must be an array of conditions")
    return tuple(parse_condition(entry) for entry in raw)


def _names(raw: Any, key: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) and _NAME.fullmatch(n) for n in raw):
        raise ValueError(f"{key} must be a non-empty list of snake_case names")
    return tuple(raw)


def _subset(raw: Any, allowed: tuple[str, ...], key: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{key} must be a non-empty list")
    unknown = [value for value in raw if value not in allowed]
    if unknown:
        raise ValueError(f"{key} has no value {unknown[0]!r} (one of {', '.join(allowed)})")
    return tuple(raw)


def _optional_subset(raw: Any, allowed: tuple[str, ...], key: str) -> tuple[str, ...] | None:
    return None if raw is None else _subset(raw, allowed, key)
