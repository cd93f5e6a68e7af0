"""Static checks of the JsonLogic expressions in a definition, made on publish.

Only operations that json-logic-js (tablets, web) and panzi-json-logic (server) both implement are allowed, with
the argument counts they both accept. Every ``var`` path must be a literal, so that the questions an expression
reads are known on publish: that is what lets the server order calculations and refuse cycles.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain_errors import Code
from field_forms.codes import ProblemCode
from field_forms.errors import Problem, problem
from field_forms.questions import Question, walk
from field_forms.references import BadReference, Reference, resolve

# operation → (fewest, most) arguments; None: no upper bound
ARITY: dict[str, tuple[int, int | None]] = {
    "var": (1, 2), "missing": (1, None), "missing_some": (2, 2),
    "if": (2, None), "?:": (3, 3), "and": (1, None), "or": (1, None), "!": (1, 1), "!!": (1, 1),
    "==": (2, 2), "!=": (2, 2), "===": (2, 2), "!==": (2, 2),
    "<": (2, 3), "<=": (2, 3), ">": (2, 2), ">=": (2, 2),  # json-logic-js does "between" for < and <= only
    "+": (1, None), "-": (1, 2), "*": (1, None), "/": (2, 2), "%": (2, 2), "min": (1, None), "max": (1, None),
    "cat": (1, None), "substr": (2, 3), "in": (2, 2), "merge": (0, None),
    "map": (2, 2), "filter": (2, 2), "all": (2, 2), "some": (2, 2), "none": (2, 2), "reduce": (2, 3),
}
# these evaluate their second argument once per item of the first, with the item as the data
ITEM_OPERATIONS = frozenset({"map", "filter", "all", "some", "none", "reduce"})


@dataclass(frozen=True)
class _Scope:
    """What ``var`` paths are relative to at one point of an expression."""

    questions: Sequence[Question] | None
    """The questions the data holds answers of; None when the data's shape is not known (checks are skipped)."""
    current_repeat: str | None = None
    item: bool = False
    """Inside map/filter/all/some/none: the data is one item, and ``""`` is the item itself."""
    reduce: bool = False
    """Inside reduce: the data is ``{"current": item, "accumulator": …}``."""


@dataclass
class ExpressionCheck:
    """The outcome of checking one expression: its problems and the question keys it reads."""

    problems: list[Problem] = field(default_factory=list)
    dependencies: set[str] = field(default_factory=set)


def check_expression(expression: Any, *, field_name: str, questions: Sequence[Question],
                     current_repeat: str | None) -> ExpressionCheck:
    """Check ``expression`` (found at ``field_name`` of the definition) against the form's ``questions``."""
    checker = _Checker(field_name)
    checker.walk(expression, "", _Scope(questions, current_repeat))
    return checker.result


class _Checker:
    def __init__(self, field_name: str):
        self.field = field_name
        self.result = ExpressionCheck()

    def report(self, code: Code, message: str, at: str, **details: Any) -> None:
        self.result.problems.append(problem(self.field, code, message, at=at or "/", **details))

    def walk(self, node: Any, at: str, scope: _Scope) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                self.walk(item, f"{at}/{index}", scope)
            return
        if not isinstance(node, dict):
            return
        if len(node) != 1:
            self.report(ProblemCode.INVALID_EXPRESSION,
                        f"an operation is an object with exactly one key, got {sorted(node)}", at)
            return
        operation, arguments = next(iter(node.items()))
        here = f"{at}/{_escape(operation)}"
        if isinstance(arguments, list):
            argument_at = [f"{here}/{i}" for i in range(len(arguments))]
        else:  # JsonLogic's shorthand: a lone argument need not be wrapped in a list
            arguments, argument_at = [arguments], [here]
        if operation not in ARITY:
            hint = " ('log' prints on the server and is not allowed in forms)" if operation == "log" else ""
            self.report(ProblemCode.UNKNOWN_OPERATOR, f"unknown operation {operation!r}{hint}", here,
                        operator=operation)
            return
        fewest, most = ARITY[operation]
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            expected = f"{fewest}" if fewest == most else f"{fewest} or more" if most is None else f"{fewest} to {most}"
            self.report(ProblemCode.WRONG_ARITY, f"{operation!r} takes {expected} arguments, got {len(arguments)}",
                        here, operator=operation, count=len(arguments))
        if operation == "var":
            self.var(arguments, argument_at, scope)
        elif operation in ("missing", "missing_some"):
            self.missing(operation, arguments, argument_at, scope)
        elif operation in ITEM_OPERATIONS and arguments:
            self.item_operation(operation, arguments, argument_at, scope)
        else:
            for argument, where in zip(arguments, argument_at, strict=True):
                self.walk(argument, where, scope)

    def var(self, arguments: list, argument_at: list[str], scope: _Scope) -> None:
        if arguments:
            self.path(arguments[0], argument_at[0], scope)
        for argument, where in zip(arguments[1:], argument_at[1:], strict=True):  # the default value
            self.walk(argument, where, scope)

    def missing(self, operation: str, arguments: list, argument_at: list[str], scope: _Scope) -> None:
        if operation == "missing_some":
            if arguments:  # how many must be present
                self.walk(arguments[0], argument_at[0], scope)
            arguments, argument_at = arguments[1:2], argument_at[1:2]
        if len(arguments) == 1 and isinstance(arguments[0], list):
            arguments, argument_at = arguments[0], [f"{argument_at[0]}/{i}" for i in range(len(arguments[0]))]
        for argument, where in zip(arguments, argument_at, strict=True):
            self.path(argument, where, scope)

    def item_operation(self, operation: str, arguments: list, argument_at: list[str], scope: _Scope) -> None:
        items_scope = self.items(arguments[0], argument_at[0], scope)
        inner = _Scope(items_scope, item=operation != "reduce", reduce=operation == "reduce")
        if len(arguments) > 1:
            self.walk(arguments[1], argument_at[1], inner)
        for argument, where in zip(arguments[2:], argument_at[2:], strict=True):  # reduce's initial value
            self.walk(argument, where, scope)

    def items(self, items: Any, at: str, scope: _Scope) -> Sequence[Question] | None:
        """The questions each item of ``items`` answers, when ``items`` is a repeat's entries."""
        if isinstance(items, dict) and set(items) == {"var"} and isinstance(items["var"], str) and scope.questions:
            reference = self.reference(items["var"], f"{at}/var", scope, depend=False)
            if reference and reference.question.type == "repeat" and not reference.count_only:
                self.result.dependencies.add(reference.question.key)
                return reference.question.children
            if reference:
                self.result.dependencies |= reference.dependencies()
            return None
        self.walk(items, at, scope)
        return None

    def path(self, path: Any, at: str, scope: _Scope) -> None:
        if not isinstance(path, str):
            self.report(ProblemCode.INVALID_REFERENCE,
                        "a path must be literal text, so that what it reads is known on publish", at, path=path)
            return
        if scope.reduce:
            head, _, rest = path.partition(".")
            if head == "accumulator":
                return
            if head != "current":
                self.report(ProblemCode.INVALID_REFERENCE,
                            f"{path!r}: inside reduce, paths start with 'current' or 'accumulator'", at, path=path)
                return
            path = rest
        if path == "":
            if scope.item or scope.reduce:
                self.whole_item(scope)
            else:
                self.report(ProblemCode.INVALID_REFERENCE, "an empty path would read every answer; name the question",
                            at)
            return
        self.reference(path, at, scope, depend=True)

    def whole_item(self, scope: _Scope) -> None:
        """The item itself is read: a repeat entry depends on all of its questions."""
        for question in walk(scope.questions or ()):
            self.result.dependencies.add(question.key)

    def reference(self, path: str, at: str, scope: _Scope, *, depend: bool) -> Reference | None:
        if scope.questions is None:
            return None
        try:
            reference = resolve(path, scope.questions, current_repeat=scope.current_repeat)
        except BadReference as bad:
            self.report(bad.code, bad.message, at, path=path)
            return None
        if depend:
            self.result.dependencies |= reference.dependencies()
        return reference


def _escape(token: str) -> str:
    """JSON Pointer escaping (RFC 6901), for the ``at`` of a problem."""
    return token.replace("~", "~0").replace("/", "~1")
