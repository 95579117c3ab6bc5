"""The durable indexing job: a changed source is re-indexed after its change committed.

The job is enqueued in the changing transaction (``handlers``), so it exists if and only if
the change does; a crash before it ran leaves it queued, and the worker runs it later. Its
key holds one pending job per source, however many changes came in before it ran.
"""

from __future__ import annotations

from rtcdesk.core.errors import InvalidInput
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs_service
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.search import sources
from rtcdesk.search.models import DocKind

INDEX_JOB = "search.index"


def request_index(uow: UnitOfWork, kind: DocKind, ref_id: int) -> None:
    """Queue re-indexing of one source in ``uow``'s transaction."""
    jobs_service.enqueue(
        uow,
        INDEX_JOB,
        {"kind": kind.value, "id": ref_id},
        key=f"search:{kind.value}:{ref_id}",
    )


def run_index(ctx: JobContext) -> None:
    """Rebuild the documents of the source named in the payload."""
    try:
        kind = DocKind(ctx.payload["kind"])
        ref_id = int(ctx.payload["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInput("bad search.index payload: {exc}", params={"exc": exc}) from exc
    with ctx.container.uow() as uow:
        sources.refresh(uow, kind, ref_id)
        uow.commit()


def register(registry: JobRegistry) -> None:
    """Register the indexing job."""
    registry.job(INDEX_JOB)(run_index)
