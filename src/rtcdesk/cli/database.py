"""The database a command needs: found, reachable and migrated, or one clear sentence why not."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.errors import NotFound, RtcdeskError

SET_UP = "run `rtcdesk db upgrade` or `rtcdesk demo`"


def database_label(settings: Settings) -> str:
    """The database as people recognise it: the SQLite file, or the URL without password."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database))
    return url.render_as_string(hide_password=True)


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file of the settings, or None for another database."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def require_database(settings: Settings) -> None:
    """Fail with one sentence unless the database exists and has the schema."""
    open_container(settings).dispose()


def open_container(settings: Settings, *, create: bool = False) -> Container:
    """Build the container; unless ``create``, refuse a database without the schema."""
    from rtcdesk.db.migrate import current_revision

    path = sqlite_path(settings)
    if path is not None and not create and not path.is_file():
        raise NotFound(
            "no database at {path}: {hint} (or set RTCDESK_DATA_DIR)",
            params={"path": str(path), "hint": SET_UP},
        )
    if create:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    container = build_container(settings)
    if create:
        return container
    try:
        revision = current_revision(container.engine)
    except SQLAlchemyError as exc:
        container.dispose()
        raise RtcdeskError(
            "cannot open the database {db}: {reason}",
            params={
                "db": database_label(settings),
                "reason": " ".join(str(getattr(exc, "orig", None) or exc).split()),
            },
        ) from exc
    if revision is None:
        container.dispose()
        raise NotFound(
            "the database {db} has no tables yet: {hint}",
            params={"db": database_label(settings), "hint": SET_UP},
        )
    return container
