"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from rtcdesk.db.migrate import include_name
from rtcdesk.db.registry import Base


def test_migrations_match_the_models(db_engine: Engine) -> None:
    with db_engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": include_name}),
            Base.metadata,
        )
    assert differences == []
