"""``rtcdesk worker`` and ``rtcdesk jobs list|retry|drop|purge`` (registered in ``cli/main.py``)."""

from __future__ import annotations

import re
import signal
import threading
from datetime import timedelta
from types import FrameType

import click

from rtcdesk.bootstrap import Container
from rtcdesk.cli.database import open_container
from rtcdesk.config import Settings
from rtcdesk.jobs import queries
from rtcdesk.jobs import service as jobs_service
from rtcdesk.jobs.models import JobState
from rtcdesk.jobs.worker import DEFAULT_LEASE, Worker

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``15m``, ``12h``, ``7d`` or ``2w``."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise click.BadParameter(f"{text!r}: use a number and s, m, h, d or w (e.g. 7d)")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _container(ctx: click.Context) -> Container:
    """The container the main group put in ``ctx.obj``, or one built from the environment."""
    obj = ctx.find_object(Container)
    if obj is not None:
        return obj
    container = open_container(Settings())
    ctx.call_on_close(container.dispose)
    return container


def run_worker(
    container: Container,
    *,
    concurrency: int = 1,
    grace: float = 30.0,
    lease: timedelta = DEFAULT_LEASE,
    poll_max: float | None = None,
) -> int:
    """Run a worker until SIGTERM/SIGINT, then shut down cleanly; returns the exit code.

    A second signal during the grace period releases the running jobs at once.
    """
    stop = threading.Event()
    hurry = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            hurry.set()
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    worker = Worker(container, concurrency=concurrency, lease=lease, poll_max=poll_max)
    try:
        worker.start()
        click.echo(f"worker {worker.worker_id} running {concurrency} slot(s); SIGTERM to stop")
        while not stop.wait(0.5):
            pass
        click.echo("stopping: no new jobs; waiting for running ones")
        finished = worker.stop(grace=grace, abort=hurry)
        if not finished:
            click.echo("grace period over: unfinished jobs were released to the queue")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


@click.command("worker")
@click.option("--concurrency", "-c", default=1, show_default=True, help="Jobs run at once.")
@click.option(
    "--grace", default=30.0, show_default=True, help="Seconds to finish running jobs on stop."
)
@click.option("--lease", default="60s", show_default=True, help="Lease on a running job.")
@click.option(
    "--poll",
    type=float,
    default=None,
    help="Longest idle poll interval in s [default: 1 on PostgreSQL, 0.25 on SQLite].",
)
@click.pass_context
def worker(
    ctx: click.Context, concurrency: int, grace: float, lease: str, poll: float | None
) -> None:
    """Run background jobs until SIGTERM or Ctrl-C."""
    code = run_worker(
        _container(ctx),
        concurrency=concurrency,
        grace=grace,
        lease=parse_duration(lease),
        poll_max=poll,
    )
    ctx.exit(code)


@click.group("jobs")
def jobs() -> None:
    """Inspect and manage background jobs."""


@jobs.command("list")
@click.option("--state", type=click.Choice([s.value for s in JobState]), default=None)
@click.option("--name", default=None, help="Only jobs with this name.")
@click.option("--limit", default=50, show_default=True)
@click.option("--errors/--no-errors", default=False, help="Print each job's last error in full.")
@click.pass_context
def list_command(
    ctx: click.Context, state: str | None, name: str | None, limit: int, errors: bool
) -> None:
    """List jobs, newest first, with queue counts."""
    container = _container(ctx)
    with container.uow(write=False) as uow:
        stats = queries.stats(uow)
        rows = queries.list_jobs(
            uow, state=JobState(state) if state else None, name=name, limit=limit
        )
    counts = "  ".join(f"{s.value}={n}" for s, n in stats.by_state.items())
    click.echo(f"{counts}  due={stats.due}  scheduled={stats.scheduled}")
    for job in rows:
        detail = job.locked_by if job.state == JobState.RUNNING else job.error_summary
        when = job.run_at.strftime("%Y-%m-%d %H:%M:%S")
        click.echo(
            f"{job.id:>8}  {job.state.value:<9} {job.name:<32} run_at={when}Z  "
            f"attempts={job.attempts}  {job.key or ''}  {detail or ''}".rstrip()
        )
        if errors and job.last_error:
            click.echo(job.last_error.rstrip())


@jobs.command("retry")
@click.argument("job_id", type=int)
@click.pass_context
def retry_command(ctx: click.Context, job_id: int) -> None:
    """Queue a failed job to run again now (one more attempt)."""
    with _container(ctx).uow() as uow:
        jobs_service.retry(uow, job_id)
        uow.commit()
    click.echo(f"job {job_id} queued")


@jobs.command("drop")
@click.argument("job_id", type=int)
@click.pass_context
def drop_command(ctx: click.Context, job_id: int) -> None:
    """Delete a failed or queued job for good."""
    with _container(ctx).uow() as uow:
        jobs_service.drop(uow, job_id)
        uow.commit()
    click.echo(f"job {job_id} dropped")


@jobs.command("purge")
@click.option(
    "--state",
    type=click.Choice([JobState.SUCCEEDED.value, JobState.FAILED.value]),
    default=JobState.SUCCEEDED.value,
    show_default=True,
)
@click.option("--older-than", default="7d", show_default=True, help="e.g. 12h, 7d, 2w")
@click.pass_context
def purge_command(ctx: click.Context, state: str, older_than: str) -> None:
    """Delete finished jobs older than a given age."""
    with _container(ctx).uow() as uow:
        count = jobs_service.purge(
            uow, older_than=parse_duration(older_than), state=JobState(state)
        )
        uow.commit()
    click.echo(f"purged {count} {state} job(s)")
