"""What can be notified (kinds) and through what (channels): the registry, the rendering of a
stored notification in a reader's language, and which channels reach a person.

Pure data and functions: no session, no clock. A domain declares its kinds as module
constants and registers them (and any channel it brings) from ``bootstrap.register_handlers``::

    TICKET_ASSIGNED = Kind(
        name="ticket.assigned",
        title=N_("Ticket #{ticket_id} was assigned to you"),
        body=N_("{by} assigned you “{subject}” ({organization})."),
        default_channels=(IN_APP, EMAIL),
    )
    registry.add_kind(TICKET_ASSIGNED)

Titles and bodies are English catalog templates with ``{name}`` fields; a notification
stores the kind's name and the fields, and is rendered when someone reads or receives it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rtcdesk.core.errors import Conflict
from rtcdesk.core.i18n import N_, translate

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

IN_APP = "in_app"
EMAIL = "email"
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


@dataclass(frozen=True)
class Outgoing:
    """One delivery, rendered for its recipient: what a channel's ``send`` gets."""

    delivery_id: int
    notification_id: int
    kind: str
    recipient_id: int
    recipient_name: str
    recipient_email: str
    language: str
    title: str
    body: str
    url: str | None  # absolute link back to the console (public base URL + path), if any


class Skipped(Exception):
    """Raised by a channel that will not deliver (not configured): recorded, not retried."""


class PermanentFailure(Exception):
    """Raised by a channel whose relay refused for good (5xx): recorded, not retried."""


# A channel's sender: deliver or raise. Any other exception is retried with the job's backoff.
Send = Callable[["Container", Outgoing], None]


@dataclass(frozen=True)
class Channel:
    """A way to reach a person. The inbox (``IN_APP``, no ``send``) is written in the
    notifying transaction itself; every other channel is delivered by a job calling ``send``."""

    name: str
    label: str
    send: Send | None = None


@dataclass(frozen=True)
class Kind:
    """Something a person can be notified of."""

    name: str
    title: str
    body: str
    default_channels: tuple[str, ...] = (IN_APP,)
    # Channels a person may not switch off for this kind (a page always reaches the inbox).
    required_channels: tuple[str, ...] = ()
    description: str = ""
    # Fields whose value is itself a catalog template (e.g. "first response"), shown in the
    # reader's language like the title and body.
    translated_params: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or not set(self.name) <= NAME_CHARS or len(self.name) > 80:
            raise ValueError(f"kind name {self.name!r}: 1-80 of a-z 0-9 . _ -")
        if not set(self.required_channels) <= set(self.default_channels):
            raise ValueError(f"kind {self.name}: a required channel must be a default one")


@dataclass(frozen=True)
class Rendered:
    """A notification's text in one language."""

    title: str
    body: str


UNKNOWN_TITLE = N_("Notification ({kind})")


def render(kind: Kind | None, kind_name: str, params: Mapping[str, Any], lang: str) -> Rendered:
    """The title and body of a stored notification in ``lang``; a kind no longer registered
    (removed in an upgrade) still shows, by its name."""
    if kind is None:
        return Rendered(translate(UNKNOWN_TITLE, {"kind": kind_name}, lang), "")
    fields = {
        name: translate(value, {}, lang)
        if name in kind.translated_params and isinstance(value, str)
        else value
        for name, value in params.items()
    }
    return Rendered(translate(kind.title, fields, lang), translate(kind.body, fields, lang))


def channels_for(kind: Kind, available: tuple[str, ...], choices: Mapping[str, bool]) -> list[str]:
    """The channels (of ``available``, in that order) that reach a person for ``kind``:
    their choice per channel where they made one, else the kind's default; the kind's
    required channels always."""
    reached = []
    for channel in available:
        wanted = choices.get(channel, channel in kind.default_channels)
        if wanted or channel in kind.required_channels:
            reached.append(channel)
    return reached


@dataclass
class NotificationRegistry:
    """Kinds and channels by name; built once in ``bootstrap`` (``container.notifications``)."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)

    def add_channel(self, channel: Channel) -> None:
        """Register a channel; a name twice is a programming error."""
        if channel.name in self.channels:
            raise Conflict("channel {name} is already registered", params={"name": channel.name})
        self.channels[channel.name] = channel

    def add_kind(self, kind: Kind) -> None:
        """Register a kind whose channels are all registered already."""
        if kind.name in self.kinds:
            raise Conflict("kind {name} is already registered", params={"name": kind.name})
        unknown = [c for c in kind.default_channels if c not in self.channels]
        if unknown:
            raise ValueError(f"kind {kind.name}: unknown channels {unknown}")
        self.kinds[kind.name] = kind

    @property
    def channel_names(self) -> tuple[str, ...]:
        """Registered channel names, in registration order (the inbox first)."""
        return tuple(self.channels)

    def kind(self, name: str) -> Kind | None:
        """The kind registered under ``name``, if any."""
        return self.kinds.get(name)
