"""Reads for the inbox, the bell, the preferences and the delivery log (pages and API).

Texts are rendered here, in the reader's language, from the stored kind and fields.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent
from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.core.i18n import translate
from rtcdesk.core.pagination import clamp_limit, decode_cursor, encode_cursor
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.notifications import access
from rtcdesk.notifications.kinds import NotificationRegistry, channels_for, render
from rtcdesk.notifications.models import Delivery, DeliveryStatus, Notification, Preference
from rtcdesk.notifications.schemas import (
    ChannelChoice,
    DeliveryOut,
    DeliveryPage,
    KindPreferences,
    NotificationOut,
    NotificationPage,
)

INBOX_SORT = "inbox"
LOG_SORT = "deliveries"


def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many notifications in the actor's inbox are unread (the bell)."""
    agent_id = access.require_inbox(actor)
    count = uow.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.agent_id == agent_id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
    )
    return int(count or 0)


def notification_out(
    notification: Notification, registry: NotificationRegistry, lang: str
) -> NotificationOut:
    """API shape of one notification, its text in ``lang``."""
    text = render(registry.kind(notification.kind), notification.kind, notification.params, lang)
    return NotificationOut(
        id=notification.id,
        kind=notification.kind,
        title=text.title,
        body=text.body,
        link=notification.link,
        ticket_id=notification.ticket_id,
        created_at=notification.created_at,
        read_at=notification.read_at,
        unread=notification.read_at is None,
    )


def inbox(
    uow: UnitOfWork,
    actor: Actor,
    registry: NotificationRegistry,
    lang: str,
    *,
    unread_only: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> NotificationPage:
    """The actor's inbox, newest first, a page at a time."""
    agent_id = access.require_inbox(actor)
    size = clamp_limit(limit, default=25)
    stmt = select(Notification).where(
        Notification.agent_id == agent_id, Notification.in_app.is_(True)
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    if cursor:
        _value, after_id = decode_cursor(cursor, INBOX_SORT, "id")
        stmt = stmt.where(Notification.id < after_id)
    rows = list(uow.session.scalars(stmt.order_by(Notification.id.desc()).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return NotificationPage(
        items=[notification_out(n, registry, lang) for n in rows],
        next_cursor=encode_cursor(INBOX_SORT, rows[-1].id, rows[-1].id) if more else None,
        unread=unread_count(uow, actor),
    )


def preferences(
    uow: UnitOfWork, actor: Actor, registry: NotificationRegistry, lang: str
) -> list[KindPreferences]:
    """Every kind with the channels that reach the actor, their defaults and locks."""
    agent_id = access.require_inbox(actor)
    choices: dict[str, dict[str, bool]] = {}
    for row in uow.session.scalars(select(Preference).where(Preference.agent_id == agent_id)):
        choices.setdefault(row.kind, {})[row.channel] = row.enabled
    channels = registry.channel_names
    out = []
    for kind in sorted(registry.kinds.values(), key=lambda k: k.name):
        reached = channels_for(kind, channels, choices.get(kind.name, {}))
        out.append(
            KindPreferences(
                kind=kind.name,
                description=translate(kind.description or kind.name, {}, lang),
                channels=[
                    ChannelChoice(
                        channel=name,
                        label=translate(registry.channels[name].label, {}, lang),
                        enabled=name in reached,
                        default=name in kind.default_channels,
                        locked=name in kind.required_channels,
                    )
                    for name in channels
                ],
            )
        )
    return out


def _log_rows() -> Any:
    return (
        select(Delivery, Notification, Agent)
        .join(Notification, Notification.id == Delivery.notification_id)
        .join(Agent, Agent.id == Notification.agent_id)
    )


def delivery_out(
    delivery: Delivery,
    notification: Notification,
    agent: Agent,
    registry: NotificationRegistry,
    lang: str,
) -> DeliveryOut:
    """API shape of one entry of the delivery log."""
    text = render(registry.kind(notification.kind), notification.kind, notification.params, lang)
    return DeliveryOut(
        id=delivery.id,
        notification_id=notification.id,
        kind=notification.kind,
        title=text.title,
        recipient_id=agent.id,
        recipient_name=agent.name,
        channel=delivery.channel,
        status=delivery.status.value,
        attempts=delivery.attempts,
        error=delivery.error,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        sent_at=delivery.sent_at,
        ticket_id=notification.ticket_id,
    )


def delivery(
    uow: UnitOfWork, actor: Actor, registry: NotificationRegistry, lang: str, delivery_id: int
) -> DeliveryOut:
    """One entry of the delivery log (administrators)."""
    access.require_delivery_log(actor)
    row = uow.session.execute(_log_rows().where(Delivery.id == delivery_id)).first()
    if row is None:
        raise NotFound("delivery {delivery_id} not found", params={"delivery_id": delivery_id})
    found, notification, agent = row
    return delivery_out(found, notification, agent, registry, lang)


def deliveries(
    uow: UnitOfWork,
    actor: Actor,
    registry: NotificationRegistry,
    lang: str,
    *,
    status: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> DeliveryPage:
    """The delivery log, newest first (administrators)."""
    access.require_delivery_log(actor)
    size = clamp_limit(limit, default=50)
    stmt = _log_rows()
    if status:
        try:
            stmt = stmt.where(Delivery.status == DeliveryStatus(status))
        except ValueError:
            raise InvalidInput(
                "status must be one of: {choices}",
                params={"choices": ", ".join(s.value for s in DeliveryStatus)},
                field="status",
            ) from None
    if cursor:
        _value, after_id = decode_cursor(cursor, LOG_SORT, "id")
        stmt = stmt.where(Delivery.id < after_id)
    rows = [
        tuple(r) for r in uow.session.execute(stmt.order_by(Delivery.id.desc()).limit(size + 1))
    ]
    more = len(rows) > size
    rows = rows[:size]
    items = [delivery_out(d, n, a, registry, lang) for d, n, a in rows]
    last = rows[-1][0].id if rows else 0
    return DeliveryPage(
        items=items, next_cursor=encode_cursor(LOG_SORT, last, last) if more else None
    )
