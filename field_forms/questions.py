"""The question tree of a form definition, and the vocabulary of question types."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

PIPE_DN_SERIES: tuple[int, ...] = (
    15, 20, 25, 32, 40, 50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500, 600,
)
BLOB_TYPES = frozenset({"photo", "sketch", "signature"})
GEOMETRY_TYPES = {"geopoint": "Point", "geotrace": "LineString", "geoshape": "Polygon"}
ANSWERABLE_TYPES = frozenset({
    "text", "integer", "decimal", "select_one", "select_multiple", "date", "datetime",
    "pipe_dn", "length", *GEOMETRY_TYPES, *BLOB_TYPES,
})
CONTAINER_TYPES = frozenset({"group", "repeat"})
QUESTION_TYPES = ANSWERABLE_TYPES | CONTAINER_TYPES | {"note"}


@dataclass(frozen=True, eq=False)
class Question:
    """One node of a form: an answerable question, a note, a group or a repeat."""

    type: str
    name: str
    key: str
    """Where the answer lives, repeats left out: ``"water.segments.pipe_dn"``."""
    location: str
    """Where the question is in the definition: ``"questions[4].children[2]"``."""
    repeat: str | None
    """Key of the repeat whose entries hold this question's answers, if any."""
    spec: Mapping[str, Any]
    """The definition's attributes (label, relevant, calculate, …) as written."""
    children: tuple[Question, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type in ANSWERABLE_TYPES

    @property
    def required(self) -> bool:
        return bool(self.spec.get("required", False))

    @property
    def read_only(self) -> bool:
        return bool(self.spec.get("read_only", False))

    @property
    def relevant(self) -> Any:
        return self.spec.get("relevant")

    @property
    def calculate(self) -> Any:
        return self.spec.get("calculate")

    @property
    def constraint(self) -> Any:
        return self.spec.get("constraint")

    @property
    def default(self) -> Any:
        return self.spec.get("default")

    @property
    def parent_key(self) -> str | None:
        return self.key.rpartition(".")[0] or None


def build_questions(raw: Sequence[Mapping[str, Any]], *, parent: Question | None = None) -> tuple[Question, ...]:
    """The question tree of a shape-checked definition's ``questions`` (or a container's ``children``)."""
    location = f"{parent.location}.children" if parent else "questions"
    built = []
    for index, spec in enumerate(raw):
        key = f"{parent.key}.{spec['name']}" if parent else spec["name"]
        enclosing_repeat = parent.key if parent and parent.type == "repeat" else (parent.repeat if parent else None)
        node = Question(
            type=spec["type"], name=spec["name"], key=key, location=f"{location}[{index}]",
            repeat=enclosing_repeat, spec=MappingProxyType({k: v for k, v in spec.items() if k != "children"}),
        )
        if spec["type"] in CONTAINER_TYPES:
            node = replace(node, children=build_questions(spec["children"], parent=node))
        built.append(node)
    return tuple(built)


def walk(questions: Sequence[Question]) -> Iterator[Question]:
    """Every node, parents before their children, in definition order."""
    for question in questions:
        yield question
        yield from walk(question.children)
