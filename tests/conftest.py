"""Shared fixtures: one migrated database per backend per test session, each test inside a
transaction that is rolled back, and an app wired to it.

PostgreSQL tests need ``RTCDESK_TEST_POSTGRES_URL`` (``.ci/run`` sets it); without it they
skip with that reason. SQLite always runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from pg_databases import PG_ENV, create_pg_database, drop_pg_database
from rtcdesk.bootstrap import Container, build_container, register_handlers
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.core.events import EventBus
from rtcdesk.db.engine import make_engine
from rtcdesk.db.migrate import upgrade
from rtcdesk.files.store import FileStore

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real lab calls first: they run one after another on one worker and are the longest
    stretch of the suite, so starting them early lets the other worker do everything else."""

    def in_lab_calls(item: pytest.Item) -> bool:
        group = item.get_closest_marker("xdist_group")
        return group is not None and group.args == ("lab-calls",)

    items.sort(key=lambda item: not in_lab_calls(item))


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite file migrated once for the whole session."""
    path = tmp_path_factory.mktemp("sqlite") / "rtcdesk.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A PostgreSQL database migrated once for the whole session, dropped at the end."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
    url = create_pg_database(base, "rtcdesk_test")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    drop_pg_database(base, url)


@pytest.fixture(params=BACKENDS)
def db_engine(request: pytest.FixtureRequest) -> Engine:
    """The migrated engine of one backend (the test runs once per backend)."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@pytest.fixture
def clock() -> FrozenClock:
    """A frozen clock at a fixed Monday morning (UTC)."""
    return FrozenClock(START)


@pytest.fixture
def container(db_engine: Engine, clock: FrozenClock, tmp_path: Path) -> Iterator[Container]:
    """A container whose every unit of work runs inside one outer transaction that is
    rolled back after the test: services commit savepoints, nothing persists."""
    connection = db_engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    settings = Settings(data_dir=tmp_path, database_url=str(db_engine.url))
    built = Container(
        settings=settings,
        engine=db_engine,
        session_factory=factory,
        clock=clock,
        files=FileStore(tmp_path / "files", max_bytes=settings.max_upload_bytes),
        bus=EventBus(),
    )
    register_handlers(built)
    _ = event  # listeners are configured on the engine itself
    yield built
    outer.rollback()
    connection.close()


@pytest.fixture(params=BACKENDS)
def committed_container(
    request: pytest.FixtureRequest, clock: FrozenClock, tmp_path: Path
) -> Iterator[Container]:
    """A container on its own freshly migrated database whose commits are real, for tests
    where parallel requests must see each other's transactions (one test per database)."""
    base = os.environ.get(PG_ENV)
    if request.param == "postgres":
        if not base:
            pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
        url = create_pg_database(base, "rtcdesk_live")
    else:
        url = f"sqlite:///{tmp_path / 'committed.db'}"
    engine = make_engine(url, pool_size=25)
    upgrade(engine)
    yield build_container(Settings(data_dir=tmp_path, database_url=url), clock=clock, engine=engine)
    engine.dispose()
    if request.param == "postgres" and base:
        drop_pg_database(base, url)


@pytest.fixture
def uow(container: Container) -> Iterator[Any]:
    """A unit of work on the test transaction."""
    with container.uow() as unit:
        yield unit


__all__ = ["Session"]
