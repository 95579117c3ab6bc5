"""Demo tickets that show every SLA clock state and both ends of paging, whatever the hour.

EduSpark (enterprise) P1 and P2 tickets are measured on the 24x7 calendar, so their
deadlines are the same distance from "now" at any hour the demo is loaded: one running
(breaching within 4 hours), one past its 75 % warning point, one breached, one paused
waiting on the customer, one met (solved in time). Two P1s raised on a weekday night page
the on-call chain through ``paging.page_now``: one acknowledged through the acknowledgement
service, one left unacknowledged and escalated to the next layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent, Contact, Organization
from rtcdesk.accounts.service import agent_actor, contact_actor
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import acks, paging
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Category, Channel, Impact, Status, Ticket, Urgency
from rtcdesk.tickets.schemas import MessageCreate, TicketCreate, TicketUpdate

ORGANIZATION = "EduSpark Online Classroom"
ENGINEER = "priya.nair@rtcdesk.example"
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class StateTicket:
    """One showcase ticket: its subject, how long before "now" it was opened, and its story."""

    subject: str
    body: str
    opened_before: timedelta
    # minutes after opening: the first reply (None: never answered), and the solve
    reply_after: int | None
    solved_after: int | None = None
    waiting_on_customer: bool = False


# Enterprise P2 (24x7): first response 30 min, next reply 60 min, resolution 8 h,
# warning at 75 % (6 h).
STATES = (
    StateTicket(  # running: resolution due in 3 h, "breaching soon"
        "Screen share freezes for students on Safari 17",
        "Since this morning the teacher's shared screen freezes after about a minute for "
        "students on Safari 17 (macOS 14). Chrome users are fine.",
        timedelta(hours=5),
        reply_after=6,
    ),
    StateTicket(  # warned: 75 % of the resolution target used, due in 1 h 20 min
        "Teacher audio cuts out every few minutes in large classes",
        "In classes of more than 200 students the teacher's audio drops for 2-3 seconds "
        "every few minutes. Smaller classes are not affected.",
        timedelta(hours=6, minutes=40),
        reply_after=8,
    ),
    StateTicket(  # breached: never answered
        "Recording files missing for yesterday's lessons",
        "Cloud recordings of 14 lessons from yesterday afternoon are not in our bucket. "
        "The recording callbacks reported success.",
        timedelta(hours=10),
        reply_after=None,
    ),
    StateTicket(  # paused: waiting on the customer for a dump
        "Echo in classrooms using the new Windows app",
        "Teachers on our new Windows desktop app hear their own voice back from students' "
        "laptops. The web client has no echo.",
        timedelta(hours=2),
        reply_after=7,
        waiting_on_customer=True,
    ),
    StateTicket(  # met: answered and solved in time
        "Cannot join channel after token renewal",
        "After renewing the token at the 24-hour mark, students get error 110 and cannot "
        "rejoin until they reload the page.",
        timedelta(hours=4),
        reply_after=9,
        solved_after=55,
    ),
)

PAGED = (
    (
        "All classrooms fail to connect in the Singapore region",
        "Every join from Singapore times out since a few minutes ago; 3,000 students waiting.",
    ),
    (
        "Video black screen for every student on Android 14",
        "All Android 14 students see a black screen instead of the teacher's video.",
    ),
)
ANSWERS = (
    "Thanks for the details. We are reproducing it with the same versions now and will "
    "update you within the hour.",
    "Could you send a WebRTC dump (chrome://webrtc-internals) from an affected teacher? "
    "We will look at the echo canceller's state in it.",
    "Fixed: the token renewal now rejoins with the new token. Please update to the web SDK "
    "patch release and let us know if error 110 appears again.",
)


def _last_weekday_night(end: datetime, hour: int) -> datetime:
    """The latest ``hour``:00 Beijing time on a Monday-Thursday evening at least 3 h before
    ``end``: outside business hours, and no holiday eve of a make-up weekend."""
    day = (end - timedelta(hours=3)).astimezone(BEIJING).date()
    while True:
        at = datetime.combine(day, time(hour, 0), tzinfo=BEIJING)
        if day.weekday() < 4 and at <= end - timedelta(hours=3):
            return at
        day -= timedelta(days=1)


T = TypeVar("T")


def load_sla_states(
    begin: Callable[[], UnitOfWork], clock: FrozenClock, link_key: bytes
) -> list[int]:
    """Create the showcase tickets and pages ending at the clock's "now"; their ids.

    Each step is its own unit of work (``begin()``) committed at its moment, like the
    request it stands for, so the in-transaction reactions (SLA clocks, paging) run then.
    """
    end = clock.now()

    def run(at: datetime, step: Callable[[UnitOfWork], T]) -> T:
        clock.set(at)
        with begin() as uow:
            result = step(uow)
            uow.commit()
        return result

    customer, agent = run(end, _actors)
    ids = []
    for state in STATES:
        opened = end - state.opened_before
        ticket_id = run(opened, partial(_open, customer=customer, state=state))
        ids.append(ticket_id)
        if state.reply_after is not None:
            answer = ANSWERS[1] if state.waiting_on_customer else ANSWERS[0]
            status = Status.PENDING_CUSTOMER if state.waiting_on_customer else Status.OPEN
            reply = partial(_reply, agent=agent, ticket_id=ticket_id, body=answer, status=status)
            run(opened + timedelta(minutes=state.reply_after), reply)
        if state.solved_after is not None:
            solve = partial(
                _reply, agent=agent, ticket_id=ticket_id, body=ANSWERS[2], status=Status.SOLVED
            )
            run(opened + timedelta(minutes=state.solved_after), solve)
    night = _last_weekday_night(end, 22)
    for number, (subject, body) in enumerate(PAGED):
        at = night + timedelta(minutes=90 * number)
        paged = StateTicket(subject, body, timedelta(0), reply_after=None)
        ticket_id, page_id = run(
            at, partial(_open_and_page, customer=customer, state=paged, link_key=link_key)
        )
        ids.append(ticket_id)
        if page_id is None:
            continue
        if number == 0:
            responder = run(at + timedelta(minutes=3), partial(_acknowledge_first, page_id=page_id))
            take = partial(_take, agent=responder, ticket_id=ticket_id, body=ANSWERS[0])
            run(at + timedelta(minutes=9), take)
        else:
            run(
                at + timedelta(minutes=5),
                partial(paging.escalate, page_id=page_id, step=0, link_key=link_key),
            )
    clock.set(end)
    return ids


def _actors(uow: UnitOfWork) -> tuple[Actor, Actor]:
    """The showcase's customer (EduSpark's first contact) and engineer."""
    org = uow.session.scalar(select(Organization).where(Organization.name == ORGANIZATION))
    engineer = uow.session.scalar(select(Agent).where(Agent.email == ENGINEER))
    if org is None or engineer is None:
        raise ValueError("the SLA demo tickets need the demo organizations and agents")
    contact = uow.session.scalar(
        select(Contact).where(Contact.organization_id == org.id).order_by(Contact.id).limit(1)
    )
    if contact is None:
        raise ValueError(f"{ORGANIZATION} has no contact")
    return contact_actor(contact), agent_actor(engineer)


def _open_and_page(
    uow: UnitOfWork, *, customer: Actor, state: StateTicket, link_key: bytes
) -> tuple[int, int | None]:
    """A P1 at night: ``page_now`` pages the covering chain (the creation's own reaction at
    commit then finds the page waiting and adds none)."""
    ticket_id = _open(uow, customer=customer, state=state, p1=True)
    page = paging.page_now(uow, ticket_id, reason=paging.REASON_AFTER_HOURS, link_key=link_key)
    return ticket_id, page.id if page is not None else None


def _acknowledge_first(uow: UnitOfWork, *, page_id: int) -> Actor:
    """The first person the page reached acknowledges it in the console."""
    page = acks.get_page(uow, page_id)
    responder = uow.session.get(Agent, page.steps[0].agent_id)
    if responder is None:
        raise ValueError(f"page {page_id} reached nobody")
    actor = agent_actor(responder)
    acks.acknowledge(uow, actor, page.id, via="console")
    return actor


def _take(uow: UnitOfWork, *, agent: Actor, ticket_id: int, body: str) -> None:
    """The on-call engineer who acknowledged takes the ticket and answers."""
    tickets.update_ticket(uow, agent, ticket_id, TicketUpdate(assignee_id=agent.id))
    tickets.add_message(
        uow, agent, ticket_id, MessageCreate(body=body, status=Status.OPEN), channel=Channel.CONSOLE
    )


def _open(uow: UnitOfWork, *, customer: Actor, state: StateTicket, p1: bool = False) -> int:
    """The customer opens the ticket in the portal (P1 when critical, else P2)."""
    level = Urgency.CRITICAL if p1 else Urgency.HIGH
    ticket = tickets.create_ticket(
        uow,
        customer,
        TicketCreate(
            subject=state.subject,
            body=state.body,
            category=Category.TROUBLESHOOTING,
            urgency=level,
            impact=Impact(level.value),
            platform="web",
            sdk_version="4.20.0",
            app_id="eduspark-main",
        ),
        channel=Channel.PORTAL,
    )
    return ticket.id


def _reply(uow: UnitOfWork, *, agent: Actor, ticket_id: int, body: str, status: Status) -> None:
    """The ticket's assignee (routing placed it), else ``agent``, answers in the console."""
    ticket = uow.session.get(Ticket, ticket_id)
    assignee = uow.session.get(Agent, ticket.assignee_id) if ticket and ticket.assignee_id else None
    tickets.add_message(
        uow,
        agent_actor(assignee) if assignee is not None else agent,
        ticket_id,
        MessageCreate(body=body, status=status),
        channel=Channel.CONSOLE,
    )
