"""Fixtures for the job queue: a fresh migrated database per test, on SQLite and PostgreSQL.

These override the shared ``container``/``clock`` fixtures of ``tests/conftest.py`` on
purpose: the queue's guarantees are about real commits seen by other connections, threads
and worker processes, which a rolled-back outer transaction cannot show.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pg_databases import PG_ENV, create_pg_database, drop_pg_database
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.migrate import upgrade

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
    url = create_pg_database(base, "rtcdesk_jobs")
    try:
        yield url
    finally:
        drop_pg_database(base, url)


def make_container(url: str, data_dir: Path, clock: FrozenClock | None = None) -> Container:
    """A container on ``url`` with the schema migrated."""
    container = build_container(Settings(data_dir=data_dir, database_url=url), clock=clock)
    upgrade(container.engine)
    return container


@pytest.fixture
def clock() -> FrozenClock:
    """A frozen clock at a fixed Monday morning."""
    return FrozenClock(START)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Container]:
    """A container with a frozen clock on a freshly migrated database."""
    container = make_container(db_url, tmp_path, clock)
    yield container
    container.dispose()


@pytest.fixture
def live_container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A container with the real clock (for threaded workers and subprocesses)."""
    container = make_container(db_url, tmp_path)
    yield container
    container.dispose()


@pytest.fixture
def other_container(db_url: str, tmp_path: Path, live_container: Container) -> Iterator[Container]:
    """A second container on the same database (another process's view: own bus and pool)."""
    container = build_container(
        Settings(data_dir=tmp_path / "other", database_url=db_url), clock=None
    )
    yield container
    container.dispose()
