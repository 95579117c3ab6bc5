"""A real ``rtcdesk worker`` process with an SLA reaction that logs every call it gets.

Usage: python sla_worker.py DATABASE_URL DATA_DIR [worker options...]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text

from rtcdesk.bootstrap import build_container
from rtcdesk.cli.jobs import worker
from rtcdesk.config import Settings
from rtcdesk.sla.reactions import ThresholdReached

LOG_TABLE = "CREATE TABLE sla_reaction_log (sla_event_id INTEGER NOT NULL, threshold TEXT)"


def log_reaction(uow: Any, reached: ThresholdReached) -> None:
    """Write one row per call (no uniqueness: a second call would show as a second row)."""
    uow.session.execute(
        text("INSERT INTO sla_reaction_log (sla_event_id, threshold) VALUES (:id, :threshold)"),
        {"id": reached.sla_event_id, "threshold": reached.threshold},
    )


def main() -> int:
    """Run the worker CLI command with the logging reaction registered."""
    url, data_dir, *options = sys.argv[1:]
    container = build_container(Settings(database_url=url, data_dir=Path(data_dir)))
    container.sla_reactions.register(log_reaction)
    code = worker.main(options, obj=container, standalone_mode=False, prog_name="worker")
    sys.stdout.flush()
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
