"""The after-launch report from a constructed scenario: which tickets count, the minutes,
the breaches inside the window, and the Markdown in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rtcdesk.launches.report import BreachFacts, TicketFacts, build, markdown

START = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
END = START + timedelta(hours=6)


def _t(n: int, opened: timedelta, first: int | None, solved: int | None, p: str) -> TicketFacts:
    at = START + opened
    return TicketFacts(
        n,
        f"ticket {n}",
        p,
        at,
        at + timedelta(minutes=first) if first is not None else None,
        at + timedelta(minutes=solved) if solved is not None else None,
    )


SCENARIO = [
    _t(1, timedelta(hours=-1), 5, 30, "P2"),  # before the window: not counted
    _t(2, timedelta(minutes=0), 4, 50, "P1"),  # at the start: counted
    _t(3, timedelta(hours=1), 10, None, "P1"),
    _t(4, timedelta(hours=2), None, None, "P3"),
    _t(5, timedelta(hours=3), 7, 90, "P1"),
    _t(6, timedelta(hours=6), 1, 2, "P1"),  # at the end: not counted
]
BREACHES = [
    BreachFacts(3, "resolution", START + timedelta(hours=2)),
    BreachFacts(4, "first_response", START + timedelta(hours=2, minutes=30)),
    BreachFacts(1, "resolution", START - timedelta(minutes=1)),  # before the window
]


def test_figures_of_the_scenario() -> None:
    figures = build(START, END, SCENARIO, BREACHES)
    assert figures["tickets"] == 4
    assert figures["by_priority"] == {"P1": 3, "P3": 1}
    assert figures["unanswered"] == 1
    assert figures["first_response_minutes"] == {"count": 3, "median": 7.0, "max": 10.0}
    assert figures["resolution_minutes"] == {"count": 2, "median": 70.0, "max": 90.0}
    assert [(b["ticket_id"], b["target"]) for b in figures["breaches"]] == [
        (3, "resolution"),
        (4, "first_response"),
    ]
    assert [t["id"] for t in figures["ticket_list"]] == [2, 3, 4, 5]


def test_an_empty_window() -> None:
    figures = build(START, END, [], [])
    assert figures["tickets"] == 0
    assert figures["first_response_minutes"] == {"count": 0, "median": None, "max": None}
    assert "none" in markdown("Launch", "Org", figures, "en")


def test_markdown_in_both_languages() -> None:
    figures = build(START, END, SCENARIO, BREACHES)
    english = markdown("Live rooms", "Acme", figures, "en")
    chinese = markdown("Live rooms", "Acme", figures, "zh_CN")
    assert english.startswith("# Launch report: Live rooms")
    assert "median 7, longest 10 (3 tickets)" in english
    assert "#4 first response" in english
    assert chinese.startswith("# 重保报告: Live rooms")
    assert "中位数 7, 最长 10 (3 张工单)" in chinese
    assert "#4 首次响应" in chinese
