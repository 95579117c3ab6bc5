"""Inbound mail into tickets: the one write path the IMAP poller and SMTP listener share.

``ingest`` runs inside the caller's unit of work and never commits. Everything it decides
is recorded under the mail's Message-ID in ``email_inbound`` (unique), so taking the same
mail in twice — a poller killed after the commit but before marking it seen, a second
delivery — finds the row and does nothing. Mail nobody should answer (our own addresses,
auto-replies, bounces) never creates a ticket; mail nobody may append silently (unknown
senders under the "hold" policy, replies from outside the ticket's organization, senders
over their hourly limit) is held; unreadable mail is quarantined raw with its reason.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from sqlalchemy import func, select

from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import Agent, Contact
from rtcdesk.accounts.schemas import ContactCreate
from rtcdesk.channels.email.errors import UnreadableMail
from rtcdesk.channels.email.models import (
    DETAIL_MAX,
    SUBJECT_MAX,
    BouncedAddress,
    EmailDomain,
    ForeignReplyPolicy,
    InboundMessage,
    Mailbox,
    Outcome,
    QuarantinedMail,
    QuarantineKind,
    UnknownSenderPolicy,
)
from rtcdesk.channels.email.parse import MailLimits, ParsedMail, parse_mail
from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.core.i18n import N_, translate
from rtcdesk.core.validation import fit
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.files.store import FileStore
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Channel, Message, Status, Ticket
from rtcdesk.tickets.schemas import MessageCreate, TicketCreate, TicketUpdate

UNKNOWN_SENDER = "unknown_sender"
FOREIGN_REPLY = "foreign_reply"
RATE_LIMITED = "rate_limited"
REFUSED = "refused"  # readable, but the ticket services refused what it would have made
HOLD_REASONS = (UNKNOWN_SENDER, FOREIGN_REPLY, RATE_LIMITED)
HOLD_DETAILS = {
    UNKNOWN_SENDER: N_("the sender belongs to no known organization"),
    FOREIGN_REPLY: N_("a reply to ticket #{ticket_id} from outside its organization"),
    RATE_LIMITED: N_("the sender sent more than {limit} mails within an hour"),
}
NO_TEXT = N_("(the mail has no text)")
NO_SUBJECT = N_("(no subject)")
RATE_WINDOW = timedelta(hours=1)
BODY_MAX = 200_000


@dataclass(frozen=True, slots=True)
class Ingested:
    """What one call did: the outcome, the ticket it touched, the quarantine entry."""

    outcome: Outcome
    duplicate: bool = False
    ticket_id: int | None = None
    quarantine_id: int | None = None


@dataclass(frozen=True, slots=True)
class Relaxed:
    """Policies an admin's release of held mail sets aside."""

    organization_id: int | None = None


def ingest(
    uow: UnitOfWork,
    files: FileStore,
    mailbox: Mailbox,
    raw: bytes,
    *,
    limits: MailLimits | None = None,
    relaxed: Relaxed | None = None,
) -> Ingested:
    """Take one raw mail in through ``mailbox``; the same mail twice is taken in once."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        mail = parse_mail(raw, limits)
    except UnreadableMail as refused:
        return _quarantine_unreadable(uow, files, mailbox, raw, digest, refused)
    seen = uow.session.scalar(
        select(InboundMessage).where(InboundMessage.message_id == mail.message_id)
    )
    if seen is not None and not (relaxed and seen.outcome is Outcome.HELD):
        return Ingested(seen.outcome, duplicate=True, ticket_id=seen.ticket_id)
    record = seen or InboundMessage(
        message_id=mail.message_id,
        mailbox_id=mailbox.id,
        sender=mail.sender.email,
        subject=fit(mail.subject, SUBJECT_MAX),
        raw_sha256=digest,
        size=len(raw),
        received_at=uow.clock.now(),
    )
    outcome, ticket_id, message_id, hold = _decide(uow, files, mailbox, mail, relaxed)
    record.outcome = outcome
    # Held mail threads nothing: a reply to it must not join the ticket it asked for.
    record.ticket_id = None if hold is not None else ticket_id
    record.ticket_message_id = message_id
    if seen is None:
        uow.session.add(record)
    uow.flush()
    if hold is None:
        return Ingested(outcome, ticket_id=ticket_id)
    quarantine_id = _hold(uow, files, mailbox, raw, digest, mail, hold, ticket_id)
    return Ingested(outcome, quarantine_id=quarantine_id)


def ingest_or_quarantine(
    uow: UnitOfWork, files: FileStore, mailbox: Mailbox, raw: bytes
) -> Ingested:
    """``ingest``, but a mail our own services refuse (a ticket that cannot be made from
    it) is quarantined with their reason instead of failing the poll over and over."""
    savepoint = uow.session.begin_nested()
    try:
        result = ingest(uow, files, mailbox, raw)
    except RtcdeskError as refused:
        savepoint.rollback()
        with uow.session.begin_nested():
            stored = _quarantine_unreadable(
                uow, files, mailbox, raw, hashlib.sha256(raw).hexdigest(), refused, REFUSED
            )
        return stored
    savepoint.commit()
    return result


_Decision = tuple[Outcome, int | None, int | None, tuple[str, str] | None]


def _decide(
    uow: UnitOfWork,
    files: FileStore,
    mailbox: Mailbox,
    mail: ParsedMail,
    relaxed: Relaxed | None,
) -> _Decision:
    sender = mail.sender.email
    if uow.session.scalar(select(Mailbox.id).where(Mailbox.address == sender)):
        return Outcome.OWN_ADDRESS, None, None, None
    if mail.bounce is not None:
        _record_bounce(uow, mail)
        return Outcome.BOUNCE, None, None, None
    if mail.auto_reply is not None:
        return Outcome.AUTO_REPLY, None, None, None
    lang = mailbox.language.value
    if relaxed is None and _over_rate(uow, mailbox, sender):
        detail = translate(HOLD_DETAILS[RATE_LIMITED], {"limit": mailbox.rate_limit_per_hour}, lang)
        return Outcome.HELD, None, None, (RATE_LIMITED, detail)
    ticket = _thread(uow, mail)
    if ticket is not None:
        agent = uow.session.scalar(select(Agent).where(Agent.email == sender, Agent.active))
        contact = _contact(uow, sender)
        if agent is not None:
            return _append(uow, files, ticket, accounts.agent_actor(agent), mail, lang)
        if contact is not None and contact.organization_id == ticket.organization_id:
            return _append(uow, files, ticket, accounts.contact_actor(contact), mail, lang)
        foreign_new = mailbox.foreign_reply_policy is ForeignReplyPolicy.NEW_TICKET
        if not (foreign_new or relaxed):
            detail = translate(HOLD_DETAILS[FOREIGN_REPLY], {"ticket_id": ticket.id}, lang)
            return Outcome.HELD, ticket.id, None, (FOREIGN_REPLY, detail)
    contact = _sender_contact(uow, mailbox, mail, relaxed)
    if contact is None:
        detail = translate(HOLD_DETAILS[UNKNOWN_SENDER], {}, lang)
        return Outcome.HELD, None, None, (UNKNOWN_SENDER, detail)
    return _create(uow, files, mailbox, accounts.contact_actor(contact), mail, lang)


def _over_rate(uow: UnitOfWork, mailbox: Mailbox, sender: str) -> bool:
    since = uow.clock.now() - RATE_WINDOW
    count = uow.session.scalar(
        select(func.count(InboundMessage.id)).where(
            InboundMessage.sender == sender, InboundMessage.received_at >= since
        )
    )
    return (count or 0) >= mailbox.rate_limit_per_hour


def _thread(uow: UnitOfWork, mail: ParsedMail) -> Ticket | None:
    """The ticket a reply belongs to: by Message-IDs first, then a ``[#id]`` in the subject
    (a subject's words alone never thread: anyone can write them)."""
    ticket_id = None
    if mail.thread_ids:
        found = uow.session.execute(
            select(InboundMessage.message_id, InboundMessage.ticket_id).where(
                InboundMessage.message_id.in_(mail.thread_ids),
                InboundMessage.ticket_id.is_not(None),
            )
        ).all()
        by_id = {row.message_id: row.ticket_id for row in found}
        ticket_id = next((by_id[i] for i in mail.thread_ids if i in by_id), None)
    if ticket_id is None:
        ticket_id = mail.ticket_reference
    if ticket_id is None or ticket_id > 2**31 - 1:
        return None
    ticket = uow.session.get(Ticket, ticket_id)
    while ticket is not None and ticket.merged_into_id is not None:
        ticket = uow.session.get(Ticket, ticket.merged_into_id)
    if ticket is None or ticket.status is Status.CLOSED:
        return None  # a reply to a closed ticket starts a new one
    return ticket


def _contact(uow: UnitOfWork, email: str) -> Contact | None:
    return uow.session.scalar(select(Contact).where(Contact.email == email, Contact.active))


def _sender_contact(
    uow: UnitOfWork, mailbox: Mailbox, mail: ParsedMail, relaxed: Relaxed | None
) -> Contact | None:
    """The contact a new ticket is opened for: known, at a known domain, or by policy."""
    email = mail.sender.email
    contact = uow.session.scalar(select(Contact).where(Contact.email == email))
    if contact is not None:
        return contact if contact.active else None
    domain = email.rpartition("@")[2]
    org_id = uow.session.scalar(
        select(EmailDomain.organization_id).where(EmailDomain.domain == domain)
    )
    if org_id is None and relaxed is not None:
        org_id = relaxed.organization_id or mailbox.unknown_organization_id
    if org_id is None and mailbox.unknown_sender_policy is UnknownSenderPolicy.CREATE:
        org_id = mailbox.unknown_organization_id
    if org_id is None:
        return None
    name = fit(mail.sender.name or email.partition("@")[0], 200)
    data = ContactCreate(organization_id=org_id, email=email, name=name, language=mailbox.language)
    try:
        return accounts.create_contact(uow, SYSTEM, data)
    except InvalidInput:
        return None  # an address our contacts cannot hold: held for a person to look at


def _body(mail: ParsedMail, lang: str) -> tuple[str, str]:
    text = mail.visible_text.strip() or translate(NO_TEXT, {}, lang)
    text = fit(text, BODY_MAX)
    paragraphs = escape(text).replace("\n", "<br>\n")
    return text, f"<p>{paragraphs}</p>"


def _attach(
    uow: UnitOfWork,
    files: FileStore,
    actor: Actor,
    ticket_id: int,
    message_id: int,
    mail: ParsedMail,
) -> None:
    for attachment in mail.attachments:
        if not attachment.data:
            continue
        tickets.add_attachment(
            uow,
            actor,
            files,
            ticket_id,
            filename=attachment.filename,
            stream=io.BytesIO(attachment.data),
            message_id=message_id,
        )


def _append(
    uow: UnitOfWork, files: FileStore, ticket: Ticket, actor: Actor, mail: ParsedMail, lang: str
) -> _Decision:
    text, html = _body(mail, lang)
    message = tickets.add_message(
        uow, actor, ticket.id, MessageCreate(body=text, body_html=html), channel=Channel.EMAIL
    )
    _attach(uow, files, actor, ticket.id, message.id, mail)
    return Outcome.APPENDED, ticket.id, message.id, None


def _create(
    uow: UnitOfWork, files: FileStore, mailbox: Mailbox, actor: Actor, mail: ParsedMail, lang: str
) -> _Decision:
    text, html = _body(mail, lang)
    subject = fit(mail.subject.strip() or translate(NO_SUBJECT, {}, lang), SUBJECT_MAX)
    data = TicketCreate(subject=subject, body=text, body_html=html, category=mailbox.category)
    ticket = tickets.create_ticket(uow, actor, data, channel=Channel.EMAIL)
    message_id = uow.session.scalar(
        select(Message.id).where(Message.ticket_id == ticket.id).order_by(Message.id).limit(1)
    )
    if mailbox.group_id is not None and ticket.group_id is None:
        tickets.update_ticket(uow, SYSTEM, ticket.id, TicketUpdate(group_id=mailbox.group_id))
    if message_id is not None:
        _attach(uow, files, actor, ticket.id, message_id, mail)
    return Outcome.CREATED, ticket.id, message_id, None


def _record_bounce(uow: UnitOfWork, mail: ParsedMail) -> None:
    bounce = mail.bounce
    if bounce is None or bounce.recipient is None:
        return
    row = uow.session.scalar(select(BouncedAddress).where(BouncedAddress.email == bounce.recipient))
    contact_id = uow.session.scalar(select(Contact.id).where(Contact.email == bounce.recipient))
    if row is None:
        row = BouncedAddress(email=bounce.recipient, count=0)
        uow.session.add(row)
    row.contact_id = contact_id
    row.status = fit(bounce.status, 32) if bounce.status else None
    row.diagnostic = fit(bounce.diagnostic or "", DETAIL_MAX)
    row.permanent = bounce.permanent
    row.count = (row.count or 0) + 1
    row.bounced_at = uow.clock.now()


def _store(
    uow: UnitOfWork,
    files: FileStore,
    raw: bytes,
    digest: str,
    **fields: object,
) -> tuple[int, bool]:
    existing = uow.session.scalar(
        select(QuarantinedMail.id).where(QuarantinedMail.raw_sha256 == digest)
    )
    if existing is not None:
        return existing, True
    files.put_bytes(raw)
    row = QuarantinedMail(raw_sha256=digest, size=len(raw), received_at=uow.clock.now(), **fields)
    uow.session.add(row)
    uow.flush()
    return row.id, False


def _quarantine_unreadable(
    uow: UnitOfWork,
    files: FileStore,
    mailbox: Mailbox,
    raw: bytes,
    digest: str,
    refused: RtcdeskError,
    reason: str | None = None,
) -> Ingested:
    quarantine_id, duplicate = _store(
        uow,
        files,
        raw,
        digest,
        kind=QuarantineKind.UNREADABLE,
        reason=reason or str(refused.details.get("reason", "malformed")),
        detail=fit(refused.translated(lambda text: text), DETAIL_MAX),
        mailbox_id=mailbox.id,
        subject="",
    )
    return Ingested(Outcome.QUARANTINED, duplicate=duplicate, quarantine_id=quarantine_id)


def _hold(
    uow: UnitOfWork,
    files: FileStore,
    mailbox: Mailbox,
    raw: bytes,
    digest: str,
    mail: ParsedMail,
    hold: tuple[str, str],
    ticket_id: int | None,
) -> int:
    reason, detail = hold
    quarantine_id, _duplicate = _store(
        uow,
        files,
        raw,
        digest,
        kind=QuarantineKind.HELD,
        reason=reason,
        detail=fit(detail, DETAIL_MAX),
        mailbox_id=mailbox.id,
        sender=mail.sender.email,
        subject=fit(mail.subject, SUBJECT_MAX),
        message_id=mail.message_id,
        ticket_id=ticket_id,
    )
    return quarantine_id
