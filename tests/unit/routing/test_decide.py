"""The pure routing core: rule matching, built-ins, the agent pick, and its properties."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtcdesk.routing.decide import (
    ALL_AGENTS_SCOPE,
    AgentFacts,
    ReasonPart,
    RuleFacts,
    TicketFacts,
    decide,
    level_rank,
)

TICKET = TicketFacts(
    category="troubleshooting",
    language="zh-CN",
    skills=frozenset({"video", "android"}),
    plan_tier="premium",
    organization_id=1,
)


def agent(agent_id: int, **changes: object) -> AgentFacts:
    base = AgentFacts(
        id=agent_id,
        name=f"A{agent_id}",
        level="L2",
        skills=frozenset({"video", "audio", "network"}),
        languages=frozenset({"zh-CN", "en"}),
        groups=frozenset({10}),
        available=True,
        load=0,
        capacity=8,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


VIDEO = RuleFacts(
    id=1,
    name="Video",
    categories=frozenset({"troubleshooting"}),
    skills=frozenset({"video"}),
    languages=frozenset({"zh-CN"}),
    group_id=10,
    group_name="Video L2",
    min_level="L2",
)


def kinds(parts: tuple[ReasonPart, ...]) -> list[str]:
    return [p.kind for p in parts]


@pytest.mark.parametrize(
    ("ticket_changes", "matches"),
    [
        ({}, True),
        ({"category": "integration"}, False),
        ({"skills": frozenset({"audio"})}, False),
        ({"language": "en"}, False),
        ({"skills": frozenset({"video", "network", "ios"})}, True),
    ],
)
def test_rule_conditions(ticket_changes: dict[str, object], matches: bool) -> None:
    ticket = replace(TICKET, **ticket_changes)  # type: ignore[arg-type]
    decision = decide(ticket, [VIDEO], [agent(1)], {})
    assert (decision.rule_id == 1) is matches
    assert (decision.group_id == 10) is matches


def test_plan_and_organization_conditions() -> None:
    rule = replace(VIDEO, plan_tiers=frozenset({"enterprise"}), organization_ids=frozenset({1}))
    assert decide(TICKET, [rule], [agent(1)], {}).rule_id is None
    big = replace(TICKET, plan_tier="enterprise")
    assert decide(big, [rule], [agent(1)], {}).rule_id == 1
    assert decide(replace(big, organization_id=2), [rule], [agent(1)], {}).rule_id is None


def test_first_match_wins_and_disabled_rules_are_skipped() -> None:
    second = replace(VIDEO, id=2, name="Second", group_id=11)
    assert decide(TICKET, [VIDEO, second], [agent(1)], {}).rule_id == 1
    off = replace(VIDEO, enabled=False)
    assert decide(TICKET, [off, second], [agent(1, groups=frozenset({11}))], {}).rule_id == 2


def test_reason_reads_like_the_brief() -> None:
    decision = decide(TICKET, [VIDEO], [agent(7, load=3)], {})
    assert decision.agent_id == 7
    assert decision.reason_parts == (
        ReasonPart("rule", "Video"),
        ReasonPart("skill", "video"),
        ReasonPart("language", "zh-CN"),
        ReasonPart("level", "L2"),
        ReasonPart("load", "3/8"),
    )
    assert decision.scope == "group:10"


@pytest.mark.parametrize(
    ("candidate", "picked"),
    [
        (agent(1), True),
        (agent(1, available=False), False),
        (agent(1, load=8), False),
        (agent(1, capacity=0), False),
        (agent(1, skills=frozenset({"audio"})), False),
        (agent(1, languages=frozenset({"en"})), False),
        (agent(1, level="L1"), False),
        (agent(1, level="L3"), True),
        (agent(1, groups=frozenset({99})), False),
    ],
)
def test_who_may_be_picked(candidate: AgentFacts, picked: bool) -> None:
    decision = decide(TICKET, [VIDEO], [candidate], {})
    assert (decision.agent_id == 1) is picked
    if not picked:
        assert kinds(decision.reason_parts)[-1] == "no_agent"
        assert decision.group_id == 10  # still in the group's queue


def test_least_loaded_wins() -> None:
    decision = decide(TICKET, [VIDEO], [agent(1, load=5), agent(2, load=2), agent(3, load=4)], {})
    assert decision.agent_id == 2


def test_queue_only_rule_leaves_the_ticket_in_the_group() -> None:
    queue = replace(VIDEO, assign=False)
    decision = decide(TICKET, [queue], [agent(1)], {})
    assert (decision.group_id, decision.agent_id) == (10, None)
    assert kinds(decision.reason_parts)[-1] == "queue"


def test_fallback_is_round_robin_over_everyone_without_a_group() -> None:
    agents = [agent(1, groups=frozenset()), agent(2, groups=frozenset({5}))]
    first = decide(TICKET, [], agents, {})
    assert (first.group_id, first.agent_id, first.scope) == (None, 1, ALL_AGENTS_SCOPE)
    assert kinds(first.reason_parts)[0] == "fallback"
    assert "turn" in kinds(first.reason_parts)
    second = decide(TICKET, [], agents, {ALL_AGENTS_SCOPE: 1})
    assert second.agent_id == 2
    assert decide(TICKET, [], agents, {ALL_AGENTS_SCOPE: 2}).agent_id == 1


@pytest.mark.parametrize(("tier", "floor"), [("enterprise", "L2"), ("strategic", "L3")])
def test_large_accounts_need_senior_engineers(tier: str, floor: str) -> None:
    ticket = replace(TICKET, plan_tier=tier)
    agents = [agent(1, level="L1"), agent(2, level="L2"), agent(3, level="L3", load=5)]
    decision = decide(ticket, [], agents, {})
    chosen = next(a for a in agents if a.id == decision.agent_id)
    assert level_rank(chosen.level) >= level_rank(floor)
    assert ReasonPart("tier", tier) in decision.reason_parts


def test_a_rule_can_only_raise_the_tier_floor() -> None:
    ticket = replace(TICKET, plan_tier="strategic")
    decision = decide(ticket, [VIDEO], [agent(1, level="L2"), agent(2, level="L3", load=4)], {})
    assert decision.agent_id == 2


def test_the_tam_takes_tickets_of_large_accounts() -> None:
    ticket = replace(TICKET, plan_tier="strategic", tam_agent_id=9)
    tam = agent(9, level="L1", skills=frozenset(), groups=frozenset(), load=6)
    decision = decide(ticket, [VIDEO], [agent(1, level="L3"), tam], {})
    assert (decision.agent_id, decision.group_id) == (9, 10)
    assert ReasonPart("tam", "A9") in decision.reason_parts
    assert decision.scope is None  # the TAM is no one's turn


@pytest.mark.parametrize("busy", [{"available": False}, {"load": 8}])
def test_a_tam_away_or_full_falls_through(busy: dict[str, object]) -> None:
    ticket = replace(TICKET, plan_tier="enterprise", tam_agent_id=9)
    tam = agent(9, **busy)
    decision = decide(ticket, [VIDEO], [agent(1), tam], {})
    assert decision.agent_id == 1
    assert "tam_unavailable" in kinds(decision.reason_parts)


def test_no_tam_built_in_for_smaller_plans() -> None:
    ticket = replace(TICKET, tam_agent_id=9)
    decision = decide(ticket, [VIDEO], [agent(1), agent(9, load=7)], {})
    assert decision.agent_id == 1


def test_shifts_limit_routing_when_known() -> None:
    agents = [agent(1), agent(2, load=3)]
    assert decide(TICKET, [VIDEO], agents, {}).agent_id == 1
    assert decide(TICKET, [VIDEO], agents, {}, on_shift=frozenset({2})).agent_id == 2
    nobody = decide(TICKET, [VIDEO], agents, {}, on_shift=frozenset())
    assert nobody.agent_id is None


# --- properties -------------------------------------------------------------------------

SKILL_POOL = ("audio", "video", "network", "ios", "web")
agents_strategy = st.lists(
    st.builds(
        AgentFacts,
        id=st.integers(1, 40),
        name=st.just("x"),
        level=st.sampled_from(("L1", "L2", "L3")),
        skills=st.frozensets(st.sampled_from(SKILL_POOL)),
        languages=st.frozensets(st.sampled_from(("en", "zh-CN"))),
        groups=st.frozensets(st.integers(1, 3)),
        available=st.booleans(),
        load=st.integers(0, 10),
        capacity=st.integers(0, 10),
    ),
    max_size=12,
    unique_by=lambda a: a.id,
)
rules_strategy = st.lists(
    st.builds(
        RuleFacts,
        id=st.integers(1, 20),
        name=st.just("r"),
        categories=st.frozensets(st.sampled_from(("integration", "troubleshooting"))),
        skills=st.frozensets(st.sampled_from(SKILL_POOL), max_size=2),
        languages=st.frozensets(st.sampled_from(("en", "zh-CN")), max_size=1),
        group_id=st.one_of(st.none(), st.integers(1, 3)),
        min_level=st.sampled_from(("L1", "L2", "L3")),
        assign=st.booleans(),
    ),
    max_size=5,
    unique_by=lambda r: r.id,  # rule ids are primary keys
)
tickets_strategy = st.builds(
    TicketFacts,
    category=st.sampled_from(("integration", "troubleshooting")),
    language=st.sampled_from(("en", "zh-CN")),
    skills=st.frozensets(st.sampled_from(SKILL_POOL)),
    plan_tier=st.sampled_from(("free", "premium", "enterprise", "strategic")),
    organization_id=st.just(1),
    tam_agent_id=st.one_of(st.none(), st.integers(1, 40)),
)
cursor_strategy = st.dictionaries(
    st.sampled_from(("all", "group:1", "group:2", "group:3")), st.integers(1, 40)
)


@settings(max_examples=300, deadline=None)
@given(tickets_strategy, rules_strategy, agents_strategy, cursor_strategy)
def test_never_an_agent_away_full_or_lacking_a_skill(
    ticket: TicketFacts,
    rules: list[RuleFacts],
    agents: list[AgentFacts],
    cursors: dict[str, int],
) -> None:
    decision = decide(ticket, rules, agents, cursors)
    if decision.agent_id is None:
        return
    chosen = next(a for a in agents if a.id == decision.agent_id)
    assert chosen.available
    assert chosen.load < chosen.capacity
    rule = next((r for r in rules if r.id == decision.rule_id), None)
    if decision.agent_id != ticket.tam_agent_id and rule is not None:
        assert rule.skills <= chosen.skills
        assert level_rank(chosen.level) >= level_rank(rule.min_level)
        if rule.languages:
            assert ticket.language in chosen.languages


@settings(max_examples=200, deadline=None)
@given(tickets_strategy, rules_strategy, agents_strategy, cursor_strategy)
def test_deterministic_for_the_same_input_and_cursor(
    ticket: TicketFacts,
    rules: list[RuleFacts],
    agents: list[AgentFacts],
    cursors: dict[str, int],
) -> None:
    assert decide(ticket, rules, agents, cursors) == decide(ticket, rules, agents, cursors)
    assert decide(ticket, rules, agents, cursors) == decide(
        ticket, rules, list(reversed(agents)), cursors
    )


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(1, 60), min_size=1, max_size=8), st.integers(0, 5))
def test_round_robin_spreads_equal_candidates(ids: set[int], load: int) -> None:
    agents = [agent(i, groups=frozenset(), load=load) for i in ids]
    cursors: dict[str, int] = {}
    picked = []
    for _ in range(len(ids) * 2):
        decision = decide(TICKET, [], agents, cursors)
        assert decision.agent_id is not None
        assert decision.scope is not None
        picked.append(decision.agent_id)
        cursors[decision.scope] = decision.agent_id
    # Every equal candidate gets one turn before anyone gets a second.
    assert sorted(picked[: len(ids)]) == sorted(ids)
    assert picked[len(ids) :] == picked[: len(ids)]
