"""The queue on a frozen clock: enqueue iff commit, timers by key, retries, failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.core.errors import Conflict, NotFound
from rtcdesk.jobs import queries, store
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.registry import JobContext
from rtcdesk.jobs.worker import Worker


def _count(container: Container, **filters: object) -> int:
    with container.uow(write=False) as uow:
        stmt = select(func.count()).select_from(Job).filter_by(**filters)
        return int(uow.session.execute(stmt).scalar_one())


def _job(container: Container, job_id: int) -> queries.JobView:
    with container.uow(write=False) as uow:
        view = queries.get(uow, job_id)
    assert view is not None
    return view


def test_enqueue_exists_iff_the_transaction_commits(container: Container) -> None:
    with container.uow() as uow:
        jobs.enqueue(uow, "t.noop", {"n": 1})
        uow.rollback()
    with container.uow() as uow:
        jobs.enqueue(uow, "t.noop", {"n": 2})
    # closed without commit: rolled back
    assert _count(container, name="t.noop") == 0
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.noop", {"n": 3})
        uow.commit()
    assert _count(container, name="t.noop") == 1
    assert _job(container, job_id).payload == {"n": 3}


def test_handler_runs_with_context_and_job_succeeds(container: Container) -> None:
    seen: list[JobContext] = []
    container.jobs.job("t.record")(seen.append)
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.record", {"ticket": 7})
        uow.commit()
    assert Worker(container, worker_id="w1").run_pending() >= 1
    (ctx,) = [c for c in seen if c.job_id == job_id]
    assert (ctx.payload, ctx.attempt, ctx.container) == ({"ticket": 7}, 1, container)
    view = _job(container, job_id)
    assert view.state == JobState.SUCCEEDED
    assert view.locked_by is None


def test_future_job_waits_for_its_time(container: Container, clock: FrozenClock) -> None:
    ran: list[int] = []
    container.jobs.job("t.later")(lambda ctx: ran.append(ctx.job_id))
    with container.uow() as uow:
        jobs.enqueue(uow, "t.later", {}, run_at=clock.now() + timedelta(minutes=5))
        uow.commit()
    worker = Worker(container)
    worker.run_pending()
    assert ran == []
    clock.advance(timedelta(minutes=5))
    worker.run_pending()
    assert len(ran) == 1


def test_key_replaces_a_pending_timer_instead_of_adding_one(
    container: Container, clock: FrozenClock
) -> None:
    t0 = clock.now()
    with container.uow() as uow:
        first = jobs.enqueue(uow, "sla.breach", {"v": 1}, run_at=t0 + timedelta(hours=1), key="k1")
        uow.commit()
    with container.uow() as uow:
        second = jobs.enqueue(uow, "sla.breach", {"v": 2}, run_at=t0 + timedelta(hours=3), key="k1")
        uow.commit()
    assert first == second
    assert _count(container, key="k1") == 1
    view = _job(container, first)
    assert (view.payload, view.run_at) == ({"v": 2}, t0 + timedelta(hours=3))


def test_cancel_by_key(container: Container, clock: FrozenClock) -> None:
    with container.uow() as uow:
        jobs.enqueue(uow, "sla.breach", {}, run_at=clock.now() + timedelta(hours=1), key="k2")
        uow.commit()
    with container.uow() as uow:
        assert jobs.cancel(uow, "k2") is True
        uow.rollback()
    assert _count(container, key="k2") == 1  # a rolled-back cancel cancels nothing
    with container.uow() as uow:
        assert jobs.cancel(uow, "k2") is True
        uow.commit()
    with container.uow() as uow:
        assert jobs.cancel(uow, "k2") is False
    assert _count(container, key="k2") == 0


def test_key_of_a_started_job_queues_a_new_one(container: Container) -> None:
    with container.uow() as uow:
        jobs.enqueue(uow, "t.keyed", {"v": 1}, key="k3")
        uow.commit()
    with container.uow() as uow:
        claimed = store.claim(uow, "w1", timedelta(minutes=1))
        uow.commit()
    assert claimed is not None
    with container.uow() as uow:
        new_id = jobs.enqueue(uow, "t.keyed", {"v": 2}, key="k3")
        uow.commit()
    assert new_id != claimed.id
    assert _count(container, key="k3") == 2


def test_failures_retry_with_backoff_then_land_in_failed_list(
    container: Container, clock: FrozenClock
) -> None:
    attempts: list[int] = []

    def boom(ctx: JobContext) -> None:
        attempts.append(ctx.attempt)
        raise RuntimeError(f"mail server down (attempt {ctx.attempt})")

    container.jobs.job("t.boom", max_attempts=3, retry_base=10)(boom)
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.boom", {})
        uow.commit()
    worker = Worker(container)
    delays = []
    for _ in range(3):
        before = clock.now()
        worker.run_pending()
        view = _job(container, job_id)
        if view.state == JobState.QUEUED:
            delays.append((view.run_at - before).total_seconds())
            assert "mail server down" in (view.last_error or "")
            clock.set(view.run_at)
    assert attempts == [1, 2, 3]
    assert 5 <= delays[0] <= 10
    assert 10 <= delays[1] <= 20
    view = _job(container, job_id)
    assert view.state == JobState.FAILED
    assert "Traceback" in (view.last_error or "")
    assert view.error_summary == "RuntimeError: mail server down (attempt 3)"
    with container.uow(write=False) as uow:
        assert [j.id for j in queries.failed(uow)] == [job_id]
        assert queries.stats(uow).by_state[JobState.FAILED] == 1


def test_operator_retries_and_drops_failed_jobs(container: Container) -> None:
    outcomes = iter([RuntimeError("first"), None])

    def flaky(_ctx: JobContext) -> None:
        error = next(outcomes)
        if error is not None:
            raise error

    container.jobs.job("t.flaky", max_attempts=1)(flaky)
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.flaky", {})
        doomed = jobs.enqueue(uow, "t.unknown", {}, max_attempts=1)
        uow.commit()
    worker = Worker(container)
    worker.run_pending()
    assert _job(container, job_id).state == JobState.FAILED
    assert "no handler registered" in (_job(container, doomed).last_error or "")
    with container.uow() as uow:
        jobs.retry(uow, job_id)
        uow.commit()
    worker.run_pending()
    assert _job(container, job_id).state == JobState.SUCCEEDED
    with container.uow() as uow, pytest.raises(Conflict):
        jobs.retry(uow, job_id)
    with container.uow() as uow:
        jobs.drop(uow, doomed)
        uow.commit()
    with container.uow() as uow, pytest.raises(NotFound):
        jobs.drop(uow, doomed)


def test_expired_lease_lets_another_worker_take_over(
    container: Container, clock: FrozenClock
) -> None:
    ran: list[str] = []
    container.jobs.job("t.lease")(lambda ctx: ran.append("b"))
    with container.uow() as uow:
        jobs.enqueue(uow, "t.lease", {})
        uow.commit()
    with container.uow() as uow:
        lost = store.claim(uow, "worker-a", timedelta(seconds=30))
        uow.commit()
    assert lost is not None
    b = Worker(container, worker_id="worker-b")
    b.run_pending()
    assert ran == []  # lease still valid: nobody else runs it
    clock.advance(timedelta(seconds=31))
    b.run_pending()
    assert ran == ["b"]
    with container.uow() as uow:  # the old holder can no longer touch it
        assert store.succeed(uow, lost, "worker-a") is False
        uow.commit()
    assert _job(container, lost.id).attempts == 2


def test_job_whose_worker_keeps_dying_fails_instead_of_looping(
    container: Container, clock: FrozenClock
) -> None:
    container.jobs.job("t.poison", max_attempts=2)(lambda ctx: None)
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.poison", {})
        uow.commit()
    for _ in range(2):
        with container.uow() as uow:
            assert store.claim(uow, "dies", timedelta(seconds=10)) is not None
            uow.commit()
        clock.advance(timedelta(seconds=11))
    Worker(container).run_pending()
    view = _job(container, job_id)
    assert view.state == JobState.FAILED
    assert "never finished" in (view.last_error or "")


def test_periodic_job_fires_once_per_period_with_two_workers(
    container: Container, clock: FrozenClock
) -> None:
    container.jobs.job("t.tick")(lambda ctx: None)
    container.jobs.periodic("t.tick", every=timedelta(minutes=10))
    one, two = Worker(container, worker_id="one"), Worker(container, worker_id="two")
    fired = one.fire_periodics() + two.fire_periodics() + one.fire_periodics()
    assert fired.count("t.tick") == 1
    clock.advance(timedelta(minutes=4))
    assert "t.tick" not in two.fire_periodics() + one.fire_periodics()
    clock.advance(timedelta(minutes=6))
    fired = two.fire_periodics() + one.fire_periodics()
    assert fired.count("t.tick") == 1
    assert _count(container, name="t.tick") == 2


def test_purge_keeps_recent_and_unfinished_jobs(container: Container, clock: FrozenClock) -> None:
    container.jobs.job("t.done")(lambda ctx: None)
    with container.uow() as uow:
        jobs.enqueue(uow, "t.done", {})
        jobs.enqueue(uow, "t.done", {}, run_at=clock.now() + timedelta(days=30))
        uow.commit()
    Worker(container).run_pending()
    clock.advance(timedelta(days=8))
    with container.uow() as uow:
        purged = jobs.purge(uow, older_than=timedelta(days=7))
        uow.commit()
    assert purged >= 1
    assert _count(container, name="t.done", state=JobState.QUEUED) == 1
    assert _count(container, name="t.done", state=JobState.SUCCEEDED) == 0


def test_operator_views(container: Container, clock: FrozenClock) -> None:
    with container.uow() as uow:
        jobs.enqueue(uow, "t.now", {})
        jobs.enqueue(uow, "t.later", {}, run_at=clock.now() + timedelta(hours=2))
        uow.commit()
    with container.uow() as uow:
        store.claim(uow, "host:1:abc", timedelta(seconds=60))
        uow.commit()
    with container.uow(write=False) as uow:
        stats = queries.stats(uow)
        (running,) = queries.running(uow)
        (later,) = queries.scheduled(uow)
    assert stats.by_state[JobState.RUNNING] == 1
    assert stats.scheduled == 1
    assert stats.oldest_due is None  # the due job is running now
    assert running.locked_by == "host:1:abc"
    assert running.locked_until == clock.now() + timedelta(seconds=60)
    assert later.name == "t.later"
