"""Header values as people meant them: RFC 2047 words, raw 8-bit text, addresses, ids.

Encoded words next to each other in the same charset are joined as bytes before they are
decoded, because Chinese clients split a GBK character across two words. Raw 8-bit header
bytes (sent by clients that skip RFC 2047) arrive as surrogate escapes from the parser and
are recovered through :mod:`charsets`. A decoded value that contains a line break or NUL
was built to smuggle a header in and is refused.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from rtcdesk.channels.email import charsets
from rtcdesk.channels.email.errors import HEADER_INJECTION, UnreadableMail

_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"^[ \t]+$")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_FORBIDDEN = re.compile(r"[\r\n\x00]")
_MSG_ID = re.compile(r"<([^<>\s]{1,498})>")
_BARE_ID = re.compile(r"^[^<>\s@]+@[^<>\s@]+$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+$")
MAX_EMAIL = 254
MAX_REFERENCES = 50


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: the display name as decoded text and the address in lower case."""

    name: str
    email: str


def _raw_bytes(text: str) -> bytes:
    """Undo the parser's surrogate escapes: the header's bytes as they were sent."""
    return text.encode("utf-8", "surrogateescape")


def _plain(text: str) -> str:
    """Header text outside encoded words, 8-bit bytes recovered."""
    if text.isascii():
        return text
    return charsets.decode(_raw_bytes(text), None)


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        cleaned = payload.strip()
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "replace")
    data = payload.replace("_", " ").encode("ascii", "replace")
    try:
        return binascii.a2b_qp(data)
    except (binascii.Error, ValueError):
        return data


def decode_words(value: str) -> str:
    """An unfolded header value with its RFC 2047 encoded words decoded (no checks)."""
    value = _FOLD.sub("", value)
    pieces: list[str] = []
    pending: bytes = b""
    pending_charset: str | None = None
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            pieces.append(charsets.decode(pending, pending_charset))
        pending, pending_charset = b"", None

    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        charset = match.group(1).lower()
        if between and not (_BETWEEN_WORDS.match(between) and pending_charset is not None):
            flush()
            pieces.append(_plain(between))
        if pending_charset is not None and pending_charset != charset:
            flush()
        pending += _word_bytes(match.group(2), match.group(3))
        pending_charset = charset
        position = match.end()
    flush()
    pieces.append(_plain(value[position:]))
    return "".join(pieces)


def text(value: str | None, *, name: str) -> str:
    """A header's decoded text; raises ``UnreadableMail`` when it hides a line break."""
    if value is None:
        return ""
    decoded = decode_words(str(value))
    if _FORBIDDEN.search(decoded):
        raise UnreadableMail(
            "the {header} header hides a line break or NUL character",
            reason=HEADER_INJECTION,
            params={"header": name},
        )
    return decoded.strip()


def addresses(values: list[str], *, name: str) -> tuple[Address, ...]:
    """The mailboxes of one or more address headers, decoded; unusable entries dropped."""
    found: list[Address] = []
    raw = [_FOLD.sub("", str(value)) for value in values]
    for display, email in getaddresses(raw):
        address = _plain(email).strip().lower()
        if not address or len(address) > MAX_EMAIL or not _EMAIL.match(address):
            continue
        label = text(display, name=name) if display else ""
        found.append(Address(name=label.strip('"').strip(), email=address))
    return tuple(found)


def message_ids(value: str | None) -> tuple[str, ...]:
    """The ``<id>`` tokens of a Message-ID, In-Reply-To or References header, in order."""
    if not value:
        return ()
    unfolded = _FOLD.sub("", str(value))
    ids = [f"<{token}>" for token in _MSG_ID.findall(unfolded) if token.isascii()]
    if not ids and _BARE_ID.match(unfolded.strip()) and unfolded.strip().isascii():
        ids = [f"<{unfolded.strip()}>"]
    unique = list(dict.fromkeys(ids))
    return tuple(unique[-MAX_REFERENCES:])


def date(value: str | None) -> datetime | None:
    """The Date header as aware UTC; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(_FOLD.sub("", str(value)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
