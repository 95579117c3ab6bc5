"""Raw mail bytes to a :class:`ParsedMail`: the pure core of the email channel.

No database, no clock, no network: bytes in, plain data out, or :class:`UnreadableMail`
with the reason the quarantine shows. Limits come first (size, headers, part count and
nesting depth, checked before and while the tree is walked) so a hostile message costs
little. Attachments are kept as their bytes: archives are never opened, so a zip bomb is
only its compressed size. The message is parsed with the ``compat32`` policy, whose
parser does not interpret header values (the modern policy raises on some malformed
ones); headers are decoded by :mod:`headers` instead.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from rtcdesk.channels.email import charsets, headers, noise, quotes
from rtcdesk.channels.email.errors import (
    EMPTY,
    MALFORMED,
    NO_SENDER,
    TOO_DEEP,
    TOO_LARGE,
    TOO_MANY_HEADERS,
    TOO_MANY_PARTS,
    UnreadableMail,
)
from rtcdesk.channels.email.headers import Address
from rtcdesk.channels.email.noise import Bounce
from rtcdesk.channels.email.text import html_to_text
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.tickets.content import sanitize_html

MAX_FILENAME = 200
_TICKET_REF = re.compile(r"\[#(\d{1,12})\]")
_REPORT_TYPES = {"message/delivery-status", "message/disposition-notification"}
_DEFAULT_NAMES = {
    "text/calendar": "invite.ics",
    "message/rfc822": "message.eml",
    "text/rfc822-headers": "original-headers.txt",
}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True, slots=True)
class MailLimits:
    """What one inbound mail may be: larger, wider or deeper ones are quarantined."""

    max_bytes: int = 50 * 1024 * 1024
    max_parts: int = 1000
    max_depth: int = 12
    max_headers: int = 500


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file carried by the mail; ``content_id`` is set for images the HTML shows inline."""

    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """Everything ingestion needs from one mail, decoded, sanitised and trimmed."""

    message_id: str
    synthetic_message_id: bool
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: Address
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    date: datetime | None
    text: str
    html: str | None
    visible_text: str
    attachments: tuple[Attachment, ...] = field(default=())
    auto_reply: str | None = None
    bounce: Bounce | None = None
    size: int = 0

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this mail answers, the most direct first (In-Reply-To, References)."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))

    @property
    def ticket_reference(self) -> int | None:
        """The ticket number the subject names as ``[#1234]``, if any."""
        return ticket_reference(self.subject)


def ticket_reference(subject: str) -> int | None:
    """The last ``[#1234]`` ticket reference in a subject line, or None."""
    found = _TICKET_REF.findall(subject)
    return int(found[-1]) if found else None


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for a mail that has none: the same bytes give the same id."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@rtcdesk.invalid>"


def _precheck(raw: bytes, limits: MailLimits) -> None:
    if len(raw) > limits.max_bytes:
        raise UnreadableMail(
            "the mail is {size} bytes, more than the limit of {limit} bytes",
            reason=TOO_LARGE,
            params={"size": len(raw), "limit": limits.max_bytes},
        )
    if not raw.strip():
        raise UnreadableMail("the mail is empty", reason=EMPTY)
    # A cheap upper bound before parsing: every part starts with a boundary line.
    boundaries = raw.count(b"\n--")
    lowered = raw.lower()
    containers = lowered.count(b"multipart/") + lowered.count(b"message/rfc822")
    if boundaries > 4 * limits.max_parts or containers > limits.max_parts:
        raise UnreadableMail(
            "the mail has more than {limit} MIME parts",
            reason=TOO_MANY_PARTS,
            params={"limit": limits.max_parts},
        )


def _walk(root: Message, limits: MailLimits) -> list[Message]:
    """The parts that are body or files (an attached message counts as one), limits
    enforced over the whole tree, attached messages' insides included."""
    leaves: list[Message] = []
    stack: list[tuple[Message, int, bool]] = [(root, 0, False)]
    count = 0
    while stack:
        part, depth, embedded = stack.pop()
        count += 1
        if count > limits.max_parts:
            raise UnreadableMail(
                "the mail has more than {limit} MIME parts",
                reason=TOO_MANY_PARTS,
                params={"limit": limits.max_parts},
            )
        if depth > limits.max_depth:
            raise UnreadableMail(
                "the mail nests MIME parts more than {limit} levels deep",
                reason=TOO_DEEP,
                params={"limit": limits.max_depth},
            )
        payload = part.get_payload()
        kind = part.get_content_type()
        if part.is_multipart() and isinstance(payload, list):
            attached = kind == "message/rfc822"
            if attached and depth > 0 and not embedded:
                leaves.append(part)  # kept whole as an .eml attachment
            if kind in _REPORT_TYPES:
                continue  # read by noise.bounce; its blocks are not files
            children = [child for child in payload if isinstance(child, Message)]
            stack.extend((child, depth + 1, embedded or attached) for child in reversed(children))
        elif not embedded:
            leaves.append(part)
    return leaves


def _disposition(part: Message) -> str:
    return str(part.get("Content-Disposition", "")).split(";", 1)[0].strip().lower()


def _filename(part: Message, index: int, content_type: str) -> str:
    raw = part.get_filename() or part.get_param("name")
    name = ""
    if isinstance(raw, tuple):  # an RFC 2231 value compat32 left undecoded
        charset, _lang, value = raw
        name = charsets.decode(value.encode("latin-1", "replace"), charset)
    elif isinstance(raw, str):
        name = headers.decode_words(raw)
    name = _UNSAFE_NAME.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" ._")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = _DEFAULT_NAMES.get(content_type) or f"attachment-{index}{extension}"
    if len(name) > MAX_FILENAME:
        _stem, dot, extension = name.rpartition(".")
        keep = extension[:16] if dot and len(extension) <= 16 else ""
        name = name[: MAX_FILENAME - len(keep) - 1] + ("." + keep if keep else "")
    return name


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes(policy=policy.compat32)
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _text_of(part: Message) -> str:
    text = charsets.decode(_payload(part), part.get_content_charset())
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _body_and_files(leaves: list[Message]) -> tuple[list[str], list[str], list[Attachment]]:
    texts: list[str] = []
    htmls: list[str] = []
    files: list[Attachment] = []
    for index, part in enumerate(leaves, start=1):
        kind = part.get_content_type()
        disposition = _disposition(part)
        named = part.get_filename() is not None
        if disposition != "attachment" and not named:
            if kind == "text/plain":
                texts.append(_text_of(part))
                continue
            if kind == "text/html":
                htmls.append(_text_of(part))
                continue
        data = _payload(part)
        if not data and kind.startswith("multipart/"):
            continue
        content_id = str(part.get("Content-ID", "")).strip().strip("<>")[:200] or None
        files.append(
            Attachment(
                filename=_filename(part, index, kind),
                content_type=kind,
                data=data,
                content_id=content_id,
                inline=disposition == "inline" or (content_id is not None and not disposition),
            )
        )
    return texts, htmls, files


def _raw_headers(message: Message) -> dict[str, list[str]]:
    """Top-level header values as sent: compat32's getters would replace raw 8-bit bytes
    with U+FFFD, ``raw_items`` keeps them as surrogate escapes for :mod:`headers`."""
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        found.setdefault(str(name).lower(), []).append(str(value))
    return found


def _parse(raw: bytes, limits: MailLimits) -> ParsedMail:
    _precheck(raw, limits)
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
    except RecursionError:
        message = None  # the parser gave up deep inside; leave its frames behind
    if message is None:
        raise UnreadableMail(
            "the mail nests MIME parts more than {limit} levels deep",
            reason=TOO_DEEP,
            params={"limit": limits.max_depth},
        )
    if len(message.keys()) > limits.max_headers:
        raise UnreadableMail(
            "the mail has more than {limit} header fields",
            reason=TOO_MANY_HEADERS,
            params={"limit": limits.max_headers},
        )
    raw_headers = _raw_headers(message)

    def first(name: str) -> str | None:
        values = raw_headers.get(name.lower())
        return values[0] if values else None

    def every(name: str) -> list[str]:
        return raw_headers.get(name.lower(), [])

    subject = headers.text(first("Subject"), name="Subject")
    senders = headers.addresses(every("From"), name="From")
    if not senders:
        raise UnreadableMail("the mail has no readable From address", reason=NO_SENDER)
    ids = headers.message_ids(first("Message-ID"))
    leaves = _walk(message, limits)
    texts, htmls, files = _body_and_files(leaves)
    html = sanitize_html("\n".join(htmls)) if htmls else None
    text = "\n\n".join(t.strip("\n") for t in texts) if texts else html_to_text("\n".join(htmls))
    sender = senders[0]
    return ParsedMail(
        message_id=ids[0] if ids else synthetic_message_id(raw),
        synthetic_message_id=not ids,
        in_reply_to=headers.message_ids(first("In-Reply-To")),
        references=headers.message_ids(first("References")),
        sender=sender,
        reply_to=headers.addresses(every("Reply-To"), name="Reply-To"),
        to=headers.addresses(every("To"), name="To"),
        cc=headers.addresses(every("Cc"), name="Cc"),
        subject=subject,
        date=headers.date(first("Date")),
        text=text,
        html=html,
        visible_text=quotes.visible_reply(text),
        attachments=tuple(files),
        auto_reply=noise.auto_reply_reason(message, subject),
        bounce=noise.bounce(message, subject, sender.email, text),
        size=len(raw),
    )


def parse_mail(raw: bytes, limits: MailLimits | None = None) -> ParsedMail:
    """Parse one raw mail; raises only ``UnreadableMail`` (with a quarantine reason)."""
    try:
        return _parse(raw, limits or MailLimits())
    except RtcdeskError:
        raise
    except RecursionError:
        # Raised outside the handler: the deep traceback is not kept as its context.
        error = UnreadableMail(
            "the mail nests its structure too deeply to be read", reason=TOO_DEEP
        )
    except Exception as exc:  # hostile input must end in the quarantine, never in a 500
        raise UnreadableMail(
            "the mail could not be read: {problem}",
            reason=MALFORMED,
            params={"problem": type(exc).__name__},
        ) from exc
    raise error
