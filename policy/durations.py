"""How long a step may take, in the units the notices use: working days, hours, days, next day, at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any


class DurationUnit(Enum):
    """The units of the seeds' time limits, each with its own counting rule (see WorkingCalendar.due)."""

    WORKING_DAYS = "working_days"    # "N 个工作日"; "N 日" of a licensing step (行政许可法 art. 82)
    HOURS = "hours"                  # "24 小时": clock hours
    CALENDAR_DAYS = "calendar_days"  # "N 日 / N 天" of a service step; 0 is "当天" (the same day)
    NEXT_DAY = "next_day"            # "次日"
    IMMEDIATE = "immediate"          # "即办"


_NEEDS_VALUE = {DurationUnit.WORKING_DAYS, DurationUnit.HOURS, DurationUnit.CALENDAR_DAYS}
_KEYS = frozenset({"value", "unit", "wording"})


@dataclass(frozen=True)
class Duration:
    """A time limit: ``value`` in ``unit`` (None for next_day and immediate), and the seed's own words."""

    unit: DurationUnit
    value: Decimal | None = None
    wording: str | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, raw: Any) -> Duration:
        """Read ``{value, unit, wording}`` from a profile; ValueError says what is wrong."""
        if not isinstance(raw, Mapping):
            raise ValueError("duration must be a table {value, unit, wording}")
        extra = set(raw) - _KEYS
        if extra:
            raise ValueError(f"duration has unknown keys: {', '.join(sorted(extra))}")
        try:
            unit = DurationUnit(raw.get("unit"))
        except ValueError:
            raise ValueError(f"duration unit {raw.get('unit')!r} is not one of "
                             f"{', '.join(u.value for u in DurationUnit)}") from None
        wording = raw.get("wording")
        if wording is not None and not isinstance(wording, str):
            raise ValueError("duration wording must be a string")
        if unit not in _NEEDS_VALUE:
            if "value" in raw:
                raise ValueError(f"a {unit.value} duration takes no value")
            return cls(unit, None, wording)
        return cls(unit, _duration_value(unit, raw.get("value")), wording)

    def to_dict(self) -> dict[str, Any]:
        return {"value": None if self.value is None else str(self.value), "unit": self.unit.value,
                "wording": self.wording}


def _duration_value(unit: DurationUnit, raw: Any) -> Decimal:
    # TOML gives int or float; bool is an int in Python and is refused.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"a {unit.value} duration needs a numeric value")
    value = Decimal(str(raw))
    if not value.is_finite():
        raise ValueError("duration value must be finite")
    if unit is DurationUnit.CALENDAR_DAYS:
        if value < 0 or value != value.to_integral_value():
            raise ValueError("calendar_days must be a whole number ≥ 0 (0 is the same day)")
    elif value <= 0:
        raise ValueError(f"{unit.value} must be greater than 0")
    return value
