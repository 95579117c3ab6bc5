"""Events run after commit only; durable reactions are jobs enqueued in the transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from rtcdesk.bootstrap import Container
from rtcdesk.core.events import Event
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.worker import Worker


@dataclass(frozen=True, slots=True)
class ThingHappened(Event):
    """A stand-in domain event."""

    ref: str


def do_thing(uow: UnitOfWork, ref: str) -> None:
    """A stand-in service: a durable reaction (job) plus a best-effort one (event)."""
    jobs.enqueue(uow, "t.notify", {"ref": ref})
    uow.emit(ThingHappened(ref))


def _jobs_with_ref(container: Container, ref: str) -> list[JobState]:
    with container.uow(write=False) as uow:
        rows = uow.session.execute(select(Job).where(Job.name == "t.notify")).scalars()
        return [job.state for job in rows if job.payload.get("ref") == ref]


def test_handlers_run_after_commit_and_see_committed_data(container: Container) -> None:
    observed: list[tuple[str, int]] = []

    def handler(event: ThingHappened) -> None:
        # Runs after commit: a separate transaction already sees the job row.
        observed.append((event.ref, len(_jobs_with_ref(container, event.ref))))

    container.bus.subscribe(ThingHappened, handler)
    with container.uow() as uow:
        do_thing(uow, "a")
        uow.flush()
        assert observed == []  # flushing is not committing
        uow.commit()
    assert observed == [("a", 1)]


def test_rollback_runs_nothing_and_enqueues_nothing(container: Container) -> None:
    observed: list[str] = []
    container.bus.subscribe(ThingHappened, lambda event: observed.append(event.ref))
    with container.uow() as uow:
        do_thing(uow, "b")
        uow.rollback()
    with container.uow() as uow:
        do_thing(uow, "c")  # closed without commit
    with container.uow() as uow:
        do_thing(uow, "d")
        raised = False
        try:
            raise RuntimeError("the service failed half-way")
        except RuntimeError:
            raised = True
            uow.rollback()
    assert raised
    assert observed == []
    assert _jobs_with_ref(container, "b") == []
    assert _jobs_with_ref(container, "c") == []
    assert _jobs_with_ref(container, "d") == []


def test_orm_commit_outside_the_unit_of_work_publishes_nothing(container: Container) -> None:
    """Publishing is tied to UnitOfWork.commit, not to any ORM/session hook."""
    observed: list[str] = []
    container.bus.subscribe(ThingHappened, lambda event: observed.append(event.ref))
    with container.uow() as uow:
        do_thing(uow, "e")
        uow.session.commit()  # bypasses the unit of work on purpose
    assert observed == []
    assert len(_jobs_with_ref(container, "e")) == 1


def test_failing_event_handler_cannot_undo_the_commit_or_the_job(container: Container) -> None:
    def broken(_event: ThingHappened) -> None:
        raise RuntimeError("push server unreachable")

    ran: list[str] = []
    container.bus.subscribe(ThingHappened, broken)
    container.jobs.job("t.notify")(lambda ctx: ran.append(ctx.payload["ref"]))
    with container.uow() as uow:
        do_thing(uow, "f")
        uow.commit()  # the broken handler is logged, not raised
    Worker(container).run_pending()
    assert ran == ["f"]
    assert _jobs_with_ref(container, "f") == [JobState.SUCCEEDED]
