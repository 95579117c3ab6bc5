"""Business calendars: which instants are working time, as plain data compiled once.

A :class:`CalendarSpec` is what an admin edits (weekly hours in an IANA zone, holidays,
closures, make-up working days, per-date hours, an official schedule). :func:`compile_calendar`
turns it into a :class:`BusinessCalendar`: the working intervals of a range of years as
sorted epoch microseconds with a running total of business time, so measuring and adding
business time are two binary searches. Nothing here reads a clock or touches storage.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate, pairwise
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

DAY_SECONDS = 86_400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_YEARS = range(2000, 2041)
# A 24x7 calendar is one interval wide enough for any datetime rtcdesk stores.
_FOREVER_US = 2**61


class CalendarRangeError(ValueError):
    """An instant lies outside the years a calendar was compiled for."""


@dataclass(frozen=True, order=True)
class Hours:
    """One working interval of a local day, in seconds since local midnight (end <= 86400)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= DAY_SECONDS:
            raise ValueError(f"working hours must satisfy 0 <= start < end <= 24:00: {self}")


def hours(*ranges: str) -> tuple[Hours, ...]:
    """Working intervals from strings like ``"09:00-12:00"`` (``"24:00"`` ends a day)."""
    parsed = []
    for text in ranges:
        first, _, last = text.partition("-")
        parsed.append(Hours(_seconds_of_day(first), _seconds_of_day(last)))
    result = tuple(sorted(parsed))
    for before, after in pairwise(result):
        if after.start < before.end:
            raise ValueError(f"working hours overlap: {ranges}")
    return result


def _seconds_of_day(text: str) -> int:
    hour, _, minute = text.strip().partition(":")
    return int(hour) * 3600 + int(minute or 0) * 60


@dataclass(frozen=True)
class DayHours:
    """A date with its own working hours (empty: closed); the admin's word for that day."""

    day: date
    hours: tuple[Hours, ...]
    reason: str = ""


@dataclass(frozen=True)
class Closure:
    """A closed span between two aware instants (an office event, an afternoon off)."""

    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class OfficialYear:
    """One year of a government schedule: weekdays off and weekend days that are worked."""

    year: int
    days_off: frozenset[date]
    workdays: frozenset[date]
    source: str = ""


@dataclass(frozen=True)
class CalendarSpec:
    """Everything that defines a business calendar, as plain data."""

    name: str
    timezone: str = "UTC"
    # Monday first; each day's working intervals (empty: not a working day).
    week: tuple[tuple[Hours, ...], ...] = ((),) * 7
    # Hours of a make-up working day (调休); Monday's hours when not given.
    workday_hours: tuple[Hours, ...] | None = None
    holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    days: tuple[DayHours, ...] = ()
    closures: tuple[Closure, ...] = ()
    # None: the calendar follows no official schedule, so every year is known.
    official: tuple[OfficialYear, ...] | None = None
    always_open: bool = False

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has seven days, Monday first")
        ZoneInfo(self.timezone)


def twenty_four_seven(name: str = "24x7") -> CalendarSpec:
    """A calendar in which every instant is working time."""
    return CalendarSpec(name=name, always_open=True)


def business_hours(
    name: str,
    timezone: str,
    working: tuple[Hours, ...],
    *,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    official: tuple[OfficialYear, ...] | None = None,
    official_overrides: tuple[OfficialYear, ...] = (),
    holidays: tuple[date, ...] = (),
    extra_workdays: tuple[date, ...] = (),
    days: tuple[DayHours, ...] = (),
    closures: tuple[Closure, ...] = (),
    workday_hours: tuple[Hours, ...] | None = None,
) -> CalendarSpec:
    """The same hours on the given weekdays; admin years in ``official_overrides`` win."""
    week = tuple(working if day in weekdays else () for day in range(7))
    schedule = None
    if official is not None or official_overrides:
        by_year = {entry.year: entry for entry in official or ()}
        by_year.update({entry.year: entry for entry in official_overrides})
        schedule = tuple(by_year[year] for year in sorted(by_year))
    return CalendarSpec(
        name,
        timezone,
        week,
        workday_hours=workday_hours,
        holidays=holidays,
        extra_workdays=extra_workdays,
        days=days,
        closures=closures,
        official=schedule,
    )


@dataclass(frozen=True)
class Coverage:
    """Which years a calendar has official data for (``None``: it needs none)."""

    calendar: str
    known_years: frozenset[int] | None

    def knows(self, year: int) -> bool:
        """Whether the calendar's official schedule for ``year`` is known."""
        return self.known_years is None or year in self.known_years


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    """A compiled calendar: sorted working intervals with a business-time prefix sum."""

    spec: CalendarSpec
    years: range
    starts: list[int]
    ends: list[int]
    # cumulative[i]: business microseconds before starts[i]; cumulative[-1]: the total.
    cumulative: list[int]
    coverage: Coverage
    lower: int
    upper: int
    np_starts: npt.NDArray[np.int64] = field(repr=False)
    np_ends: npt.NDArray[np.int64] = field(repr=False)
    np_cumulative: npt.NDArray[np.int64] = field(repr=False)

    @property
    def name(self) -> str:
        """The calendar's name."""
        return self.spec.name

    @property
    def known_years(self) -> frozenset[int] | None:
        """Years with official data; ``None`` when the calendar follows no official schedule."""
        return self.coverage.known_years

    def position(self, instant_us: int) -> int:
        """Business microseconds from the compiled range's start to ``instant_us``."""
        self._check(instant_us)
        index = bisect_right(self.starts, instant_us) - 1
        if index < 0:
            return 0
        return self.cumulative[index] + min(
            instant_us - self.starts[index], self.ends[index] - self.starts[index]
        )

    def instant(self, position_us: int) -> int:
        """The earliest instant at which ``position_us`` business microseconds have passed."""
        if not 0 <= position_us <= self.cumulative[-1]:
            raise CalendarRangeError(f"{self.name}: business time beyond {self.years}")
        # The first interval whose end position reaches position_us.
        index = bisect_left(self.cumulative, position_us, lo=1) - 1
        return self.starts[index] + position_us - self.cumulative[index]

    def positions(self, instants_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`position` over an array of instants."""
        index = np.searchsorted(self.np_starts, instants_us, side="right") - 1
        clipped = np.maximum(index, 0)
        length = self.np_ends[clipped] - self.np_starts[clipped]
        into = np.minimum(instants_us - self.np_starts[clipped], length)
        return np.where(index < 0, 0, self.np_cumulative[clipped] + into)

    def instants(self, positions_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`instant` over an array of business positions."""
        ends = self.np_cumulative[1:]
        if len(positions_us) and (positions_us.min() < 0 or positions_us.max() > ends[-1]):
            raise CalendarRangeError(f"{self.name}: business time beyond {self.years}")
        index = np.minimum(np.searchsorted(ends, positions_us, side="left"), len(ends) - 1)
        return self.np_starts[index] + positions_us - self.np_cumulative[index]

    def unknown_years(self, start: datetime, end: datetime) -> tuple[int, ...]:
        """Local years touched by ``[start, end]`` that lack official data."""
        if self.coverage.known_years is None:
            return ()
        zone = ZoneInfo(self.spec.timezone)
        first, last = start.astimezone(zone).year, end.astimezone(zone).year
        return tuple(y for y in range(first, last + 1) if y not in self.coverage.known_years)

    def _check(self, instant_us: int) -> None:
        if not self.lower <= instant_us <= self.upper:
            raise CalendarRangeError(f"{self.name}: instant outside {self.years}")


def to_us(instant: datetime) -> int:
    """Epoch microseconds of an aware datetime (exact)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: SLA arithmetic needs aware UTC datetimes")
    return (instant - EPOCH) // timedelta(microseconds=1)


def from_us(instant_us: int) -> datetime:
    """The aware UTC datetime of epoch microseconds."""
    return EPOCH + timedelta(microseconds=instant_us)


@lru_cache(maxsize=64)
def compile_calendar(spec: CalendarSpec, years: range = DEFAULT_YEARS) -> BusinessCalendar:
    """Compile a spec's working intervals for ``years`` (cached per spec)."""
    if spec.always_open:
        intervals = [(-_FOREVER_US, _FOREVER_US)]
        lower, upper = -_FOREVER_US, _FOREVER_US
        coverage = Coverage(spec.name, None)
    else:
        zone = ZoneInfo(spec.timezone)
        intervals = _subtract(_working_intervals(spec, zone, years), _closures(spec))
        if not intervals:
            raise ValueError(f"calendar {spec.name!r} has no working time in {years}")
        lower = to_us(datetime.combine(date(years.start, 1, 1), time(), zone))
        upper = to_us(datetime.combine(date(years.stop, 1, 1), time(), zone))
        known = None if spec.official is None else frozenset(y.year for y in spec.official)
        coverage = Coverage(spec.name, known)
    starts = [start for start, _ in intervals]
    ends = [end for _, end in intervals]
    cumulative = [0, *accumulate(end - start for start, end in intervals)]
    return BusinessCalendar(
        spec=spec,
        years=years,
        starts=starts,
        ends=ends,
        cumulative=cumulative,
        coverage=coverage,
        lower=lower,
        upper=upper,
        np_starts=np.array(starts, dtype=np.int64),
        np_ends=np.array(ends, dtype=np.int64),
        np_cumulative=np.array(cumulative, dtype=np.int64),
    )


def day_hours(spec: CalendarSpec, day: date) -> tuple[Hours, ...]:
    """A local date's working hours after every rule (before partial closures)."""
    for entry in spec.days:
        if entry.day == day:
            return entry.hours
    if day in spec.holidays:
        return ()
    make_up = spec.workday_hours if spec.workday_hours is not None else spec.week[0]
    if day in spec.extra_workdays:
        return make_up
    for official in spec.official or ():
        if official.year == day.year:
            if day in official.days_off:
                return ()
            if day in official.workdays:
                return make_up
    return spec.week[day.weekday()]


def _working_intervals(spec: CalendarSpec, zone: ZoneInfo, years: range) -> list[tuple[int, int]]:
    """Every working interval of the years, in UTC microseconds, merged where adjacent."""
    result: list[tuple[int, int]] = []
    day = date(years.start, 1, 1)
    stop = date(years.stop, 1, 1)
    while day < stop:
        for span in day_hours(spec, day):
            start = _local_us(day, span.start, zone)
            end = _local_us(day, span.end, zone)
            if end <= start:
                continue
            if result and result[-1][1] >= start:
                result[-1] = (result[-1][0], max(end, result[-1][1]))
            else:
                result.append((start, end))
        day += timedelta(days=1)
    return result


def _local_us(day: date, seconds: int, zone: ZoneInfo) -> int:
    """The instant a local wall-clock time of ``day`` names (24:00 is the next midnight).

    A wall time skipped by a DST jump resolves as zoneinfo does with fold=0 (the offset
    before the change), so an interval starting inside the gap starts at the real instant
    the clocks jumped past it; a repeated wall time means its first occurrence.
    """
    if seconds == DAY_SECONDS:
        return to_us(datetime.combine(day + timedelta(days=1), time(), zone))
    wall = datetime.combine(day, time(seconds // 3600, seconds % 3600 // 60, seconds % 60), zone)
    return to_us(wall)


def _closures(spec: CalendarSpec) -> list[tuple[int, int]]:
    return sorted((to_us(c.start), to_us(c.end)) for c in spec.closures if c.end > c.start)


def _subtract(
    intervals: list[tuple[int, int]], holes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Intervals with the closed spans cut out."""
    if not holes:
        return intervals
    result = []
    for start, end in intervals:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            if hole_start >= end or hole_end <= start:
                continue
            pieces = [
                part
                for piece in pieces
                for part in (
                    (piece[0], min(piece[1], hole_start)),
                    (max(piece[0], hole_end), piece[1]),
                )
                if part[1] > part[0]
            ]
        result.extend(pieces)
    return result
