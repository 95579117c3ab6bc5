"""Shared steps of the ticket pages: turning form posts into service calls."""

from __future__ import annotations

from typing import Any

from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import parse_id, validated
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.files.store import FileStore
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Category, Channel, Impact, MessageKind, Status, Urgency
from rtcdesk.tickets.schemas import MessageCreate, TicketCreate
from rtcdesk.web.forms import FormData


def enum_value(enum_cls: Any, raw: str, what: str) -> Any:
    """Parse form field ``what`` into ``enum_cls`` with a readable error."""
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput(
            "{what}: {raw!r} is not a valid choice", params={"what": what, "raw": raw}, field=what
        ) from None


def optional_int(raw: str, what: str, *, field: str | None = None) -> int | None:
    """An optional whole number from a form field (``field``, called ``what`` in messages)."""
    return parse_id(raw, what, field=field) if raw else None


def ticket_from_form(form: FormData, *, for_agent: bool) -> TicketCreate:
    """Build a TicketCreate from the new-ticket form (portal or console)."""
    subject, body = form.get("subject"), form.get("body")
    if not subject:
        raise InvalidInput("please give the ticket a subject", field="subject")
    if not body:
        raise InvalidInput("please describe the problem", field="body")
    data = TicketCreate(
        subject=subject,
        body=body,
        category=enum_value(Category, form.get("category") or "troubleshooting", "category"),
        urgency=enum_value(Urgency, form.get("urgency") or "medium", "urgency"),
        impact=enum_value(Impact, form.get("impact") or "medium", "impact"),
        platform=form.get("platform") or None,
        sdk_version=form.get("sdk_version") or None,
        app_id=form.get("app_id") or None,
    )
    if for_agent:
        data.organization_id = optional_int(form.get("organization_id"), "organization")
        data.requester_id = optional_int(
            form.get("requester_id"), "requester", field="requester_id"
        )
        data.channel = enum_value(Channel, form.get("channel") or "phone", "channel")
    return validated(data)


def attach_files(
    uow: UnitOfWork,
    actor: Actor,
    files: FileStore,
    ticket_id: int,
    form: FormData,
    *,
    internal: bool = False,
    message_id: int | None = None,
) -> list[int]:
    """Store every file of the form on the ticket; returns the attachment ids."""
    ids = []
    for filename, stream in form.files:
        attachment = service.add_attachment(
            uow,
            actor,
            files,
            ticket_id,
            filename=filename,
            stream=stream,
            internal=internal,
            message_id=message_id,
        )
        ids.append(attachment.id)
    return ids


def reply_from_form(
    uow: UnitOfWork,
    actor: Actor,
    files: FileStore,
    ticket_id: int,
    form: FormData,
    *,
    channel: Channel,
    reopen_window: Any,
) -> None:
    """Post a reply/note with its files (and an optional status change)."""
    kind = MessageKind.INTERNAL if form.get("kind") == "internal" else MessageKind.PUBLIC
    body = form.get("body")
    status = enum_value(Status, form.get("status"), "status") if form.get("status") else None
    if not body:
        if form.files:
            body = "(files attached)"
        else:
            raise InvalidInput("the message is empty", field="body")
    attachment_ids = attach_files(
        uow, actor, files, ticket_id, form, internal=kind is MessageKind.INTERNAL
    )
    service.add_message(
        uow,
        actor,
        ticket_id,
        validated(
            MessageCreate(body=body, kind=kind, status=status, attachment_ids=attachment_ids)
        ),
        channel=channel,
        reopen_window=reopen_window,
    )
