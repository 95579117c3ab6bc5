"""A real ``rtcdesk worker`` process with test handlers, for kill -9 and SIGTERM tests.

Usage: python worker_proc.py DATABASE_URL DATA_DIR [worker options...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlalchemy import text

from rtcdesk.bootstrap import build_container
from rtcdesk.cli.jobs import worker
from rtcdesk.config import Settings
from rtcdesk.jobs.registry import JobContext, JobRegistry

CRASH_TABLES = (
    "CREATE TABLE crash_effects (job_id BIGINT PRIMARY KEY)",
    "CREATE TABLE crash_counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO crash_counter (id, value) VALUES (1, 0)",
)


def effect(ctx: JobContext) -> None:
    """An idempotent handler: its effect (counter + 1) applies once per job id."""
    log = os.environ.get("RTCDESK_TEST_RUN_LOG")
    if log:
        with Path(log).open("a") as fh:  # one short O_APPEND write per execution
            fh.write(f"{ctx.job_id}\n")
    with ctx.container.uow() as uow:
        inserted = uow.session.execute(
            text("INSERT INTO crash_effects (job_id) VALUES (:id) ON CONFLICT DO NOTHING"),
            {"id": ctx.job_id},
        ).rowcount  # type: ignore[attr-defined]
        if inserted:
            uow.session.execute(text("UPDATE crash_counter SET value = value + 1 WHERE id = 1"))
        uow.commit()
    # Widen the window between the effect's commit and the job's completion.
    time.sleep(float(ctx.payload.get("after", 0)))


def sleep(ctx: JobContext) -> None:
    """Sleep for ``payload['seconds']``."""
    time.sleep(float(ctx.payload["seconds"]))


def register(registry: JobRegistry) -> None:
    """Test handlers."""
    registry.job("t.effect", max_attempts=50)(effect)
    registry.job("t.sleep")(sleep)


def main() -> int:
    """Run the worker CLI command with the test handlers registered."""
    url, data_dir, *options = sys.argv[1:]
    container = build_container(Settings(database_url=url, data_dir=Path(data_dir)))
    register(container.jobs)
    code = worker.main(options, obj=container, standalone_mode=False, prog_name="worker")
    sys.stdout.flush()
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
