"""Input of the email channel's admin actions (mailboxes, organization domains)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from rtcdesk.accounts.models import Language
from rtcdesk.channels.email.models import ForeignReplyPolicy, UnknownSenderPolicy
from rtcdesk.core.validation import stored
from rtcdesk.tickets.models import Category

Address = Annotated[str, stored("email_mailboxes.address", min_length=3, max_length=254)]
MailboxName = Annotated[str, stored("email_mailboxes.name", min_length=1, max_length=200)]
Domain = Annotated[str, stored("email_domains.domain", min_length=3, max_length=253)]
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


class DomainCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A mail domain that belongs to one organization."""

    domain: Domain
    organization_id: Id
