"""Two real worker processes racing on the same breach timer escalate the ticket once: one
``escalations`` row, one reassignment, one history entry, one notification per person
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factories import accounts as fa
from factories import escalation as fe
from factories import sla as fs
from factories import tickets as ft
from racing_workers import past_container, race_database, race_on_breach
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.escalation.models import Escalation
from rtcdesk.escalation.schemas import StepIn
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.notifications.models import Notification
from rtcdesk.routing import service as routing
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.tickets.models import Ticket, TicketChange


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend whose commits are real (other processes see them)."""
    with race_database(request.param, tmp_path, "rtcdesk_escrace") as url:
        yield url


@pytest.fixture
def container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A migrated database on a clock two hours behind the real one."""
    with past_container(db_url, tmp_path) as built:
        yield built


def test_two_workers_racing_on_one_breach_escalate_once(
    container: Container, db_url: str, tmp_path: Path
) -> None:
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(container, cal, priority="P3", first=30, next_reply=None, resolution=None)
    video = fa.group(container, "Video")
    li = fa.agent(container, name="Li Wei", level="L1", group_ids=(video.id,))
    wang = fa.agent(container, name="Wang Fang", level="L2", group_ids=(video.id,))
    lead = fa.agent(container, name="Chen Jie", role="manager", level="L3")
    fe.lead(container, video.id, lead.id)
    with container.uow() as uow:
        routing.create_rule(uow, SYSTEM, RuleCreate(name="Video", group_id=video.id))
        uow.commit()
    fe.policy(
        container, steps=(StepIn(at="breach", action="reassign", notify=["assignee", "team_lead"]),)
    )
    ticket = ft.ticket(container, fa.contact(container, fa.organization(container)))
    race_on_breach(container, db_url, tmp_path, ticket.id)
    with container.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Escalation.threshold, Escalation.action, Escalation.to_agent_id).where(
                Escalation.ticket_id == ticket.id
            )
        ).all()
        assignee = uow.session.scalar(select(Ticket.assignee_id).where(Ticket.id == ticket.id))
        entries = uow.session.scalar(
            select(func.count())
            .select_from(TicketChange)
            .where(TicketChange.ticket_id == ticket.id, TicketChange.field == "escalation")
        )
        notified = sorted(
            uow.session.execute(
                select(Notification.kind, Notification.agent_id).where(
                    Notification.ticket_id == ticket.id, Notification.kind.like("sla.%")
                )
            ).all()
        )
        failed = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.state == JobState.FAILED)
        )
    assert [tuple(r) for r in rows] == [("breach", "reassign", wang.id)]
    assert assignee == wang.id
    assert entries == 1
    assert [tuple(n) for n in notified] == sorted(
        [("sla.escalated", wang.id), ("sla.breach", li.id), ("sla.breach", lead.id)]
    )
    assert failed == 0
