"""The pure escalation core: which policy applies to a ticket's clock, which of its steps a
reached SLA threshold runs, and the level a ticket goes to next.

Plain data in and out: no session, no clock. The service gathers the facts (the ticket's
plan tier, priority, assignee's level), calls these functions and carries the steps out.

A step's ``at`` is the name of an SLA threshold exactly as the SLA timers record it in
``sla_events.threshold``: ``"breach"`` or a warning point of the SLA policy (``"75"`` for
0.75). The SLA policy's warning points decide *when* a clock fires; an escalation policy
only says *what happens* when it does (``docs/sla.md``, "Escalation").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEVELS = ("L1", "L2", "L3")
BREACH = "breach"
# warn: notify only; reassign: hand the ticket to the next level; add: bring the next
# level in (notified, the ticket keeps its assignee).
WARN = "warn"
REASSIGN = "reassign"
ADD = "add"
ACTIONS = (WARN, REASSIGN, ADD)
# Whom a step notifies besides the agent it hands the ticket to.
ASSIGNEE = "assignee"
TEAM_LEAD = "team_lead"
MANAGERS = "managers"
AUDIENCES = (ASSIGNEE, TEAM_LEAD, MANAGERS)
TARGETS = ("first_response", "next_reply", "resolution")
MAX_STEPS = 10


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One step: at a threshold, do ``action`` and notify ``notify``."""

    at: str
    action: str = WARN
    notify: tuple[str, ...] = (ASSIGNEE,)


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """A policy's scope and steps (empty scope lists mean "any")."""

    id: int
    name: str
    steps: tuple[StepSpec, ...]
    plan_tiers: frozenset[str] = frozenset()
    priorities: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    is_default: bool = False
    enabled: bool = True


def point_name(percent: float) -> str:
    """``75`` -> ``"75"``, ``87.5`` -> ``"87.5"``: the SLA threshold name of a percentage."""
    return f"{percent:g}"


def threshold_percent(at: str) -> float:
    """The share of the target a threshold stands for (100 for the breach)."""
    return 100.0 if at == BREACH else float(at)


def normalize_at(raw: str) -> str | None:
    """A step's ``at`` as the SLA names it ("75", "breach"), or None when it is neither a
    breach nor a percentage strictly between 0 and 100."""
    text = raw.strip().lower().removesuffix("%").strip()
    if text == BREACH:
        return BREACH
    try:
        value = float(text)
    except ValueError:
        return None
    if not 0 < value < 100:  # NaN compares false too
        return None
    return point_name(round(value, 2))


def matches(policy: PolicyFacts, tier: str, priority: str, target: str) -> bool:
    """Whether ``policy``'s scope holds for a clock of this target on such a ticket."""
    return (
        policy.enabled
        and (not policy.plan_tiers or tier in policy.plan_tiers)
        and (not policy.priorities or priority in policy.priorities)
        and (not policy.targets or target in policy.targets)
    )


def specificity(policy: PolicyFacts) -> int:
    """How many scope dimensions a policy narrows (more wins)."""
    return sum(1 for dim in (policy.plan_tiers, policy.priorities, policy.targets) if dim)


def choose_policy(
    policies: Sequence[PolicyFacts], tier: str, priority: str, target: str
) -> PolicyFacts | None:
    """The policy for a clock: the most specific enabled match (ties: lowest id), else the
    enabled default policy, else None."""
    found = [p for p in policies if not p.is_default and matches(p, tier, priority, target)]
    if found:
        return min(found, key=lambda p: (-specificity(p), p.id))
    defaults = [p for p in policies if p.is_default and p.enabled]
    return min(defaults, key=lambda p: p.id) if defaults else None


def steps_at(policy: PolicyFacts, threshold: str) -> list[tuple[int, StepSpec]]:
    """The steps (with their index) a reached threshold runs, in policy order."""
    return [(i, s) for i, s in enumerate(policy.steps) if s.at == threshold]


def next_level(level: str | None) -> str | None:
    """The level above ``level`` (an unassigned ticket goes to L1); None above L3."""
    if level is None:
        return LEVELS[0]
    rank = LEVELS.index(level) if level in LEVELS else -1
    return LEVELS[rank + 1] if rank + 1 < len(LEVELS) else None


def ordered(steps: Sequence[StepSpec]) -> list[StepSpec]:
    """Steps sorted by when they fire (warnings by share, the breach last); stable."""
    return sorted(steps, key=lambda s: threshold_percent(s.at))


def outcome(action: str, level: str | None, handed: bool) -> str:
    """How a step ended, as history entries name it: warned, top (no higher level), nobody
    (no one free at the level), reassigned or added."""
    if action == WARN:
        return "warned"
    if level is None:
        return "top"
    if not handed:
        return "nobody"
    return "reassigned" if action == REASSIGN else "added"
