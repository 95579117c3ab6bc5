"""Run Alembic migrations programmatically (no alembic.ini to find)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from rtcdesk.db.engine import refresh_statistics

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Tables a migration creates outside the models: SQLite's FTS5 virtual table for search and
# the shadow tables FTS5 keeps beside it. Autogenerate and the schema comparison skip them.
UNMODELLED_TABLE_PREFIXES = ("search_fts",)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name``: leave the tables no model describes out of comparisons."""
    return not (
        type_ == "table" and name is not None and name.startswith(UNMODELLED_TABLE_PREFIXES)
    )


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at rtcdesk's migrations and ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)
    refresh_statistics(engine)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
