"""The write path of SLA settings: business calendars and versioned policies (admins).

Editing a policy never changes a stored version: it adds the policy's next version, which
new tickets (and tickets whose priority or plan changes) are measured against, while every
other ticket keeps the version it has. Editing a calendar queues a recompute of the open
tickets on it. Ticket clocks themselves are written by ``tracking.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.core.validation import check_timezone, require_text, utc_instant
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.sla.calendar import compile_calendar
from rtcdesk.sla.handlers import RECOMPUTE_JOB
from rtcdesk.sla.models import SlaCalendar, SlaPolicy, SlaPolicyVersion
from rtcdesk.sla.schemas import CalendarIn, ClosureIn, DayIn, OfficialYearIn, PolicyIn
from rtcdesk.sla.specs import PAUSABLE, calendar_spec, parse_dates, parse_hours

MAX_WARNING_POINTS = 5


def _calendar(uow: UnitOfWork, calendar_id: int) -> SlaCalendar:
    row = uow.session.get(SlaCalendar, calendar_id)
    if row is None:
        raise NotFound("calendar {calendar_id} not found", params={"calendar_id": calendar_id})
    return row


def _official_years(entries: list[OfficialYearIn]) -> list[dict[str, object]]:
    seen: set[int] = set()
    out: list[dict[str, object]] = []
    for entry in sorted(entries, key=lambda e: e.year):
        if entry.year in seen:
            raise InvalidInput(
                "the year {year} is listed twice",
                params={"year": entry.year},
                field="official_years",
            )
        seen.add(entry.year)
        days_off = parse_dates(entry.days_off, "official_years")
        workdays = parse_dates(entry.workdays, "official_years")
        wrong = [d for d in (*days_off, *workdays) if d.year != entry.year]
        if wrong:
            raise InvalidInput(
                "{day} is not in {year}",
                params={"day": wrong[0].isoformat(), "year": entry.year},
                field="official_years",
            )
        both = set(days_off) & set(workdays)
        if both:
            raise InvalidInput(
                "{day} cannot be both a day off and a working day",
                params={"day": min(both).isoformat()},
                field="official_years",
            )
        out.append(
            {
                "year": entry.year,
                "days_off": [d.isoformat() for d in days_off],
                "workdays": [d.isoformat() for d in workdays],
            }
        )
    return out


def _fill(row: SlaCalendar, data: CalendarIn) -> None:
    """Copy checked admin input onto a calendar row."""
    row.name = require_text(data.name, "name", max_length=120)
    row.timezone = check_timezone(data.timezone)
    row.always_open = data.always_open
    row.follows_china = data.follows_china and not data.always_open
    if data.week and len(data.week) != 7:
        raise InvalidInput("a week has seven days, Monday first", field="week")
    week = data.week or [[] for _ in range(7)]
    row.week = [_hours_text(day, "week") for day in week]
    row.workday_hours = (
        None if data.workday_hours is None else _hours_text(data.workday_hours, "workday_hours")
    )
    row.holidays = [d.isoformat() for d in parse_dates(data.holidays, "holidays")]
    row.extra_workdays = [d.isoformat() for d in parse_dates(data.extra_workdays, "extra_workdays")]
    days = []
    for entry in data.days:
        (day,) = parse_dates([entry.day], "days") or (None,)
        if day is None:
            raise InvalidInput("a day needs a date", field="days")
        days.append(
            {
                "day": day.isoformat(),
                "hours": _hours_text(entry.hours, "days"),
                "reason": entry.reason,
            }
        )
    row.days = days
    closures = []
    for closure in data.closures:
        start = utc_instant(closure.start, "closure start")
        end = utc_instant(closure.end, "closure end")
        if end <= start:
            raise InvalidInput("a closure must end after it starts", field="closures")
        closures.append(
            {"start": start.isoformat(), "end": end.isoformat(), "reason": closure.reason}
        )
    row.closures = closures
    row.official_years = _official_years(data.official_years)
    try:
        compile_calendar(calendar_spec(row))
    except ValueError:
        raise InvalidInput(
            "the calendar has no working time at all; give it weekly hours or make it 24x7",
            field="week",
        ) from None


def _hours_text(ranges: list[str], field: str) -> list[str]:
    parse_hours(ranges, field)
    return sorted(r.strip() for r in ranges if r.strip())


def _unique_calendar_name(uow: UnitOfWork, name: str, exclude_id: int | None) -> None:
    stmt = select(SlaCalendar.id).where(SlaCalendar.name == name.strip())
    if exclude_id is not None:
        stmt = stmt.where(SlaCalendar.id != exclude_id)
    if uow.session.scalar(stmt) is not None:
        raise Conflict("a calendar named {name!r} exists", params={"name": name}, field="name")


def create_calendar(uow: UnitOfWork, actor: Actor, data: CalendarIn) -> SlaCalendar:
    """Add a business calendar (admins)."""
    account_access.require_admin(actor)
    _unique_calendar_name(uow, data.name, None)
    now = uow.clock.now()
    row = SlaCalendar(created_at=now, updated_at=now)
    _fill(row, data)
    uow.session.add(row)
    uow.flush()
    return row


def update_calendar(
    uow: UnitOfWork, actor: Actor, calendar_id: int, data: CalendarIn
) -> SlaCalendar:
    """Change a calendar (admins); the open tickets on it are recomputed by a job."""
    account_access.require_admin(actor)
    row = _calendar(uow, calendar_id)
    _unique_calendar_name(uow, data.name, row.id)
    _fill(row, data)
    row.updated_at = uow.clock.now()
    uow.flush()
    jobs.enqueue(
        uow, RECOMPUTE_JOB, {"calendar_id": row.id}, key=f"sla:recompute:calendar:{row.id}"
    )
    return row


def set_official_year(
    uow: UnitOfWork, actor: Actor, calendar_id: int, entry: OfficialYearIn
) -> SlaCalendar:
    """Enter (or replace) a calendar's official schedule for one year (admins)."""
    row = _calendar(uow, calendar_id)
    others = [OfficialYearIn(**y) for y in row.official_years if y["year"] != entry.year]
    data = _calendar_in(row)
    data.official_years = [*others, entry]
    return update_calendar(uow, actor, calendar_id, data)


def _calendar_in(row: SlaCalendar) -> CalendarIn:
    """A calendar row as input (to change one part and save the whole)."""
    return CalendarIn(
        name=row.name,
        timezone=row.timezone,
        always_open=row.always_open,
        follows_china=row.follows_china,
        week=[list(day) for day in row.week],
        workday_hours=row.workday_hours,
        holidays=list(row.holidays),
        extra_workdays=list(row.extra_workdays),
        days=[DayIn(**d) for d in row.days],
        closures=[
            ClosureIn(
                datetime.fromisoformat(c["start"]), datetime.fromisoformat(c["end"]), c["reason"]
            )
            for c in row.closures
        ],
        official_years=[OfficialYearIn(**y) for y in row.official_years],
    )


def _check_targets(data: PolicyIn) -> None:
    if (
        data.first_response_minutes is None
        and data.next_reply_minutes is None
        and data.resolution_minutes is None
    ):
        raise InvalidInput(
            "give at least one target (first response, next reply or resolution)",
            field="first_response_minutes",
        )
    for status in data.pause_on:
        if status.value not in {s.value for s in PAUSABLE}:
            raise InvalidInput(
                "clocks can pause only while waiting for the customer or on hold, not {status}",
                params={"status": status.value},
                field="pause_on",
            )
    if len(data.warning_points) > MAX_WARNING_POINTS:
        raise InvalidInput("at most five warning points", field="warning_points")
    for point in data.warning_points:
        if not 0 < point < 1 or round(point * 100) != point * 100:
            raise InvalidInput(
                "a warning point is a share of the target between 1% and 99%, not {point}",
                params={"point": point},
                field="warning_points",
            )


def save_policy(uow: UnitOfWork, actor: Actor, data: PolicyIn) -> SlaPolicyVersion:
    """Save new targets for a plan tier x priority as the policy's next version (admins)."""
    account_access.require_admin(actor)
    _check_targets(data)
    calendar = uow.session.get(SlaCalendar, data.calendar_id)
    if calendar is None:
        raise InvalidInput(
            "calendar {calendar_id} does not exist",
            params={"calendar_id": data.calendar_id},
            field="calendar_id",
        )
    now = uow.clock.now()
    policy = uow.session.scalars(
        select(SlaPolicy).where(
            SlaPolicy.plan_tier == data.plan_tier, SlaPolicy.priority == data.priority
        )
    ).first()
    if policy is None:
        policy = SlaPolicy(plan_tier=data.plan_tier, priority=data.priority, created_at=now)
        uow.session.add(policy)
        uow.flush()
    number = uow.session.scalar(
        select(func.coalesce(func.max(SlaPolicyVersion.number), 0)).where(
            SlaPolicyVersion.policy_id == policy.id
        )
    )
    version = SlaPolicyVersion(
        policy_id=policy.id,
        number=int(number or 0) + 1,
        calendar_id=calendar.id,
        first_response_minutes=data.first_response_minutes,
        next_reply_minutes=data.next_reply_minutes,
        resolution_minutes=data.resolution_minutes,
        pause_on=sorted({s.value for s in data.pause_on}),
        warning_points=sorted(set(data.warning_points)),
        note=data.note.strip(),
        created_by=actor.name,
        created_at=now,
    )
    uow.session.add(version)
    uow.flush()
    return version
