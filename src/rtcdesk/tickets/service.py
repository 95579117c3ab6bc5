"""The only write path for tickets: create, change, reply, attach, link and merge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import BinaryIO

from msgspec import UNSET
from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import PLATFORMS, ActorKind, Agent, Contact, Group, Organization
from rtcdesk.core.errors import Conflict, InvalidInput, PermissionDenied
from rtcdesk.core.validation import normalize_email, normalize_tags, require_text
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.files.sniff import safe_filename, sniff_content_type
from rtcdesk.files.store import FileStore
from rtcdesk.tickets import access, workflow
from rtcdesk.tickets.content import html_to_text, render_markdown, sanitize_html
from rtcdesk.tickets.events import (
    AttachmentStored,
    MessageAdded,
    TicketCreated,
    TicketUpdated,
)
from rtcdesk.tickets.models import (
    Attachment,
    Channel,
    Message,
    MessageKind,
    Status,
    Ticket,
    TicketChange,
    TicketTag,
)
from rtcdesk.tickets.schemas import (
    MessageCreate,
    TicketCreate,
    TicketUpdate,
)

DEFAULT_REOPEN_WINDOW = timedelta(days=14)


def record_change(
    uow: UnitOfWork, actor: Actor, ticket_id: int, field: str, old: object, new: object
) -> None:
    """Add one entry to a ticket's history."""

    def text(value: object) -> str | None:
        if value is None:
            return None
        return str(getattr(value, "value", value))

    uow.session.add(
        TicketChange(
            ticket_id=ticket_id,
            at=uow.clock.now(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_name=actor.name,
            field=field,
            old_value=text(old),
            new_value=text(new),
        )
    )


def _check_platform(platform: str | None) -> str | None:
    if platform is None or platform == "":
        return None
    if platform not in PLATFORMS:
        raise InvalidInput(
            "unknown platform {platform!r}; allowed: {allowed}",
            params={"platform": platform, "allowed": ", ".join(PLATFORMS)},
            field="platform",
        )
    return platform


def _agent_name(uow: UnitOfWork, agent_id: int | None) -> str | None:
    if agent_id is None:
        return None
    agent = uow.session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise InvalidInput(
            "agent {agent_id} is not an active agent",
            params={"agent_id": agent_id},
            field="assignee_id",
        )
    return agent.name


def _group_name(uow: UnitOfWork, group_id: int | None) -> str | None:
    if group_id is None:
        return None
    group = uow.session.get(Group, group_id)
    if group is None:
        raise InvalidInput(
            "group {group_id} does not exist", params={"group_id": group_id}, field="group_id"
        )
    return group.name


def _resolve_requester(
    uow: UnitOfWork, actor: Actor, data: TicketCreate
) -> tuple[int, Contact | None]:
    if actor.kind is ActorKind.CONTACT:
        if data.organization_id not in (None, actor.organization_id) or data.requester_id not in (
            None,
            actor.id,
        ):
            raise PermissionDenied("you can only open tickets for yourself")
        assert actor.id is not None  # noqa: S101  (contacts always have ids)
        return actor.organization_id or 0, uow.session.get(Contact, actor.id)
    if actor.kind is ActorKind.ORGANIZATION_TOKEN:
        org_id = actor.organization_id or 0
        if data.organization_id not in (None, org_id):
            raise PermissionDenied("this token can only open tickets for its own organization")
    else:
        if data.organization_id is None:
            raise InvalidInput("organization_id is required")
        org_id = data.organization_id
        if uow.session.get(Organization, org_id) is None:
            raise InvalidInput("organization {org_id} does not exist", params={"org_id": org_id})
    contact: Contact | None = None
    if data.requester_id is not None:
        contact = uow.session.get(Contact, data.requester_id)
        named = True
    elif data.requester_email:
        email = normalize_email(data.requester_email)
        contact = uow.session.scalar(select(Contact).where(Contact.email == email))
        named = True
    else:
        named = False
    # One answer for "unknown" and "someone else's": neither tells whether the person exists.
    if named and (contact is None or contact.organization_id != org_id):
        raise InvalidInput(
            "the requester is not a contact of this organization",
            field="requester_id" if data.requester_id is not None else "requester_email",
        )
    return org_id, contact


def create_ticket(uow: UnitOfWork, actor: Actor, data: TicketCreate, *, channel: Channel) -> Ticket:
    """Open a ticket with its first message."""
    org_id, requester = _resolve_requester(uow, actor, data)
    if actor.is_customer and (
        data.priority or data.assignee_id or data.group_id or data.tags or data.channel
    ):
        raise PermissionDenied("customers cannot set priority, assignee, group, tags or channel")
    if data.channel is Channel.SYSTEM:
        raise InvalidInput("the channel 'system' is reserved for what rtcdesk writes itself")
    if data.priority is not None and not (data.priority_reason or "").strip():
        raise InvalidInput(
            "overriding the priority needs a reason (priority_reason)", field="priority_reason"
        )
    org = uow.session.get(Organization, org_id)
    assert org is not None  # noqa: S101  (checked in _resolve_requester)
    now = uow.clock.now()
    computed = workflow.priority_for(data.urgency, data.impact)
    _agent_name(uow, data.assignee_id)
    _group_name(uow, data.group_id)
    ticket = Ticket(
        organization_id=org_id,
        requester_id=requester.id if requester else None,
        subject=require_text(data.subject, "subject", max_length=300),
        category=data.category,
        urgency=data.urgency,
        impact=data.impact,
        priority=data.priority or computed,
        priority_override_reason=data.priority_reason if data.priority else None,
        status=Status.NEW,
        channel=data.channel or channel,
        language=(requester.language.value if requester else org.language.value),
        platform=_check_platform(data.platform),
        sdk_version=(data.sdk_version or "").strip() or None,
        app_id=(data.app_id or "").strip() or None,
        assignee_id=data.assignee_id,
        group_id=data.group_id,
        created_at=now,
        updated_at=now,
        last_customer_reply_at=now if actor.is_customer else None,
    )
    ticket.tags = [TicketTag(tag=t) for t in normalize_tags(data.tags)]
    uow.session.add(ticket)
    uow.flush()
    author_is_requester = actor.is_customer
    message = _new_message(
        uow,
        actor,
        ticket,
        body=data.body,
        body_html=data.body_html,
        kind=MessageKind.PUBLIC,
        channel=ticket.channel,
        author_name=(requester.name if requester and author_is_requester else actor.name),
        contact_id=requester.id if requester and author_is_requester else None,
    )
    record_change(uow, actor, ticket.id, "created", None, ticket.status)
    uow.emit(TicketCreated(ticket_id=ticket.id, organization_id=org_id, channel=ticket.channel))
    uow.emit(
        MessageAdded(
            ticket_id=ticket.id, message_id=message.id, kind="public", by_agent=actor.is_agent
        )
    )
    return ticket


def _new_message(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    *,
    body: str,
    body_html: str | None,
    kind: MessageKind,
    channel: Channel,
    author_name: str | None = None,
    contact_id: int | None = None,
) -> Message:
    text = body.strip()
    if not text and not body_html:
        raise InvalidInput("the message is empty", field="body")
    # ``body`` is Markdown; ``body_html`` is the older API field, still accepted and sanitised.
    safe_html = sanitize_html(body_html) if body_html else render_markdown(text)
    message = Message(
        ticket_id=ticket.id,
        kind=kind,
        channel=channel,
        author_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        author_contact_id=(
            contact_id
            if contact_id is not None
            else (actor.id if actor.kind is ActorKind.CONTACT else None)
        ),
        author_name=author_name or actor.name,
        body_text=text or html_to_text(safe_html),
        body_html=safe_html,
        created_at=uow.clock.now(),
    )
    uow.session.add(message)
    uow.flush()
    return message


def update_ticket(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: int,
    data: TicketUpdate,
    *,
    reopen_window: timedelta = DEFAULT_REOPEN_WINDOW,
) -> Ticket:
    """Change ticket properties, recording each change in the history."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    fields = {name for name in data.__struct_fields__ if getattr(data, name) is not UNSET}
    access.check_can_edit_properties(actor, fields)
    if ticket.merged_into_id is not None:
        raise Conflict(
            "ticket {ticket_id} was merged into #{ticket_merged_into_id}",
            params={"ticket_id": ticket_id, "ticket_merged_into_id": ticket.merged_into_id},
        )
    changed: list[str] = []

    def assign(field: str, new: object, shown_old: object = None, shown_new: object = None) -> None:
        old = getattr(ticket, field)
        if old != new:
            setattr(ticket, field, new)
            record_change(
                uow,
                actor,
                ticket.id,
                field,
                shown_old if shown_old is not None else old,
                shown_new if shown_new is not None else new,
            )
            changed.append(field)

    if data.subject is not UNSET:
        assign("subject", require_text(data.subject, "subject", max_length=300))
    if data.category is not UNSET:
        assign("category", data.category)
    if data.platform is not UNSET:
        assign("platform", _check_platform(data.platform))
    if data.sdk_version is not UNSET:
        assign("sdk_version", (data.sdk_version or "").strip() or None)
    if data.app_id is not UNSET:
        assign("app_id", (data.app_id or "").strip() or None)
    if data.urgency is not UNSET:
        assign("urgency", data.urgency)
    if data.impact is not UNSET:
        assign("impact", data.impact)
    _apply_priority(ticket, data, assign)
    if data.assignee_id is not UNSET:
        assign(
            "assignee_id",
            data.assignee_id,
            _agent_name(uow, ticket.assignee_id) if ticket.assignee_id else None,
            _agent_name(uow, data.assignee_id),
        )
    if data.group_id is not UNSET:
        assign(
            "group_id",
            data.group_id,
            _group_name(uow, ticket.group_id) if ticket.group_id else None,
            _group_name(uow, data.group_id),
        )
    if data.tags is not UNSET:
        _set_tags(uow, actor, ticket, normalize_tags(data.tags), changed)
    if data.status is not UNSET:
        _change_status(uow, actor, ticket, data.status, reopen_window, changed)
    if changed:
        ticket.updated_at = uow.clock.now()
        uow.emit(TicketUpdated(ticket_id=ticket.id, fields=tuple(changed)))
    return ticket


def _apply_priority(ticket: Ticket, data: TicketUpdate, assign: Callable[..., None]) -> None:
    if data.priority is not UNSET:
        if data.priority is None:
            # Back to the matrix.
            assign("priority_override_reason", None)
            assign("priority", workflow.priority_for(ticket.urgency, ticket.impact))
            return
        reason = data.priority_reason if data.priority_reason is not UNSET else ""
        if not reason.strip():
            raise InvalidInput(
                "overriding the priority needs a reason (priority_reason)", field="priority_reason"
            )
        assign("priority_override_reason", reason.strip())
        assign("priority", data.priority)
        return
    if ticket.priority_override_reason is None:
        assign("priority", workflow.priority_for(ticket.urgency, ticket.impact))


def _set_tags(
    uow: UnitOfWork, actor: Actor, ticket: Ticket, tags: list[str], changed: list[str]
) -> None:
    old = [t.tag for t in ticket.tags]
    if sorted(old) == sorted(tags):
        return
    ticket.tags = [TicketTag(tag=t) for t in tags]
    record_change(uow, actor, ticket.id, "tags", ", ".join(old) or None, ", ".join(tags) or None)
    changed.append("tags")


def _change_status(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    target: Status,
    reopen_window: timedelta,
    changed: list[str],
) -> None:
    current = ticket.status
    if current == target:
        return
    if actor.is_customer and target not in (Status.SOLVED, Status.OPEN):
        raise PermissionDenied("customers can only mark a ticket solved or reopen it")
    now = uow.clock.now()
    workflow.check_transition(
        current, target, solved_at=ticket.solved_at, now=now, reopen_window=reopen_window
    )
    ticket.status = target
    if target is Status.SOLVED:
        ticket.solved_at = now
    elif target is Status.CLOSED:
        ticket.closed_at = now
    elif current is Status.SOLVED:
        ticket.solved_at = None
        ticket.reopen_count += 1
    record_change(uow, actor, ticket.id, "status", current, target)
    changed.append("status")


def add_message(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: int,
    data: MessageCreate,
    *,
    channel: Channel,
    reopen_window: timedelta = DEFAULT_REOPEN_WINDOW,
) -> Message:
    """Add a public reply or an internal note, and move the status along."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    if data.kind is MessageKind.INTERNAL and not access.can_see_internal(actor):
        raise PermissionDenied("only support staff can write internal notes")
    if ticket.merged_into_id is not None:
        raise Conflict(
            "ticket {ticket_id} was merged into #{ticket_merged_into_id}; reply there",
            params={"ticket_id": ticket_id, "ticket_merged_into_id": ticket.merged_into_id},
        )
    if ticket.status is Status.CLOSED:
        raise Conflict("the ticket is closed; open a new ticket and link this one")
    message = _new_message(
        uow,
        actor,
        ticket,
        body=data.body,
        body_html=data.body_html,
        kind=data.kind,
        channel=channel,
    )
    _claim_attachments(uow, ticket, message, data.attachment_ids)
    now = uow.clock.now()
    if data.kind is MessageKind.PUBLIC:
        if actor.is_agent:
            ticket.last_agent_reply_at = now
            if ticket.first_response_at is None:
                ticket.first_response_at = now
        else:
            ticket.last_customer_reply_at = now
    target = workflow.status_after_reply(
        ticket.status, by_agent=actor.is_agent, kind=data.kind, requested=data.status
    )
    changed: list[str] = []
    if target is not ticket.status:
        if actor.is_customer and ticket.status is Status.SOLVED:
            # A customer's reply to a solved ticket reopens it within the window.
            workflow.check_transition(
                ticket.status,
                target,
                solved_at=ticket.solved_at,
                now=now,
                reopen_window=reopen_window,
            )
        _change_status(uow, actor, ticket, target, reopen_window, changed)
    ticket.updated_at = now
    uow.emit(
        MessageAdded(
            ticket_id=ticket.id,
            message_id=message.id,
            kind=data.kind.value,
            by_agent=actor.is_agent,
        )
    )
    if changed:
        uow.emit(TicketUpdated(ticket_id=ticket.id, fields=tuple(changed)))
    return message


def _claim_attachments(
    uow: UnitOfWork, ticket: Ticket, message: Message, attachment_ids: list[int]
) -> None:
    for attachment_id in dict.fromkeys(attachment_ids):
        attachment = uow.session.get(Attachment, attachment_id)
        if attachment is None or attachment.ticket_id != ticket.id:
            raise InvalidInput(
                "attachment {attachment_id} was not uploaded to this ticket",
                params={"attachment_id": attachment_id},
            )
        if attachment.message_id is not None:
            raise InvalidInput(
                "attachment {attachment_id} already belongs to a message",
                params={"attachment_id": attachment_id},
            )
        attachment.message_id = message.id
        if message.kind is MessageKind.INTERNAL:
            attachment.internal = True


def add_attachment(
    uow: UnitOfWork,
    actor: Actor,
    files: FileStore,
    ticket_id: int,
    *,
    filename: str,
    stream: BinaryIO,
    internal: bool = False,
    message_id: int | None = None,
) -> Attachment:
    """Store a file and attach it to a ticket (and optionally to one of its messages)."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    if internal and not actor.is_agent:
        raise PermissionDenied("only support staff can add internal files")
    blob = files.put_stream(stream)
    if blob.size == 0:
        raise InvalidInput("the file is empty", field="files")
    name = safe_filename(filename)
    attachment = Attachment(
        ticket_id=ticket.id,
        message_id=message_id,
        sha256=blob.sha256,
        size=blob.size,
        content_type=sniff_content_type(blob.head, name),
        filename=name,
        internal=internal,
        uploaded_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        uploaded_by_contact_id=actor.id if actor.kind is ActorKind.CONTACT else None,
        created_at=uow.clock.now(),
    )
    uow.session.add(attachment)
    uow.flush()
    record_change(
        uow, actor, ticket.id, "internal_attachment" if internal else "attachment", None, name
    )
    ticket.updated_at = uow.clock.now()
    uow.emit(
        AttachmentStored(
            ticket_id=ticket.id,
            attachment_id=attachment.id,
            sha256=attachment.sha256,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
        )
    )
    return attachment


SLA_ACTOR = Actor(kind=ActorKind.SYSTEM, id=None, name="rtcdesk SLA")


def set_sla_due(
    uow: UnitOfWork,
    ticket: Ticket,
    *,
    due_at: datetime | None,
    first_response_due: datetime | None,
) -> None:
    """Keep the SLA deadline fields lists sort by and customers see (SLA domain only)."""
    if ticket.sla_due_at != due_at:
        ticket.sla_due_at = due_at
    if ticket.first_response_due != first_response_due:
        ticket.first_response_due = first_response_due


def record_sla_threshold(uow: UnitOfWork, ticket_id: int, target: str, reached: str) -> None:
    """Put an SLA warning or breach on a ticket's history (``reached``: "75% / 1h", "breached")."""
    record_change(uow, SLA_ACTOR, ticket_id, f"sla_{target}", None, reached)
