"""Admin actions of the email channel: support mailboxes and organizations' mail domains."""

from __future__ import annotations

import re

from sqlalchemy import select

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Group, Organization
from rtcdesk.channels.email.models import EmailDomain, Mailbox, UnknownSenderPolicy
from rtcdesk.channels.email.schemas import DomainCreate, MailboxCreate
from rtcdesk.core.errors import Conflict, InvalidInput
from rtcdesk.core.validation import normalize_email, require_text
from rtcdesk.db.uow import UnitOfWork

_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Free mail providers belong to no single organization: their users are matched one by one.
FREE_MAIL = frozenset(
    {
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
        "sohu.com", "aliyun.com", "139.com", "189.cn", "gmail.com", "outlook.com",
        "hotmail.com", "live.com", "yahoo.com", "icloud.com", "me.com", "proton.me",
    }
)  # fmt: skip


def create_mailbox(uow: UnitOfWork, actor: Actor, data: MailboxCreate) -> Mailbox:
    """Add a support address (admins)."""
    access.require_admin(actor)
    address = normalize_email(data.address)
    if uow.session.scalar(select(Mailbox.id).where(Mailbox.address == address)):
        raise Conflict(
            "{address} is already a mailbox", params={"address": address}, field="address"
        )
    if data.group_id is not None and uow.session.get(Group, data.group_id) is None:
        raise InvalidInput(
            "group {group_id} does not exist", params={"group_id": data.group_id}, field="group_id"
        )
    org_id = data.unknown_organization_id
    if org_id is not None and uow.session.get(Organization, org_id) is None:
        raise InvalidInput(
            "organization {org_id} does not exist",
            params={"org_id": org_id},
            field="unknown_organization_id",
        )
    if data.unknown_sender_policy is UnknownSenderPolicy.CREATE and org_id is None:
        raise InvalidInput(
            "creating tickets for unknown senders needs the organization they go to",
            field="unknown_organization_id",
        )
    if data.imap_host and not (data.imap_user and data.imap_password is not None):
        raise InvalidInput("polling IMAP needs a user and a password", field="imap_user")
    mailbox = Mailbox(
        address=address,
        name=require_text(data.name, "name", max_length=200),
        group_id=data.group_id,
        category=data.category,
        language=data.language,
        unknown_sender_policy=data.unknown_sender_policy,
        unknown_organization_id=org_id,
        foreign_reply_policy=data.foreign_reply_policy,
        rate_limit_per_hour=data.rate_limit_per_hour,
        active=True,
        imap_host=data.imap_host.strip() if data.imap_host else None,
        imap_port=data.imap_port,
        imap_security=data.imap_security,
        imap_user=data.imap_user,
        imap_password=data.imap_password,
        imap_folder=data.imap_folder,
        imap_done_folder=data.imap_done_folder,
        created_at=uow.clock.now(),
    )
    uow.session.add(mailbox)
    uow.flush()
    return mailbox


def add_domain(uow: UnitOfWork, actor: Actor, data: DomainCreate) -> EmailDomain:
    """Say that mail from ``data.domain`` comes from one organization (admins)."""
    access.require_admin(actor)
    domain = data.domain.strip().lower().rstrip(".")
    if not _DOMAIN.match(domain):
        raise InvalidInput(
            "{domain} is not a mail domain", params={"domain": domain}, field="domain"
        )
    if domain in FREE_MAIL:
        raise InvalidInput(
            "{domain} is a free mail provider; add its users as contacts one by one",
            params={"domain": domain},
            field="domain",
        )
    if uow.session.get(Organization, data.organization_id) is None:
        raise InvalidInput(
            "organization {org_id} does not exist",
            params={"org_id": data.organization_id},
            field="organization_id",
        )
    if uow.session.scalar(select(EmailDomain.id).where(EmailDomain.domain == domain)):
        raise Conflict("{domain} already belongs to an organization", params={"domain": domain})
    row = EmailDomain(domain=domain, organization_id=data.organization_id)
    uow.session.add(row)
    uow.flush()
    return row


def mailbox_for(uow: UnitOfWork, address: str) -> Mailbox | None:
    """The active mailbox of a support address, if there is one."""
    return uow.session.scalar(
        select(Mailbox).where(Mailbox.address == address.strip().lower(), Mailbox.active)
    )
