"""Properties of business-time arithmetic and clocks, on every kind of calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtcdesk.sla.calendar import CalendarSpec, Hours, business_hours, compile_calendar, hours
from rtcdesk.sla.clock import add_business_time, business_time_between, compute_clocks
from rtcdesk.sla.data import Created, SlaTargets, Status, StatusChanged

# No wall-clock deadline: the CI machine is a busy 2-core box.
sla_settings = settings(deadline=None, max_examples=150)

CALENDARS = ["beijing", "los_angeles", "always", "la_nights"]
instants = st.datetimes(
    min_value=datetime(2024, 1, 2),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(2028, 6, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
durations = st.integers(min_value=0, max_value=300 * 3600 * 10**6).map(
    lambda us: timedelta(microseconds=us)
)


@pytest.fixture(scope="module")
def la_nights():
    """Night shifts on both DST Sundays' repeated and skipped hours, every day."""
    spec = business_hours(
        "LA nights",
        "America/Los_Angeles",
        hours("00:00-03:30", "22:00-24:00"),
        weekdays=tuple(range(7)),
    )
    return compile_calendar(spec, range(2024, 2029))


@pytest.fixture(scope="module", params=CALENDARS)
def calendar(request):
    return request.getfixturevalue(request.param)


@sla_settings
@given(start=instants, duration=durations)
def test_adding_then_measuring_is_the_identity(calendar, start, duration):
    deadline = add_business_time(calendar, start, duration)
    assert business_time_between(calendar, start, deadline) == duration
    assert deadline >= start
    if duration:
        assert deadline > start


@sla_settings
@given(start=instants, a=durations, b=durations)
def test_deadlines_are_monotonic_in_duration(calendar, start, a, b):
    shorter, longer = sorted((a, b))
    assert add_business_time(calendar, start, shorter) <= add_business_time(calendar, start, longer)


@sla_settings
@given(a=instants, b=instants, c=instants)
def test_business_time_is_additive_over_a_split(calendar, a, b, c):
    whole = business_time_between(calendar, a, c)
    assert whole == business_time_between(calendar, a, b) + business_time_between(calendar, b, c)
    if a <= c:
        assert timedelta(0) <= whole <= c - a


@sla_settings
@given(start=instants, duration=durations)
def test_the_deadline_is_the_earliest_such_instant(calendar, start, duration):
    deadline = add_business_time(calendar, start, duration)
    if duration:
        earlier = deadline - timedelta(microseconds=1)
        assert business_time_between(calendar, start, earlier) < duration


@sla_settings
@given(
    created=instants,
    goal=st.integers(min_value=1, max_value=80).map(lambda h: timedelta(hours=h)),
    pauses=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=200 * 3600),
            st.integers(min_value=1, max_value=50 * 3600),
            st.sampled_from([Status.PENDING_CUSTOMER, Status.ON_HOLD]),
        ),
        max_size=4,
    ),
)
def test_a_pause_never_moves_a_deadline_earlier(calendar, created, goal, pauses):
    targets = SlaTargets("v", resolution=goal)
    events = [Created(created, targets)]
    moment = created
    for gap, length, status in pauses:
        moment += timedelta(seconds=gap)
        events.append(StatusChanged(moment, status))
        moment += timedelta(seconds=length)
        events.append(StatusChanged(moment, Status.OPEN))
    now = moment
    unpaused = compute_clocks(calendar, events[:1], now).resolution
    paused = compute_clocks(calendar, events, now).resolution
    assert unpaused is not None
    assert paused is not None
    assert unpaused.deadline is not None
    assert paused.deadline is not None
    assert paused.deadline >= unpaused.deadline
    assert paused.elapsed <= unpaused.elapsed
    assert paused.elapsed + paused.remaining == goal


ZONES = [
    "Asia/Shanghai",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
]


@st.composite
def random_calendars(draw):
    """Any weekly hours (up to 3 intervals a day) in zones with odd DST rules, plus days off."""
    week = []
    for _ in range(7):
        cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a]
        week.append(tuple(Hours(a * 900, b * 900) for a, b in spans))
    # At least 8 hours every Monday, so 40 business hours always fit in the compiled years.
    week[0] = hours("09:00-17:00")
    holidays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=20))
    workdays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=10))
    spec = CalendarSpec(
        name="random",
        timezone=draw(st.sampled_from(ZONES)),
        week=tuple(week),
        holidays=tuple(holidays),
        extra_workdays=tuple(workdays),
    )
    return spec


mid_range = st.datetimes(
    min_value=datetime(2026, 1, 2),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(deadline=None, max_examples=60)
@given(
    spec=random_calendars(),
    a=mid_range,
    b=mid_range,
    duration=st.integers(0, 40 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us)),
)
def test_any_calendar_keeps_the_laws(spec, a, b, duration):
    calendar = compile_calendar(spec, range(2026, 2029))  # here, not in the strategy: it takes ms
    deadline = add_business_time(calendar, a, duration)
    assert business_time_between(calendar, a, deadline) == duration
    assert business_time_between(calendar, a, b) == -business_time_between(calendar, b, a)
    assert calendar.ends == sorted(calendar.ends)
    assert all(s < e for s, e in zip(calendar.starts, calendar.ends, strict=True))
    assert all(e < s for e, s in zip(calendar.ends, calendar.starts[1:], strict=False))
