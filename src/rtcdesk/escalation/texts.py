"""What escalation tells people: its notification kinds and the ticket history entries.

History entries keep structured JSON (action, target, threshold, who), never a sentence;
:func:`describe` reads one in the reader's language through the catalog, the API in English.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rtcdesk.core.i18n import N_
from rtcdesk.escalation.steps import ADD, BREACH, REASSIGN, WARN
from rtcdesk.notifications.kinds import EMAIL, IN_APP, Kind

HISTORY_FIELD = "escalation"
FORMAT_VERSION = 1
Gettext = Callable[..., str]

TARGETS: dict[str, str] = {
    "first_response": N_("first response"),
    "next_reply": N_("next reply"),
    "resolution": N_("resolution"),
}

SLA_WARNING = Kind(
    name="sla.warning",
    title=N_("SLA warning on ticket #{ticket_id}: {percent}% of the {target} target used"),
    body=N_("“{subject}” ({organization}) has used {percent}% of its {target} time."),
    default_channels=(IN_APP,),
    description=N_("A ticket you look after nears its SLA target"),
    translated_params=("target",),
)
SLA_BREACH = Kind(
    name="sla.breach",
    title=N_("SLA breached on ticket #{ticket_id}: {target}"),
    body=N_("“{subject}” ({organization}) missed its {target} target."),
    default_channels=(IN_APP, EMAIL),
    description=N_("A ticket you look after missed its SLA target"),
    translated_params=("target",),
)
SLA_ESCALATED = Kind(
    name="sla.escalated",
    title=N_("Ticket #{ticket_id} was escalated to you ({level})"),
    body=N_("“{subject}” ({organization}) reached {percent}% of its {target} target."),
    default_channels=(IN_APP, EMAIL),
    description=N_("A ticket is escalated to you because of its SLA"),
    translated_params=("target",),
)
KINDS = (SLA_WARNING, SLA_BREACH, SLA_ESCALATED)

ACTION_LABELS: dict[str, str] = {
    WARN: N_("warn"),
    REASSIGN: N_("reassign to the next level"),
    ADD: N_("bring in the next level"),
}
AUDIENCE_LABELS: dict[str, str] = {
    "assignee": N_("the assignee"),
    "team_lead": N_("the team lead"),
    "managers": N_("the managers"),
}

# outcome -> sentence ({what} is the threshold reached, {people} who was notified).
SENTENCES: dict[str, str] = {
    "reassigned": N_("escalated to {level} ({agent}): {what}"),
    "added": N_("brought in {level} ({agent}): {what}"),
    "nobody": N_("no {level} engineer is free to take it: {what}; notified {people}"),
    "top": N_("already with the highest level: {what}; notified {people}"),
    "warned": N_("warned {people}: {what}"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """An escalation history entry as read back."""

    outcome: str
    target: str
    threshold: str
    level: str | None
    agent: str | None
    people: tuple[str, ...]


def encode(
    outcome: str,
    *,
    target: str,
    threshold: str,
    level: str | None,
    agent: str | None,
    people: list[str],
) -> str:
    """The JSON stored in an escalation history entry."""
    return json.dumps(
        {
            "v": FORMAT_VERSION,
            "outcome": outcome,
            "target": target,
            "threshold": threshold,
            "level": level,
            "agent": agent,
            "people": people,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def decode(value: str | None) -> Entry | None:
    """A stored entry, or None when it is not one of ours."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("outcome") not in SENTENCES:
        return None
    people = data.get("people")
    return Entry(
        outcome=str(data["outcome"]),
        target=str(data.get("target") or ""),
        threshold=str(data.get("threshold") or ""),
        level=str(data["level"]) if data.get("level") else None,
        agent=str(data["agent"]) if data.get("agent") else None,
        people=tuple(str(p) for p in people) if isinstance(people, list) else (),
    )


def _english(text: str, **fields: Any) -> str:
    return text.format(**fields) if fields else text


def target_text(target: str, _: Gettext = _english) -> str:
    """A clock's name in the reader's language."""
    return _(TARGETS[target]) if target in TARGETS else target


def reached_text(target: str, threshold: str, _: Gettext = _english) -> str:
    """ "first response breached" or "first response 75% used"."""
    name = target_text(target, _)
    if threshold == BREACH:
        return _(N_("{target} breached"), target=name)
    return _(N_("{target} {percent}% used"), target=name, percent=threshold)


def describe(entry: Entry, _: Gettext = _english) -> str:
    """One entry as a sentence: "escalated to L2 (Wang Fang): first response breached"."""
    people = _(N_(", ")).join(entry.people) if entry.people else _(N_("nobody"))
    return _(
        SENTENCES[entry.outcome],
        level=entry.level or "",
        agent=entry.agent or "",
        what=reached_text(entry.target, entry.threshold, _),
        people=people,
    )


def action_label(action: str, _: Gettext = _english) -> str:
    """A step's action in the reader's language."""
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def audience_label(audience: str, _: Gettext = _english) -> str:
    """Whom a step notifies, in the reader's language."""
    return _(AUDIENCE_LABELS[audience]) if audience in AUDIENCE_LABELS else audience
