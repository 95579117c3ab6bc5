"""Throw-away PostgreSQL databases for tests (the fixtures in conftest.py and live servers)."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy.engine import make_url

PG_ENV = "RTCDESK_TEST_POSTGRES_URL"


def _admin_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_pg_database(base_url: str, prefix: str) -> str:
    """Create an empty UTF-8 database next to ``base_url``; return its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_conninfo(base_url), autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
            "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(base_url: str, url: str) -> None:
    """Drop a database made by create_pg_database."""
    name = make_url(url).database
    with psycopg.connect(_admin_conninfo(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
