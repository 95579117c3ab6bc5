"""The pure routing core: which group and which agent a new ticket goes to, and why.

Plain data in (the ticket's facts, the ordered rules, the agents with their load, the
round-robin cursors), a :class:`Decision` out. No session, no clock: the service gathers
the facts, calls :func:`decide`, stores the decision and moves the cursor.

The order of the steps (``docs/routing.md`` says the same for operators):

1. The first enabled rule whose conditions all hold matches; no match is the fallback.
2. The level floor: strategic organizations need L3, enterprise ones L2 or above; a rule's
   ``min_level`` can only raise it.
3. Strategic and enterprise organizations go to their TAM when one is set, available and
   under capacity (the group of the matched rule is still set).
4. A rule that only queues leaves the ticket in its group's queue.
5. Otherwise the least loaded eligible agent (available, on shift when shifts are known,
   under capacity, with the rule's skills, speaking the ticket's language when the rule
   asks for languages, at the level floor) of the rule's group (every agent when the rule
   has no group, and for the fallback) is picked; equals take turns (round robin).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LEVELS = ("L1", "L2", "L3")
# Plan tiers the built-in rule sends to senior engineers and to their TAM.
TIER_FLOORS: dict[str, str] = {"enterprise": "L2", "strategic": "L3"}
ALL_AGENTS_SCOPE = "all"


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What routing knows of a new ticket."""

    category: str
    language: str
    skills: frozenset[str]
    plan_tier: str
    organization_id: int
    tam_agent_id: int | None = None


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """One admin rule: empty conditions match anything."""

    id: int
    name: str
    categories: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    plan_tiers: frozenset[str] = frozenset()
    organization_ids: frozenset[int] = frozenset()
    group_id: int | None = None
    group_name: str | None = None
    min_level: str = "L1"
    assign: bool = True
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class AgentFacts:
    """An agent who may take tickets, with the load they carry now."""

    id: int
    name: str
    level: str
    skills: frozenset[str]
    languages: frozenset[str]
    groups: frozenset[int]
    available: bool
    load: int
    capacity: int


@dataclass(frozen=True, slots=True)
class ReasonPart:
    """One fact behind a decision, e.g. ("skill", "video") or ("load", "3/8")."""

    kind: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a ticket goes and why; ``scope`` names the round-robin cursor to move."""

    group_id: int | None
    agent_id: int | None
    reason_parts: tuple[ReasonPart, ...]
    rule_id: int | None = None
    scope: str | None = None
    group_name: str | None = None
    agent_name: str | None = None


@dataclass(frozen=True, slots=True)
class _Need:
    """What an agent must have for this ticket."""

    skills: frozenset[str]
    language: str | None
    level: str
    group_id: int | None


def level_rank(level: str) -> int:
    """L1 -> 0, L2 -> 1, L3 -> 2 (unknown levels rank lowest)."""
    return LEVELS.index(level) if level in LEVELS else -1


def rule_matches(rule: RuleFacts, ticket: TicketFacts) -> bool:
    """Whether every condition of ``rule`` holds for ``ticket``."""
    return (
        rule.enabled
        and (not rule.categories or ticket.category in rule.categories)
        and rule.skills <= ticket.skills
        and (not rule.languages or ticket.language in rule.languages)
        and (not rule.plan_tiers or ticket.plan_tier in rule.plan_tiers)
        and (not rule.organization_ids or ticket.organization_id in rule.organization_ids)
    )


def is_free(agent: AgentFacts, on_shift: frozenset[int] | None) -> bool:
    """Available (and on shift, when shifts are known) and under capacity."""
    on = on_shift is None or agent.id in on_shift
    return agent.available and on and agent.load < agent.capacity


def eligible(agent: AgentFacts, need: _Need, on_shift: frozenset[int] | None) -> bool:
    """Whether ``agent`` may be picked for ``need``."""
    return (
        is_free(agent, on_shift)
        and need.skills <= agent.skills
        and (need.language is None or need.language in agent.languages)
        and level_rank(agent.level) >= level_rank(need.level)
        and (need.group_id is None or need.group_id in agent.groups)
    )


def round_robin(candidates: Sequence[AgentFacts], last_agent_id: int | None) -> AgentFacts:
    """The least loaded candidate; among equals the first id after ``last_agent_id``."""
    lowest = min(a.load for a in candidates)
    tied = sorted((a for a in candidates if a.load == lowest), key=lambda a: a.id)
    if last_agent_id is not None:
        for agent in tied:
            if agent.id > last_agent_id:
                return agent
    return tied[0]


def decide(
    ticket: TicketFacts,
    rules: Sequence[RuleFacts],
    agents: Sequence[AgentFacts],
    cursors: Mapping[str, int],
    *,
    on_shift: frozenset[int] | None = None,
) -> Decision:
    """Route ``ticket``: the first matching rule, the built-ins, then the agent pick.

    ``cursors`` maps a round-robin scope (``group:<id>`` or ``all``) to the last agent
    picked in it. ``on_shift`` is the seam for on-call schedules: ``None`` means no
    schedule is known and availability alone counts; a set limits routing to its agents.
    """
    rule = next((r for r in rules if rule_matches(r, ticket)), None)
    parts: list[ReasonPart] = []
    if rule is None:
        parts.append(ReasonPart("fallback"))
    else:
        parts.append(ReasonPart("rule", rule.name))
    floor = TIER_FLOORS.get(ticket.plan_tier, "L1")
    level = rule.min_level if rule and level_rank(rule.min_level) > level_rank(floor) else floor
    if level_rank(floor) > 0:
        parts.append(ReasonPart("tier", ticket.plan_tier))
    group_id = rule.group_id if rule else None
    group_name = rule.group_name if rule else None

    def done(agent: AgentFacts | None, scope: str | None = None) -> Decision:
        return Decision(
            group_id=group_id,
            agent_id=agent.id if agent else None,
            reason_parts=tuple(parts),
            rule_id=rule.id if rule else None,
            scope=scope,
            group_name=group_name,
            agent_name=agent.name if agent else None,
        )

    if ticket.plan_tier in TIER_FLOORS and ticket.tam_agent_id is not None:
        tam = next((a for a in agents if a.id == ticket.tam_agent_id), None)
        if tam is not None and is_free(tam, on_shift):
            parts += [ReasonPart("tam", tam.name), ReasonPart("load", f"{tam.load}/{tam.capacity}")]
            return done(tam)
        parts.append(ReasonPart("tam_unavailable"))

    if rule is not None and not rule.assign:
        parts.append(ReasonPart("queue"))
        return done(None)

    need = _Need(
        skills=rule.skills if rule else frozenset(),
        language=ticket.language if rule and rule.languages else None,
        level=level,
        group_id=group_id,
    )
    parts += [ReasonPart("skill", s) for s in sorted(need.skills)]
    if need.language is not None:
        parts.append(ReasonPart("language", need.language))
    if level_rank(level) > 0:
        parts.append(ReasonPart("level", level))
    candidates = [a for a in agents if eligible(a, need, on_shift)]
    if not candidates:
        parts.append(ReasonPart("no_agent"))
        return done(None)
    scope = f"group:{group_id}" if group_id is not None else ALL_AGENTS_SCOPE
    picked = round_robin(candidates, cursors.get(scope))
    parts.append(ReasonPart("load", f"{picked.load}/{picked.capacity}"))
    ties = sum(1 for a in candidates if a.load == picked.load)
    if ties > 1:
        parts.append(ReasonPart("turn", str(ties)))
    return done(picked, scope)


def matched_rule(ticket: TicketFacts, rules: Sequence[RuleFacts]) -> RuleFacts | None:
    """The rule :func:`decide` applies to ``ticket`` (None: the fallback)."""
    return next((r for r in rules if rule_matches(r, ticket)), None)


def pick_at_level(
    agents: Sequence[AgentFacts],
    *,
    level: str,
    group_id: int | None,
    on_shift: frozenset[int] | None = None,
    exclude: frozenset[int] = frozenset(),
) -> AgentFacts | None:
    """The agent an escalation hands a ticket to: the least loaded free agent of exactly
    ``level`` in the group (any group when None), else of a higher level; equals by id.

    The same eligibility as routing (available, on shift when shifts are known, under
    capacity, in the group) without the new ticket's skill and language conditions.
    """
    need = _Need(skills=frozenset(), language=None, level=level, group_id=group_id)
    free = [a for a in agents if a.id not in exclude and eligible(a, need, on_shift)]
    exact = [a for a in free if a.level == level]
    candidates = exact or free
    return round_robin(candidates, None) if candidates else None
