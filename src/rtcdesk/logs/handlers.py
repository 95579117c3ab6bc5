"""Reactions of the logs domain: an attachment that is no WebRTC dump may be a log."""

from __future__ import annotations

from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics.events import DumpDiagnosed, DumpNotRecognised
from rtcdesk.logs import service


def queue_log_analysis(uow: UnitOfWork, event: DumpNotRecognised) -> None:
    """Runs in the transaction that marks the attachment "not a dump": the log job reads the
    bytes and analyses them if they are a log (so a dump is never analysed as a log, and a log
    is sniffed by the dump diagnosis only once)."""
    service.enqueue_for_attachment(uow, event.report_id)


def realign_with_dump(uow: UnitOfWork, event: DumpDiagnosed) -> None:
    """A dump of the ticket was diagnosed after its logs: draw its windows on their timelines."""
    service.realign_ticket_logs(uow, event.ticket_id, event.report_id)


def register(bus: EventBus) -> None:
    """Subscribe the logs reactions."""
    bus.subscribe_in_transaction(DumpNotRecognised, queue_log_analysis)
    bus.subscribe_in_transaction(DumpDiagnosed, realign_with_dump)
