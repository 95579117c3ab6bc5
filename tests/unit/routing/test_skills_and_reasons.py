"""Which skills a ticket needs, and how a stored reason reads in English and Chinese."""

from __future__ import annotations

import pytest

from rtcdesk.routing.decide import Decision, ReasonPart
from rtcdesk.routing.reasons import decode, describe, encode
from rtcdesk.routing.skills import ticket_skills
from rtcdesk.web.i18n import translator


@pytest.mark.parametrize(
    ("platform", "tags", "text", "expected"),
    [
        ("android", [], "Viewers see freezes every few seconds", {"android", "video"}),
        (None, [], "远端听到回声", {"audio"}),
        (None, [], "弱网下丢包严重，画面卡顿", {"network", "video"}),
        (None, [], "The device list is empty", set()),  # "ice" inside "device" is no ICE
        (None, ["network"], "Token expired", {"network"}),
        ("web", [], "ICE fails behind a corporate firewall", {"web", "network"}),
        (None, [], "Echo and NOISE on Windows", {"audio"}),
    ],
)
def test_ticket_skills(
    platform: str | None, tags: list[str], text: str, expected: set[str]
) -> None:
    assert ticket_skills(platform, tags, [text]) == frozenset(expected)


DECISION = Decision(
    group_id=4,
    agent_id=7,
    reason_parts=(
        ReasonPart("rule", "Video quality"),
        ReasonPart("skill", "video"),
        ReasonPart("language", "zh-CN"),
        ReasonPart("load", "3/8"),
    ),
    rule_id=2,
    scope="group:4",
    group_name="Video L2",
    agent_name="Li Wei",
)


def test_a_reason_is_stored_as_data_and_read_back() -> None:
    raw = encode(DECISION, "created")
    reason = decode(raw)
    assert reason is not None
    assert (reason.rule_id, reason.group_id, reason.agent_id) == (2, 4, 7)
    assert reason.parts == DECISION.reason_parts
    assert "Routed" not in raw  # data, not a sentence


def test_a_reason_reads_in_each_language() -> None:
    reason = decode(encode(DECISION, "created"))
    assert reason is not None
    assert describe(reason) == (
        "Routed to Video L2 · Li Wei: rule “Video quality”, skill video, language zh-CN, load 3/8"
    )
    assert describe(reason, translator("zh-CN")) == (
        "已分派到 Video L2 · Li Wei：规则「Video quality」，技能 video，语言 zh-CN，负载 3/8"
    )


@pytest.mark.parametrize("raw", [None, "", "not json", "[1, 2]", '{"parts": 3}'])
def test_text_that_is_not_a_reason_is_ignored(raw: str | None) -> None:
    assert decode(raw) is None
