"""Rebuilding the whole index from its sources, in batches (``rtcdesk search reindex``).

Each batch is one transaction, so a long rebuild never holds the write lock for long and a
search keeps answering from the rows already there while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select

from rtcdesk.search import index, sources
from rtcdesk.search.models import DocKind, SearchDocument
from rtcdesk.tickets import queries as ticket_queries

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

BATCH = 200


def total(container: Container) -> int:
    """How many sources a rebuild goes through."""
    with container.uow(write=False) as uow:
        return ticket_queries.ticket_count(uow)


def rebuild(container: Container, progress: Callable[[int], None] | None = None) -> int:
    """Re-index every ticket and drop documents whose source is gone; return how many
    sources were indexed. ``progress(n)`` is called after each batch of ``n``."""
    done = 0
    after = 0
    while True:
        with container.uow() as uow:
            batch = ticket_queries.ticket_ids_after(uow, after, BATCH)
            if not batch:
                break
            for ticket_id in batch:
                sources.refresh_ticket(uow, ticket_id)
            uow.commit()
        after = batch[-1]
        done += len(batch)
        if progress is not None:
            progress(len(batch))
    _drop_orphans(container)
    return done


def _drop_orphans(container: Container) -> None:
    with container.uow() as uow:
        indexed = set(
            uow.session.scalars(
                select(SearchDocument.ref_id).where(SearchDocument.kind == DocKind.TICKET)
            )
        )
        gone = [ref for ref in indexed if ticket_queries.index_text(uow, ref) is None]
        for ref in gone:
            index.remove(uow, DocKind.TICKET, ref)
        uow.commit()
