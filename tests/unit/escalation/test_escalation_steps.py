"""The pure escalation core: policy choice by scope, steps at a threshold, step points,
the next level, the pick of the next level's agent (routing's eligibility), and the history
sentences in both languages."""

from __future__ import annotations

import pytest

from rtcdesk.core.i18n import translate
from rtcdesk.escalation.steps import (
    PolicyFacts,
    StepSpec,
    choose_policy,
    next_level,
    normalize_at,
    ordered,
    steps_at,
)
from rtcdesk.escalation.texts import SLA_WARNING, decode, describe, encode
from rtcdesk.notifications.kinds import render
from rtcdesk.routing.decide import AgentFacts, pick_at_level

LADDER = (
    StepSpec("75", "warn", ("assignee",)),
    StepSpec("90", "warn", ("assignee", "team_lead")),
    StepSpec("breach", "reassign", ("team_lead", "managers")),
)
DEFAULT = PolicyFacts(id=1, name="Default", steps=LADDER, is_default=True)
ENTERPRISE = PolicyFacts(
    id=2, name="Enterprise", steps=LADDER[2:], plan_tiers=frozenset({"enterprise"})
)
ENTERPRISE_P1 = PolicyFacts(
    id=3,
    name="Enterprise P1 first response",
    steps=LADDER[:1],
    plan_tiers=frozenset({"enterprise"}),
    priorities=frozenset({"P1"}),
    targets=frozenset({"first_response"}),
)
POLICIES = (DEFAULT, ENTERPRISE, ENTERPRISE_P1)


@pytest.mark.parametrize(
    ("tier", "priority", "target", "expected"),
    [
        ("premium", "P3", "first_response", "Default"),
        ("enterprise", "P3", "resolution", "Enterprise"),
        ("enterprise", "P1", "resolution", "Enterprise"),
        ("enterprise", "P1", "first_response", "Enterprise P1 first response"),
        ("strategic", "P1", "first_response", "Default"),
    ],
)
def test_the_most_specific_matching_policy_applies_else_the_default(
    tier: str, priority: str, target: str, expected: str
) -> None:
    chosen = choose_policy(POLICIES, tier, priority, target)
    assert chosen is not None
    assert chosen.name == expected


def test_a_switched_off_policy_is_skipped_and_no_default_means_nothing() -> None:
    off = PolicyFacts(
        id=2, name="Off", steps=LADDER, plan_tiers=frozenset({"basic"}), enabled=False
    )
    assert choose_policy((off,), "basic", "P3", "resolution") is None
    chosen = choose_policy((DEFAULT, off), "basic", "P3", "resolution")
    assert chosen is not None
    assert chosen.name == "Default"
    off_default = PolicyFacts(id=1, name="D", steps=LADDER, is_default=True, enabled=False)
    assert choose_policy((off_default,), "basic", "P3", "resolution") is None


def test_equally_specific_policies_tie_by_lowest_id() -> None:
    a = PolicyFacts(id=7, name="A", steps=LADDER, priorities=frozenset({"P2"}))
    b = PolicyFacts(id=5, name="B", steps=LADDER, plan_tiers=frozenset({"premium"}))
    chosen = choose_policy((a, b), "premium", "P2", "next_reply")
    assert chosen is not None
    assert chosen.name == "B"


def test_a_threshold_runs_only_the_steps_at_it() -> None:
    assert steps_at(DEFAULT, "90") == [(1, LADDER[1])]
    assert steps_at(DEFAULT, "breach") == [(2, LADDER[2])]
    assert steps_at(DEFAULT, "50") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("75", "75"),
        ("75%", "75"),
        (" 87.5 ", "87.5"),
        ("90.0", "90"),
        ("Breach", "breach"),
        ("0", None),
        ("100", None),
        ("-5", None),
        ("nan", None),
        ("soon", None),
    ],
)
def test_step_points_are_named_as_the_sla_names_its_thresholds(
    raw: str, expected: str | None
) -> None:
    assert normalize_at(raw) == expected


def test_steps_are_ordered_by_when_they_fire() -> None:
    steps = [StepSpec("breach"), StepSpec("90"), StepSpec("75")]
    assert [s.at for s in ordered(steps)] == ["75", "90", "breach"]


@pytest.mark.parametrize(
    ("level", "expected"), [(None, "L1"), ("L1", "L2"), ("L2", "L3"), ("L3", None)]
)
def test_the_next_level(level: str | None, expected: str | None) -> None:
    assert next_level(level) == expected


def agent(agent_id: int, level: str, **changes: object) -> AgentFacts:
    base: dict[str, object] = {
        "id": agent_id,
        "name": f"A{agent_id}",
        "level": level,
        "skills": frozenset(),
        "languages": frozenset({"zh-CN"}),
        "groups": frozenset({10}),
        "available": True,
        "load": 0,
        "capacity": 8,
    }
    base.update(changes)
    return AgentFacts(**base)  # type: ignore[arg-type]


def test_the_next_level_pick_is_the_least_loaded_free_agent_of_that_level() -> None:
    agents = [
        agent(1, "L1"),
        agent(2, "L2", load=3),
        agent(3, "L2", load=1),
        agent(4, "L2", load=0, available=False),
        agent(5, "L2", load=0, groups=frozenset({11})),
        agent(6, "L3", load=0),
    ]
    picked = pick_at_level(agents, level="L2", group_id=10)
    assert picked is not None
    assert picked.id == 3
    # Nobody of the level free: a higher level takes it.
    full = [agent(2, "L2", load=8), agent(6, "L3", load=2)]
    higher = pick_at_level(full, level="L2", group_id=10)
    assert higher is not None
    assert higher.id == 6
    # The assignee handing over is never picked; nobody left is None.
    assert pick_at_level([agent(2, "L2")], level="L2", group_id=10, exclude=frozenset({2})) is None


def test_the_next_level_pick_keeps_to_the_agents_on_shift_when_shifts_are_known() -> None:
    agents = [agent(2, "L2", load=0), agent(3, "L2", load=5)]
    picked = pick_at_level(agents, level="L2", group_id=10, on_shift=frozenset({3}))
    assert picked is not None
    assert picked.id == 3
    assert pick_at_level(agents, level="L2", group_id=10, on_shift=frozenset()) is None


def test_history_entries_read_in_english_and_chinese() -> None:
    entry = decode(
        encode(
            "reassigned",
            target="first_response",
            threshold="breach",
            level="L2",
            agent="Wang Fang",
            people=["Chen Jie"],
        )
    )
    assert entry is not None
    assert describe(entry) == "escalated to L2 (Wang Fang): first response breached"

    def zh(template: str, **fields: object) -> str:
        return translate(template, fields, "zh-CN")

    assert describe(entry, zh) == "已升级到 L2（Wang Fang）：首次响应已超时"
    warned = decode(
        encode(
            "warned",
            target="next_reply",
            threshold="75",
            level=None,
            agent=None,
            people=["Li Wei", "Chen Jie"],
        )
    )
    assert warned is not None
    assert describe(warned) == "warned Li Wei, Chen Jie: next reply 75% used"
    assert describe(warned, zh) == "已提醒 Li Wei，Chen Jie：下次回复已用 75%"
    assert decode("not json") is None
    assert decode('{"outcome": "unknown"}') is None


def test_notification_texts_show_the_clock_in_the_readers_language() -> None:
    params = {
        "ticket_id": 7,
        "percent": 75,
        "target": "first response",
        "subject": "卡顿",
        "organization": "VoiceParty",
    }
    assert render(SLA_WARNING, SLA_WARNING.name, params, "en").title == (
        "SLA warning on ticket #7: 75% of the first response target used"
    )
    assert render(SLA_WARNING, SLA_WARNING.name, params, "zh-CN").title == (
        "工单 #7 SLA 预警：首次响应时限已用 75%"
    )
