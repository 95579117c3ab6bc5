"""Events the tickets domain publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class TicketCreated(Event):
    """A ticket was opened."""

    ticket_id: int
    organization_id: int
    channel: str


@dataclass(frozen=True, slots=True)
class TicketUpdated(Event):
    """Properties of a ticket changed (names of the fields)."""

    ticket_id: int
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MessageAdded(Event):
    """A reply or note was added."""

    ticket_id: int
    message_id: int
    kind: str
    by_agent: bool


@dataclass(frozen=True, slots=True)
class AttachmentStored(Event):
    """A file was attached to a ticket."""

    ticket_id: int
    attachment_id: int
    sha256: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class TicketMerged(Event):
    """A duplicate ticket was merged into another."""

    source_id: int
    target_id: int
