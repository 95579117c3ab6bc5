"""The one exception hierarchy of rtcdesk.

Every error a person can cause or meet derives from :class:`RtcdeskError`. Each class
carries the HTTP status (mapped in ``web/errors.py``) and the CLI exit code (mapped in
``cli/main.py``) so both interfaces translate errors in exactly one place.

Messages are English templates with named fields, ``NotFound("ticket {id} not found",
params={"id": 7})``, so pages can show them in the reader's language (the templates are
extracted into the translation catalog; never pass an f-string). ``field`` names the input
a mistake is about (``InvalidInput("...", field="subject")``), so a form shows the message
next to that input; without it the message belongs to the form as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class RtcdeskError(Exception):
    """Base of every error rtcdesk raises on purpose; ``message`` is for people."""

    status_code: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        message: str,
        *,
        params: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        field: str | None = None,
    ) -> None:
        self.template = message
        self.field = field
        self.params = params or {}
        self.message = message.format(**self.params) if self.params else message
        super().__init__(self.message)
        self.details = details or {}

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in another language: the template translated, then filled in."""
        template = gettext(self.template)
        try:
            return template.format(**self.params) if self.params else template
        except (KeyError, IndexError, ValueError):
            return self.message


class InvalidInput(RtcdeskError):
    """Input is malformed, of the wrong type, out of range or otherwise unusable."""

    status_code = 400
    exit_code = 2
    title = "Invalid input"


class TooLarge(InvalidInput):
    """A body, file or field is larger than the configured limit."""

    status_code = 413
    title = "Too large"


class UnsupportedFormat(InvalidInput):
    """A file is not in a format we can read."""

    status_code = 415
    title = "Unsupported format"


class NotAuthenticated(RtcdeskError):
    """No valid credentials were presented."""

    status_code = 401
    exit_code = 3
    title = "Not signed in"


class PermissionDenied(RtcdeskError):
    """The caller is known but not allowed to do this."""

    status_code = 403
    exit_code = 3
    title = "Permission denied"


class NotFound(RtcdeskError):
    """The object does not exist, or the caller may not know that it exists."""

    status_code = 404
    exit_code = 4
    title = "Not found"


class TooManyAttempts(RtcdeskError):
    """Too many tries in a short time (e.g. wrong passwords); wait and try again."""

    status_code = 429
    exit_code = 7
    title = "Too many attempts"


class Conflict(RtcdeskError):
    """The request conflicts with the current state (duplicate, illegal transition)."""

    status_code = 409
    exit_code = 5
    title = "Conflict"
