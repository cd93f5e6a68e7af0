"""The first check on publish: does the definition have the shape of ``definition.schema.json``?"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from field_forms.codes import ProblemCode
from field_forms.errors import Problem, field_path, problem

DEFINITION_SCHEMA: dict[str, Any] = json.loads(
    resources.files("field_forms").joinpath("definition.schema.json").read_text(encoding="utf-8")
)
_VALIDATOR = Draft202012Validator(DEFINITION_SCHEMA)


def check_shape(raw: Any) -> list[Problem]:
    """Every shape problem of ``raw``, sorted by where it is, each once."""
    found: dict[tuple[str | None, str, str], Problem] = {}
    for error in sorted(_VALIDATOR.iter_errors(raw), key=_location):
        for each in _problems_of(error):
            found.setdefault((each["field"], each["code"], each["message"]), each)
    return list(found.values())


def _location(error: ValidationError) -> list[tuple[bool, str | int]]:
    """Sort key: questions[2] before questions[10]."""
    return [(isinstance(part, str), part) for part in error.absolute_path]


def _problems_of(error: ValidationError) -> list[Problem]:
    """Turn one jsonschema error into problems that name the attribute at fault."""
    parts = list(error.absolute_path)
    at = field_path(parts) or None
    instance = error.instance
    if error.validator == "enum" and parts and parts[-1] == "type" and "questions" in parts:
        return [problem(at, ProblemCode.UNKNOWN_QUESTION_TYPE, f"unknown question type {instance!r}",
                        known=error.validator_value)]
    if error.validator in ("required", "dependentRequired"):
        wanted = _required_names(error)
        return [
            problem(field_path([*parts, name]), ProblemCode.MISSING_ATTRIBUTE,
                    f"{name!r} is required{_where(instance)}")
            for name in wanted if name not in instance
        ]
    if error.validator == "additionalProperties":
        declared = set(error.schema.get("properties", {}))
        return [
            problem(field_path([*parts, name]), ProblemCode.UNKNOWN_ATTRIBUTE,
                    f"{name!r} is not an attribute{_where(instance)}")
            for name in instance if name not in declared
        ]
    if error.validator == "not" and set(error.validator_value) == {"required"}:
        # our schema forbids type-specific attributes (unit, choices) with not/required
        return [
            problem(field_path([*parts, name]), ProblemCode.UNKNOWN_ATTRIBUTE,
                    f"{name!r} is not an attribute{_where(instance)}")
            for name in error.validator_value["required"]
        ]
    return [problem(at, ProblemCode.SCHEMA_VIOLATION, error.message, validator=error.validator)]


def _required_names(error: ValidationError) -> list[str]:
    if error.validator == "required":
        return list(error.validator_value)
    return [name for trigger, names in error.validator_value.items() if trigger in error.instance for name in names]


def _where(instance: Any) -> str:
    kind = instance.get("type") if isinstance(instance, dict) else None
    return f" of a {kind} question" if isinstance(kind, str) else " here"
