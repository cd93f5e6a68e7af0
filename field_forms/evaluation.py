"""Evaluating expressions on the server exactly as json-logic-js does on a tablet."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS, to_bool, to_number

from field_forms.references import CURRENT_ENTRY


class ExpressionFailed(ValueError):
    """An expression could not be evaluated on this submission's answers."""


def _js_divide(data: Any = None, a: Any = None, b: Any = None, *_ignored: Any) -> float:
    """JavaScript ``a / b``: dividing by zero gives ±Infinity or NaN, not an exception."""
    a, b = to_number(a), to_number(b)
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def _js_remainder(data: Any = None, a: Any = None, b: Any = None, *_ignored: Any) -> float | int:
    """JavaScript ``a % b``: the sign follows the dividend (Python's follows the divisor); ``x % 0`` is NaN."""
    a, b = to_number(a), to_number(b)
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a):
        return math.nan
    if isinstance(a, int) and isinstance(b, int):
        remainder = abs(a) % abs(b)
        return -remainder if a < 0 else remainder
    return math.fmod(a, b)


OPERATIONS = {**{name: op for name, op in BUILTINS.items() if name != "log"}, "/": _js_divide, "%": _js_remainder}


def evaluate(expression: Any, data: Any) -> Any:
    """The value of ``expression`` on ``data`` (answers as plain JSON values); raises ExpressionFailed."""
    try:
        return jsonLogic(expression, data, OPERATIONS)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise ExpressionFailed(f"{type(error).__name__}: {error}") from error


def is_true(value: Any) -> bool:
    """JavaScript truthiness, which JsonLogic uses for relevant and constraint."""
    return to_bool(value)


def bind_entry(expression: Any, index: int) -> Any:
    """``expression`` with ``$`` in its paths replaced by the entry number ``index``.

    ``{"var": "segments.$.pipe_dn"}`` becomes ``{"var": "segments.2.pipe_dn"}``: a plain path that any JsonLogic
    implementation reads from the answers document. Tablets bind the same way before evaluating.
    """
    if isinstance(expression, list):
        return [bind_entry(item, index) for item in expression]
    if not isinstance(expression, dict) or len(expression) != 1:
        return expression
    operation, arguments = next(iter(expression.items()))
    if operation == "var":
        if isinstance(arguments, list):
            return {"var": [_bind_path(arguments[0], index), *bind_entry(arguments[1:], index)] if arguments else []}
        return {"var": _bind_path(arguments, index)}
    if operation == "missing":
        return {"missing": _bind_paths(arguments, index)}
    if operation == "missing_some" and isinstance(arguments, list) and len(arguments) == 2:
        return {"missing_some": [bind_entry(arguments[0], index), _bind_paths(arguments[1], index)]}
    return {operation: bind_entry(arguments, index)}


def _bind_paths(paths: Any, index: int) -> Any:
    if isinstance(paths, list):
        return [_bind_paths(path, index) for path in paths]
    return _bind_path(paths, index)


def _bind_path(path: Any, index: int) -> Any:
    if not isinstance(path, str):
        return path
    return ".".join(str(index) if segment == CURRENT_ENTRY else segment for segment in path.split("."))


def to_js(value: Any) -> Any:
    """Answers as json-logic-js sees them: every number a JavaScript number (Decimals become floats)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: to_js(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_js(item) for item in value]
    return value


def from_js(value: Any) -> Any:
    """A result as JSON.stringify would send it: a non-finite number (Infinity, NaN) becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
