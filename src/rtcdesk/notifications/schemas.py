"""Request and response bodies of the inbox, the preferences and the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from rtcdesk.core.validation import stored

KindName = Annotated[str, stored("notification_preferences.kind", min_length=1, max_length=80)]
ChannelName = Annotated[
    str, stored("notification_preferences.channel", min_length=1, max_length=40)
]


class NotificationOut(msgspec.Struct):
    """One notification, its text in the reader's language."""

    id: int
    kind: str
    title: str
    body: str
    link: str | None
    ticket_id: int | None
    created_at: datetime
    read_at: datetime | None
    unread: bool


class NotificationPage(msgspec.Struct):
    """A page of the inbox (newest first), the next page's cursor and the unread count."""

    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class UnreadCount(msgspec.Struct):
    """What the bell shows."""

    unread: int


class MarkedRead(msgspec.Struct):
    """How many notifications were marked read, and how many are still unread."""

    marked: int
    unread: int


class ChannelChoice(msgspec.Struct):
    """Whether one channel reaches the reader for a kind."""

    channel: str
    label: str
    enabled: bool
    default: bool
    locked: bool  # cannot be switched off for this kind


class KindPreferences(msgspec.Struct):
    """A kind of notification and the reader's channels for it."""

    kind: str
    description: str
    channels: list[ChannelChoice]


class PreferencesUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Channels per kind to switch on or off: ``{"ticket.assigned": {"email": false}}``."""

    preferences: Annotated[
        dict[KindName, Annotated[dict[ChannelName, bool], Meta(max_length=20)]],
        Meta(max_length=200),
    ]


class DeliveryOut(msgspec.Struct):
    """One entry of the delivery log."""

    id: int
    notification_id: int
    kind: str
    title: str
    recipient_id: int
    recipient_name: str
    channel: str
    status: str
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    ticket_id: int | None


class DeliveryPage(msgspec.Struct):
    """A page of the delivery log (newest first) and the next page's cursor."""

    items: list[DeliveryOut]
    next_cursor: str | None
