"""A published form version: parsed, checked, and ready to validate submissions."""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from field_forms.checks import check_semantics
from field_forms.errors import DefinitionError
from field_forms.questions import BLOB_TYPES, Question, build_questions, walk
from field_forms.shape import check_shape
from field_forms.values import SHA256_PATTERN


@dataclass(frozen=True, eq=False)
class FormDefinition:
    """One immutable version of a form. Build it with ``parse_definition``."""

    form_id: str
    version: int
    title: Mapping[str, str]
    questions: tuple[Question, ...]
    choice_lists: Mapping[str, tuple[str, ...]]
    """Choice list name → the choice names, in order."""
    evaluation_order: tuple[str, ...]
    """Question keys, each after everything its relevant and calculate read."""
    digest: str
    """SHA-256 of the definition's canonical JSON: same digest, same form version."""
    _canonical: str = field(repr=False)
    _by_key: Mapping[str, Question] = field(repr=False)

    @property
    def raw(self) -> dict[str, Any]:
        """A fresh copy of the definition as published (to store, or to send to tablets)."""
        return json.loads(self._canonical)

    def question(self, key: str) -> Question:
        """The question at ``key`` (``"water.segments.pipe_dn"``); raises KeyError."""
        return self._by_key[key]

    def choices_of(self, question: Question) -> tuple[str, ...]:
        """The choice names a select question offers; empty for other types."""
        return self.choice_lists.get(question.spec.get("choices"), ())

    def blob_refs(self, answers: Any) -> set[str]:
        """The SHA-256s of the photos, sketches and signatures that ``answers`` reference."""
        found: set[str] = set()
        _collect_blobs(self.questions, answers, found)
        return found


def parse_definition(raw: dict) -> FormDefinition:
    """Check ``raw`` (plain JSON) and build its FormDefinition; raises DefinitionError with every problem.

    The shape is checked first; when it is wrong, only shape problems are reported, since names, references and
    cycles cannot be checked on a malformed tree.
    """
    problems = check_shape(raw)
    if problems:
        raise DefinitionError(problems)
    raw = copy.deepcopy(raw)
    questions = build_questions(raw["questions"])
    choice_lists = {name: tuple(c["name"] for c in items) for name, items in raw.get("choice_lists", {}).items()}
    problems, graph = check_semantics(raw, questions, choice_lists)
    if problems:
        raise DefinitionError(problems)
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return FormDefinition(
        form_id=raw["form_id"],
        version=raw["version"],
        title=MappingProxyType(dict(raw["title"])),
        questions=questions,
        choice_lists=MappingProxyType(choice_lists),
        evaluation_order=tuple(graph.order()),
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        _canonical=canonical,
        _by_key=MappingProxyType({q.key: q for q in walk(questions)}),
    )


def _collect_blobs(questions: tuple[Question, ...], values: Any, found: set[str]) -> None:
    if not isinstance(values, dict):
        return
    for question in questions:
        value = values.get(question.name)
        if question.type == "group":
            _collect_blobs(question.children, value, found)
        elif question.type == "repeat" and isinstance(value, list):
            for entry in value:
                _collect_blobs(question.children, entry, found)
        elif question.type in BLOB_TYPES and isinstance(value, str) and SHA256_PATTERN.match(value):
            found.add(value)
