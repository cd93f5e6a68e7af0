"""Server-side validation of a submission against the form version it names."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain_errors import Code, CommonCode
from field_forms.codes import ProblemCode
from field_forms.definition import FormDefinition
from field_forms.errors import SubmissionInvalid, field_path, problem
from field_forms.evaluation import ExpressionFailed, bind_entry, evaluate, from_js, is_true, to_js
from field_forms.questions import Question, walk
from field_forms.values import InvalidValue, clean_value, is_blank

Path = tuple[str | int, ...]
_FAILED = object()
"""What an expression that could not be evaluated gives (already reported)."""


def validate_submission(form: FormDefinition, answers: dict) -> dict:
    """The answers, checked and cleaned; raises SubmissionInvalid listing every problem.

    Checks types, unknown keys, relevance (an answer to an irrelevant question is an error, never dropped),
    required, constraints, read-only values and repeat counts, and recomputes every calculation, comparing it with
    what the tablet sent. The clean answers hold the recomputed values, decimal and length answers as ``Decimal``,
    and no blank (null, "", []) answers.
    """
    if not isinstance(answers, dict):
        raise SubmissionInvalid([problem(None, CommonCode.INVALID_TYPE,
                                         "answers must be an object keyed by question name")])
    check = _SubmissionCheck(form)
    check.read(answers)
    check.settle()
    check.check_answers()
    if check.problems:
        raise SubmissionInvalid(check.problems)
    return check.clean


class _SubmissionCheck:
    def __init__(self, form: FormDefinition):
        self.form = form
        self.problems: list[dict] = []
        self.clean: dict = {}
        self.sent: dict[Path, Any] = {}
        """Every non-blank answer as the tablet sent it, valid or not."""
        self.invalid: set[Path] = set()
        self.relevant: dict[Path, bool] = {}
        self.data: dict = {}
        """The answers as expressions see them: JavaScript numbers, no irrelevant or unsettled values."""

    def report(self, path: Path, code: Code, message: str, **details: Any) -> None:
        self.problems.append(problem(field_path(path), code, message, **details))

    # pass 1: types and names

    def read(self, answers: dict) -> None:
        self.clean = self._read_object(self.form.questions, answers, ())

    def _read_object(self, questions: tuple[Question, ...], values: dict, at: Path) -> dict:
        by_name = {q.name: q for q in questions}
        clean: dict = {}
        for name, value in values.items():
            path = (*at, name)
            question = by_name.get(name)
            if question is None:
                self.report(path, ProblemCode.UNKNOWN_QUESTION, f"the form has no question {field_path(path)!r}")
            elif value is None:
                continue
            elif question.type == "group":
                if isinstance(value, dict):
                    clean[name] = self._read_object(question.children, value, path)
                else:
                    self.report(path, CommonCode.INVALID_TYPE, "a group's answers are an object")
            elif question.type == "repeat":
                if isinstance(value, list):
                    clean[name] = [self._read_entry(question, entry, (*path, index))
                                   for index, entry in enumerate(value)]
                else:
                    self.report(path, CommonCode.INVALID_TYPE, "a repeat's answers are a list of entries")
            elif question.type == "note":
                if not is_blank(value):
                    self.report(path, ProblemCode.NOT_ANSWERABLE, "a note is shown, never answered")
            elif not is_blank(value):
                self.sent[path] = value
                try:
                    clean[name] = clean_value(question.type, value, self.form.choices_of(question))
                except InvalidValue as bad:
                    self.invalid.add(path)
                    self.report(path, bad.code, bad.message)
        return clean

    def _read_entry(self, repeat: Question, entry: Any, path: Path) -> dict:
        if isinstance(entry, dict):
            return self._read_object(repeat.children, entry, path)
        self.report(path, CommonCode.INVALID_TYPE, "a repeat entry is an object")
        return {}  # keeps the numbering of the entries after it

    # pass 2: relevance and calculations, in dependency order

    def settle(self) -> None:
        self.data = to_js(self.clean)
        for question in walk(self.form.questions):
            if question.calculate is not None:
                for path in self.instances(question):
                    _remove(self.data, path)  # a calculation reads recomputed values only
        for key in self.form.evaluation_order:
            question = self.form.question(key)
            for path in self.instances(question):
                self._settle_one(question, path)

    def _settle_one(self, question: Question, path: Path) -> None:
        shown = self.relevant.get(_parent(path), True)
        if shown and question.relevant is not None:
            outcome = self.evaluate(question.relevant, path, "relevant")
            shown = outcome is _FAILED or is_true(outcome)
        self.relevant[path] = shown
        if not shown:
            _remove(self.data, path)
            if path in self.sent:
                self.report(path, ProblemCode.NOT_RELEVANT, f"{_name(question, path)} was answered, but a relevant "
                            "condition (its own or its group's) hides it", answer=self.sent[path])
        elif question.calculate is not None:
            self._recalculate(question, path)

    def _recalculate(self, question: Question, path: Path) -> None:
        result = self.evaluate(question.calculate, path, "calculate")
        if result is _FAILED:
            return
        result = from_js(result)
        try:
            computed = None if is_blank(result) else clean_value(question.type, result, self.form.choices_of(question))
        except InvalidValue as bad:
            self.invalid.add(path)
            self.report(path, ProblemCode.EXPRESSION_FAILED, f"calculate gave {result!r}: {bad.message}",
                        attribute="calculate")
            return
        if path in self.sent and path not in self.invalid and not _same(_get(self.clean, path), computed):
            self.report(path, ProblemCode.CALCULATION_MISMATCH,
                        f"{_name(question, path)}: the tablet sent {self.sent[path]!r}, the server computes {result!r}",
                        sent=self.sent[path], computed=result)
        if computed is None:
            _remove(self.clean, path)
        else:
            _put(self.clean, path, computed)
            _put(self.data, path, to_js(computed))

    def evaluate(self, expression: Any, path: Path, attribute: str) -> Any:
        """The expression's value for the question at ``path``; _FAILED, reported, if it cannot be evaluated."""
        entry = next((part for part in path if isinstance(part, int)), None)
        try:
            return evaluate(expression if entry is None else bind_entry(expression, entry), self.data)
        except ExpressionFailed as failed:
            self.invalid.add(path)
            self.report(path, ProblemCode.EXPRESSION_FAILED, f"{attribute} could not be evaluated: {failed}",
                        attribute=attribute)
            return _FAILED

    # pass 3: required, constraints, read-only values and repeat counts

    def check_answers(self) -> None:
        for question in walk(self.form.questions):
            for path in self.instances(question):
                if not self.relevant[path] or path in self.invalid:
                    continue
                if question.type == "repeat":
                    self._check_count(question, path)
                elif question.answerable:
                    self._check_answer(question, path)

    def _check_answer(self, question: Question, path: Path) -> None:
        value = _get(self.clean, path)
        if value is None:
            if question.required:
                self.report(path, ProblemCode.REQUIRED, f"{_name(question, path)} is required")
            return
        if question.constraint is not None:
            outcome = self.evaluate(question.constraint, path, "constraint")
            if outcome is not _FAILED and not is_true(outcome):
                message = question.spec["constraint_message"]
                self.report(path, ProblemCode.CONSTRAINT_FAILED, f"{_name(question, path)}: {message['en']}",
                            constraint_message=dict(message))
        if question.read_only and question.calculate is None and question.default is not None:
            default = clean_value(question.type, question.default, self.form.choices_of(question))
            if not _same(value, default):
                self.report(path, ProblemCode.READ_ONLY_MODIFIED, f"{_name(question, path)} is read-only and must stay "
                            f"{question.default!r}", default=question.default, answer=self.sent[path])

    def _check_count(self, repeat: Question, path: Path) -> None:
        count = len(_get(self.clean, path) or [])
        low, high = repeat.spec.get("min_count", 0), repeat.spec.get("max_count")
        if count < low:
            self.report(path, ProblemCode.TOO_FEW_ENTRIES,
                        f"{_name(repeat, path)} needs at least {low} entries, has {count}", min_count=low, count=count)
        if high is not None and count > high:
            self.report(path, ProblemCode.TOO_MANY_ENTRIES,
                        f"{_name(repeat, path)} takes at most {high} entries, has {count}", max_count=high, count=count)

    def instances(self, question: Question) -> list[Path]:
        """The concrete paths of ``question``'s answers: one, or one per entry of its repeat."""
        parts = tuple(question.key.split("."))
        if question.repeat is None:
            return [parts]
        depth = question.repeat.count(".") + 1
        entries = _get(self.clean, parts[:depth])
        count = len(entries) if isinstance(entries, list) else 0
        return [(*parts[:depth], index, *parts[depth:]) for index in range(count)]


def _name(question: Question, path: Path) -> str:
    return f"{question.spec['label']['en']} ({field_path(path)})"


def _same(left: Any, right: Any) -> bool:
    """Equal answers; numbers compare as decimals of their text, never as binary floats."""
    if _is_number(left) and _is_number(right):
        return Decimal(str(left)) == Decimal(str(right))
    return left == right


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _parent(path: Path) -> Path:
    """The path of the group or repeat holding ``path`` (an entry's parent is its repeat)."""
    parent = path[:-1]
    return parent[:-1] if parent and isinstance(parent[-1], int) else parent


def _get(document: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            document = document[part] if isinstance(document, list) and part < len(document) else None
        else:
            document = document.get(part) if isinstance(document, dict) else None
    return document


def _put(document: dict, path: Path, value: Any) -> None:
    for part in path[:-1]:
        document = document[part] if isinstance(part, int) else document.setdefault(part, {})
    document[path[-1]] = value


def _remove(document: Any, path: Path) -> None:
    holder = _get(document, path[:-1])
    if isinstance(holder, dict):
        holder.pop(path[-1], None)
