"""Notices a page shows after a redirect ("Saved."): only texts rtcdesk wrote itself.

A redirect names a notice by its code (``?flash=saved``); the text comes from the table
here, in the reader's language. Anything else in the address shows nothing, so a link can
never make rtcdesk appear to say a sentence of someone else's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from rtcdesk.web.labels import N_

FlashCode = Literal["saved", "linked", "merged", "password_reset"]
FLASH_MESSAGES: Mapping[str, str] = {
    "saved": N_("Saved."),
    "linked": N_("Linked."),
    "merged": N_("Merged."),
    "password_reset": N_("Your new password is set. Sign in with it."),
}


@dataclass(frozen=True)
class Flash:
    """A notice to show on top of a page: its text and whether it reports success."""

    text: str
    ok: bool


def flash_of_code(code: str | None, gettext: Callable[[str], str]) -> Flash | None:
    """The notice a flash code names, translated; an unknown code names none."""
    message = FLASH_MESSAGES.get(code or "")
    return Flash(gettext(message), ok=True) if message is not None else None
