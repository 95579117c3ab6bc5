"""``rtcdesk email ...``: support mailboxes, organizations' mail domains, IMAP polling and
the inbound SMTP listener (registered in main)."""

from __future__ import annotations

import signal
import threading
import time
from enum import StrEnum

import click
from sqlalchemy import select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Language
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email import poller, service
from rtcdesk.channels.email.models import (
    ForeignReplyPolicy,
    ImapSecurity,
    Mailbox,
    UnknownSenderPolicy,
)
from rtcdesk.channels.email.schemas import DomainCreate, MailboxCreate
from rtcdesk.cli.database import open_container
from rtcdesk.config import Settings
from rtcdesk.core.errors import NotFound
from rtcdesk.core.validation import validated
from rtcdesk.tickets.models import Category


def _container(ctx: click.Context) -> Container:
    found = ctx.find_object(Container)
    if found is not None:
        return found
    container = open_container(Settings())
    ctx.call_on_close(container.dispose)
    ctx.find_root().obj = container
    return container


def _choice(enum: type[StrEnum]) -> click.Choice[str]:
    return click.Choice([member.value for member in enum])


@click.group("email")
def email() -> None:
    """The email channel: mailboxes, mail domains, polling IMAP, the SMTP listener."""


@email.command("mailbox-add")
@click.argument("address")
@click.option("--name", default="Support", show_default=True)
@click.option("--group-id", type=int, default=None, help="The group new tickets go to.")
@click.option("--category", type=_choice(Category), default="troubleshooting", show_default=True)
@click.option("--language", type=_choice(Language), default="zh-CN", show_default=True)
@click.option("--unknown", type=_choice(UnknownSenderPolicy), default="hold", show_default=True)
@click.option("--unknown-organization-id", type=int, default=None)
@click.option("--foreign", type=_choice(ForeignReplyPolicy), default="hold", show_default=True)
@click.option("--per-hour", type=int, default=30, show_default=True, help="Mails per sender.")
@click.option("--imap-host", default=None)
@click.option("--imap-port", type=int, default=None)
@click.option("--imap-security", type=_choice(ImapSecurity), default="ssl", show_default=True)
@click.option("--imap-user", default=None)
@click.option("--imap-password", envvar="RTCDESK_IMAP_PASSWORD", default=None)
@click.option("--imap-folder", default="INBOX", show_default=True)
@click.option("--imap-done-folder", default=None, help="Move taken-in mail here.")
@click.pass_context
def mailbox_add(ctx: click.Context, /, address: str, **options: str | int | None) -> None:
    """Add a support address (the IMAP password may come from RTCDESK_IMAP_PASSWORD)."""
    data = MailboxCreate(
        address=address,
        name=str(options["name"]),
        group_id=_int(options["group_id"]),
        category=Category(str(options["category"])),
        language=Language(str(options["language"])),
        unknown_sender_policy=UnknownSenderPolicy(str(options["unknown"])),
        unknown_organization_id=_int(options["unknown_organization_id"]),
        foreign_reply_policy=ForeignReplyPolicy(str(options["foreign"])),
        rate_limit_per_hour=int(options["per_hour"] or 30),
        imap_host=_str(options["imap_host"]),
        imap_port=_int(options["imap_port"]),
        imap_security=ImapSecurity(str(options["imap_security"])),
        imap_user=_str(options["imap_user"]),
        imap_password=_str(options["imap_password"]),
        imap_folder=str(options["imap_folder"]),
        imap_done_folder=_str(options["imap_done_folder"]),
    )
    with _container(ctx).uow() as uow:
        row = service.create_mailbox(uow, SYSTEM, validated(data))
        uow.commit()
    click.echo(f"mailbox {row.id}: {row.address}")


def _int(value: str | int | None) -> int | None:
    return None if value is None else int(value)


def _str(value: str | int | None) -> str | None:
    return None if value is None else str(value)


@email.command("mailboxes")
@click.pass_context
def mailboxes(ctx: click.Context) -> None:
    """List the support addresses."""
    with _container(ctx).uow(write=False) as uow:
        rows = uow.session.scalars(select(Mailbox).order_by(Mailbox.id)).all()
        for row in rows:
            imap = f"{row.imap_user}@{row.imap_host}/{row.imap_folder}" if row.imap_host else "-"
            click.echo(f"{row.id}\t{row.address}\t{row.unknown_sender_policy}\t{imap}")
        if not rows:
            click.echo("no mailboxes yet")


@email.command("domain-add")
@click.argument("domain")
@click.option("--organization-id", type=int, required=True)
@click.pass_context
def domain_add(ctx: click.Context, domain: str, organization_id: int) -> None:
    """Say that mail from DOMAIN comes from one organization."""
    with _container(ctx).uow() as uow:
        data = validated(DomainCreate(domain=domain, organization_id=organization_id))
        row = service.add_domain(uow, SYSTEM, data)
        uow.commit()
    click.echo(f"{row.domain} -> organization {row.organization_id}")


@email.command("poll")
@click.option("--mailbox", "address", default=None, help="One mailbox (default: all).")
@click.option("--limit", type=int, default=None, help="At most this many mails per mailbox.")
@click.option("--every", type=float, default=None, help="Keep polling, every this many seconds.")
@click.pass_context
def poll(ctx: click.Context, address: str | None, limit: int | None, every: float | None) -> None:
    """Take in unseen IMAP mail; each is marked seen only after it is committed."""
    container = _container(ctx)
    if address:
        with container.uow(write=False) as uow:
            box = service.mailbox_for(uow, address)
            if box is None:
                raise NotFound("no mailbox {address}", params={"address": address})
            ids = [box.id]
    else:
        ids = poller.pollable(container)
    while True:
        for mailbox_id in ids:
            result = poller.poll_mailbox(container, mailbox_id, limit=limit)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())) or "-"
            click.echo(
                f"{result.mailbox}: fetched {result.fetched}, duplicates {result.duplicates}"
                f" ({counts})"
            )
        if every is None:
            return
        time.sleep(every)


@email.command("listen")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=2525, show_default=True)
@click.pass_context
def listen(ctx: click.Context, host: str, port: int) -> None:
    """Receive mail over SMTP for the support addresses (until stopped)."""
    from rtcdesk.channels.email.listener import controller

    server = controller(_container(ctx), host, port)
    server.start()
    click.echo(f"listening for mail on {host}:{port}")
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        server.stop()
