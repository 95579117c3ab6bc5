"""Two real workers racing on the same escalation step escalate it once (both backends)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from factories import accounts as f
from factories import oncall as oncall_f
from factories import tickets as tf
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.worker import Worker
from rtcdesk.oncall import paging
from rtcdesk.oncall.models import Page, PageStep
from rtcdesk.oncall.schemas import ScheduleUpdate
from rtcdesk.oncall.service import update_schedule
from rtcdesk.tickets.models import Impact, Urgency


def test_racing_workers_escalate_a_step_once(
    committed_container: Container, clock: FrozenClock
) -> None:
    container = committed_container
    clock.set(datetime(2026, 3, 2, 19, 0, tzinfo=UTC))  # 03:00 in Beijing
    l1, l2 = f.agent(container), f.agent(container)
    schedule = oncall_f.schedule(container, [[l1], [l2]])
    with container.uow() as uow:
        update_schedule(uow, SYSTEM, schedule.id, ScheduleUpdate(is_default=True))
        uow.commit()
    contact = f.contact(container, f.organization(container))
    ticket = tf.ticket(container, contact, urgency=Urgency.CRITICAL, impact=Impact.CRITICAL)
    with container.uow() as uow:
        page_id = uow.session.scalar(select(Page.id).where(Page.ticket_id == ticket.id))
        assert page_id is not None
        # The same step's timer twice more, as a re-run after a lost lease would leave it.
        for _ in range(2):
            jobs.enqueue(uow, paging.ESCALATE_JOB, {"page_id": page_id, "step": 0})
        uow.commit()
    clock.advance(timedelta(minutes=5))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            barrier.wait(30)
            Worker(container, worker_id=name, listen=False).run_pending()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with container.uow() as uow:
        steps = uow.session.scalar(
            select(func.count()).select_from(PageStep).where(PageStep.page_id == page_id)
        )
        page = uow.session.get(Page, page_id)
        assert page is not None
        assert (steps, page.step, page.escalations) == (2, 1, 1)
