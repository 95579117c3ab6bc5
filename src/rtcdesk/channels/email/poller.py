"""The IMAP poller: fetch unseen mail, take each in and commit, and only then mark it.

Order is what makes it crash-safe. A mail is fetched with ``BODY.PEEK[]`` (which does not
set \\Seen), taken in and committed in its own unit of work, and only after the commit
marked seen (or moved to the done folder). Killed before the commit, nothing was stored
and the mail is still unseen: the next run takes it in. Killed after the commit but before
the mark, the next run fetches it again and ``email_inbound``'s unique Message-ID makes
it a duplicate, which is then marked. So nothing is lost and nothing is doubled.
"""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import ImapToolsError
from sqlalchemy import select

from rtcdesk.channels.email.errors import MailServerError
from rtcdesk.channels.email.ingest import Ingested, ingest_or_quarantine
from rtcdesk.channels.email.models import ImapSecurity, Mailbox
from rtcdesk.core.errors import NotFound

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

TIMEOUT_SECONDS = 60
DEFAULT_PORTS = {ImapSecurity.SSL: 993, ImapSecurity.STARTTLS: 143, ImapSecurity.NONE: 143}


@dataclass
class PollResult:
    """What one poll of one mailbox did, by outcome."""

    mailbox: str
    fetched: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0


def _connect(box: Mailbox) -> BaseMailBox:
    host = box.imap_host or ""
    port = box.imap_port or DEFAULT_PORTS[box.imap_security]
    if box.imap_security is ImapSecurity.SSL:
        return MailBox(
            host, port, timeout=TIMEOUT_SECONDS, ssl_context=ssl.create_default_context()
        )
    if box.imap_security is ImapSecurity.STARTTLS:
        return MailBoxStartTls(
            host, port, timeout=TIMEOUT_SECONDS, ssl_context=ssl.create_default_context()
        )
    return MailBoxUnencrypted(host, port, timeout=TIMEOUT_SECONDS)


def _login(box: Mailbox) -> BaseMailBox:
    client = _connect(box)
    try:
        return client.login(
            box.imap_user or "", box.imap_password or "", initial_folder=box.imap_folder
        )
    except BaseException:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.client.shutdown()
        raise


def _fetch_raw(client: BaseMailBox, uid: str) -> bytes | None:
    """The exact bytes of one mail, without setting \\Seen (gone meanwhile: None)."""
    status, data = client.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _mark(client: BaseMailBox, box: Mailbox, uid: str) -> None:
    if box.imap_done_folder:
        client.move(uid, box.imap_done_folder)
    else:
        client.flag(uid, MailMessageFlags.SEEN, True)


def _take_in(container: Container, mailbox_id: int, raw: bytes) -> Ingested:
    with container.uow() as uow:
        box = uow.session.get(Mailbox, mailbox_id)
        if box is None:
            raise NotFound("mailbox {mailbox_id} not found", params={"mailbox_id": mailbox_id})
        result = ingest_or_quarantine(uow, container.files, box, raw)
        uow.commit()
        return result


def poll_mailbox(container: Container, mailbox_id: int, *, limit: int | None = None) -> PollResult:
    """Take in the unseen mail of one mailbox (at most ``limit``), oldest first."""
    with container.uow(write=False) as uow:
        box = uow.session.get(Mailbox, mailbox_id)
        if box is None or not box.imap_host:
            raise NotFound(
                "mailbox {mailbox_id} has no IMAP server", params={"mailbox_id": mailbox_id}
            )
        uow.session.expunge(box)
    result = PollResult(mailbox=box.address)
    try:
        with _login(box) as client:
            uids = sorted(client.uids("UNSEEN"), key=int)
            for uid in uids[:limit] if limit is not None else uids:
                raw = _fetch_raw(client, uid)
                if raw is None:
                    continue
                result.fetched += 1
                taken = _take_in(container, mailbox_id, raw)
                result.outcomes[taken.outcome.value] += 1
                result.duplicates += int(taken.duplicate)
                _mark(client, box, uid)  # only now: the mail is committed
    except (TimeoutError, ImapToolsError, imaplib.IMAP4.error, OSError) as exc:
        raise MailServerError(
            "the IMAP server of {address} failed: {problem}",
            params={"address": box.address, "problem": str(exc)[:200] or type(exc).__name__},
        ) from exc
    return result


def pollable(container: Container) -> list[int]:
    """Ids of the active mailboxes that have an IMAP server."""
    with container.uow(write=False) as uow:
        return list(
            uow.session.scalars(
                select(Mailbox.id)
                .where(Mailbox.active, Mailbox.imap_host.is_not(None))
                .order_by(Mailbox.id)
            )
        )
