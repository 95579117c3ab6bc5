"""Reads of launch windows for the API and pages, always through the access checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent, Organization
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.launches import access
from rtcdesk.launches.guard import active_for, settings, state_of
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.launches.schemas import ItemOut, LaunchOut, SettingsOut
from rtcdesk.oncall.models import Page
from rtcdesk.tickets.models import Ticket

MAX_LISTED = 200
MAX_WINDOW_ROWS = 200


@dataclass(frozen=True)
class ActiveLaunch:
    """An active launch as banners show it: whose, until when (in the launch's zone), who."""

    id: int
    organization_id: int
    organization_name: str
    title: str
    ends_at: datetime
    ends_local: str
    timezone: str
    engineer_name: str
    backup_name: str | None


@dataclass(frozen=True)
class WindowPage:
    """A page fired for one of the organization's tickets during the window."""

    id: int
    ticket_id: int
    subject: str
    reason: str
    state: str
    created_at: datetime
    acked_at: datetime | None
    acked_by: str | None
    escalations: int

    @property
    def ack_seconds(self) -> float | None:
        """Seconds from firing to acknowledgement (None: not acknowledged)."""
        if self.acked_at is None:
            return None
        return (self.acked_at - self.created_at).total_seconds()


def local_text(value: datetime, timezone: str) -> str:
    """``value`` as wall-clock time in ``timezone`` (``2026-03-03 20:00``)."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _name(uow: UnitOfWork, agent_id: int | None) -> str | None:
    if agent_id is None:
        return None
    agent = uow.session.get(Agent, agent_id)
    return agent.name if agent is not None else None


def overdue(done: bool, due_on: date | None, now: datetime) -> bool:
    """An item is overdue when it is not done and its due date has passed (UTC date)."""
    today = now.date()
    return not done and due_on is not None and due_on < today


def launch_out(uow: UnitOfWork, launch: LaunchWindow) -> LaunchOut:
    """A launch as the API and pages show it to agents."""
    now = uow.clock.now()
    org = uow.session.get(Organization, launch.organization_id)
    return LaunchOut(
        id=launch.id,
        organization_id=launch.organization_id,
        organization_name=org.name if org is not None else "",
        title=launch.title,
        description=launch.description,
        starts_at=launch.starts_at,
        ends_at=launch.ends_at,
        timezone=launch.timezone,
        state=state_of(launch, now),
        peak_concurrency=launch.peak_concurrency,
        platforms=list(launch.platforms),
        engineer_id=launch.engineer_id,
        engineer_name=_name(uow, launch.engineer_id) or "",
        backup_id=launch.backup_id,
        backup_name=_name(uow, launch.backup_id),
        items=[
            ItemOut(
                id=i.id,
                title=i.title,
                owner_id=i.owner_id,
                owner_name=_name(uow, i.owner_id),
                due_on=i.due_on,
                done=i.done,
                overdue=overdue(i.done, i.due_on, now),
                note=i.note,
            )
            for i in launch.items
        ],
        report=launch.report,
    )


def launches(
    uow: UnitOfWork, actor: Actor, *, organization_id: int | None = None, current: bool = False
) -> list[LaunchWindow]:
    """Launches newest first (agents); ``current``: only active and upcoming ones."""
    access.check_can_view(actor)
    stmt = select(LaunchWindow).order_by(LaunchWindow.starts_at.desc(), LaunchWindow.id.desc())
    if organization_id is not None:
        stmt = stmt.where(LaunchWindow.organization_id == organization_id)
    if current:
        stmt = stmt.where(
            LaunchWindow.cancelled_at.is_(None), LaunchWindow.ends_at > uow.clock.now()
        )
    return list(uow.session.scalars(stmt.limit(MAX_LISTED)))


def active_launches(uow: UnitOfWork, actor: Actor) -> list[LaunchWindow]:
    """Every launch active now (the console-wide list), ending soonest first."""
    access.check_can_view(actor)
    now = uow.clock.now()
    return list(
        uow.session.scalars(
            select(LaunchWindow)
            .where(
                LaunchWindow.cancelled_at.is_(None),
                LaunchWindow.starts_at <= now,
                LaunchWindow.ends_at > now,
            )
            .order_by(LaunchWindow.ends_at, LaunchWindow.id)
            .limit(MAX_LISTED)
        )
    )


def _summary(uow: UnitOfWork, row: LaunchWindow) -> ActiveLaunch:
    org = uow.session.get(Organization, row.organization_id)
    return ActiveLaunch(
        id=row.id,
        organization_id=row.organization_id,
        organization_name=org.name if org is not None else "",
        title=row.title,
        ends_at=row.ends_at,
        ends_local=local_text(row.ends_at, row.timezone),
        timezone=row.timezone,
        engineer_name=_name(uow, row.engineer_id) or "",
        backup_name=_name(uow, row.backup_id),
    )


def active_summaries(uow: UnitOfWork, actor: Actor) -> list[ActiveLaunch]:
    """Every active launch as the console's strip and banners show it (agents)."""
    return [_summary(uow, row) for row in active_launches(uow, actor)]


def customer_banner(uow: UnitOfWork, organization_id: int) -> ActiveLaunch | None:
    """The organization's active launch for its own contacts' banner, or None.

    The caller has already established that its actor belongs to ``organization_id``.
    """
    found = active_for(uow, organization_id, uow.clock.now())
    return _summary(uow, found) if found is not None else None


def window_tickets(uow: UnitOfWork, actor: Actor, row: LaunchWindow) -> list[Ticket]:
    """The organization's tickets opened during the window (so far), oldest first."""
    access.check_can_view(actor)
    return list(
        uow.session.scalars(
            select(Ticket)
            .where(
                Ticket.organization_id == row.organization_id,
                Ticket.created_at >= row.starts_at,
                Ticket.created_at < row.ends_at,
            )
            .order_by(Ticket.created_at, Ticket.id)
            .limit(MAX_WINDOW_ROWS)
        )
    )


def window_pages(uow: UnitOfWork, actor: Actor, row: LaunchWindow) -> list[WindowPage]:
    """Pages fired for the organization's tickets during the window, oldest first."""
    access.check_can_view(actor)
    rows = uow.session.execute(
        select(
            Page.id,
            Page.ticket_id,
            Ticket.subject,
            Page.reason,
            Page.state,
            Page.created_at,
            Page.acked_at,
            Agent.name,
            Page.escalations,
        )
        .join(Ticket, Ticket.id == Page.ticket_id)
        .outerjoin(Agent, Agent.id == Page.acked_by_agent_id)
        .where(
            Ticket.organization_id == row.organization_id,
            Page.created_at >= row.starts_at,
            Page.created_at < row.ends_at,
        )
        .order_by(Page.created_at, Page.id)
        .limit(MAX_WINDOW_ROWS)
    ).all()
    return [
        WindowPage(i, t, subj, reason, str(getattr(state, "value", state)), c, a, by, esc)
        for i, t, subj, reason, state, c, a, by, esc in rows
    ]


def launch(uow: UnitOfWork, actor: Actor, launch_id: int) -> LaunchWindow:
    """One launch (agents only; anyone else gets NotFound)."""
    access.check_can_view(actor)
    return access.launch_for(actor, uow.session.get(LaunchWindow, launch_id), launch_id)


def banner_for(
    uow: UnitOfWork, organization_id: int
) -> tuple[LaunchWindow, str, str | None] | None:
    """The organization's active launch with engineer and backup names (banners), or None.

    The caller has already established that its actor may see ``organization_id``.
    """
    found = active_for(uow, organization_id, uow.clock.now())
    if found is None:
        return None
    return found, _name(uow, found.engineer_id) or "", _name(uow, found.backup_id)


def settings_out(uow: UnitOfWork, actor: Actor) -> SettingsOut:
    """The launch-guard settings (agents read them)."""
    access.check_can_view(actor)
    row = settings(uow)
    return SettingsOut(
        policies=dict(row.policies),
        p1_categories=list(row.p1_categories),
        checklist_template=list(row.checklist_template),
    )
