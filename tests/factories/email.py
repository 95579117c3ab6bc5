"""Support mailboxes, organization mail domains and raw mails for email channel tests."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import formataddr

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Language, Organization
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email import service
from rtcdesk.channels.email.models import (
    EmailDomain,
    ForeignReplyPolicy,
    Mailbox,
    UnknownSenderPolicy,
)
from rtcdesk.channels.email.schemas import DomainCreate, MailboxCreate

_seq = itertools.count(1)


def mailbox(
    container: Container,
    *,
    address: str = "support@rtcdesk.example",
    group_id: int | None = None,
    unknown: str = "hold",
    unknown_org: Organization | None = None,
    foreign: str = "hold",
    per_hour: int = 30,
    language: str = "zh-CN",
) -> Mailbox:
    """A committed support mailbox."""
    with container.uow() as uow:
        created = service.create_mailbox(
            uow,
            SYSTEM,
            MailboxCreate(
                address=address,
                name="Support",
                group_id=group_id,
                language=Language(language),
                unknown_sender_policy=UnknownSenderPolicy(unknown),
                unknown_organization_id=unknown_org.id if unknown_org else None,
                foreign_reply_policy=ForeignReplyPolicy(foreign),
                rate_limit_per_hour=per_hour,
            ),
        )
        uow.commit()
        return created


def domain(container: Container, org: Organization, name: str) -> EmailDomain:
    """A committed mail domain of ``org``."""
    with container.uow() as uow:
        created = service.add_domain(uow, SYSTEM, DomainCreate(domain=name, organization_id=org.id))
        uow.commit()
        return created


def raw_mail(
    sender: str,
    *,
    subject: str = "视频通话卡顿 video stalls",
    body: str = "您好，Android 端视频卡顿。",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    name: str = "",
    to: str = "support@rtcdesk.example",
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """A raw UTF-8 mail as a customer's client sends it."""
    message = EmailMessage()
    message["From"] = formataddr((name, sender)) if name else sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<m{next(_seq)}@client.example>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(body)
    for filename, data in attachments:
        message.add_attachment(
            data, maintype="application", subtype="octet-stream", filename=filename
        )
    return message.as_bytes()
