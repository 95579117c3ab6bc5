"""Paging: page the on-call chain for a ticket, escalate unacknowledged pages, close them.

The entry point other domains call is :func:`page_now` (launch guard pages every P1 of an
organization under guard, naming its engineer and backup). The after-hours P1 rule lives in
``oncall.handlers``. Everything here runs inside the caller's unit of work and never
commits: the page, its history entries, its notification and its escalation timer exist
if and only if the caller's transaction commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Organization
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.notifications import service as notifications
from rtcdesk.notifications.recipients import Recipients
from rtcdesk.oncall import links
from rtcdesk.oncall.models import Page, PageState, PageStep, Schedule, StepState
from rtcdesk.oncall.page_texts import HISTORY_FIELD, PAGE_KIND, encode
from rtcdesk.oncall.queries import escalation, schedules_for_group
from rtcdesk.tickets.models import Priority, Ticket
from rtcdesk.tickets.service import record_change

ESCALATE_JOB = "oncall.page_escalate"
REASON_AFTER_HOURS = "p1_after_hours"
REASON_LAUNCH_GUARD = "launch_guard"
REASON_MANUAL = "manual"
DEFAULT_ESCALATE_MINUTES = 5
MAX_REASON = 40
PlanStep = dict[str, int | str | None]


def timer_key(page_id: int) -> str:
    """The jobs key of a page's escalation timer (one per page, replaced at each step)."""
    return f"page:{page_id}:step"


def notification_key(page_id: int, index: int) -> str:
    """The event key of the notification sent for step ``index`` of page ``page_id``."""
    return f"oncall.page:{page_id}:{index}"


def page_of_notification_key(key: str) -> int | None:
    """The page a page notification's key names (None for any other key)."""
    prefix, _, rest = key.partition(":")
    page_id, _, index = rest.partition(":")
    if prefix != "oncall.page" or not page_id.isdigit() or not index.isdigit():
        return None
    return int(page_id)


def covering_schedule(uow: UnitOfWork, ticket: Ticket) -> Schedule | None:
    """The schedule covering ``ticket``: its team's schedule, else the default schedule."""
    if ticket.group_id is not None:
        found = schedules_for_group(uow, ticket.group_id)
        if found:
            return found[0]
    return uow.session.scalar(
        select(Schedule).where(Schedule.is_default.is_(True)).order_by(Schedule.name).limit(1)
    )


def open_page(uow: UnitOfWork, ticket_id: int) -> Page | None:
    """The ticket's page still waiting for an acknowledgement, if any."""
    return uow.session.scalar(
        select(Page).where(Page.ticket_id == ticket_id, Page.state == PageState.TRIGGERED)
    )


def plan_for(
    uow: UnitOfWork,
    schedule: Schedule | None,
    at: datetime,
    first_agent_id: int | None = None,
    backup_agent_id: int | None = None,
) -> list[PlanStep]:
    """The chain to page at ``at``: the named engineer and backup (if given), then the
    schedule's layers in order, then its manager; nobody twice."""
    chain: list[PlanStep] = []
    seen: set[int] = set()

    def add(agent_id: int | None, layer_id: int | None, role: str) -> None:
        if agent_id is not None and agent_id not in seen:
            seen.add(agent_id)
            chain.append({"agent_id": agent_id, "layer_id": layer_id, "role": role})

    add(first_agent_id, None, "named")
    add(backup_agent_id, None, "backup")
    if schedule is not None:
        for responder in escalation(uow, schedule.id, at):
            role = "layer" if responder.layer_id is not None else "manager"
            add(responder.agent_id, responder.layer_id, role)
    active = set(
        uow.session.scalars(
            select(Agent.id).where(Agent.id.in_(seen or {0}), Agent.active.is_(True))
        )
    )
    return [entry for entry in chain if entry["agent_id"] in active]


def page_now(
    uow: UnitOfWork,
    ticket_id: int,
    *,
    reason: str,
    link_key: bytes,
    first_agent_id: int | None = None,
    backup_agent_id: int | None = None,
    schedule_id: int | None = None,
) -> Page | None:
    """Page for ticket ``ticket_id`` now and return the page (None: nobody to page).

    ``reason`` is a short code (``REASON_LAUNCH_GUARD``, ``REASON_AFTER_HOURS``...).
    ``first_agent_id`` and ``backup_agent_id`` name the first two people to page (launch
    guard's engineer and backup); the covering schedule's chain (or ``schedule_id``'s)
    follows them. A ticket with a page still waiting is not paged again: that page is
    returned. ``link_key`` signs the acknowledgement links (``links.link_key``). Runs in
    the caller's transaction and never commits.
    """
    if not reason or len(reason) > MAX_REASON or not reason.isascii():
        raise ValueError(f"page_now: reason is a short ASCII code (1-{MAX_REASON}): {reason!r}")
    existing = open_page(uow, ticket_id)
    if existing is not None:
        return existing
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None:
        raise ValueError(f"page_now: ticket {ticket_id} does not exist")
    now = uow.clock.now()
    schedule = (
        uow.session.get(Schedule, schedule_id)
        if schedule_id is not None
        else covering_schedule(uow, ticket)
    )
    plan = plan_for(uow, schedule, now, first_agent_id, backup_agent_id)
    if not plan:
        return None
    page = Page(
        ticket_id=ticket.id,
        schedule_id=schedule.id if schedule else None,
        reason=reason,
        state=PageState.TRIGGERED,
        plan=plan,
        step=0,
        escalations=0,
        escalate_after_minutes=(
            schedule.escalate_after_minutes if schedule else DEFAULT_ESCALATE_MINUTES
        ),
        created_at=now,
    )
    uow.session.add(page)
    uow.session.flush()
    _page_step(uow, page, ticket, 0, link_key)
    return page


def _agent_name(uow: UnitOfWork, agent_id: int | None) -> str | None:
    if agent_id is None:
        return None
    return uow.session.scalar(select(Agent.name).where(Agent.id == agent_id))


def _page_step(uow: UnitOfWork, page: Page, ticket: Ticket, index: int, link_key: bytes) -> None:
    """Page the person at ``index`` of the plan: step row, notification, history, timer."""
    now = uow.clock.now()
    target = page.plan[index]
    agent_id = int(target["agent_id"] or 0)
    layer_id = target["layer_id"]
    step = PageStep(
        page_id=page.id,
        step=index,
        agent_id=agent_id,
        layer_id=int(layer_id) if layer_id is not None else None,
        role=str(target["role"]),
        state=StepState.TRIGGERED,
        paged_at=now,
    )
    uow.session.add(step)
    uow.session.flush()
    token = links.sign(link_key, step.id, agent_id, now + links.LINK_LIFETIME)
    organization = uow.session.scalar(
        select(Organization.name).where(Organization.id == ticket.organization_id)
    )
    notifications.notify(
        uow,
        kind=PAGE_KIND,
        key=notification_key(page.id, index),
        recipients=Recipients.agents(agent_id),
        params={
            "ticket_id": ticket.id,
            "subject": ticket.subject,
            "organization": organization or "",
            "priority": Priority(ticket.priority).value,
            "minutes": page.escalate_after_minutes,
        },
        link=f"/pages/ack/{token}",
        ticket_id=ticket.id,
    )
    entry = encode(
        "paged",
        page=page.id,
        step=index,
        agent=_agent_name(uow, agent_id),
        agent_id=agent_id,
        role=step.role,
        reason=page.reason,
    )
    record_change(uow, SYSTEM, ticket.id, HISTORY_FIELD, None, entry)
    _schedule_timer(uow, page, index, now)


def _schedule_timer(uow: UnitOfWork, page: Page, index: int, now: datetime) -> None:
    jobs.enqueue(
        uow,
        ESCALATE_JOB,
        {"page_id": page.id, "step": index},
        run_at=now + timedelta(minutes=page.escalate_after_minutes),
        key=timer_key(page.id),
    )


def escalate(uow: UnitOfWork, page_id: int, step: int, link_key: bytes) -> bool:
    """Pass an unacknowledged page on from ``step`` to the next person in its plan.

    A compare-and-set on (page, state, step) makes exactly one caller win: a second worker,
    a re-run after a lost lease, or an acknowledgement that got there first all find the
    row moved and change nothing. Returns whether this call escalated.
    """
    page = uow.session.get(Page, page_id)
    if page is None:
        return False
    last = step + 1 >= len(page.plan)
    moved = uow.session.execute(
        update(Page)
        .where(Page.id == page_id, Page.state == PageState.TRIGGERED, Page.step == step)
        .values(step=step if last else step + 1, escalations=Page.escalations + (0 if last else 1))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    uow.session.refresh(page)
    ticket = uow.session.get(Ticket, page.ticket_id)
    if ticket is None:  # a page is deleted with its ticket; nothing left to page for
        return False
    previous = next(s for s in page.steps if s.step == step)
    if last:
        entry = encode("exhausted", page=page.id, step=step, minutes=page.escalate_after_minutes)
        record_change(uow, SYSTEM, ticket.id, HISTORY_FIELD, None, entry)
        return True
    previous.state = StepState.ESCALATED
    nxt = page.plan[step + 1]
    entry = encode(
        "escalated",
        page=page.id,
        step=step + 1,
        minutes=page.escalate_after_minutes,
        previous=_agent_name(uow, previous.agent_id),
        agent=_agent_name(uow, int(nxt["agent_id"] or 0)),
    )
    record_change(uow, SYSTEM, ticket.id, HISTORY_FIELD, None, entry)
    _page_step(uow, page, ticket, step + 1, link_key)
    return True


def resolve_for_ticket(uow: UnitOfWork, ticket_id: int) -> int:
    """Close the ticket's waiting page (the ticket was solved or closed); 1 if there was one."""
    page = open_page(uow, ticket_id)
    if page is None:
        return 0
    page.state = PageState.RESOLVED
    page.resolved_at = uow.clock.now()
    for step in page.steps:
        if step.state == StepState.TRIGGERED:
            step.state = StepState.RESOLVED
    jobs.cancel(uow, timer_key(page.id))
    record_change(uow, SYSTEM, ticket_id, HISTORY_FIELD, None, encode("resolved", page=page.id))
    return 1
