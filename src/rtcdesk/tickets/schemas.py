"""Request and response bodies for tickets, messages, attachments, history and links."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.core.validation import Id, stored
from rtcdesk.sla.schemas import SlaOut
from rtcdesk.tickets.models import (
    Category,
    Channel,
    Impact,
    LinkKind,
    MessageKind,
    Priority,
    Status,
    Urgency,
)

# Each text field that is stored names its column: tests/unit/test_stored_lengths.py holds
# the limits here against the columns' sizes.
Subject = Annotated[str, stored("tickets.subject", min_length=1, max_length=300)]
Body = Annotated[str, stored("messages.body_text", min_length=1, max_length=200_000)]
BodyHtml = Annotated[str, stored("messages.body_html", max_length=400_000)]
Platform = Annotated[str, stored("tickets.platform", max_length=32)]
SdkVersion = Annotated[str, stored("tickets.sdk_version", max_length=64)]
AppId = Annotated[str, stored("tickets.app_id", max_length=128)]
PriorityReason = Annotated[str, stored("tickets.priority_override_reason", max_length=2000)]
Tags = Annotated[
    list[Annotated[str, stored("ticket_tags.tag", max_length=64)]], Meta(max_length=30)
]
# A requester is looked up by email, never stored from here.
RequesterEmail = Annotated[str, Meta(max_length=254)]
AttachmentIds = Annotated[list[Id], Meta(max_length=100)]
# Saved filters are the ticket list's query parameters: a few short keys and values.
Filters = Annotated[
    dict[Annotated[str, Meta(max_length=32)], Annotated[str, Meta(max_length=1000)]],
    Meta(max_length=30),
]


class TicketCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new ticket. Customers leave out organization/requester: they are the caller."""

    subject: Subject
    body: Body
    category: Category = Category.TROUBLESHOOTING
    urgency: Urgency = Urgency.MEDIUM
    impact: Impact = Impact.MEDIUM
    platform: Platform | None = None
    sdk_version: SdkVersion | None = None
    app_id: AppId | None = None
    organization_id: Id | None = None
    requester_id: Id | None = None
    requester_email: RequesterEmail | None = None
    channel: Channel | None = None
    priority: Priority | None = None
    priority_reason: PriorityReason | None = None
    assignee_id: Id | None = None
    group_id: Id | None = None
    tags: Tags = msgspec.field(default_factory=list)
    body_html: BodyHtml | None = None


class TicketUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay. Setting ``priority`` needs a reason."""

    subject: Subject | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    urgency: Urgency | UnsetType = UNSET
    impact: Impact | UnsetType = UNSET
    priority: Priority | UnsetType | None = UNSET
    priority_reason: PriorityReason | UnsetType = UNSET
    status: Status | UnsetType = UNSET
    platform: Platform | UnsetType | None = UNSET
    sdk_version: SdkVersion | UnsetType | None = UNSET
    app_id: AppId | UnsetType | None = UNSET
    assignee_id: Id | UnsetType | None = UNSET
    group_id: Id | UnsetType | None = UNSET
    tags: Tags | UnsetType = UNSET


class MessageCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A reply or an internal note, optionally changing the status at the same time."""

    body: Body
    kind: MessageKind = MessageKind.PUBLIC
    body_html: BodyHtml | None = None
    status: Status | None = None
    attachment_ids: AttachmentIds = msgspec.field(default_factory=list)


class LinkCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Link this ticket to another."""

    target_id: Id
    kind: LinkKind = LinkKind.RELATED


class MergeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Merge this ticket (a duplicate) into ``target_id``."""

    target_id: Id


class AttachmentOut(msgspec.Struct):
    """A file on a ticket."""

    id: int
    ticket_id: int
    message_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    internal: bool
    created_at: datetime
    download_url: str


class MessageOut(msgspec.Struct):
    """A reply or note."""

    id: int
    ticket_id: int
    kind: MessageKind
    channel: Channel
    author_name: str
    author_agent_id: int | None
    author_contact_id: int | None
    body_text: str
    body_html: str
    created_at: datetime
    attachments: list[AttachmentOut]


class CustomerMessageOut(msgspec.Struct):
    """A public reply as its customer sees it: whether the support team wrote it, but not
    which agent (no internal ids)."""

    id: int
    ticket_id: int
    kind: MessageKind
    channel: Channel
    author_name: str
    from_support: bool
    author_contact_id: int | None
    body_text: str
    body_html: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TicketOut(msgspec.Struct):
    """A ticket as the API shows it."""

    id: int
    organization_id: int
    requester_id: int | None
    subject: str
    category: Category
    urgency: Urgency
    impact: Impact
    priority: Priority
    priority_override_reason: str | None
    status: Status
    channel: Channel
    language: str
    platform: str | None
    sdk_version: str | None
    app_id: str | None
    assignee_id: int | None
    group_id: int | None
    merged_into_id: int | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    # The earliest deadline of a clock still open (running, or breached and not answered).
    sla_due_at: datetime | None = None
    # Live SLA clocks, policy version and calendar (null: no SLA policy applies).
    sla: SlaOut | None = None


class CustomerTicketOut(msgspec.Struct):
    """A ticket as its customer (a contact or an organization token) sees it: without the
    support team's internal fields (priority reason, assignee, group, tags)."""

    id: int
    organization_id: int
    requester_id: int | None
    subject: str
    category: Category
    urgency: Urgency
    impact: Impact
    priority: Priority
    status: Status
    channel: Channel
    language: str
    platform: str | None
    sdk_version: str | None
    app_id: str | None
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    # The first-response promise: we answer by then (null once answered or without an SLA).
    first_response_due: datetime | None


class ChangeOut(msgspec.Struct):
    """One entry of a ticket's history."""

    id: int
    at: datetime
    actor_kind: str
    actor_name: str
    field: str
    old_value: str | None
    new_value: str | None


class LinkOut(msgspec.Struct):
    """A link between two tickets."""

    id: int
    source_id: int
    target_id: int
    kind: LinkKind
    created_at: datetime


class TicketPage(msgspec.Struct):
    """One page of a ticket list, with the cursor of the next page."""

    items: list[TicketOut]
    next_cursor: str | None


class CustomerTicketPage(msgspec.Struct):
    """One page of a customer's ticket list, with the cursor of the next page."""

    items: list[CustomerTicketOut]
    next_cursor: str | None


class SavedViewCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A named ticket filter."""

    name: Annotated[str, stored("saved_views.name", min_length=1, max_length=120)]
    filters: Filters
    shared: bool = False


class SavedViewOut(msgspec.Struct):
    """A saved ticket filter."""

    id: int
    agent_id: int
    name: str
    filters: dict[str, str]
    shared: bool
