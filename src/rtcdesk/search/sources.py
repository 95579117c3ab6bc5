"""Building documents from their sources (tickets now; articles and error codes later)."""

from __future__ import annotations

from rtcdesk.db.uow import UnitOfWork
from rtcdesk.search import index
from rtcdesk.search.models import DocKind, DocPart
from rtcdesk.tickets import queries as ticket_queries


def refresh(uow: UnitOfWork, kind: DocKind, ref_id: int) -> bool:
    """Rebuild the documents of one source; False when the source is gone (rows deleted)."""
    if kind is DocKind.TICKET:
        return refresh_ticket(uow, ref_id)
    raise ValueError(f"unknown document kind {kind}")


def refresh_ticket(uow: UnitOfWork, ticket_id: int) -> bool:
    """Index a ticket twice: everything for staff, the public conversation for customers."""
    found = ticket_queries.index_text(uow, ticket_id)
    if found is None:
        index.remove(uow, DocKind.TICKET, ticket_id)
        return False
    now = uow.clock.now()
    extra = " ".join(part for part in (found.platform, found.sdk_version) if part)
    everything = "\n\n".join([*found.public_bodies, *found.internal_bodies])
    for part, body in (
        (DocPart.ALL, everything),
        (DocPart.PUBLIC, "\n\n".join(found.public_bodies)),
    ):
        doc = index.Document(
            kind=DocKind.TICKET,
            ref_id=found.ticket_id,
            part=part,
            staff_view=part is DocPart.ALL,
            customer_view=part is DocPart.PUBLIC,
            title=found.subject,
            body=body,
            organization_id=found.organization_id,
            platform=found.platform,
            language=found.language,
            status=found.status,
            sdk_version=found.sdk_version,
            extra_title_terms=extra,
        )
        index.put(uow, doc, now)
    return True
