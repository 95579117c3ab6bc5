"""Why a mail cannot be taken in: the one error the parsing core raises.

Each refusal carries a short ``reason`` code that the quarantine stores next to the raw
bytes, and a message template with named fields for the admin who reviews it.
"""

from __future__ import annotations

from typing import Any

from rtcdesk.core.errors import InvalidInput, RtcdeskError

TOO_LARGE = "too_large"
TOO_MANY_PARTS = "too_many_parts"
TOO_DEEP = "too_deep"
TOO_MANY_HEADERS = "too_many_headers"
HEADER_INJECTION = "header_injection"
NO_SENDER = "no_sender"
MALFORMED = "malformed"
EMPTY = "empty"

REASONS = (
    TOO_LARGE,
    TOO_MANY_PARTS,
    TOO_DEEP,
    TOO_MANY_HEADERS,
    HEADER_INJECTION,
    NO_SENDER,
    MALFORMED,
    EMPTY,
)


class UnreadableMail(InvalidInput):
    """A mail the channel refuses to turn into a ticket; it is kept raw in the quarantine."""

    title = "Unreadable mail"

    def __init__(self, message: str, *, reason: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, params=params, details={"reason": reason})
        self.reason = reason


class MailServerError(RtcdeskError):
    """The IMAP server could not be reached or refused us; nothing was marked seen."""

    status_code = 502
    exit_code = 6
    title = "Mail server error"
