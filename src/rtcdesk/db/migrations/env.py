"""Alembic environment: migrations run on the engine rtcdesk hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from rtcdesk.db.migrate import include_name
from rtcdesk.db.registry import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        return engine
    return create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")


def run_migrations_online() -> None:
    """Run migrations inside one transaction on the given engine."""
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
