"""Business calendars and business-time arithmetic, table-driven, checked to the second."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtcdesk.sla.calendar import (
    CalendarRangeError,
    Closure,
    DayHours,
    Hours,
    business_hours,
    compile_calendar,
    day_hours,
    hours,
)
from rtcdesk.sla.clock import add_business_time, business_time_between
from rtcdesk.sla.official import china_official_years, official_year

SHANGHAI = ZoneInfo("Asia/Shanghai")
LA = ZoneInfo("America/Los_Angeles")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def local(zone: ZoneInfo, *parts: int) -> datetime:
    """A wall-clock time in ``zone`` as an aware UTC datetime."""
    return datetime(*parts, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


ADD_CASES = [
    # (calendar, start, duration, deadline, why)
    ("beijing", (2026, 3, 10, 17, 0), 2 * H, (2026, 3, 11, 10, 0), "overnight"),
    ("beijing", (2026, 3, 11, 11, 30), 1 * H, (2026, 3, 11, 14, 0), "across the lunch break"),
    ("beijing", (2026, 3, 11, 12, 15), 30 * M, (2026, 3, 11, 14, 0), "starting in the lunch break"),
    ("beijing", (2026, 3, 10, 9, 0), 7.5 * H, (2026, 3, 10, 18, 0), "a full day ends at closing"),
    ("beijing", (2026, 3, 13, 17, 0), 2 * H, (2026, 3, 16, 10, 0), "over a weekend"),
    ("beijing", (2026, 3, 14, 10, 0), 1 * H, (2026, 3, 16, 10, 0), "starting on a Saturday"),
    ("beijing", (2026, 4, 3, 17, 0), 2 * H, (2026, 4, 7, 10, 0), "Qingming Monday is off"),
    ("beijing", (2026, 2, 27, 17, 0), 2 * H, (2026, 2, 28, 10, 0), "make-up Saturday 28 Feb"),
    ("beijing", (2026, 2, 14, 17, 0), 2 * H, (2026, 2, 24, 10, 0), "Spring Festival week"),
    ("beijing", (2026, 9, 30, 17, 0), 2 * H, (2026, 10, 8, 10, 0), "National Day: 1-7 Oct off"),
    ("beijing", (2026, 3, 10, 20, 0), 0 * H, (2026, 3, 10, 20, 0), "zero is the start itself"),
    ("la", (2026, 3, 6, 16, 0), 2 * H, (2026, 3, 9, 10, 0), "spring forward weekend"),
    ("la", (2026, 10, 30, 16, 0), 2 * H, (2026, 11, 2, 10, 0), "fall back weekend"),
    ("la", (2026, 3, 9, 8, 0), 8 * H, (2026, 3, 9, 17, 0), "first PDT Monday"),
    ("la", (2026, 11, 2, 16, 59), 2 * M, (2026, 11, 3, 9, 1), "first PST Monday evening"),
]


@pytest.mark.parametrize(("name", "start", "duration", "deadline", "why"), ADD_CASES)
def test_add_business_time(request, name, start, duration, deadline, why):
    calendar = request.getfixturevalue({"beijing": "beijing", "la": "los_angeles"}[name])
    zone = SHANGHAI if name == "beijing" else LA
    begin = local(zone, *start)
    result = add_business_time(calendar, begin, duration)
    assert result == local(zone, *deadline), why
    assert result.tzinfo is UTC
    assert business_time_between(calendar, begin, result) == duration, why


BETWEEN_CASES = [
    ("beijing", (2026, 3, 9, 0, 0), (2026, 3, 16, 0, 0), 37.5 * H, "an ordinary week"),
    ("beijing", (2026, 2, 13, 9, 0), (2026, 2, 25, 9, 0), 22.5 * H, "13th, make-up 14th, 24th"),
    (
        "beijing",
        (2026, 2, 9, 0, 0),
        (2026, 3, 2, 0, 0),
        11 * 7.5 * H,
        "9 Feb-1 Mar: 9 weekdays, 2 make-up Saturdays",
    ),
    ("beijing", (2026, 3, 11, 12, 0), (2026, 3, 11, 13, 30), 0 * H, "lunch is not worked"),
    ("la", (2026, 3, 6, 9, 0), (2026, 3, 9, 17, 0), 16 * H, "Friday PST to Monday PDT"),
    ("la", (2026, 10, 30, 9, 0), (2026, 11, 2, 17, 0), 16 * H, "Friday PDT to Monday PST"),
    ("la", (2026, 3, 10, 17, 0), (2026, 3, 10, 9, 0), -8 * H, "negative when reversed"),
]


@pytest.mark.parametrize(("name", "a", "b", "expected", "why"), BETWEEN_CASES)
def test_business_time_between(request, name, a, b, expected, why):
    calendar = request.getfixturevalue({"beijing": "beijing", "la": "los_angeles"}[name])
    zone = SHANGHAI if name == "beijing" else LA
    assert business_time_between(calendar, local(zone, *a), local(zone, *b)) == expected, why


def test_round_the_clock_local_days_follow_dst():
    calendar = compile_calendar(
        business_hours(
            "LA all day", "America/Los_Angeles", hours("00:00-24:00"), weekdays=tuple(range(7))
        ),
        range(2026, 2027),
    )
    fall = local(LA, 2026, 11, 1, 0, 0)
    assert business_time_between(calendar, local(LA, 2026, 3, 8), local(LA, 2026, 3, 9)) == 23 * H
    assert business_time_between(calendar, fall, local(LA, 2026, 11, 2)) == 25 * H
    # 01:30 on the fall-back night happens twice; its first occurrence is meant.
    assert add_business_time(calendar, fall, 90 * M) == local(LA, 2026, 11, 1, 1, 30)


def test_night_shift_across_the_repeated_hour_counts_real_time():
    calendar = compile_calendar(
        business_hours("LA night", "America/Los_Angeles", hours("00:00-04:00"), weekdays=(6,)),
        range(2026, 2027),
    )
    fall = local(LA, 2026, 11, 1, 0, 0)
    assert business_time_between(calendar, fall, fall + 12 * H) == 5 * H
    spring = local(LA, 2026, 3, 8, 0, 0)
    assert business_time_between(calendar, spring, spring + 12 * H) == 3 * H


def test_24x7_is_plain_time(always):
    start = datetime(2031, 5, 5, 23, 59, 59, 123456, tzinfo=UTC)
    assert add_business_time(always, start, 3 * H) == start + 3 * H
    assert business_time_between(always, start, start + 100 * H) == 100 * H


def test_partial_closure_and_admin_days():
    spec = business_hours(
        "Beijing office",
        "Asia/Shanghai",
        hours("09:00-12:00", "13:30-18:00"),
        official=china_official_years(),
        closures=(Closure(local(SHANGHAI, 2026, 3, 11, 14), local(SHANGHAI, 2026, 3, 11, 16)),),
        holidays=(date(2026, 3, 12),),
        extra_workdays=(date(2026, 3, 15),),
        days=(DayHours(date(2026, 3, 13), hours("09:00-11:00"), "team offsite"),),
    )
    calendar = compile_calendar(spec, range(2026, 2027))
    assert add_business_time(calendar, local(SHANGHAI, 2026, 3, 11, 13, 30), H) == local(
        SHANGHAI, 2026, 3, 11, 16, 30
    )
    whole = business_time_between(
        calendar, local(SHANGHAI, 2026, 3, 9), local(SHANGHAI, 2026, 3, 16)
    )
    # Mon, Tue 7.5 h; Wed 5.5 h; Thu a holiday; Fri 2 h; Sat off; Sun a make-up day.
    assert whole == (7.5 + 7.5 + 5.5 + 0 + 2 + 0 + 7.5) * H


def test_day_rules_in_order_of_precedence():
    base = hours("09:00-18:00")
    spec = business_hours(
        "x",
        "Asia/Shanghai",
        base,
        official=china_official_years(),
        workday_hours=hours("10:00-16:00"),
        days=(DayHours(date(2026, 2, 16), hours("10:00-12:00")),),
    )
    assert day_hours(spec, date(2026, 2, 16)) == hours("10:00-12:00")  # admin day wins
    assert day_hours(spec, date(2026, 2, 17)) == ()  # official day off
    assert day_hours(spec, date(2026, 2, 14)) == hours("10:00-16:00")  # make-up Saturday
    assert day_hours(spec, date(2026, 2, 15)) == ()  # Sunday
    assert day_hours(spec, date(2026, 3, 2)) == base


def test_official_schedule_coverage(beijing, los_angeles):
    assert beijing.known_years == frozenset(range(2004, 2027))
    assert beijing.coverage.knows(2026)
    assert not beijing.coverage.knows(2027)
    span = (datetime(2026, 12, 30, tzinfo=UTC), datetime(2028, 1, 5, tzinfo=UTC))
    assert beijing.unknown_years(*span) == (2027, 2028)
    assert los_angeles.known_years is None
    assert los_angeles.unknown_years(*span) == ()
    # A 2027 instant in Beijing is already 2027 locally while UTC is still in 2026.
    assert beijing.unknown_years(span[0], datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == (2027,)


def test_admin_publishes_next_year():
    new_year = official_year(2027, days_off=(date(2027, 1, 1),), workdays=(date(2027, 1, 9),))
    spec = business_hours(
        "Beijing",
        "Asia/Shanghai",
        hours("09:00-18:00"),
        official=china_official_years(),
        official_overrides=(new_year,),
    )
    calendar = compile_calendar(spec, range(2026, 2028))
    assert 2027 in calendar.known_years
    assert (
        calendar.unknown_years(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
        == ()
    )
    assert day_hours(spec, date(2027, 1, 1)) == ()
    assert day_hours(spec, date(2027, 1, 9)) == hours("09:00-18:00")
    with pytest.raises(ValueError, match="outside 2027"):
        official_year(2027, days_off=(date(2026, 12, 31),), workdays=())


def test_admin_override_of_a_known_year_replaces_the_package():
    corrected = official_year(2026, days_off=(date(2026, 3, 10),), workdays=())
    spec = business_hours(
        "Beijing",
        "Asia/Shanghai",
        hours("09:00-18:00"),
        official=china_official_years(),
        official_overrides=(corrected,),
    )
    assert day_hours(spec, date(2026, 3, 10)) == ()
    assert day_hours(spec, date(2026, 2, 17)) == hours("09:00-18:00")


def test_package_data_has_the_2026_make_up_days():
    by_year = {entry.year: entry for entry in china_official_years()}
    assert date(2026, 2, 14) in by_year[2026].workdays
    assert date(2026, 2, 28) in by_year[2026].workdays
    assert date(2026, 2, 17) in by_year[2026].days_off
    assert 2027 not in by_year


def test_outside_the_compiled_years_is_an_error(beijing):
    with pytest.raises(CalendarRangeError):
        business_time_between(
            beijing, datetime(2023, 6, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)
        )


@pytest.mark.parametrize(
    "bad", [("12:00-09:00",), ("09:00-12:00", "11:00-13:00"), ("09:00-25:00",)]
)
def test_malformed_hours_are_refused(bad):
    with pytest.raises(ValueError, match="hours"):
        hours(*bad)


def test_naive_and_negative_inputs_are_refused(beijing):
    with pytest.raises(ValueError, match="naive"):
        add_business_time(beijing, datetime(2026, 3, 10, 9), H)  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        add_business_time(beijing, datetime(2026, 3, 10, 9, tzinfo=UTC), -H)


def test_hours_value_object():
    assert Hours(0, 86_400).end == 86_400
    assert hours("9-12") == (Hours(9 * 3600, 12 * 3600),)


def test_a_calendar_without_working_time_is_refused():
    with pytest.raises(ValueError, match="no working time"):
        compile_calendar(
            business_hours("never", "UTC", hours("09:00-17:00"), weekdays=()), range(2026, 2027)
        )
