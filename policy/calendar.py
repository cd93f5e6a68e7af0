"""Working days in Asia/Shanghai: statutory holidays and make-up workdays (调休), per-tenant overrides.

Where the data come from, per year:

* ``override`` — the tenant's ``YearOverride`` replaces everything the package knows for that year;
* ``official`` — the ``holidays`` package carries the State Council's schedule for the year (its
  China special-holidays table has the year);
* ``estimated`` — neither: the statutory holidays computed by rule, without make-up workdays. A deadline
  whose counting touches such a year says so, because the official schedule may move it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from policy.durations import Duration, DurationUnit

#: The business clock of every tenant (DESIGN: "the business clock is Asia/Shanghai").
SHANGHAI = ZoneInfo("Asia/Shanghai")

DEFAULT_WORKING_HOURS = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))

# A calendar without one working day in a year is a broken override, not a long wait.
_MAX_DAYS_WITHOUT_WORK = 366


class CalendarSource(Enum):
    """Where a year's working days come from, from most to least certain."""

    OFFICIAL = "official"
    OVERRIDE = "override"
    ESTIMATED = "estimated"

    @staticmethod
    def least_certain(sources: Iterable[CalendarSource]) -> CalendarSource:
        order = list(CalendarSource)
        return max(sources, key=order.index)


@dataclass(frozen=True)
class YearOverride:
    """A tenant's own calendar for one year: the weekdays it rests and the weekend days it works.

    It replaces the package's data for the year entirely: a weekday is a working day unless listed in
    ``holidays``, a weekend day is a rest day unless listed in ``workdays``.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"dates both holiday and workday: {sorted(both)}")


@dataclass(frozen=True)
class Due:
    """When a step is due, and which calendar data the count relied on."""

    at: datetime
    calendar: CalendarSource


@dataclass(frozen=True)
class _YearDays:
    rest_weekdays: frozenset[date]
    working_weekend_days: frozenset[date]
    source: CalendarSource


@cache
def _official_years() -> frozenset[int]:
    """Years whose State Council schedule the pinned ``holidays`` release carries.

    The package lists each published schedule's day swaps in its special-holidays tables; a year absent
    from them is only the statutory holidays computed by rule.
    """
    china = holidays.China(years=())
    return frozenset(china.special_public_holidays) | frozenset(china.special_public_holidays_observed)


@cache
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The package's holidays and make-up workdays that fall in ``year``.

    A schedule may move days of the neighbouring year (the 2002 notice made 29 Dec 2001 a workday), so
    the following year is generated too and everything is filtered to ``year``.
    """
    china = holidays.China(years=(year, year + 1))
    rest = frozenset(day for day in china if day.year == year)
    # weekend_workdays also holds swaps of years not asked for: keep this year's only.
    work = frozenset(day for day in china.weekend_workdays if day.year == year)
    return rest, work


class WorkingCalendar:
    """Counts deadlines in working days, clock hours and calendar days, in Asia/Shanghai."""

    def __init__(self, overrides: Mapping[int, YearOverride] | None = None,
                 working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS) -> None:
        self._overrides = dict(overrides or {})
        for year, override in self._overrides.items():
            strays = {day for day in override.holidays | override.workdays if day.year != year}
            if strays:
                raise ValueError(f"override for {year} lists dates of another year: {sorted(strays)}")
        self._working_hours = _checked_hours(working_hours)
        self._years: dict[int, _YearDays] = {}

    @property
    def working_hours(self) -> tuple[tuple[time, time], ...]:
        return self._working_hours

    @property
    def close_of_business(self) -> time:
        return self._working_hours[-1][1]

    def source(self, year: int) -> CalendarSource:
        """Whether ``year`` is counted from an override, the official schedule, or an estimate."""
        return self._year(year).source

    def is_working_day(self, day: date) -> bool:
        data = self._year(day.year)
        if day.weekday() < 5:
            return day not in data.rest_weekdays
        return day in data.working_weekend_days

    def due(self, start: datetime, duration: Duration) -> Due:
        """When a step that starts at ``start`` (aware) and may take ``duration`` is due.

        * working days, whole N: close of business of the Nth working day after the start date (the
          start day is never counted);
        * working days, fractional: that share of a working day's hours, counted in working hours from
          ``start``, or from the next opening when ``start`` is outside them;
        * hours: clock hours from ``start``;
        * calendar days N (0 = the same day) and next day (N = 1): the end of the Nth day after the start
          date, written as 00:00 of the day after (the same instant as 24:00);
        * immediate: ``start`` itself.

        ``calendar`` is the least certain source among the years from the start date to the last day
        counted.
        """
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("a deadline's start must carry its UTC offset")
        start = start.astimezone(SHANGHAI)
        at, last_day = self._due_and_last_day(start, duration)
        years = range(start.year, last_day.year + 1)
        return Due(at=at, calendar=CalendarSource.least_certain(self.source(year) for year in years))

    def close_of_working_day(self, start: datetime) -> datetime:
        """Close of business of the working day ``start`` (aware) falls in; of the next working day when ``start``
        is at or after closing, or on a rest day. A 即办 step's alert clock runs to it (docs/policy.md)."""
        start = start.astimezone(SHANGHAI)
        day = start.date()
        if not self.is_working_day(day) or start >= _at(day, self.close_of_business):
            day = self._next_working_day(day)
        return _at(day, self.close_of_business)

    def _due_and_last_day(self, start: datetime, duration: Duration) -> tuple[datetime, date]:
        unit, value = duration.unit, duration.value
        if unit is DurationUnit.IMMEDIATE:
            return start, start.date()
        if unit is DurationUnit.HOURS:
            at = start + timedelta(seconds=_whole_seconds(value * 3600))
            return at, at.date()
        if unit in (DurationUnit.CALENDAR_DAYS, DurationUnit.NEXT_DAY):
            days = 1 if unit is DurationUnit.NEXT_DAY else int(value)
            last_day = start.date() + timedelta(days=days)
            return _at(last_day + timedelta(days=1), time(0)), last_day
        if value == value.to_integral_value():
            last_day = self._nth_working_day_after(start.date(), int(value))
            return _at(last_day, self.close_of_business), last_day
        at = self._add_working_time(start, _whole_seconds(value * self._working_day_seconds()))
        return at, at.date()

    def _nth_working_day_after(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self._next_working_day(day)
        return day

    def _next_working_day(self, day: date) -> date:
        for _ in range(_MAX_DAYS_WITHOUT_WORK):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day in the {_MAX_DAYS_WITHOUT_WORK} days after {day}")

    def _add_working_time(self, start: datetime, seconds: int) -> datetime:
        day = start.date() if self.is_working_day(start.date()) else self._next_working_day(start.date())
        cursor = start
        while True:
            for opening, closing in self._working_hours:
                begin, end = max(_at(day, opening), cursor), _at(day, closing)
                if begin >= end:
                    continue
                available = int((end - begin).total_seconds())
                if seconds <= available:
                    return begin + timedelta(seconds=seconds)
                seconds -= available
            day = self._next_working_day(day)

    def _working_day_seconds(self) -> int:
        return sum(_seconds_between(opening, closing) for opening, closing in self._working_hours)

    def _year(self, year: int) -> _YearDays:
        if year not in self._years:
            self._years[year] = self._load_year(year)
        return self._years[year]

    def _load_year(self, year: int) -> _YearDays:
        override = self._overrides.get(year)
        if override is not None:
            return _YearDays(frozenset(override.holidays), frozenset(override.workdays),
                             CalendarSource.OVERRIDE)
        rest, work = _package_year(year)
        source = CalendarSource.OFFICIAL if year in _official_years() else CalendarSource.ESTIMATED
        return _YearDays(rest, work, source)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=SHANGHAI)


def _seconds_between(opening: time, closing: time) -> int:
    return int((datetime.combine(date.min, closing) - datetime.combine(date.min, opening)).total_seconds())


def _whole_seconds(seconds: Decimal) -> int:
    return int(seconds.to_integral_value(rounding=ROUND_HALF_UP))


def _checked_hours(working_hours: tuple[tuple[time, time], ...]) -> tuple[tuple[time, time], ...]:
    hours = tuple((opening, closing) for opening, closing in working_hours)
    if not hours:
        raise ValueError("working_hours needs at least one (opening, closing) pair")
    previous_close = time.min
    for index, (opening, closing) in enumerate(hours):
        if not opening < closing or (index and opening < previous_close):
            raise ValueError("working_hours must be ordered, non-overlapping (opening, closing) pairs")
        previous_close = closing
    return hours
