"""Launch guard: while a launch is active its organization's tickets are measured against
the stricter launch policies, and new tickets of the configured categories open as P1.

Active means the clock is inside the window (:func:`active_for`, read at the moment of
each change), so a ticket opened a second after the start is guarded even if the start
timer has not run yet. The timers only move the tickets that were already open: at the
start onto the launch policy, at the end (or a cancellation) back onto the plan tier x
priority policy. Every switch is a ``TargetsChanged`` with reason ``launch guard`` on the
ticket's SLA history and an ``sla_policy`` entry on its history.

Direct paging: a ticket that is P1 (opened as P1, made P1 by the guard, or raised to P1)
while its organization's launch is active pages the launch's named engineer, then the
backup, then the covering schedule's chain, at any hour. These handlers run before the
after-hours paging handler (``bootstrap``), and a ticket with a page still waiting is never
paged again, so one change never pages twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import ActorKind, AgentRole, Organization
from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.launches.models import LaunchSettings, LaunchWindow
from rtcdesk.oncall import paging
from rtcdesk.oncall.page_texts import HISTORY_FIELD, encode
from rtcdesk.sla import tracking
from rtcdesk.sla.models import SlaPolicyVersion
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.events import TicketCreated, TicketUpdated
from rtcdesk.tickets.models import Priority, Status, Ticket
from rtcdesk.tickets.schemas import TicketUpdate
from rtcdesk.tickets.service import record_change

REASON = "launch guard"
GUARD_ACTOR = Actor(
    kind=ActorKind.SYSTEM, id=None, name="rtcdesk launch guard", role=AgentRole.ADMIN
)
CLOSED = (Status.SOLVED, Status.CLOSED)


def state_of(launch: LaunchWindow, now: datetime) -> str:
    """``upcoming``, ``active``, ``ended`` or ``cancelled`` at ``now``."""
    if launch.cancelled_at is not None:
        return "cancelled"
    if now < launch.starts_at:
        return "upcoming"
    return "active" if now < launch.ends_at else "ended"


def settings(uow: UnitOfWork) -> LaunchSettings:
    """The launch-guard settings row (created empty on first use)."""
    row = uow.session.get(LaunchSettings, 1)
    if row is None:
        row = LaunchSettings(
            id=1, policies={}, p1_categories=[], checklist_template=[], updated_at=uow.clock.now()
        )
        uow.session.add(row)
        uow.flush()
    return row


def active_for(uow: UnitOfWork, organization_id: int, at: datetime) -> LaunchWindow | None:
    """The organization's launch active at ``at`` (the earliest-ending one if several)."""
    return uow.session.scalars(
        select(LaunchWindow)
        .where(
            LaunchWindow.organization_id == organization_id,
            LaunchWindow.cancelled_at.is_(None),
            LaunchWindow.starts_at <= at,
            LaunchWindow.ends_at > at,
        )
        .order_by(LaunchWindow.ends_at, LaunchWindow.id)
        .limit(1)
    ).first()


def launch_version(uow: UnitOfWork, priority: str) -> SlaPolicyVersion | None:
    """The newest version of the launch policy chosen for ``priority`` (None: none chosen)."""
    policy_id = settings(uow).policies.get(priority)
    if policy_id is None:
        return None
    return uow.session.scalars(
        select(SlaPolicyVersion)
        .where(SlaPolicyVersion.policy_id == policy_id)
        .order_by(SlaPolicyVersion.number.desc())
        .limit(1)
    ).first()


def _switch(
    uow: UnitOfWork, ticket: Ticket, version: SlaPolicyVersion | None, at: datetime, detail: str
) -> None:
    if tracking.switch_policy(uow, ticket.id, version, at=at, reason=REASON, detail=detail):
        shown = f"v{version.id}" if version is not None else "-"
        tickets.record_change(
            uow, GUARD_ACTOR, ticket.id, "sla_policy", None, f"{detail} ({shown})"
        )


def guard_ticket(uow: UnitOfWork, ticket: Ticket, launch: LaunchWindow, at: datetime) -> None:
    """Measure ``ticket`` against the launch policy of its priority (if one is chosen)."""
    version = launch_version(uow, ticket.priority.value)
    if version is not None:
        _switch(uow, ticket, version, at, f"launch #{launch.id} active")


def release_ticket(uow: UnitOfWork, ticket: Ticket, launch: LaunchWindow, at: datetime) -> None:
    """Put ``ticket`` back on its plan tier x priority policy."""
    org = uow.session.get(Organization, ticket.organization_id)
    tier = org.plan_tier.value if org is not None else ""
    normal = tracking.policy_version_for(uow, tier, ticket.priority.value)
    _switch(uow, ticket, normal, at, f"launch #{launch.id} over")


def _open_tickets(uow: UnitOfWork, organization_id: int) -> list[Ticket]:
    return list(
        uow.session.scalars(
            select(Ticket)
            .where(
                Ticket.organization_id == organization_id,
                Ticket.status.not_in(CLOSED),
                Ticket.merged_into_id.is_(None),
            )
            .order_by(Ticket.id)
        )
    )


def start(uow: UnitOfWork, launch: LaunchWindow) -> int:
    """At the window's start: its organization's open tickets onto the launch policies."""
    if state_of(launch, uow.clock.now()) != "active":
        return 0
    found = _open_tickets(uow, launch.organization_id)
    for ticket in found:
        guard_ticket(uow, ticket, launch, launch.starts_at)
    return len(found)


def release_organization(uow: UnitOfWork, launch: LaunchWindow) -> int:
    """At the end (or on cancel): open tickets back, unless another launch still guards."""
    now = uow.clock.now()
    other = active_for(uow, launch.organization_id, now)
    if other is not None and other.id != launch.id:
        return 0
    at = min(now, launch.ends_at) if launch.cancelled_at is None else now
    found = _open_tickets(uow, launch.organization_id)
    for ticket in found:
        release_ticket(uow, ticket, launch, at)
    return len(found)


def page_if_p1(uow: UnitOfWork, ticket: Ticket, launch: LaunchWindow, link_key: bytes) -> None:
    """Page the launch's engineer, backup, then the schedule for a P1 under guard (once)."""
    if ticket.priority is not Priority.P1 or ticket.status in CLOSED:
        return
    if paging.open_page(uow, ticket.id) is not None:
        return
    page = paging.page_now(
        uow,
        ticket.id,
        reason=paging.REASON_LAUNCH_GUARD,
        link_key=link_key,
        first_agent_id=launch.engineer_id,
        backup_agent_id=launch.backup_id,
    )
    if page is None:
        record_change(uow, SYSTEM, ticket.id, HISTORY_FIELD, None, encode("nobody_launch"))


def on_ticket_created(uow: UnitOfWork, event: TicketCreated, link_key: bytes) -> None:
    """A ticket opened during a launch: P1 for the configured categories, launch policy,
    and a page when it is P1."""
    now = uow.clock.now()
    launch = active_for(uow, event.organization_id, now)
    if launch is None:
        return
    ticket = uow.session.get(Ticket, event.ticket_id)
    if ticket is None:
        return
    if (
        ticket.category.value in settings(uow).p1_categories
        and ticket.priority is not Priority.P1
        and ticket.priority_override_reason is None
    ):
        tickets.update_ticket(
            uow,
            GUARD_ACTOR,
            ticket.id,
            TicketUpdate(
                priority=Priority.P1, priority_reason=f"launch #{launch.id}: P1 by default"
            ),
        )
    guard_ticket(uow, ticket, launch, ticket.created_at)
    page_if_p1(uow, ticket, launch, link_key)


def on_ticket_updated(uow: UnitOfWork, event: TicketUpdated, link_key: bytes) -> None:
    """A priority change during a launch moves to that priority's launch policy; raised to
    P1, the ticket pages."""
    if "priority" not in event.fields:
        return
    ticket = uow.session.get(Ticket, event.ticket_id)
    if ticket is None or ticket.status in CLOSED:
        return
    now = uow.clock.now()
    launch = active_for(uow, ticket.organization_id, now)
    if launch is not None:
        guard_ticket(uow, ticket, launch, now)
        page_if_p1(uow, ticket, launch, link_key)


def register(bus: EventBus, link_key: bytes) -> None:
    """Subscribe the launch guard (after the SLA reactions, before after-hours paging);
    ``link_key`` signs the acknowledgement links of its pages."""

    def created(uow: UnitOfWork, event: TicketCreated) -> None:
        on_ticket_created(uow, event, link_key)

    def updated(uow: UnitOfWork, event: TicketUpdated) -> None:
        on_ticket_updated(uow, event, link_key)

    bus.subscribe_in_transaction(TicketCreated, created)
    bus.subscribe_in_transaction(TicketUpdated, updated)
