"""Admins' actions on the quarantine: release held mail into a ticket, delete an entry."""

from __future__ import annotations

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Organization
from rtcdesk.channels.email.ingest import Ingested, Relaxed, ingest
from rtcdesk.channels.email.models import Mailbox, Outcome, QuarantinedMail, QuarantineKind
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.files.store import FileStore


def get_entry(uow: UnitOfWork, actor: Actor, quarantine_id: int) -> QuarantinedMail:
    """One quarantine entry (admins only)."""
    access.require_admin(actor)
    row = uow.session.get(QuarantinedMail, quarantine_id)
    if row is None:
        raise NotFound(
            "quarantined mail {quarantine_id} not found", params={"quarantine_id": quarantine_id}
        )
    return row


def raw_bytes(files: FileStore, row: QuarantinedMail) -> bytes:
    """The mail exactly as it arrived."""
    with files.open(row.raw_sha256) as handle:
        return handle.read()


def release(
    uow: UnitOfWork,
    actor: Actor,
    files: FileStore,
    quarantine_id: int,
    *,
    organization_id: int | None = None,
) -> Ingested:
    """Take held mail in after all: the hourly limit and the hold policies are set aside, an
    unknown sender becomes a contact of ``organization_id`` (or the mailbox's organization
    for unknown senders), a reply from outside its ticket's organization opens a new ticket."""
    row = get_entry(uow, actor, quarantine_id)
    if row.kind is not QuarantineKind.HELD:
        raise Conflict("unreadable mail cannot be released; download it to look at it")
    mailbox = uow.session.get(Mailbox, row.mailbox_id) if row.mailbox_id else None
    if mailbox is None:
        raise Conflict("the mailbox this mail came to no longer exists")
    if organization_id is not None and uow.session.get(Organization, organization_id) is None:
        raise InvalidInput(
            "organization {org_id} does not exist",
            params={"org_id": organization_id},
            field="organization_id",
        )
    result = ingest(uow, files, mailbox, raw_bytes(files, row), relaxed=Relaxed(organization_id))
    if result.outcome is Outcome.HELD:
        raise InvalidInput("choose the organization the sender belongs to", field="organization_id")
    uow.session.delete(row)
    uow.flush()
    return result


def delete(uow: UnitOfWork, actor: Actor, quarantine_id: int) -> None:
    """Remove an entry for good (its Message-ID stays known: the mail is not taken in again)."""
    row = get_entry(uow, actor, quarantine_id)
    uow.session.delete(row)
    uow.flush()
