"""The pure core of notifications: rendering in both languages, and which channels reach
a person (their choices, the kind's defaults, the channels that cannot be switched off)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtcdesk.core.errors import Conflict
from rtcdesk.core.i18n import fill, translate
from rtcdesk.notifications.handlers import CUSTOMER_REPLIED, TICKET_ASSIGNED
from rtcdesk.notifications.kinds import (
    EMAIL,
    IN_APP,
    Channel,
    Kind,
    NotificationRegistry,
    channels_for,
    render,
)

ASSIGNED = {
    "ticket_id": 42,
    "subject": "视频卡顿 video stutters",
    "organization": "星海直播",
    "by": "Li Lei",
}


@pytest.mark.parametrize(
    ("lang", "title", "body"),
    [
        (
            "en",
            "Ticket #42 was assigned to you",
            "Li Lei assigned you “视频卡顿 video stutters” from 星海直播.",
        ),
        (
            "zh-CN",
            "工单 #42 已分配给你",
            "Li Lei 把来自 星海直播 的工单“视频卡顿 video stutters”分配给了你。",
        ),
        ("zh", "工单 #42 已分配给你", None),
        ("fr", "Ticket #42 was assigned to you", None),
    ],
)
def test_a_notification_renders_in_the_readers_language(
    lang: str, title: str, body: str | None
) -> None:
    text = render(TICKET_ASSIGNED, TICKET_ASSIGNED.name, ASSIGNED, lang)
    assert text.title == title
    if body is not None:
        assert text.body == body


def test_the_customer_reply_kind_renders_in_both_languages() -> None:
    params = {"ticket_id": 7, "subject": "Echo", "author": "Wang Fang", "excerpt": "还是有回声"}
    assert render(CUSTOMER_REPLIED, CUSTOMER_REPLIED.name, params, "en").title == (
        "Wang Fang replied on ticket #7"
    )
    zh = render(CUSTOMER_REPLIED, CUSTOMER_REPLIED.name, params, "zh-CN")
    assert zh.title == "Wang Fang 回复了工单 #7"
    assert zh.body == "“Echo”：还是有回声"


def test_a_kind_no_longer_registered_still_reads() -> None:
    text = render(None, "sla.breached", {"ticket_id": 1}, "zh-CN")
    assert text.title == "通知（sla.breached）"
    assert text.body == ""


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        ("#{ticket_id}", {"ticket_id": 3}, "#3"),
        ("#{ticket_id} by {by}", {"ticket_id": 3}, "#3 by {by}"),  # missing: stays visible
        ("{0} {", {}, "{0} {"),  # a broken template reads as it is
        ("{subject}", {"subject": "{not a field}"}, "{not a field}"),  # data is not a template
        ("{a.b}", {"a": "x"}, "{a.b}"),
    ],
)
def test_fill_never_raises(template: str, params: dict[str, object], expected: str) -> None:
    assert fill(template, params) == expected


def test_translate_falls_back_to_english_when_a_translation_does_not_format() -> None:
    # Not in the catalog: the English template itself, filled.
    assert translate("Hello {name}", {"name": "李雷"}, "zh-CN") == "Hello 李雷"


def test_the_registry_checks_names_and_channels() -> None:
    registry = NotificationRegistry()
    registry.add_channel(Channel(IN_APP, "Inbox"))
    with pytest.raises(Conflict):
        registry.add_channel(Channel(IN_APP, "Inbox"))
    with pytest.raises(ValueError, match="unknown channels"):
        registry.add_kind(Kind("x.y", "T", "B", default_channels=(IN_APP, EMAIL)))
    registry.add_kind(Kind("x.y", "T", "B"))
    with pytest.raises(Conflict):
        registry.add_kind(Kind("x.y", "T", "B"))
    assert registry.kind("x.y") is not None
    assert registry.kind("nope") is None
    with pytest.raises(ValueError, match="kind name"):
        Kind("Bad Name", "T", "B")
    with pytest.raises(ValueError, match="required channel"):
        Kind("a.b", "T", "B", default_channels=(IN_APP,), required_channels=(EMAIL,))


PAGE = Kind("oncall.page", "T", "B", default_channels=(IN_APP, EMAIL), required_channels=(IN_APP,))
QUIET = Kind("report.weekly", "T", "B", default_channels=(IN_APP,))
ALL = (IN_APP, EMAIL, "wecom")


@pytest.mark.parametrize(
    ("kind", "choices", "expected"),
    [
        (QUIET, {}, [IN_APP]),  # the kind's defaults
        (QUIET, {EMAIL: True}, [IN_APP, EMAIL]),  # switched on
        (QUIET, {IN_APP: False}, []),  # switched off: nothing at all
        (QUIET, {"wecom": True, IN_APP: False}, ["wecom"]),
        (PAGE, {}, [IN_APP, EMAIL]),
        (PAGE, {EMAIL: False}, [IN_APP]),
        (PAGE, {IN_APP: False, EMAIL: False}, [IN_APP]),  # a page always reaches the inbox
    ],
)
def test_channels_for_a_person(kind: Kind, choices: dict[str, bool], expected: list[str]) -> None:
    assert channels_for(kind, ALL, choices) == expected


@given(
    defaults=st.sets(st.sampled_from(ALL), min_size=1),
    required=st.sets(st.sampled_from(ALL)),
    choices=st.dictionaries(st.sampled_from(ALL), st.booleans()),
)
def test_channel_resolution_properties(
    defaults: set[str], required: set[str], choices: dict[str, bool]
) -> None:
    kind = Kind(
        "p.q",
        "T",
        "B",
        default_channels=tuple(sorted(defaults)),
        required_channels=tuple(sorted(required & defaults)),
    )
    reached = channels_for(kind, ALL, choices)
    assert set(kind.required_channels) <= set(reached)  # never switched off
    assert reached == [c for c in ALL if c in reached]  # in the channels' order, each once
    for channel in ALL:
        if channel in kind.required_channels:
            continue
        wanted = choices.get(channel, channel in kind.default_channels)
        assert (channel in reached) == wanted  # a choice is honoured, else the default
