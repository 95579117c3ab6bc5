"""The edge every request passes: input no column or decoder can hold is refused up front.

- JSON bodies are checked on their raw bytes before decoding: nesting depth
  (``core.validation.MAX_JSON_DEPTH``) and NUL characters (``\\u0000``).
- Form fields (URL-encoded and multipart, files excepted) and query parameters may not
  hold NUL characters; a path that does, or whose number segment is over ``MAX_ID`` (no id
  can be), names nothing (404).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.types import ASGIApp, Receive, Scope, Send

from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import MAX_ID, check_json_depth

# An escaped NUL: ``\u0000`` after an even number of backslashes (so not ``\\u0000``).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
# A path segment that is a whole number: where an id sits in an address.
_PATH_NUMBER = re.compile(r"(?<=/)[0-9]+(?=/|$)")


def nul_refused() -> InvalidInput:
    """The one answer to text holding a NUL character (PostgreSQL cannot store it)."""
    return InvalidInput("text may not contain NUL characters")


class EdgeRequest(Request[Any, Any, Any]):
    """A Litestar request whose JSON body and form fields pass the edge checks first."""

    async def json(self) -> Any:
        """The decoded JSON body, once its raw bytes passed the depth and NUL checks."""
        raw = await self.body()
        check_json_depth(raw)
        if b"\\u0000" in raw and _JSON_NUL.search(raw):
            raise nul_refused()
        return await super().json()

    async def form(self) -> FormMultiDict:
        """The parsed form, once no text field holds a NUL character."""
        form = await super().form()
        for _key, value in form.multi_items():
            if not isinstance(value, UploadFile) and "\x00" in str(value):
                raise nul_refused()
        return form


def _names_nothing(path: str) -> bool:
    """Whether ``path`` holds a NUL or a number no id can be (over ``MAX_ID``)."""
    if "\x00" in path:
        return True
    for number in _PATH_NUMBER.findall(path):
        digits = number.lstrip("0")
        if len(digits) > len(str(MAX_ID)) or (len(digits) > 9 and int(digits) > MAX_ID):
            return True
    return False


def refuse_unaddressable(app: ASGIApp) -> ASGIApp:
    """Middleware: a path with a NUL or an out-of-range id answers 404, a NUL query 400."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            if _names_nothing(scope["path"]):
                raise NotFoundException()
            query = scope.get("query_string", b"")
            if b"%00" in query or b"\x00" in query:
                raise nul_refused()
        await app(scope, receive, send)

    return middleware
