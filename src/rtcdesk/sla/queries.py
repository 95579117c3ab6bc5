"""Reads of SLA data for pages and the API: live clocks, calendars, the policy matrix.

A ticket's live clocks come from its stored snapshot (``ticket_sla``) and its calendar, not
from replaying history: the snapshot was written with the last change, and until the next
one a counting clock only gains the business time that passed since (see
:func:`live_clock`). So a list of fifty tickets costs two queries, not fifty replays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import PlanTier
from rtcdesk.core.errors import NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.sla.calendar import BusinessCalendar, to_us
from rtcdesk.sla.models import (
    SlaCalendar,
    SlaPolicy,
    SlaPolicyVersion,
    TicketSla,
    TicketSlaVersion,
)
from rtcdesk.sla.schemas import (
    CalendarOut,
    ClockOut,
    ClosureIn,
    DayIn,
    OfficialYearIn,
    PolicyVersionOut,
    SlaOut,
    VersionSpanOut,
)
from rtcdesk.sla.specs import compiled
from rtcdesk.tickets.models import Priority

_S = timedelta(seconds=1)


def _when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def live_clock(
    stored: dict[str, Any], calendar: BusinessCalendar, computed_at: datetime, now: datetime
) -> ClockOut:
    """A stored clock as it stands at ``now`` (no ticket change since ``computed_at``)."""
    elapsed_us = int(stored["elapsed_us"])
    if stored["counting"] and now > computed_at:
        elapsed_us += calendar.position(to_us(now)) - calendar.position(to_us(computed_at))
    goal_us = int(stored["goal_us"])
    deadline = _when(stored["deadline"])
    breached_at = _when(stored["breached_at"])
    state = stored["state"]
    if state in ("running", "paused") and deadline is not None and deadline < now:
        state, breached_at = "breached", deadline
    version = stored["version"]
    return ClockOut(
        target=stored["target"],
        occurrence=int(stored["occurrence"]),
        state=state,
        goal_seconds=goal_us // 1_000_000,
        elapsed_seconds=elapsed_us // 1_000_000,
        remaining_seconds=-((elapsed_us - goal_us) // 1_000_000),
        started_at=datetime.fromisoformat(stored["started_at"]),
        deadline=deadline,
        breached_at=breached_at,
        stopped_at=_when(stored["stopped_at"]),
        stopped_by=stored["stopped_by"],
        paused_since=_when(stored["paused_since"]),
        policy_version_id=int(version) if str(version).isdigit() else None,
    )


def sla_for(uow: UnitOfWork, ticket_ids: Iterable[int]) -> dict[int, SlaOut]:
    """The live SLA of each ticket that has one (staff view: every clock)."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    rows = list(uow.session.scalars(select(TicketSla).where(TicketSla.ticket_id.in_(ids))))
    calendar_ids = {r.calendar_id for r in rows if r.calendar_id is not None}
    calendars = (
        {
            c.id: c
            for c in uow.session.scalars(
                select(SlaCalendar).where(SlaCalendar.id.in_(calendar_ids))
            )
        }
        if calendar_ids
        else {}
    )
    spans: dict[int, list[VersionSpanOut]] = {}
    for entry in uow.session.scalars(
        select(TicketSlaVersion)
        .where(TicketSlaVersion.ticket_id.in_(ids))
        .order_by(TicketSlaVersion.at, TicketSlaVersion.id)
    ):
        spans.setdefault(entry.ticket_id, []).append(
            VersionSpanOut(entry.policy_version_id, entry.at, entry.reason, entry.detail)
        )
    now = uow.clock.now()
    out: dict[int, SlaOut] = {}
    for row in rows:
        calendar_row = calendars.get(row.calendar_id or 0)
        clocks: list[ClockOut] = []
        unknown = set(row.unknown_years)
        if calendar_row is not None:
            calendar = compiled(calendar_row)
            clocks = [live_clock(c, calendar, row.computed_at, now) for c in row.clocks]
            unknown |= set(calendar.unknown_years(row.computed_at, max(now, row.computed_at)))
        open_deadlines = [
            c.deadline for c in clocks if c.stopped_at is None and c.deadline is not None
        ]
        out[row.ticket_id] = SlaOut(
            policy_version_id=row.policy_version_id,
            calendar_id=row.calendar_id,
            calendar_name=calendar_row.name if calendar_row is not None else None,
            clocks=clocks,
            versions=spans.get(row.ticket_id, []),
            unknown_years=sorted(unknown),
            next_deadline=min(open_deadlines, default=None),
        )
    return out


def calendar_out(row: SlaCalendar) -> CalendarOut:
    """The API shape of a calendar."""
    known = compiled(row).known_years
    return CalendarOut(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        always_open=row.always_open,
        follows_china=row.follows_china,
        week=row.week,
        workday_hours=row.workday_hours,
        holidays=row.holidays,
        extra_workdays=row.extra_workdays,
        days=[DayIn(**d) for d in row.days],
        closures=[
            ClosureIn(
                datetime.fromisoformat(c["start"]), datetime.fromisoformat(c["end"]), c["reason"]
            )
            for c in row.closures
        ],
        official_years=[OfficialYearIn(**y) for y in row.official_years],
        known_years=None if known is None else sorted(known),
        updated_at=row.updated_at,
    )


def calendars(uow: UnitOfWork, actor: Actor) -> list[SlaCalendar]:
    """Every calendar, by name (staff)."""
    account_access.require_agent(actor)
    return list(uow.session.scalars(select(SlaCalendar).order_by(SlaCalendar.name)))


def calendar(uow: UnitOfWork, actor: Actor, calendar_id: int) -> SlaCalendar:
    """One calendar (staff)."""
    account_access.require_agent(actor)
    row = uow.session.get(SlaCalendar, calendar_id)
    if row is None:
        raise NotFound("calendar {calendar_id} not found", params={"calendar_id": calendar_id})
    return row


def unknown_upcoming_year(row: SlaCalendar, today: date) -> int | None:
    """This year or next when the calendar follows China's schedule and lacks its data."""
    if not row.follows_china:
        return None
    known = compiled(row).known_years or frozenset()
    for year in (today.year, today.year + 1):
        if year not in known:
            return year
    return None


@dataclass(frozen=True)
class PolicyCell:
    """One cell of the tier x priority matrix: the policy's versions, newest first."""

    plan_tier: PlanTier
    priority: Priority
    versions: list[PolicyVersionOut]

    @property
    def current(self) -> PolicyVersionOut | None:
        """The version new tickets get."""
        return self.versions[0] if self.versions else None


def version_out(
    version: SlaPolicyVersion, policy: SlaPolicy, calendar_name: str
) -> PolicyVersionOut:
    """The API shape of a policy version."""
    return PolicyVersionOut(
        id=version.id,
        policy_id=policy.id,
        plan_tier=policy.plan_tier,
        priority=policy.priority,
        number=version.number,
        calendar_id=version.calendar_id,
        calendar_name=calendar_name,
        first_response_minutes=version.first_response_minutes,
        next_reply_minutes=version.next_reply_minutes,
        resolution_minutes=version.resolution_minutes,
        pause_on=version.pause_on,
        warning_points=version.warning_points,
        note=version.note,
        created_by=version.created_by,
        created_at=version.created_at,
    )


def policy_matrix(uow: UnitOfWork, actor: Actor) -> list[PolicyCell]:
    """Every plan tier x priority with its policy versions (staff)."""
    account_access.require_agent(actor)
    names = {c.id: c.name for c in uow.session.scalars(select(SlaCalendar))}
    rows = uow.session.execute(
        select(SlaPolicyVersion, SlaPolicy)
        .join(SlaPolicy, SlaPolicy.id == SlaPolicyVersion.policy_id)
        .order_by(SlaPolicyVersion.number.desc())
    ).all()
    by_cell: dict[tuple[PlanTier, Priority], list[PolicyVersionOut]] = {}
    for version, policy in rows:
        by_cell.setdefault((policy.plan_tier, policy.priority), []).append(
            version_out(version, policy, names.get(version.calendar_id, ""))
        )
    return [
        PolicyCell(tier, priority, by_cell.get((tier, priority), []))
        for tier in PlanTier
        for priority in Priority
    ]


def policy_versions(uow: UnitOfWork, actor: Actor) -> list[PolicyVersionOut]:
    """Every version of every policy, newest first (staff)."""
    return [v for cell in policy_matrix(uow, actor) for v in cell.versions]


def versions_by_id(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int, PolicyVersionOut]:
    """Policy versions by id (for naming the versions a ticket was measured against)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    names = {c.id: c.name for c in uow.session.scalars(select(SlaCalendar))}
    rows = uow.session.execute(
        select(SlaPolicyVersion, SlaPolicy)
        .join(SlaPolicy, SlaPolicy.id == SlaPolicyVersion.policy_id)
        .where(SlaPolicyVersion.id.in_(wanted))
    ).all()
    return {v.id: version_out(v, p, names.get(v.calendar_id, "")) for v, p in rows}
