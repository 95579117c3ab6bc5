"""A routing decision as stored on the ticket's history, and its reading in any language.

The history keeps structured data (rule, group, agent, facts), never a sentence: a page
renders it in its reader's language through the catalog's gettext, the API in English.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rtcdesk.routing.decide import Decision, ReasonPart

HISTORY_FIELD = "routing"
FORMAT_VERSION = 1

Gettext = Callable[..., str]


def N_(text: str) -> str:  # noqa: N802  (gettext's conventional no-op marker)
    """Mark ``text`` for extraction into the catalog without translating it here."""
    return text


# kind -> phrase template ({value} is the part's value).
PHRASES: dict[str, str] = {
    "rule": N_("rule “{value}”"),
    "fallback": N_("no rule matched"),
    "tier": N_("plan {value} needs senior engineers"),
    "tam": N_("technical account manager {value}"),
    "tam_unavailable": N_("the account's TAM is away or at capacity"),
    "queue": N_("left in the group's queue"),
    "skill": N_("skill {value}"),
    "language": N_("language {value}"),
    "level": N_("level {value} or above"),
    "load": N_("load {value}"),
    "turn": N_("round robin among {value} equally loaded"),
    "no_agent": N_("no available agent fits: left in the queue"),
    "busy": N_("others were routing at the same moment: left in the queue"),
    "on_shift": N_("outside business hours: on-call engineers only"),
}
TIERS: dict[str, str] = {
    "enterprise": N_("Enterprise"),
    "strategic": N_("Strategic"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """A decision as read back from the history."""

    trigger: str
    rule_id: int | None
    group_id: int | None
    group: str | None
    agent_id: int | None
    agent: str | None
    parts: tuple[ReasonPart, ...]


def encode(decision: Decision, trigger: str) -> str:
    """The JSON stored in the history entry of ``decision``."""
    return json.dumps(
        {
            "v": FORMAT_VERSION,
            "trigger": trigger,
            "rule_id": decision.rule_id,
            "group_id": decision.group_id,
            "group": decision.group_name,
            "agent_id": decision.agent_id,
            "agent": decision.agent_name,
            "parts": [[p.kind, p.value] for p in decision.reason_parts],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def decode(raw: str | None) -> Reason | None:
    """The reason stored in a history entry (None for text that is not one)."""
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list):
        return None
    parts = tuple(
        ReasonPart(str(p[0]), str(p[1]))
        for p in data["parts"]
        if isinstance(p, list) and len(p) == 2
    )
    return Reason(
        trigger=str(data.get("trigger") or "created"),
        rule_id=_opt_int(data.get("rule_id")),
        group_id=_opt_int(data.get("group_id")),
        group=_opt_str(data.get("group")),
        agent_id=_opt_int(data.get("agent_id")),
        agent=_opt_str(data.get("agent")),
        parts=parts,
    )


def _english(text: str, **fields: Any) -> str:
    return text.format(**fields) if fields else text


def part_text(part: ReasonPart, gettext: Gettext = _english) -> str:
    """One fact in the reader's language."""
    template = PHRASES.get(part.kind)
    if template is None:
        return part.value or part.kind
    value = (
        gettext(TIERS[part.value]) if part.kind == "tier" and part.value in TIERS else part.value
    )
    return gettext(template, value=value)


def target_text(reason: Reason, gettext: Gettext = _english) -> str:
    """Where the ticket went: "Video L2 · Li Wei", "Video L2", or "no group"."""
    names = [n for n in (reason.group, reason.agent) if n]
    return " · ".join(names) if names else gettext(N_("no group"))


def describe(reason: Reason, gettext: Gettext = _english) -> str:
    """The whole sentence: "Routed to Video L2 · Li Wei: skill video, load 3/8"."""
    facts = gettext(N_(", ")).join(part_text(p, gettext) for p in reason.parts)
    heading = (
        gettext(N_("Re-routed to {target}"), target=target_text(reason, gettext))
        if reason.trigger == "reroute"
        else gettext(N_("Routed to {target}"), target=target_text(reason, gettext))
    )
    return gettext(N_("{heading}: {facts}"), heading=heading, facts=facts)
