"""The hourly statistics job gives SQLite's planner real table statistics (a no-op elsewhere)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from rtcdesk.bootstrap import Container
from rtcdesk.db.engine import refresh_statistics
from rtcdesk.jobs import service
from rtcdesk.jobs.housekeeping import STATISTICS_JOB


def _stat_rows(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'jobs'")).scalar() or 0
        )


def test_statistics_job_is_hourly_and_runs_on_both_backends(container: Container) -> None:
    periodic = container.jobs.periodics[STATISTICS_JOB]
    assert periodic.every == timedelta(hours=1)
    with container.uow(write=True) as uow:
        for n in range(40):
            service.enqueue(uow, "test.noop", {"n": n})
        uow.commit()
    refresh_statistics(container.engine)  # PostgreSQL: returns without touching anything
    if container.engine.dialect.name == "sqlite":
        assert _stat_rows(container) > 0


def test_statistics_never_wait_for_another_writer(container: Container) -> None:
    if container.engine.dialect.name != "sqlite":
        assert refresh_statistics(container.engine) is False  # autovacuum's work there
        return
    with container.uow(write=True) as uow:
        service.enqueue(uow, "test.noop", {})  # holds SQLite's write lock until commit
        assert refresh_statistics(container.engine) is False  # skipped, not blocked
        uow.commit()
    assert refresh_statistics(container.engine) is True
