"""The working-day calendar against real dates: 2026's official schedule, an estimated 2027, overrides."""

from datetime import date, datetime, time, timedelta

import pytest

from policy import CalendarSource, Duration, WorkingCalendar, YearOverride
from tests.unit.policy.policy_factories import at


def working_days(n):
    return Duration.parse({"value": n, "unit": "working_days"})


def due(calendar, start, duration):
    return calendar.due(datetime.fromisoformat(at(start)), duration)


@pytest.mark.parametrize(("day", "working"), [
    pytest.param(date(2026, 9, 20), True, id="Sun 20 Sep 2026 is a make-up workday"),
    *[pytest.param(date(2026, 10, d), False, id=f"1-7 Oct 2026 off: {d} Oct") for d in range(1, 8)],
    pytest.param(date(2026, 10, 8), True, id="Thu 8 Oct back to work"),
    pytest.param(date(2026, 10, 10), True, id="Sat 10 Oct 2026 is a make-up workday"),
    pytest.param(date(2026, 10, 11), False, id="Sun 11 Oct an ordinary Sunday"),
    pytest.param(date(2026, 2, 14), True, id="Sat 14 Feb 2026 is a make-up workday"),
    *[pytest.param(date(2026, 2, d), False, id=f"Spring Festival 15-23 Feb 2026 off: {d} Feb")
      for d in range(15, 24)],
    pytest.param(date(2026, 2, 24), True, id="Tue 24 Feb back to work"),
    pytest.param(date(2026, 2, 28), True, id="Sat 28 Feb 2026 is a make-up workday"),
    pytest.param(date(2026, 1, 4), True, id="Sun 4 Jan 2026 is a make-up workday"),
])
def test_2026_official_schedule(calendar, day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(("start", "n", "expected"), [
    pytest.param("2026-09-30 10:00", 1, "2026-10-08T17:30:00+08:00", id="over National Day week"),
    pytest.param("2026-09-19 10:00", 1, "2026-09-20T17:30:00+08:00", id="onto the make-up Sunday"),
    pytest.param("2026-10-08 10:00", 3, "2026-10-12T17:30:00+08:00", id="through the make-up Saturday"),
    pytest.param("2026-02-13 10:00", 1, "2026-02-14T17:30:00+08:00", id="Spring Festival eve make-up Saturday"),
    pytest.param("2026-02-13 10:00", 2, "2026-02-24T17:30:00+08:00", id="over Spring Festival 2026"),
    pytest.param("2026-09-28 08:00", 1, "2026-09-29T17:30:00+08:00", id="start day never counted, even before opening"),
    pytest.param("2026-09-28 23:00", 1, "2026-09-29T17:30:00+08:00", id="start day never counted, late evening"),
])
def test_whole_working_days_end_at_close_of_business(calendar, start, n, expected):
    result = due(calendar, start, working_days(n))
    assert result.at.isoformat() == expected
    assert result.calendar is CalendarSource.OFFICIAL


@pytest.mark.parametrize(("start", "n", "expected", "source"), [
    pytest.param("2026-12-30 10:00", 1, "2026-12-31T17:30:00+08:00", CalendarSource.OFFICIAL,
                 id="ends in 2026: official"),
    pytest.param("2026-12-30 10:00", 2, "2027-01-04T17:30:00+08:00", CalendarSource.ESTIMATED,
                 id="crosses into 2027 (1 Jan holiday, weekend): estimated"),
    pytest.param("2027-02-04 10:00", 1, "2027-02-11T17:30:00+08:00", CalendarSource.ESTIMATED,
                 id="2027 Spring Festival computed by rule"),
])
def test_a_year_without_official_schedule_is_estimated(calendar, start, n, expected, source):
    result = due(calendar, start, working_days(n))
    assert (result.at.isoformat(), result.calendar) == (expected, source)


@pytest.mark.parametrize(("year", "source"), [
    (2001, CalendarSource.OFFICIAL), (2026, CalendarSource.OFFICIAL),
    (2000, CalendarSource.ESTIMATED), (2027, CalendarSource.ESTIMATED),
])
def test_source_of_a_year_comes_from_the_package_tables(calendar, year, source):
    assert calendar.source(year) is source


def test_an_override_replaces_the_packages_year():
    # A tenant that works through National Day 2026 but closes on 8 Oct.
    calendar = WorkingCalendar({2026: YearOverride(holidays={date(2026, 10, 8)}, workdays=set())})
    assert calendar.is_working_day(date(2026, 10, 1))
    assert not calendar.is_working_day(date(2026, 9, 20)), "the package's make-up Sunday is replaced too"
    assert not calendar.is_working_day(date(2026, 10, 8))
    result = due(calendar, "2026-09-30 10:00", working_days(1))
    assert (result.at.isoformat(), result.calendar) == ("2026-10-01T17:30:00+08:00", CalendarSource.OVERRIDE)


def test_an_override_of_an_unpublished_year_is_no_longer_estimated():
    calendar = WorkingCalendar({2027: YearOverride(holidays={date(2027, 1, 1)}, workdays={date(2027, 1, 2)})})
    result = due(calendar, "2026-12-31 10:00", working_days(1))
    assert (result.at.isoformat(), result.calendar) == ("2027-01-02T17:30:00+08:00", CalendarSource.OVERRIDE)


def test_least_certain_source_wins_across_years():
    calendar = WorkingCalendar({2026: YearOverride()})
    assert due(calendar, "2026-12-30 10:00", working_days(3)).calendar is CalendarSource.ESTIMATED


@pytest.mark.parametrize(("start", "expected"), [
    pytest.param("2026-09-30 10:00", "2026-09-30T15:00:00+08:00", id="10:00 + 3.5 working hours over lunch"),
    pytest.param("2026-09-30 16:00", "2026-10-08T11:00:00+08:00", id="1.5 h today, 2 h after National Day"),
    pytest.param("2026-09-30 12:30", "2026-09-30T17:00:00+08:00", id="from lunch: counted from 13:30"),
    pytest.param("2026-09-30 08:00", "2026-09-30T14:00:00+08:00", id="before opening: counted from 09:00"),
    pytest.param("2026-09-30 18:00", "2026-10-08T14:00:00+08:00", id="after closing: next working day 09:00"),
    pytest.param("2026-10-03 10:00", "2026-10-08T14:00:00+08:00", id="on a holiday: next working day 09:00"),
])
def test_half_a_working_day_is_counted_in_working_hours(calendar, start, expected):
    # 004 四(一)1 "0.5 个工作日": half of the 7 working hours.
    assert due(calendar, start, working_days(0.5)).at.isoformat() == expected


@pytest.mark.parametrize(("raw", "start", "expected"), [
    pytest.param({"value": 24, "unit": "hours"}, "2026-09-30 16:00", "2026-10-01T16:00:00+08:00",
                 id="24 小时 is clock time, holidays included"),
    pytest.param({"value": 0, "unit": "calendar_days"}, "2026-10-01 10:00", "2026-10-02T00:00:00+08:00",
                 id="当天 ends at 24:00 of the same day"),
    pytest.param({"value": 1, "unit": "calendar_days"}, "2026-09-30 16:00", "2026-10-02T00:00:00+08:00",
                 id="1 日 ends at 24:00 of the next day"),
    pytest.param({"unit": "next_day"}, "2026-09-30 16:00", "2026-10-02T00:00:00+08:00",
                 id="次日 is the next calendar day"),
    pytest.param({"unit": "immediate"}, "2026-09-30 16:00", "2026-09-30T16:00:00+08:00",
                 id="即办 is due at the start"),
])
def test_clock_and_calendar_durations(calendar, raw, start, expected):
    assert due(calendar, start, Duration.parse(raw)).at.isoformat() == expected


def test_a_start_with_another_offset_is_counted_in_shanghai(calendar):
    start = datetime.fromisoformat("2026-09-30T02:00:00+00:00")  # 10:00 in Shanghai
    assert calendar.due(start, working_days(0.5)).at.isoformat() == "2026-09-30T15:00:00+08:00"


def test_a_naive_start_is_refused(calendar):
    with pytest.raises(ValueError, match="offset"):
        calendar.due(datetime(2026, 9, 30, 10), working_days(1))


def test_working_hours_are_configurable():
    calendar = WorkingCalendar(working_hours=((time(8), time(12)), (time(14), time(18))))
    assert due(calendar, "2026-09-28 10:00", working_days(1)).at.isoformat() == "2026-09-29T18:00:00+08:00"
    assert due(calendar, "2026-09-28 10:00", working_days(0.5)).at.isoformat() == "2026-09-28T16:00:00+08:00"


@pytest.mark.parametrize(("make", "message"), [
    pytest.param(lambda: WorkingCalendar({2026: YearOverride(holidays={date(2027, 1, 1)})}), "another year",
                 id="override listing another year's date"),
    pytest.param(lambda: YearOverride(holidays={date(2026, 5, 1)}, workdays={date(2026, 5, 1)}), "both",
                 id="a date both holiday and workday"),
    pytest.param(lambda: WorkingCalendar(working_hours=((time(13), time(17)), (time(9), time(12)))), "ordered",
                 id="working hours out of order"),
    pytest.param(lambda: WorkingCalendar(working_hours=()), "at least one", id="no working hours"),
])
def test_calendar_refuses_inconsistent_settings(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_calendar_with_no_working_day_fails_rather_than_loops():
    def every_day(year):
        return {date(year, 1, 1) + timedelta(days=i) for i in range(365)}
    calendar = WorkingCalendar({2026: YearOverride(holidays=every_day(2026)),
                                2027: YearOverride(holidays=every_day(2027))})
    with pytest.raises(ValueError, match="no working day"):
        due(calendar, "2026-01-01 10:00", working_days(1))


@pytest.mark.parametrize(("start", "expected"), [
    pytest.param("2026-09-21T09:00:00+08:00", "2026-09-21T17:30:00+08:00", id="a working morning: that evening"),
    pytest.param("2026-09-21T17:30:00+08:00", "2026-09-22T17:30:00+08:00", id="at closing: the next working day"),
    pytest.param("2026-09-30T20:00:00+08:00", "2026-10-08T17:30:00+08:00", id="after closing before National Day"),
    pytest.param("2026-10-10T08:00:00+08:00", "2026-10-10T17:30:00+08:00", id="Sat 10 Oct is a make-up workday"),
    pytest.param("2026-10-11T01:00:00+00:00", "2026-10-12T17:30:00+08:00", id="a Sunday, given in UTC"),
])
def test_the_close_of_the_working_day_a_start_falls_in(calendar, start, expected):
    assert calendar.close_of_working_day(datetime.fromisoformat(start)) == datetime.fromisoformat(expected)
