"""Acknowledging a page: from the console or the API (signed in), or a signed link (not).

Either way one conditional UPDATE moves the page from triggered to acknowledged, so an
acknowledgement racing another one, or an escalation, changes the page once. The
escalation timer is cancelled in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import select, update

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent
from rtcdesk.accounts.service import agent_actor
from rtcdesk.core.errors import Conflict, NotFound, PermissionDenied
from rtcdesk.core.i18n import N_
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.oncall import access, links
from rtcdesk.oncall.models import Page, PageState, PageStep, StepState
from rtcdesk.oncall.page_texts import HISTORY_FIELD, encode
from rtcdesk.oncall.paging import timer_key
from rtcdesk.tickets.service import record_change

VIAS = frozenset({"console", "api", "link"})


class LinkRefused(PermissionDenied):
    """A signed link that cannot acknowledge: forged, expired, or already used."""

    def __init__(self, problem: str) -> None:
        messages = {
            "forged": N_("This acknowledgement link is not valid: it was altered or never issued."),
            "expired": N_("This acknowledgement link has expired: acknowledge in the console."),
            "used": N_("This acknowledgement link was already used."),
        }
        super().__init__(messages[problem])
        self.problem = problem


def get_page(uow: UnitOfWork, page_id: int) -> Page:
    """The page ``page_id``, or NotFound."""
    page = uow.session.get(Page, page_id)
    if page is None:
        raise NotFound("page {page_id} not found", params={"page_id": page_id})
    return page


def acknowledge(uow: UnitOfWork, actor: Actor, page_id: int, *, via: str = "console") -> Page:
    """``actor`` takes page ``page_id`` (a person it reached, or a manager)."""
    page = get_page(uow, page_id)
    access.check_can_acknowledge(actor, {s.agent_id for s in page.steps})
    return _acknowledge(uow, actor, page, via)


def _acknowledge(uow: UnitOfWork, actor: Actor, page: Page, via: str) -> Page:
    if via not in VIAS:
        raise ValueError(f"unknown acknowledgement channel {via!r}")
    now = uow.clock.now()
    moved = uow.session.execute(
        update(Page)
        .where(Page.id == page.id, Page.state == PageState.TRIGGERED)
        .values(
            state=PageState.ACKNOWLEDGED, acked_at=now, acked_by_agent_id=actor.id, acked_via=via
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        uow.session.refresh(page)
        if page.state == PageState.ACKNOWLEDGED:
            raise Conflict("this page was already acknowledged")
        raise Conflict("this page is closed: its ticket was solved")
    uow.session.refresh(page)
    for step in page.steps:
        if step.state == StepState.TRIGGERED:
            step.state = StepState.ACKNOWLEDGED
    jobs.cancel(uow, timer_key(page.id))
    entry = encode("acknowledged", page=page.id, agent=actor.name, agent_id=actor.id, via=via)
    record_change(uow, actor, page.ticket_id, HISTORY_FIELD, None, entry)
    return page


def step_of_link(uow: UnitOfWork, token: str, key: bytes) -> tuple[PageStep, Agent]:
    """The page step and agent a signed link names, or :class:`LinkRefused` (no change)."""
    claim = links.verify(key, token, uow.clock.now())
    if isinstance(claim, links.LinkProblem):
        raise LinkRefused(claim.value)
    step = uow.session.get(PageStep, claim.step_id)
    agent = uow.session.get(Agent, claim.agent_id)
    if step is None or agent is None or step.agent_id != agent.id:
        raise LinkRefused("forged")
    if step.link_used_at is not None:
        raise LinkRefused("used")
    return step, agent


def acknowledge_by_link(uow: UnitOfWork, token: str, key: bytes) -> Page:
    """Acknowledge the page a signed link names, as the agent it was sent to; once only."""
    step, agent = step_of_link(uow, token, key)
    used = uow.session.execute(
        update(PageStep)
        .where(PageStep.id == step.id, PageStep.link_used_at.is_(None))
        .values(link_used_at=uow.clock.now())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkRefused("used")
    page = uow.session.scalar(select(Page).where(Page.id == step.page_id))
    if page is None:
        raise LinkRefused("forged")
    return _acknowledge(uow, agent_actor(agent), page, "link")
