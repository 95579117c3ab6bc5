"""Input of the email channel's admin actions (mailboxes, organization domains)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from rtcdesk.accounts.models import Language
from rtcdesk.channels.email.models import ForeignReplyPolicy, ImapSecurity, UnknownSenderPolicy
from rtcdesk.core.validation import stored
from rtcdesk.tickets.models import Category

Address = Annotated[str, stored("email_mailboxes.address", min_length=3, max_length=254)]
MailboxName = Annotated[str, stored("email_mailboxes.name", min_length=1, max_length=200)]
Domain = Annotated[str, stored("email_domains.domain", min_length=3, max_length=253)]
ImapHost = Annotated[str, stored("email_mailboxes.imap_host", min_length=1, max_length=253)]
ImapUser = Annotated[str, stored("email_mailboxes.imap_user", min_length=1, max_length=254)]
ImapPassword = Annotated[str, stored("email_mailboxes.imap_password", max_length=500)]
Folder = Annotated[str, stored("email_mailboxes.imap_folder", min_length=1, max_length=200)]
DoneFolder = Annotated[
    str, stored("email_mailboxes.imap_done_folder", min_length=1, max_length=200)
]
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
PerHour = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class MailboxCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A support address and where its mail goes."""

    address: Address
    name: MailboxName
    group_id: Id | None = None
    category: Category = Category.TROUBLESHOOTING
    language: Language = Language.ZH_CN
    unknown_sender_policy: UnknownSenderPolicy = UnknownSenderPolicy.HOLD
    unknown_organization_id: Id | None = None
    foreign_reply_policy: ForeignReplyPolicy = ForeignReplyPolicy.HOLD
    rate_limit_per_hour: PerHour = 30
    imap_host: ImapHost | None = None
    imap_port: Port | None = None
    imap_security: ImapSecurity = ImapSecurity.SSL
    imap_user: ImapUser | None = None
    imap_password: ImapPassword | None = None
    imap_folder: Folder = "INBOX"
    imap_done_folder: DoneFolder | None = None


class DomainCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A mail domain that belongs to one organization."""

    domain: Domain
    organization_id: Id
