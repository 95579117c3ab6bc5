"""Reads of tickets for the API and pages: filtered lists, detail, conversation, history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.pagination import CursorKind, clamp_limit, decode_cursor, encode_cursor
from rtcdesk.core.validation import parse_id, utc_instant
from rtcdesk.db.base import UTCDateTime
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.search import queries as search_queries
from rtcdesk.sla import queries as sla_queries
from rtcdesk.tickets import access
from rtcdesk.tickets.models import (
    Attachment,
    Category,
    Channel,
    Message,
    MessageKind,
    Priority,
    Status,
    Ticket,
    TicketChange,
    TicketLink,
    TicketTag,
)
from rtcdesk.tickets.output import (
    attachment_out,
    customer_message_out,
    customer_ticket_out,
    message_out,
    ticket_out,
)
from rtcdesk.tickets.schemas import (
    AttachmentOut,
    ChangeOut,
    CustomerMessageOut,
    CustomerTicketPage,
    LinkOut,
    MessageOut,
    TicketPage,
)
from rtcdesk.tickets.workflow import OPEN_STATUSES

# Tickets without an open deadline sort after every ticket that has one.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)
SLA_DUE = func.coalesce(Ticket.sla_due_at, literal(NO_DEADLINE, UTCDateTime()))
SLA_FILTERS = ("breached", "soon", "due")
DEFAULT_WITHIN_HOURS = 4

SORTS: dict[str, Any] = {
    "created_at": Ticket.created_at,
    "updated_at": Ticket.updated_at,
    "priority": Ticket.priority,
    "id": Ticket.id,
    "sla_due_at": SLA_DUE,
}
SORT_KINDS: dict[str, CursorKind] = {
    "created_at": "datetime",
    "updated_at": "datetime",
    "priority": "text",
    "id": "id",
    "sla_due_at": "datetime",
}
FILTER_KEYS = (
    "status",
    "priority",
    "category",
    "channel",
    "assignee",
    "group_id",
    "organization_id",
    "requester_id",
    "platform",
    "tag",
    "q",
    "created_after",
    "created_before",
    "sla",
    "within",
)


@dataclass
class TicketFilters:
    """What a ticket list is narrowed to; every field optional."""

    status: list[Status] = field(default_factory=list)
    priority: list[Priority] = field(default_factory=list)
    category: list[Category] = field(default_factory=list)
    channel: list[Channel] = field(default_factory=list)
    assignee: str | None = None  # "me", "none" or an agent id
    group_id: int | None = None
    organization_id: int | None = None
    requester_id: int | None = None
    platform: str | None = None
    tag: str | None = None
    q: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    # breached: an open clock is past its deadline; soon: one breaches within ``within``
    # hours; due: either. ``now`` is the instant they are judged at (the caller's clock).
    sla: str | None = None
    within: timedelta = timedelta(hours=DEFAULT_WITHIN_HOURS)
    now: datetime | None = None

    @classmethod
    def from_params(cls, params: dict[str, str], *, now: datetime | None = None) -> TicketFilters:
        """Parse query-string style filters, with clear errors for bad values."""
        filters = cls(now=now)

        def enums(key: str, enum_cls: Any) -> list[Any]:
            raw = params.get(key, "")
            out = []
            for part in (p.strip() for p in raw.split(",") if p.strip()):
                if key == "status" and part == "unsolved":
                    out.extend(sorted(OPEN_STATUSES))
                    continue
                try:
                    out.append(enum_cls(part))
                except ValueError:
                    allowed = ", ".join(m.value for m in enum_cls)
                    raise InvalidInput(
                        "{key}={part!r} is not one of: {allowed}",
                        params={"key": key, "part": part, "allowed": allowed},
                    ) from None
            return out

        def integer(key: str) -> int | None:
            raw = params.get(key)
            return None if raw in (None, "") else parse_id(raw, key, field=key)

        def when(key: str) -> datetime | None:
            raw = params.get(key)
            if not raw:
                return None
            try:
                value = datetime.fromisoformat(raw)
            except ValueError:
                raise InvalidInput(
                    "{key} must be an ISO 8601 date/time, not {raw!r}",
                    params={"key": key, "raw": raw},
                ) from None
            return utc_instant(value, key)

        filters.status = enums("status", Status)
        filters.priority = enums("priority", Priority)
        filters.category = enums("category", Category)
        filters.channel = enums("channel", Channel)
        assignee = params.get("assignee") or None
        if assignee not in (None, "me", "none"):
            integer("assignee")
        filters.assignee = assignee
        filters.group_id = integer("group_id")
        filters.organization_id = integer("organization_id")
        filters.requester_id = integer("requester_id")
        filters.platform = params.get("platform") or None
        filters.tag = (params.get("tag") or "").strip().lower() or None
        q = (params.get("q") or "").strip()
        if len(q) > 200:
            raise InvalidInput("the search text is longer than 200 characters")
        filters.q = q or None
        filters.created_after = when("created_after")
        filters.created_before = when("created_before")
        sla = (params.get("sla") or "").strip() or None
        if sla is not None and sla not in SLA_FILTERS:
            raise InvalidInput(
                "sla={sla!r} is not one of: {allowed}",
                params={"sla": sla, "allowed": ", ".join(SLA_FILTERS)},
                field="sla",
            )
        filters.sla = sla
        within = (params.get("within") or "").strip()
        if within:
            if not within.isdigit() or not 1 <= int(within) <= 24 * 30:
                raise InvalidInput(
                    "within must be a number of hours from 1 to 720, not {within!r}",
                    params={"within": within},
                    field="within",
                )
            filters.within = timedelta(hours=int(within))
        return filters

    def apply(self, stmt: Select[Any], actor: Actor) -> Select[Any]:
        """Add these filters to a SELECT over tickets."""
        conds = self.conditions(actor)
        return stmt.where(*conds) if conds else stmt

    def conditions(self, actor: Actor) -> list[ColumnElement[bool]]:
        """These filters as SQL conditions on the tickets table (empty: every ticket).

        Customers cannot filter by what their view of a ticket does not show (assignee,
        group, tags): the list would tell them the hidden values one guess at a time.
        """
        if not access.can_see_internal(actor):
            staff_only = [
                key
                for key, value in (
                    ("assignee", self.assignee),
                    ("group_id", self.group_id),
                    ("tag", self.tag),
                )
                if value is not None
            ]
            if staff_only:
                raise InvalidInput(
                    "customers cannot filter tickets by {fields}",
                    params={"fields": ", ".join(staff_only)},
                )
        conds: list[ColumnElement[bool]] = []
        if self.status:
            conds.append(Ticket.status.in_(self.status))
        if self.priority:
            conds.append(Ticket.priority.in_(self.priority))
        if self.category:
            conds.append(Ticket.category.in_(self.category))
        if self.channel:
            conds.append(Ticket.channel.in_(self.channel))
        if self.assignee == "me":
            conds.append(Ticket.assignee_id == actor.id)
        elif self.assignee == "none":
            conds.append(Ticket.assignee_id.is_(None))
        elif self.assignee is not None:
            conds.append(Ticket.assignee_id == int(self.assignee))
        if self.group_id is not None:
            conds.append(Ticket.group_id == self.group_id)
        if self.organization_id is not None:
            conds.append(Ticket.organization_id == self.organization_id)
        if self.requester_id is not None:
            conds.append(Ticket.requester_id == self.requester_id)
        if self.platform:
            conds.append(Ticket.platform == self.platform)
        if self.tag:
            conds.append(
                Ticket.id.in_(select(TicketTag.ticket_id).where(TicketTag.tag == self.tag))
            )
        if self.q:
            # The search index (subject, SDK version, messages; internal notes for staff
            # only), kept up to date by the search.index job after every change.
            conds.append(Ticket.id.in_(search_queries.matching_ticket_ids(actor, self.q)))
        if self.created_after is not None:
            conds.append(Ticket.created_at >= self.created_after)
        if self.created_before is not None:
            conds.append(Ticket.created_at < self.created_before)
        if self.sla is not None:
            if self.now is None:
                raise InvalidInput("filtering by SLA needs the current time")
            horizon = self.now + self.within
            if self.sla == "breached":
                conds.append(Ticket.sla_due_at < self.now)
            elif self.sla == "soon":
                conds.append(and_(Ticket.sla_due_at >= self.now, Ticket.sla_due_at < horizon))
            else:
                conds.append(Ticket.sla_due_at < horizon)
        return conds


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """Return (column name, descending) from ``created_at`` / ``-updated_at`` style input."""
    raw = (sort or "-updated_at").strip()
    descending = raw.startswith("-")
    name = raw.lstrip("-")
    if name not in SORTS:
        raise InvalidInput(
            "cannot sort by {name!r}; use one of: {allowed}",
            params={"name": name, "allowed": ", ".join(SORTS)},
        )
    return name, descending


def list_tickets(
    uow: UnitOfWork,
    actor: Actor,
    filters: TicketFilters,
    *,
    sort: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
    with_requester: bool = False,
) -> tuple[list[Ticket], str | None]:
    """One page of the tickets ``actor`` may see, and the cursor for the next page.

    ``with_requester`` loads each ticket's requester (and their organization) in one more
    query, for lists that show who asked.
    """
    name, descending = parse_sort(sort)
    page_size = clamp_limit(limit)
    stmt = filters.apply(select(Ticket).where(access.visible_tickets(actor)), actor)
    if with_requester:
        stmt = stmt.options(selectinload(Ticket.requester))
    after: tuple[Any, int] | None = None
    if cursor:
        value, last_id = decode_cursor(cursor, ("-" if descending else "") + name, SORT_KINDS[name])
        if name == "priority":
            try:
                value = Priority(value)
            except ValueError:
                raise InvalidInput("the cursor is not valid; start again") from None
        after = (value, last_id)
    if name == "sla_due_at":
        rows = _by_deadline(uow, stmt, descending, after, page_size + 1)
    else:
        rows = _keyset(uow, stmt, SORTS[name], descending, after, page_size + 1)
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        value = getattr(last, name)
        if name == "sla_due_at" and value is None:
            value = NO_DEADLINE
        next_cursor = encode_cursor(("-" if descending else "") + name, value, last.id)
    return rows, next_cursor


def _keyset(
    uow: UnitOfWork,
    stmt: Select[tuple[Ticket]],
    column: Any,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[Ticket]:
    """Up to ``limit`` rows of ``stmt`` in (column, id) order, after the cursor's position."""
    if after is not None:
        value, last_id = after
        if column is Ticket.id:
            stmt = stmt.where(Ticket.id < last_id if descending else Ticket.id > last_id)
        elif descending:
            stmt = stmt.where(or_(column < value, and_(column == value, Ticket.id < last_id)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, Ticket.id > last_id)))
    order: list[Any]
    if column is Ticket.id:
        order = [Ticket.id.desc() if descending else Ticket.id.asc()]
    else:
        order = [column.desc(), Ticket.id.desc()] if descending else [column.asc(), Ticket.id]
    return list(uow.session.scalars(stmt.order_by(*order).limit(limit)))


def _by_deadline(
    uow: UnitOfWork,
    stmt: Select[tuple[Ticket]],
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[Ticket]:
    """Rows in time-to-breach order: tickets with a deadline by it, then those without.

    The same order as sorting on ``SLA_DUE`` (no deadline = the end of time), read as two
    index-ordered queries, because no index serves an order on the COALESCE itself: sorting
    100,000 tickets by it cost ~90 ms, reading the deadline index costs a few.
    """
    dated = (stmt.where(Ticket.sla_due_at.is_not(None)), Ticket.sla_due_at)
    undated = (stmt.where(Ticket.sla_due_at.is_(None)), Ticket.id)
    phases = [undated, dated] if descending else [dated, undated]
    if after is not None and after[0] == NO_DEADLINE:
        # The cursor is among the tickets without a deadline (ordered by id alone).
        after = (after[1], after[1])
        phases = [undated] if not descending else phases
    elif after is not None and descending:
        phases = [dated]  # past every ticket without a deadline already
    rows: list[Ticket] = []
    for index, (phase, column) in enumerate(phases):
        position = after if index == 0 else None
        rows += _keyset(uow, phase, column, descending, position, limit - len(rows))
        if len(rows) >= limit:
            break
    return rows


def ticket_page(
    uow: UnitOfWork,
    actor: Actor,
    params: dict[str, str],
) -> TicketPage | CustomerTicketPage:
    """The API's ticket list from query parameters, in the reader's audience's view."""
    limit_raw = params.get("limit")
    try:
        limit = int(limit_raw) if limit_raw else None
    except ValueError:
        raise InvalidInput(
            "limit must be a whole number, not {limit_raw!r}", params={"limit_raw": limit_raw}
        ) from None
    rows, next_cursor = list_tickets(
        uow,
        actor,
        TicketFilters.from_params(params, now=uow.clock.now()),
        sort=params.get("sort"),
        cursor=params.get("cursor"),
        limit=limit,
    )
    if access.can_see_internal(actor):
        slas = sla_queries.sla_for(uow, [t.id for t in rows])
        return TicketPage(
            items=[ticket_out(t, slas.get(t.id)) for t in rows], next_cursor=next_cursor
        )
    return CustomerTicketPage(items=[customer_ticket_out(t) for t in rows], next_cursor=next_cursor)


# Each counted view costs one COUNT; a page counts at most this many (built-in included).
MAX_COUNTED_VIEWS = 30


def count_tickets(uow: UnitOfWork, actor: Actor, filters: TicketFilters) -> int:
    """How many visible tickets ``filters`` holds: the rows :func:`list_tickets` would page."""
    stmt = filters.apply(
        select(func.count()).select_from(Ticket).where(access.visible_tickets(actor)), actor
    )
    return int(uow.session.scalar(stmt) or 0)


def count_views(
    uow: UnitOfWork, actor: Actor, views: Mapping[str, TicketFilters]
) -> dict[str, int]:
    """How many visible tickets each named filter holds: one COUNT per view, at most
    ``MAX_COUNTED_VIEWS`` of them.

    A COUNT per view lets each use the index that fits it (status, assignee, tag), which
    benchmarks/view_counts.py measured faster than one pass with a conditional count per
    view; a view that searches text scans the tickets either way.
    """
    if len(views) > MAX_COUNTED_VIEWS:
        raise InvalidInput(
            "at most {limit} views can be counted at once", params={"limit": MAX_COUNTED_VIEWS}
        )
    return {key: count_tickets(uow, actor, filters) for key, filters in views.items()}


def messages(
    uow: UnitOfWork, actor: Actor, ticket_id: int
) -> list[MessageOut] | list[CustomerMessageOut]:
    """The conversation of a ticket, oldest first, in the view of the actor's audience;
    internal notes only for agents."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    stmt = (
        select(Message)
        .where(Message.ticket_id == ticket.id)
        .options(selectinload(Message.attachments))
        .order_by(Message.created_at, Message.id)
    )
    if not access.can_see_internal(actor):
        stmt = stmt.where(Message.kind == MessageKind.PUBLIC)
    rows = uow.session.scalars(stmt)
    if access.can_see_internal(actor):
        return [message_out(m) for m in rows]
    return [customer_message_out(m) for m in rows]


@dataclass(frozen=True)
class TicketText:
    """What the search index holds of a ticket: its filters and its text by audience."""

    ticket_id: int
    organization_id: int
    subject: str
    platform: str | None
    sdk_version: str | None
    language: str
    status: str
    public_bodies: list[str]
    internal_bodies: list[str]


def index_text(uow: UnitOfWork, ticket_id: int) -> TicketText | None:
    """A ticket's text for the search index (None when it no longer exists)."""
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    rows = uow.session.execute(
        select(Message.kind, Message.body_text)
        .where(Message.ticket_id == ticket_id)
        .order_by(Message.created_at, Message.id)
    ).all()
    return TicketText(
        ticket_id=ticket.id,
        organization_id=ticket.organization_id,
        subject=ticket.subject,
        platform=ticket.platform,
        sdk_version=ticket.sdk_version,
        language=ticket.language,
        status=ticket.status.value,
        public_bodies=[body for kind, body in rows if kind is MessageKind.PUBLIC],
        internal_bodies=[body for kind, body in rows if kind is not MessageKind.PUBLIC],
    )


def ticket_ids_after(uow: UnitOfWork, after_id: int, limit: int) -> list[int]:
    """Ticket ids above ``after_id`` in order, ``limit`` at a time (rebuilding the index)."""
    stmt = select(Ticket.id).where(Ticket.id > after_id).order_by(Ticket.id).limit(limit)
    return list(uow.session.scalars(stmt))


def ticket_count(uow: UnitOfWork) -> int:
    """How many tickets exist (the reindex progress bar's length)."""
    return int(uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


def first_message_id(uow: UnitOfWork, ticket_id: int) -> int | None:
    """The id of a ticket's opening message."""
    stmt = (
        select(Message.id)
        .where(Message.ticket_id == ticket_id)
        .order_by(Message.created_at, Message.id)
        .limit(1)
    )
    return uow.session.scalar(stmt)


def attachments(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[AttachmentOut]:
    """Every file on a ticket the actor may see."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    stmt = select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)
    if not access.can_see_internal(actor):
        stmt = stmt.where(Attachment.internal.is_(False))
    return [attachment_out(a) for a in uow.session.scalars(stmt)]


# The history fields a customer may read: those of the customer's view of a ticket. Assignee,
# group, tags, the priority reason and internal files are staff-only and never listed.
CUSTOMER_HISTORY_FIELDS = frozenset(
    {
        "created",
        "status",
        "subject",
        "category",
        "urgency",
        "impact",
        "priority",
        "platform",
        "sdk_version",
        "app_id",
        "attachment",
        "link",
        "merged_into",
        "merged_from",
    }
)
# Entries naming another ticket ("#12"): shown only when the reader may see that ticket.
TICKET_REFERENCE_FIELDS = frozenset({"link", "merged_into", "merged_from"})


def history(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[ChangeOut]:
    """Every recorded change of a ticket the actor may know of, oldest first.

    Customers get the entries about what they may see of the ticket: the same rules as the
    ticket, its files and its links (see :func:`_customer_may_read`).
    """
    ticket = access.get_ticket(uow, actor, ticket_id)
    stmt = (
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket.id)
        .order_by(TicketChange.at, TicketChange.id)
    )
    changes = list(uow.session.scalars(stmt))
    if not access.can_see_internal(actor):
        changes = _customer_history(uow, actor, ticket, changes)
    return [
        ChangeOut(
            id=c.id,
            at=c.at,
            actor_kind=c.actor_kind.value,
            actor_name=c.actor_name,
            field=c.field,
            old_value=c.old_value,
            new_value=c.new_value,
        )
        for c in changes
    ]


def _referenced_ticket(value: str | None) -> int | None:
    raw = (value or "").removeprefix("#")
    return int(raw) if raw.isdigit() else None


def _customer_history(
    uow: UnitOfWork, actor: Actor, ticket: Ticket, changes: list[TicketChange]
) -> list[TicketChange]:
    """The entries of ``changes`` a customer may read."""
    referenced = {
        ref
        for c in changes
        if c.field in TICKET_REFERENCE_FIELDS
        for ref in (_referenced_ticket(c.old_value), _referenced_ticket(c.new_value))
        if ref is not None
    }
    visible_refs = (
        set(
            uow.session.scalars(
                select(Ticket.id).where(Ticket.id.in_(referenced), access.visible_tickets(actor))
            )
        )
        if referenced
        else set()
    )
    # Files are recorded by name; a name is shown only while a public file carries it (older
    # entries did not record whether the file was internal).
    public_names = set(
        uow.session.scalars(
            select(Attachment.filename).where(
                Attachment.ticket_id == ticket.id, Attachment.internal.is_(False)
            )
        )
    )

    def readable(change: TicketChange) -> bool:
        if change.field not in CUSTOMER_HISTORY_FIELDS:
            return False
        if change.field == "attachment":
            return change.new_value in public_names
        if change.field in TICKET_REFERENCE_FIELDS:
            refs = [
                _referenced_ticket(v) for v in (change.old_value, change.new_value) if v is not None
            ]
            return all(ref is not None and ref in visible_refs for ref in refs)
        return True

    return [c for c in changes if readable(c)]


@dataclass(frozen=True)
class StatusChange:
    """Who last set a ticket's status (or created it), for wording the status."""

    actor_kind: str
    actor_id: int | None
    actor_name: str
    at: datetime


def last_status_change(uow: UnitOfWork, actor: Actor, ticket_id: int) -> StatusChange | None:
    """The most recent change that set the ticket's current status."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    stmt = (
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket.id, TicketChange.field.in_(("status", "created")))
        .order_by(TicketChange.at.desc(), TicketChange.id.desc())
        .limit(1)
    )
    change = uow.session.scalars(stmt).first()
    if change is None:
        return None
    return StatusChange(
        actor_kind=change.actor_kind.value,
        actor_id=change.actor_id,
        actor_name=change.actor_name,
        at=change.at,
    )


def links(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[LinkOut]:
    """Links from or to a ticket, restricted to tickets the actor may see."""
    ticket = access.get_ticket(uow, actor, ticket_id)
    stmt = (
        select(TicketLink)
        .where(or_(TicketLink.source_id == ticket.id, TicketLink.target_id == ticket.id))
        .order_by(TicketLink.id)
    )
    out = []
    for link in uow.session.scalars(stmt):
        other_id = link.target_id if link.source_id == ticket.id else link.source_id
        other = uow.session.get(Ticket, other_id)
        if other is None or not access.can_see(actor, other):
            continue
        out.append(link_out(link))
    return out


def link_out(link: TicketLink) -> LinkOut:
    """The API shape of a link."""
    return LinkOut(
        id=link.id,
        source_id=link.source_id,
        target_id=link.target_id,
        kind=link.kind,
        created_at=link.created_at,
    )
