"""What paging tells people: the page notification's kind and the history entries it writes.

History entries keep structured JSON (event, page, step, who, layer, how), never a
sentence; :func:`describe` reads one in the reader's language through the catalog.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rtcdesk.core.i18n import N_
from rtcdesk.notifications.kinds import EMAIL, IN_APP, Kind

HISTORY_FIELD = "paging"
Gettext = Callable[..., str]

PAGE_KIND = Kind(
    name="oncall.page",
    title=N_("Page: P1 ticket #{ticket_id} needs you now"),
    body=N_(
        "“{subject}” from {organization}. Open this link to acknowledge it; "
        "unacknowledged, it goes to the next person in {minutes} minutes."
    ),
    default_channels=(IN_APP, EMAIL),
    # A page cannot be switched off: it reaches the inbox and the mailbox whatever the settings.
    required_channels=(IN_APP, EMAIL),
    description=N_("You are paged for an urgent ticket (cannot be switched off)"),
)

REASONS: dict[str, str] = {
    "p1_after_hours": N_("P1 outside business hours"),
    "launch_guard": N_("launch guard"),
    "manual": N_("paged by hand"),
}
ROLES: dict[str, str] = {
    "layer": N_("on call"),
    "manager": N_("schedule manager"),
    "named": N_("named on-call engineer"),
    "backup": N_("backup engineer"),
}
VIAS: dict[str, str] = {
    "console": N_("in the console"),
    "link": N_("with the link in the page"),
    "api": N_("through the API"),
}
EVENTS: dict[str, str] = {
    "paged": N_("paged {agent} ({role}, step {step}): {reason}"),
    "escalated": N_("not acknowledged in {minutes} min: passed on from {previous} to {agent}"),
    "acknowledged": N_("{agent} acknowledged the page {via}"),
    "exhausted": N_("not acknowledged in {minutes} min and nobody is left to page"),
    "resolved": N_("page closed with the ticket"),
    "nobody": N_("P1 outside business hours, but nobody is on call to page"),
    "nobody_launch": N_("P1 under launch guard, but nobody could be paged"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """A paging history entry as read back."""

    event: str
    data: dict[str, Any]


def encode(event: str, **data: Any) -> str:
    """The JSON stored in a paging history entry."""
    return json.dumps({"event": event, **data}, ensure_ascii=False, sort_keys=True)


def decode(value: str | None) -> Entry | None:
    """A stored entry, or None when it is not one of ours."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("event") not in EVENTS:
        return None
    return Entry(str(data.pop("event")), data)


def reason_text(reason: str, _: Gettext) -> str:
    """A page reason in the reader's language (unknown codes as they are)."""
    return _(REASONS[reason]) if reason in REASONS else reason


def describe(entry: Entry, _: Gettext) -> str:
    """One entry as a sentence in the reader's language."""
    d = entry.data
    fields = {
        "agent": d.get("agent") or "?",
        "previous": d.get("previous") or "?",
        "role": _(ROLES[d["role"]]) if d.get("role") in ROLES else (d.get("role") or ""),
        "step": int(d.get("step") or 0) + 1,
        "reason": reason_text(str(d.get("reason") or ""), _),
        "minutes": d.get("minutes") or "",
        "via": _(VIAS[d["via"]]) if d.get("via") in VIAS else "",
    }
    return _(EVENTS[entry.event], **fields)
