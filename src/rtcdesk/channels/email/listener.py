"""The inbound SMTP listener (aiosmtpd): for deployments that route mail straight to us.

It accepts mail only for our support addresses (any other recipient is refused at RCPT,
so it is never an open relay) and answers 250 only after the mail is committed through
the same ingestion the IMAP poller uses; if that fails the sender hears 451 and retries
later, as mail servers do, so nothing accepted is lost. A mail to two of our addresses is
taken in once (its Message-ID).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller

from rtcdesk.channels.email import service
from rtcdesk.channels.email.ingest import ingest_or_quarantine
from rtcdesk.channels.email.models import Mailbox
from rtcdesk.channels.email.parse import MailLimits

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

MAX_RECIPIENTS = 50


class IngestHandler:
    """aiosmtpd handler: RCPT checks the address, DATA takes the mail in and commits."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def _mailbox_id(self, address: str) -> int | None:
        with self.container.uow(write=False) as uow:
            box = service.mailbox_for(uow, address)
            return box.id if box is not None else None

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Accept our support addresses only."""
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        if await asyncio.to_thread(self._mailbox_id, address) is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _take_in(self, address: str, raw: bytes) -> None:
        with self.container.uow() as uow:
            box = uow.session.get(Mailbox, self._mailbox_id(address))
            if box is None:
                raise LookupError(address)
            ingest_or_quarantine(uow, self.container.files, box, raw)
            uow.commit()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Commit the mail, then say 250; on any failure 451 (the sender retries)."""
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes) or not envelope.rcpt_tos:
            return "554 5.6.0 No message"
        try:
            await asyncio.to_thread(self._take_in, envelope.rcpt_tos[0], raw)
        except Exception:  # the sender keeps the mail and tries again: nothing is lost
            return "451 4.3.0 Temporary failure, try again later"
        return "250 2.0.0 Message accepted"


def controller(container: Container, host: str, port: int) -> Controller:
    """A listener on ``host:port`` (start it with ``.start()``, stop with ``.stop()``)."""
    return Controller(
        IngestHandler(container),
        hostname=host,
        port=port,
        data_size_limit=MailLimits().max_bytes,
        decode_data=False,
    )
