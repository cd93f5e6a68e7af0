"""The checks on publish that come after the shape: names, choices, expressions, defaults and cycles."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from field_forms.codes import ProblemCode
from field_forms.dependencies import DependencyGraph
from field_forms.errors import Problem, problem
from field_forms.expressions import check_expression
from field_forms.questions import Question, walk
from field_forms.values import InvalidValue, clean_value

EXPRESSION_ATTRIBUTES = ("relevant", "calculate", "constraint")
# constraints are checked once every answer is settled, so they order nothing
ORDERING_ATTRIBUTES = ("relevant", "calculate")


def check_semantics(raw: Mapping[str, Any], questions: Sequence[Question],
                    choice_lists: Mapping[str, tuple[str, ...]]) -> tuple[list[Problem], DependencyGraph]:
    """Every problem of a shape-checked definition, and the dependency graph of its questions."""
    graph = DependencyGraph(q.key for q in walk(questions))
    problems = [
        *_duplicate_names(questions),
        *_repeat_problems(questions),
        *_choice_problems(raw.get("choice_lists", {}), questions),
        *_expression_problems(questions, graph),
        *_default_problems(questions, choice_lists),
    ]
    problems += _cycle_problems(questions, graph)
    return problems, graph


def _duplicate_names(siblings: Sequence[Question]) -> list[Problem]:
    found = []
    first: dict[str, Question] = {}
    for question in siblings:
        if question.name in first:
            found.append(problem(
                f"{question.location}.name", ProblemCode.DUPLICATE_NAME,
                f"{question.key!r} is already the name of {first[question.name].location}",
                first=first[question.name].location,
            ))
        first.setdefault(question.name, question)
        found += _duplicate_names(question.children)
    return found


def _repeat_problems(questions: Sequence[Question]) -> list[Problem]:
    found = []
    for question in walk(questions):
        if question.type != "repeat":
            continue
        if question.repeat is not None:
            # "$" binds one entry number; a repeat inside a repeat would need two
            found.append(problem(question.location, ProblemCode.NESTED_REPEAT,
                                 f"the repeat {question.key!r} is inside the repeat {question.repeat!r}; "
                                 "repeats do not nest"))
        low, high = question.spec.get("min_count", 0), question.spec.get("max_count")
        if high is not None and low > high:
            found.append(problem(f"{question.location}.max_count", ProblemCode.INVALID_COUNT_RANGE,
                                 f"max_count {high} is below min_count {low}", min_count=low, max_count=high))
    return found


def _choice_problems(raw_lists: Mapping[str, Any], questions: Sequence[Question]) -> list[Problem]:
    found = []
    for list_name, choices in raw_lists.items():
        seen: set[str] = set()
        for index, choice in enumerate(choices):
            if choice["name"] in seen:
                found.append(problem(f"choice_lists.{list_name}[{index}].name", ProblemCode.DUPLICATE_CHOICE,
                                     f"{choice['name']!r} appears twice in the choice list {list_name!r}"))
            seen.add(choice["name"])
    for question in walk(questions):
        list_name = question.spec.get("choices")
        if list_name is not None and list_name not in raw_lists:
            found.append(problem(f"{question.location}.choices", ProblemCode.UNKNOWN_CHOICE_LIST,
                                 f"there is no choice list {list_name!r} in choice_lists", known=sorted(raw_lists)))
    return found


def _expression_problems(questions: Sequence[Question], graph: DependencyGraph) -> list[Problem]:
    found = []
    for question in walk(questions):
        if question.parent_key:
            graph.add(question.key, [question.parent_key], "inside")
        for attribute in EXPRESSION_ATTRIBUTES:
            if attribute not in question.spec:
                continue
            check = check_expression(question.spec[attribute], field_name=f"{question.location}.{attribute}",
                                     questions=questions, current_repeat=question.repeat)
            found += check.problems
            if attribute in ORDERING_ATTRIBUTES:
                graph.add(question.key, check.dependencies, attribute)
    return found


def _default_problems(questions: Sequence[Question], choice_lists: Mapping[str, tuple[str, ...]]) -> list[Problem]:
    found = []
    for question in walk(questions):
        if question.default is None:
            continue
        list_name = question.spec.get("choices")
        if list_name is not None and list_name not in choice_lists:
            continue  # reported as unknown_choice_list
        try:
            clean_value(question.type, question.default, choice_lists.get(list_name, ()))
        except InvalidValue as bad:
            found.append(problem(f"{question.location}.default", ProblemCode.INVALID_DEFAULT,
                                 f"the default is not a valid {question.type} answer: {bad.message}"))
    return found


def _cycle_problems(questions: Sequence[Question], graph: DependencyGraph) -> list[Problem]:
    by_key = {q.key: q for q in walk(questions)}
    found = []
    for cycle in graph.cycles():
        start = by_key[cycle[0]]
        via = graph.via(cycle[0], cycle[1])
        at = start.location if via == "inside" else f"{start.location}.{via}"
        found.append(problem(at, ProblemCode.DEPENDENCY_CYCLE,
                             f"calculate/relevant depend on each other in a cycle: {' → '.join(cycle)}", cycle=cycle))
    return found
