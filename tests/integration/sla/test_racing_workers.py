"""Two real worker processes racing on the same SLA timer record and react to each
threshold exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from racing_workers import past_container, race_database, race_on_breach
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.sla.models import SlaEvent
from rtcdesk.tickets.models import TicketChange


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend whose commits are real (other processes see them)."""
    with race_database(request.param, tmp_path, "rtcdesk_slarace") as url:
        yield url


@pytest.fixture
def container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A migrated database on a clock two hours behind the real one."""
    with past_container(db_url, tmp_path) as built:
        yield built


def test_two_workers_racing_on_one_timer_record_and_react_once(
    container: Container, db_url: str, tmp_path: Path
) -> None:
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(container, cal, priority="P3", first=30, next_reply=None, resolution=None)
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    race_on_breach(container, db_url, tmp_path, ticket.id)
    with container.uow(write=False) as uow:
        events = sorted(
            (e.target, e.threshold, e.at)
            for e in uow.session.scalars(select(SlaEvent).where(SlaEvent.ticket_id == ticket.id))
        )
        reactions = sorted(
            uow.session.execute(text("SELECT threshold FROM sla_reaction_log")).scalars()
        )
        history = sorted(
            uow.session.scalars(
                select(TicketChange.new_value).where(
                    TicketChange.ticket_id == ticket.id, TicketChange.field == "sla_first_response"
                )
            )
        )
        failed = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.state == JobState.FAILED)
        )
    created = ticket.created_at
    assert events == [
        ("first_response", "75", created + timedelta(minutes=22, seconds=30)),
        ("first_response", "breach", created + timedelta(minutes=30)),
    ]
    assert reactions == ["75", "breach"]
    assert history == ["75% / 30m", "breached"]
    assert failed == 0
