"""Fixtures for the email channel against real servers: Dovecot on loopback and a fresh
migrated database per test (SQLite and PostgreSQL) whose commits are real, so separate
processes (a poller killed with -9) see them."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_databases import PG_ENV, create_pg_database, drop_pg_database
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade

sys.path.insert(0, str(Path(__file__).parent))
import dovecot

_users = itertools.count(1)


@pytest.fixture(scope="session")
def imap_server() -> Iterator[dovecot.Dovecot]:
    """One Dovecot for the session (each test has its own mail account). Its folder is not
    under pytest's private temporary folder: Dovecot's mail processes run as another user
    and must be able to enter it."""
    if not dovecot.available():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd): IMAP tests skipped")
    root = Path(tempfile.mkdtemp(prefix="rtcdesk-dovecot-"))
    root.chmod(0o755)
    server = dovecot.start(root)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(imap_server: dovecot.Dovecot) -> tuple[str, str]:
    """A (user, password) on the server no other test of this session used: INBOX empty."""
    return imap_server.account(next(_users))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'email.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
    url = create_pg_database(base, "rtcdesk_email")
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A container with the real clock on a freshly migrated database."""
    container = build_container(Settings(data_dir=tmp_path / "data", database_url=db_url))
    upgrade(container.engine)
    yield container
    container.dispose()
