"""How a ``var`` path in an expression names a question, and which answers it reads.

A path walks the answers document: ``"water.meter_dn"``. After a repeat comes ``$`` (the entry being evaluated,
only inside that repeat), an entry number (``"segments.0.pipe_dn"``) or ``length`` (the number of entries).
After a text or a selection, ``length`` is allowed; after a geometry, any GeoJSON member
(``"meter_position.coordinates.0"``). These are the rules json-logic-js follows too, once ``$`` is bound.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain_errors import Code
from field_forms.codes import ProblemCode
from field_forms.questions import GEOMETRY_TYPES, Question, walk

CURRENT_ENTRY = "$"


class BadReference(ValueError):
    """A path that names no question, or names one in a way the form does not allow."""

    def __init__(self, code: Code, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Reference:
    """The question a path lands on, and whether only its entry count is read."""

    question: Question
    count_only: bool = False

    def dependencies(self) -> set[str]:
        """Keys of the questions whose answers the path reads."""
        if self.count_only or self.question.type not in ("group", "repeat"):
            return {self.question.key}
        return {self.question.key} | {q.key for q in walk(self.question.children)}


def resolve(path: str, questions: Sequence[Question], *, current_repeat: str | None) -> Reference:
    """The Reference ``path`` makes among ``questions``; raises BadReference.

    ``current_repeat`` is the key of the repeat whose entry ``$`` stands for where the expression is evaluated.
    """
    segments = path.split(".")
    siblings: Sequence[Question] = questions
    index = 0
    while True:
        name = segments[index]
        question = next((q for q in siblings if q.name == name), None)
        if question is None:
            raise BadReference(ProblemCode.UNKNOWN_REFERENCE, f"{path!r}: there is no question {name!r} here")
        if question.type == "note":
            raise BadReference(ProblemCode.INVALID_REFERENCE, f"{path!r}: {question.key!r} is a note and has no answer")
        index += 1
        rest = segments[index:]
        if not rest:
            return Reference(question)
        if question.type == "group":
            siblings = question.children
        elif question.type == "repeat":
            if rest == ["length"]:
                return Reference(question, count_only=True)
            _check_entry(path, question, rest[0], current_repeat)
            index += 1
            if index == len(segments):
                return Reference(question)
            siblings = question.children
        else:
            _check_inside_answer(path, question, rest)
            return Reference(question)


def _check_entry(path: str, repeat: Question, segment: str, current_repeat: str | None) -> None:
    if segment == CURRENT_ENTRY:
        if current_repeat != repeat.key:
            raise BadReference(ProblemCode.INVALID_REFERENCE,
                               f"{path!r}: '$' means the current entry, and only inside the repeat {repeat.key!r}")
    elif not segment.isdigit():
        raise BadReference(
            ProblemCode.INVALID_REFERENCE,
            f"{path!r}: {repeat.key!r} is a repeat; follow it with '$', an entry number or 'length'",
        )


def _check_inside_answer(path: str, question: Question, rest: list[str]) -> None:
    if question.type in GEOMETRY_TYPES:
        return
    if rest == ["length"] and question.type in ("text", "select_multiple"):
        return
    if question.type == "select_multiple" and len(rest) == 1 and rest[0].isdigit():
        return
    raise BadReference(ProblemCode.INVALID_REFERENCE,
                       f"{path!r}: {question.key!r} is a {question.type} answer with no {'.'.join(rest)!r}")
