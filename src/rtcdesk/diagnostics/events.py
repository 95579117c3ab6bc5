"""Events of the diagnostics domain."""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class DumpNotRecognised(Event):
    """A ticket attachment turned out not to be a WebRTC dump (the log analysis may take it)."""

    report_id: int
    ticket_id: int


@dataclass(frozen=True, slots=True)
class DumpDiagnosed(Event):
    """A ticket attachment's WebRTC dump was diagnosed (its log reports can line up with it)."""

    report_id: int
    ticket_id: int
