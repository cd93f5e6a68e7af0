"""What an answer of each question type looks like, and its normal form on the server."""
from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain_errors import Code, CommonCode
from field_forms.codes import ProblemCode
from field_forms.questions import BLOB_TYPES, GEOMETRY_TYPES, PIPE_DN_SERIES

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# RFC 3339: the offset is mandatory, because a local time without one means nothing on the server
_DATETIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")


class InvalidValue(ValueError):
    """An answer that is not a value of its question's type."""

    def __init__(self, code: Code, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(value: Any) -> bool:
    """Unanswered: absent, null, an empty text or an empty selection (as ODK treats them)."""
    return value is None or value == "" or value == []


def clean_value(question_type: str, value: Any, choices: Sequence[str] = ()) -> Any:
    """``value`` in its normal form for ``question_type``; raises InvalidValue.

    Numbers of decimal and length questions come back as ``Decimal(str(value))``, so the server keeps what the
    tablet typed rather than a binary float; integers and DN sizes come back as ``int``.
    """
    if question_type in BLOB_TYPES:
        return _blob(value)
    if question_type in GEOMETRY_TYPES:
        return _geometry(value, GEOMETRY_TYPES[question_type])
    if question_type in ("select_one", "select_multiple"):
        return _CHOICE_CLEANERS[question_type](value, choices)
    return _CLEANERS[question_type](value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(CommonCode.INVALID_TYPE, f"expected text, got {_json_type(value)}")
    return value


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidValue(CommonCode.INVALID_TYPE, f"expected a number, got {_json_type(value)}")
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{value} is not a finite number")
    return number


def _integer(value: Any) -> int:
    number = _decimal(value)
    if number != number.to_integral_value():
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{value} is not a whole number")
    return int(number)


def _pipe_dn(value: Any) -> int:
    dn = _integer(value)
    if dn not in PIPE_DN_SERIES:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"DN{dn} is not in the standard series {list(PIPE_DN_SERIES)}")
    return dn


def _length(value: Any) -> Decimal:
    metres = _decimal(value)
    if metres < 0:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"a length cannot be negative ({value} m)")
    return metres


def _date(value: Any) -> str:
    text = _text(value)
    try:
        if _DATE_PATTERN.match(text):
            date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise InvalidValue(CommonCode.INVALID_VALUE, f"{text!r} is not a date like 2024-05-31")


def _datetime(value: Any) -> str:
    text = _text(value)
    try:
        if _DATETIME_PATTERN.match(text):
            datetime.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise InvalidValue(CommonCode.INVALID_VALUE,
                       f"{text!r} is not a date and time with offset like 2024-05-31T09:30:00+08:00")


def _select_one(value: Any, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise InvalidValue(CommonCode.INVALID_TYPE, f"expected a choice name, got {_json_type(value)}")
    if value not in choices:
        raise InvalidValue(ProblemCode.INVALID_CHOICE, f"{value!r} is not one of {list(choices)}")
    return value


def _select_multiple(value: Any, choices: Sequence[str]) -> list[str]:
    if not isinstance(value, list):
        raise InvalidValue(CommonCode.INVALID_TYPE, f"expected a list of choice names, got {_json_type(value)}")
    picked = [_select_one(item, choices) for item in value]
    if len(set(picked)) != len(picked):
        raise InvalidValue(CommonCode.INVALID_VALUE, "a choice is selected more than once")
    return picked


def _blob(value: Any) -> str:
    if not isinstance(value, str) or not SHA256_PATTERN.match(value):
        raise InvalidValue(CommonCode.INVALID_VALUE, "expected the blob's SHA-256: 64 lowercase hex digits")
    return value


def _geometry(value: Any, geometry_type: str) -> dict:
    if not isinstance(value, dict) or set(value) != {"type", "coordinates"}:
        raise InvalidValue(CommonCode.INVALID_TYPE, f"expected a GeoJSON {geometry_type} with type and coordinates")
    if value["type"] != geometry_type:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"expected a GeoJSON {geometry_type}, got {value['type']!r}")
    coordinates = value["coordinates"]
    if geometry_type == "Point":
        _position(coordinates, "")
    elif geometry_type == "LineString":
        _line(coordinates, "", minimum=2)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise InvalidValue(CommonCode.INVALID_VALUE, "a Polygon needs at least one ring")
        for index, ring in enumerate(coordinates):
            _line(ring, f"ring {index}: ", minimum=4)
            if ring[0] != ring[-1]:
                raise InvalidValue(CommonCode.INVALID_VALUE,
                                   f"ring {index} is not closed: its last position must repeat its first")
    return copy.deepcopy(value)


def _line(positions: Any, where: str, *, minimum: int) -> None:
    if not isinstance(positions, list) or len(positions) < minimum:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{where}expected a list of at least {minimum} positions")
    for index, position in enumerate(positions):
        _position(position, f"{where}position {index}: ")


def _position(position: Any, where: str) -> None:
    """GeoJSON order: [longitude, latitude] (optionally altitude), as RFC 7946 says."""
    if (not isinstance(position, list) or len(position) not in (2, 3)
            or not all(_is_finite_number(n) for n in position)):
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{where}expected [longitude, latitude] numbers")
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{where}longitude {longitude} is outside [-180, 180]")
    if not -90 <= latitude <= 90:
        raise InvalidValue(CommonCode.INVALID_VALUE, f"{where}latitude {latitude} is outside [-90, 90]")


def _is_finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    try:
        return math.isfinite(value)
    except (InvalidOperation, ValueError):
        return False


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "pipe_dn": _pipe_dn,
    "length": _length,
    "date": _date,
    "datetime": _datetime,
}
_CHOICE_CLEANERS = {"select_one": _select_one, "select_multiple": _select_multiple}
