"""The worker: claims due jobs, runs their handlers, heartbeats leases, fires periodic jobs.

One ``Worker`` runs ``concurrency`` slot threads plus one housekeeping thread (lease
heartbeats, periodic jobs) and, on PostgreSQL, one thread listening for ``NOTIFY`` so a
freshly committed job starts within milliseconds instead of at the next poll.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import traceback
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rtcdesk.jobs import store
from rtcdesk.jobs._sql import NOTIFY_CHANNEL
from rtcdesk.jobs.events import JobsEnqueued
from rtcdesk.jobs.registry import DEFAULT_MAX_ATTEMPTS, JobContext, JobRegistry
from rtcdesk.jobs.schedule import backoff_delay, period_start

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=60)


def new_worker_id() -> str:
    """A worker id operators can trace to a host and process."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Runs jobs from the queue in background threads until stopped."""

    def __init__(
        self,
        container: Container,
        registry: JobRegistry | None = None,
        *,
        concurrency: int = 1,
        worker_id: str | None = None,
        lease: timedelta = DEFAULT_LEASE,
        poll_min: float = 0.05,
        poll_max: float | None = None,
        listen: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.container = container
        self.registry = registry if registry is not None else container.jobs
        self.concurrency = concurrency
        self.worker_id = worker_id or new_worker_id()
        self.lease = lease
        self.poll_min = poll_min
        postgres = container.engine.dialect.name == "postgresql"
        # PostgreSQL wakes idle workers with NOTIFY; SQLite workers in other processes poll
        # (a cheap read, no write lock), so they poll more often.
        self.poll_max = poll_max if poll_max is not None else (1.0 if postgres else 0.25)
        self.listen = listen and postgres
        self._peek_first = not postgres
        self._rng = rng or random.Random()  # noqa: S311 (jitter only)
        self._stopping = threading.Event()
        self._halt = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._running: dict[int, tuple[store.Claimed, datetime | None]] = {}
        # Jobs whose outcome is being recorded: a heartbeat missing them is not a lost lease.
        self._finishing: set[int] = set()
        self._slots: list[threading.Thread] = []
        self._helpers: list[threading.Thread] = []
        self._fired: dict[str, datetime] = {}

    # -- running jobs -------------------------------------------------------------------

    def run_pending(self, limit: int | None = None) -> int:
        """Run due jobs in the calling thread until none is due (or ``limit``); for tests."""
        self.fire_periodics()
        done = 0
        while limit is None or done < limit:
            job = self._claim()
            if job is None:
                break
            self._execute(job)
            done += 1
        return done

    def _claim(self, *, peek: bool = False) -> store.Claimed | None:
        if peek and self._peek_first:
            # On SQLite a claim takes the database write lock: look before taking it.
            with self.container.uow(write=False) as uow:
                if not store.has_claimable(uow):
                    return None
        with self.container.uow() as uow:
            job = store.claim(uow, self.worker_id, self.lease)
            uow.commit()
        return job

    def _execute(self, job: store.Claimed) -> None:
        spec = self.registry.get(job.name)
        now = self.container.clock.now()
        deadline = now + spec.timeout if spec and spec.timeout else None
        with self._lock:
            self._running[job.id] = (job, deadline)
        try:
            if spec is None:
                message = f"no handler registered for job {job.name!r}"
                self._record_failure(job, message, job.max_attempts or DEFAULT_MAX_ATTEMPTS)
                return
            max_attempts = job.max_attempts or spec.max_attempts
            if job.attempt > max_attempts:
                message = (
                    f"gave up: attempt {job.attempt - 1} of {max_attempts} never finished "
                    "(its worker died or lost the lease)"
                )
                self._record_failure(job, message, max_attempts, spec.retry_base, spec.retry_cap)
                return
            ctx = JobContext(
                container=self.container,
                payload=job.payload,
                attempt=job.attempt,
                job_id=job.id,
                name=job.name,
                deadline=deadline,
            )
            try:
                spec.handler(ctx)
            except Exception:
                log.warning("job %s #%d attempt %d failed", job.name, job.id, job.attempt)
                self._record_failure(
                    job, traceback.format_exc(), max_attempts, spec.retry_base, spec.retry_cap
                )
                return
            self._finish(job)
            with self.container.uow() as uow:
                store.succeed(uow, job, self.worker_id)
                uow.commit()
        finally:
            with self._lock:
                self._running.pop(job.id, None)
                self._finishing.discard(job.id)

    def _finish(self, job: store.Claimed) -> None:
        with self._lock:
            self._finishing.add(job.id)

    def _record_failure(
        self,
        job: store.Claimed,
        error: str,
        max_attempts: int,
        base: float = 2.0,
        cap: float = 3600.0,
    ) -> None:
        retry_at = None
        if job.attempt < max_attempts:
            delay = backoff_delay(job.attempt, base=base, cap=cap, rng=self._rng)
            retry_at = self.container.clock.now() + delay
        self._finish(job)
        with self.container.uow() as uow:
            store.fail(uow, job, self.worker_id, error, retry_at)
            uow.commit()

    # -- periodic jobs and leases ------------------------------------------------------

    def fire_periodics(self) -> list[str]:
        """Enqueue every periodic job whose new period began; return the names fired here."""
        fired: list[str] = []
        now = self.container.clock.now()
        for name, spec in self.registry.periodics.items():
            start = period_start(spec.every, now)
            if self._fired.get(name) == start:
                continue
            with self.container.uow() as uow:
                if store.fire_periodic(uow, self.registry, name) is not None:
                    fired.append(name)
                uow.commit()
            self._fired[name] = start
        return fired

    def heartbeat(self) -> None:
        """Extend the leases of the jobs running here; warn about overdue ones."""
        with self._lock:
            running = list(self._running.values())
        if not running:
            return
        now = self.container.clock.now()
        for job, deadline in running:
            if deadline is not None and now > deadline:
                log.warning("job %s #%d is past its timeout", job.name, job.id)
        ids = [job.id for job, _ in running]
        with self.container.uow() as uow:
            kept = store.heartbeat(uow, self.worker_id, ids, self.lease)
            uow.commit()
        with self._lock:
            lost = [i for i in ids if i not in kept and i in self._running]
            lost = [i for i in lost if i not in self._finishing]
        if lost:
            log.error("worker %s lost the lease on job(s) %s", self.worker_id, lost)

    # -- threads -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the slot threads and helpers; returns immediately."""
        self.container.bus.subscribe(JobsEnqueued, lambda _event: self.wake())
        for index in range(self.concurrency):
            thread = threading.Thread(
                target=self._slot_loop, name=f"rtcdesk-job-{index}", daemon=True
            )
            self._slots.append(thread)
        self._helpers.append(
            threading.Thread(target=self._housekeeping_loop, name="rtcdesk-jobs-hk", daemon=True)
        )
        if self.listen:
            self._helpers.append(
                threading.Thread(target=self._listen_loop, name="rtcdesk-jobs-ln", daemon=True)
            )
        for thread in [*self._slots, *self._helpers]:
            thread.start()
        log.info("worker %s started (%d slots)", self.worker_id, self.concurrency)

    def wake(self) -> None:
        """Tell idle slots to look for work now."""
        self._wake.set()

    def request_stop(self) -> None:
        """Stop claiming new jobs; running ones go on (see :meth:`stop`)."""
        self._stopping.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        """Whether a stop was requested."""
        return self._stopping.is_set()

    def stop(self, grace: float = 30.0, *, abort: threading.Event | None = None) -> bool:
        """Stop claiming, wait up to ``grace`` s for running jobs, release the rest.

        Setting ``abort`` (e.g. a second Ctrl-C) ends the wait early. Returns True if every
        running job finished in time.
        """
        self.request_stop()
        deadline = time.monotonic() + grace
        for thread in self._slots:
            while thread.is_alive() and time.monotonic() < deadline:
                if abort is not None and abort.is_set():
                    break
                thread.join(min(0.1, max(0.0, deadline - time.monotonic())))
        with self._lock:
            leftovers = [job for job, _ in self._running.values()]
            self._running.clear()
        for job in leftovers:
            with self.container.uow() as uow:
                store.release(uow, job, self.worker_id)
                uow.commit()
            log.warning("released job %s #%d back to the queue at shutdown", job.name, job.id)
        self._halt.set()
        for thread in self._helpers:
            thread.join(2.0)
        return not leftovers

    def join(self, timeout: float | None = None) -> None:
        """Wait for the slot threads to end (after a stop, e.g. for released jobs)."""
        for thread in self._slots:
            thread.join(timeout)

    def _slot_loop(self) -> None:
        idle = self.poll_min
        found = True
        while not self._stopping.is_set():
            try:
                # After an empty claim, look before taking SQLite's write lock again.
                job = self._claim(peek=not found)
                found = job is not None
            except Exception:
                log.exception("claiming a job failed; retrying")
                self._stopping.wait(self.poll_max)
                continue
            if job is not None:
                idle = self.poll_min
                try:
                    self._execute(job)
                except Exception:
                    log.exception("recording the outcome of job #%d failed", job.id)
                continue
            if self._wake.wait(idle):
                self._wake.clear()
                idle = self.poll_min
            else:
                idle = min(idle * 2, self.poll_max)

    def _housekeeping_loop(self) -> None:
        interval = max(0.05, min(1.0, self.lease.total_seconds() / 3))
        # Runs until halted, after the slots: leases stay fresh during the grace period.
        while not self._halt.wait(interval):
            try:
                self.heartbeat()
                if not self._stopping.is_set():
                    self.fire_periodics()
            except Exception:
                log.exception("job housekeeping failed")

    def _listen_loop(self) -> None:
        import psycopg

        url = self.container.engine.url.set(drivername="postgresql")
        while not self._halt.is_set():
            try:
                with psycopg.connect(
                    url.render_as_string(hide_password=False), autocommit=True
                ) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._halt.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self.wake()
            except Exception:
                log.exception("LISTEN connection failed; polling until it is back")
                self._halt.wait(self.poll_max)


def start_embedded_worker(container: Container, *, concurrency: int = 1) -> Worker:
    """Start a worker inside this process (``rtcdesk serve`` on the SQLite default)."""
    worker = Worker(container, concurrency=concurrency)
    worker.start()
    return worker
