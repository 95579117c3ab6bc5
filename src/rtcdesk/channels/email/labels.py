"""The words the console shows for quarantine reasons (codes are stored, words shown)."""

from __future__ import annotations

from rtcdesk.channels.email import errors
from rtcdesk.channels.email.ingest import FOREIGN_REPLY, RATE_LIMITED, REFUSED, UNKNOWN_SENDER
from rtcdesk.core.i18n import N_

REASONS = {
    errors.TOO_LARGE: N_("Too large"),
    errors.TOO_MANY_PARTS: N_("Too many MIME parts"),
    errors.TOO_DEEP: N_("Nested too deeply"),
    errors.TOO_MANY_HEADERS: N_("Too many header fields"),
    errors.HEADER_INJECTION: N_("Header injection"),
    errors.NO_SENDER: N_("No sender"),
    errors.MALFORMED: N_("Malformed"),
    errors.EMPTY: N_("Empty"),
    UNKNOWN_SENDER: N_("Unknown sender"),
    FOREIGN_REPLY: N_("Reply from outside the organization"),
    RATE_LIMITED: N_("Over the hourly limit"),
    REFUSED: N_("Refused by the ticket services"),
}
