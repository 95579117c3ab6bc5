"""Request body limits counted on the bytes as they arrive, whatever the framing.

A ``Content-Length`` can be absent (``Transfer-Encoding: chunked``) or lie, so the limit is
enforced on the ``http.request`` messages themselves: one ASGI middleware wraps ``receive``
and raises ``TooLarge`` (a 413 problem+json or error page, see ``web/errors.py``) as soon as
the bytes received pass the limit of the request's class. Uploads (the upload routes of the
API, and multipart forms posted to pages, which may carry files) get the upload limit, every
other body the request limit: a multipart body posted to a JSON route of the API is held to
the request limit like its JSON would be. Nothing reaches a service before its body was read
whole, so a refused request stores nothing.

Text fields of forms have their own, smaller limits (``web.forms.read_form``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from litestar.datastructures import UploadFile
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send
from multipart import (  # type: ignore[import-untyped]
    MultipartSegment,
    ParserError,
    ParserLimitReached,
    PushMultipartParser,
)

from rtcdesk.core.errors import InvalidInput, TooLarge

# Raw-body upload routes (multipart posts are uploads wherever they go).
UPLOAD_PATH_SUFFIXES = ("/attachments",)
UPLOAD_PATHS = ("/api/v1/diagnostics", "/api/v1/diagnostics/")
API_PREFIX = "/api/"
# Room for a multipart form's boundaries, part headers and text fields around its files.
MULTIPART_ENVELOPE_BYTES = 1024 * 1024
_KIB = 1024
_MIB = 1024 * 1024


def human_size(size: int) -> str:
    """``size`` bytes as people read it: "2 MiB", "256 KiB", "900 bytes"."""
    for unit, factor in (("MiB", _MIB), ("KiB", _KIB)):
        if size >= factor:
            number = f"{size / factor:.1f}".removesuffix(".0")
            return f"{number} {unit}"
    return f"{size} bytes"


def body_too_large(limit: int) -> TooLarge:
    """The error for a request body over ``limit`` bytes."""
    return TooLarge(
        "the request body is larger than {limit}",
        params={"limit": human_size(limit)},
        details={"limit_bytes": limit},
    )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def is_upload(scope: Scope) -> bool:
    """Whether the request is an upload: to an upload route of the API, or a multipart form
    posted to a page (page forms may carry files; the API's JSON routes take none)."""
    path: str = scope["path"]
    if path.endswith(UPLOAD_PATH_SUFFIXES) or path in UPLOAD_PATHS:
        return True
    multipart = _header(scope, b"content-type").lower().startswith("multipart/")
    return multipart and not path.startswith(API_PREFIX)


class BodyLimitMiddleware:
    """Refuse a request body once its bytes pass the limit of its class (413)."""

    def __init__(self, app: ASGIApp, *, request_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.request_bytes = request_bytes
        self.upload_bytes = upload_bytes

    def limit_for(self, scope: Scope) -> int:
        """The body limit of this request, in bytes."""
        if not is_upload(scope):
            return self.request_bytes
        if _header(scope, b"content-type").lower().startswith("multipart/"):
            return self.upload_bytes + MULTIPART_ENVELOPE_BYTES
        return self.upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the body's bytes as the application reads them."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared:
            try:
                announced = int(declared)
            except ValueError:
                raise InvalidInput("the Content-Length header is not a number") from None
            if announced > limit:
                raise body_too_large(limit)
        received = 0

        async def limited_receive() -> ReceiveMessage:
            nonlocal received
            message: Any = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise body_too_large(limit)
            return message  # type: ignore[no-any-return]

        await self.app(scope, limited_receive, send)


@dataclass(frozen=True)
class FormLimits:
    """How much of a form is read: per text field, all text fields together, per file."""

    field_bytes: int
    text_bytes: int
    file_bytes: int
    max_parts: int = 1000


FormItems = list[tuple[str, str | UploadFile]]


def _field_too_large(name: str, limit: int) -> TooLarge:
    return TooLarge(
        "the field {name} is larger than {limit}",
        params={"name": name, "limit": human_size(limit)},
        field=name,
    )


def parse_url_encoded(body: bytes, limits: FormLimits) -> FormItems:
    """The fields of an url-encoded form (the whole body is already bounded)."""
    items: FormItems = []
    for name, value in parse_qsl(
        body.decode("latin-1"), keep_blank_values=True, encoding="latin-1"
    ):
        name, value = _utf8(name), _utf8(value)
        if len(value.encode()) > limits.field_bytes:
            raise _field_too_large(name, limits.field_bytes)
        items.append((name, value))
    return items


def _utf8(text: str) -> str:
    # parse_qsl decoded bytes and percent escapes as latin-1 above; browsers send UTF-8.
    return text.encode("latin-1").decode("utf-8", errors="replace")


async def parse_multipart(
    stream: AsyncIterator[bytes], boundary: str, limits: FormLimits
) -> FormItems:
    """The fields and files of a multipart form, each part bounded while it is read.

    The stream ends with an empty chunk (as ``Request.stream()`` yields), which tells the
    parser the body is complete.
    """
    items: FormItems = []
    text_total = 0
    segment: MultipartSegment | None = None
    data: bytearray | UploadFile = bytearray()
    size = 0
    try:
        with PushMultipartParser(boundary, max_segment_count=limits.max_parts) as parser:
            async for chunk in stream:
                if parser.closed:
                    break
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment, size = part, 0
                        data = bytearray()
                        if part.filename:
                            data = UploadFile(
                                content_type=part.content_type or "application/octet-stream",
                                filename=part.filename,
                                headers=dict(part.headerlist),
                            )
                    elif part:
                        if segment is None:
                            raise InvalidInput("the multipart form is malformed")
                        size += len(part)
                        if isinstance(data, UploadFile):
                            if size > limits.file_bytes:
                                raise TooLarge(
                                    "the file {name} is larger than {limit}",
                                    params={
                                        "name": segment.filename,
                                        "limit": human_size(limits.file_bytes),
                                    },
                                )
                            await data.write(bytes(part))
                        else:
                            text_total += len(part)
                            if size > limits.field_bytes:
                                raise _field_too_large(segment.name, limits.field_bytes)
                            if text_total > limits.text_bytes:
                                raise TooLarge(
                                    "the text fields of this form are larger than {limit} together",
                                    params={"limit": human_size(limits.text_bytes)},
                                )
                            data.extend(part)
                    else:
                        if segment is None:
                            raise InvalidInput("the multipart form is malformed")
                        if isinstance(data, UploadFile):
                            await data.seek(0)
                            items.append((segment.name, data))
                        else:
                            text = data.decode(segment.charset or "utf-8", errors="replace")
                            items.append((segment.name, text))
                        data, segment = bytearray(), None
            if not parser.closed:
                raise InvalidInput("the multipart form is malformed")
    except BaseException as exc:
        if isinstance(data, UploadFile):
            await data.close()
        for _, value in items:
            if isinstance(value, UploadFile):
                await value.close()
        if isinstance(exc, ParserLimitReached):
            raise TooLarge(
                "the form has more than {count} parts or part headers that are too large",
                params={"count": limits.max_parts},
            ) from None
        if isinstance(exc, ParserError):
            raise InvalidInput("the multipart form is malformed") from None
        raise
    return items
