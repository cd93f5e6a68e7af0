"""Turn a request's raw facts into typed values, or refuse with a ``FactError`` naming the fact."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from domain_errors import CommonCode
from policy.calendar import SHANGHAI
from policy.catalogue import DN_SERIES, FACTS, FactKind, FactSpec
from policy.codes import PolicyCode
from policy.errors import FactError

# A decimal as a person writes it; exponents and digit separators are refused in strings.
_DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?")

CROSSING_KEYS = frozenset({"layer", "name"})


@dataclass(frozen=True)
class Crossing:
    """A facility the outer route crosses: its constraint layer (``river``) and its name (``三亚河``)."""

    layer: str
    name: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"layer": self.layer, "name": self.name}


class Facts(Mapping[str, Any]):
    """The validated facts of one request: read-only, absent facts simply absent.

    Values are ``str`` (choices), ``bool``, ``int`` (DN), ``Decimal`` at full precision (quantities; rules
    round when they compare), aware ``datetime`` in Asia/Shanghai (events) and tuples of ``Crossing``.
    ``given`` keeps each fact as it was given (a float stays a float, a time keeps its offset), so that a
    record of what was decided on can store the facts exactly as they came.
    """

    def __init__(self, values: Mapping[str, Any], given: Mapping[str, Any] | None = None) -> None:
        self._values = MappingProxyType(dict(values))
        self.given = MappingProxyType(dict(values if given is None else given))

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Facts({dict(self._values)!r})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: decimals as strings (they keep their digits), events as ISO 8601 with +08:00."""
        return {name: to_json(value) for name, value in self._values.items()}


def to_json(value: Any) -> Any:
    """A fact value or rule input as JSON: decimals as strings, events as ISO 8601, crossings as objects."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [item.to_dict() if isinstance(item, Crossing) else item for item in value]
    return value


def parse_facts(raw: Mapping[str, Any]) -> Facts:
    """Validate ``raw`` (a JSON object) into ``Facts``; ``None`` counts as not sent.

    Raises ``FactError`` with ``code`` ``unknown_fact``, ``invalid_type`` or ``invalid_value`` and
    ``field`` set to the offending fact, at the first problem found.
    """
    if not isinstance(raw, Mapping):
        raise FactError(CommonCode.INVALID_TYPE, "Facts must be a JSON object.", field=None,
                        details={"expected": "object"})
    values = {}
    for name, value in raw.items():
        spec = FACTS.get(name)
        if spec is None:
            raise FactError(PolicyCode.UNKNOWN_FACT, f"{name!r} is not a fact any profile reads.", field=str(name),
                            details={"allowed": sorted(FACTS)})
        if value is not None:
            values[name] = _PARSERS[spec.kind](spec, value)
    return Facts(values, given={name: raw[name] for name in values})


def _invalid_type(spec: FactSpec, expected: str, value: Any) -> FactError:
    return FactError(CommonCode.INVALID_TYPE, f"{spec.name} must be {expected}.", field=spec.name,
                     details={"expected": expected, "received": type(value).__name__})


def _invalid_value(spec: FactSpec, message: str, value: Any, **details: Any) -> FactError:
    return FactError(CommonCode.INVALID_VALUE, f"{spec.name} {message}.", field=spec.name,
                     details={"value": _echo(value), **details})


def _echo(value: Any) -> Any:
    """The received value as JSON can carry it back (NaN and datetimes cannot go as they are)."""
    return value if isinstance(value, (str, int)) else str(value)


def _parse_choice(spec: FactSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid_type(spec, "a string", value)
    if value not in spec.choices:
        raise _invalid_value(spec, f"must be one of {', '.join(spec.choices)}", value,
                             allowed=list(spec.choices))
    return value


def _parse_boolean(spec: FactSpec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid_type(spec, "true or false", value)
    return value


def _parse_decimal(spec: FactSpec, value: Any) -> Decimal:
    """A number sent as int, float or decimal string, read as the decimal the client wrote."""
    # bool is an int in Python, but true is not a length.
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _invalid_type(spec, "a number", value)
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value.strip()):
        raise _invalid_type(spec, "a number", value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _invalid_type(spec, "a number", value) from None
    if not number.is_finite():
        raise _invalid_value(spec, "must be a finite number", value)
    if number < 0:
        raise _invalid_value(spec, "must not be negative", value)
    return number


def _parse_dn(spec: FactSpec, value: Any) -> int:
    number = _parse_decimal(spec, value)
    if number != number.to_integral_value() or int(number) not in DN_SERIES:
        raise _invalid_value(spec, "must be a standard nominal diameter (DN)", value, allowed=list(DN_SERIES))
    return int(number)


def _parse_instant(spec: FactSpec, value: Any) -> datetime:
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid_value(spec, "must be an ISO 8601 date-time with offset", value) from None
    else:
        raise _invalid_type(spec, "an ISO 8601 date-time string", value)
    if instant.tzinfo is None or instant.utcoffset() is None:
        # A naive time is ambiguous between the tablet's clock and the server's: refuse, never assume.
        raise _invalid_value(spec, "must carry a UTC offset (e.g. +08:00)", value)
    return instant.astimezone(SHANGHAI)


def _parse_crossings(spec: FactSpec, value: Any) -> tuple[Crossing, ...]:
    if not isinstance(value, list):
        raise _invalid_type(spec, "a list of {layer, name} objects", value)
    return tuple(_parse_crossing(index, item) for index, item in enumerate(value))


def _parse_crossing(index: int, item: Any) -> Crossing:
    field = f"crossings[{index}]"
    if not isinstance(item, Mapping):
        raise FactError(CommonCode.INVALID_TYPE, f"{field} must be an object {{layer, name}}.", field=field,
                        details={"expected": "object", "received": type(item).__name__})
    extra = set(item) - CROSSING_KEYS
    if extra:
        raise FactError(CommonCode.INVALID_VALUE, f"{field} has unknown keys: {', '.join(sorted(extra))}.",
                        field=field, details={"allowed": sorted(CROSSING_KEYS)})
    layer, name = item.get("layer"), item.get("name")
    if not isinstance(layer, str) or not layer:
        raise FactError(CommonCode.INVALID_VALUE, f"{field}.layer must be a non-empty string.", field=f"{field}.layer",
                        details={"expected": "string"})
    if name is not None and not isinstance(name, str):
        raise FactError(CommonCode.INVALID_TYPE, f"{field}.name must be a string.", field=f"{field}.name",
                        details={"expected": "string", "received": type(name).__name__})
    return Crossing(layer=layer, name=name)


_PARSERS = {
    FactKind.CHOICE: _parse_choice,
    FactKind.BOOLEAN: _parse_boolean,
    FactKind.DN: _parse_dn,
    FactKind.QUANTITY: _parse_decimal,
    FactKind.INSTANT: _parse_instant,
    FactKind.CROSSINGS: _parse_crossings,
}
