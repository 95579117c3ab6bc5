"""The after-launch report: figures from plain data (pure), and its Markdown in both languages.

Times are wall-clock durations from a ticket's opening (what the customer lived through),
not business time: a launch window is covered round the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any


@dataclass(frozen=True)
class TicketFacts:
    """One ticket opened during the window."""

    id: int
    subject: str
    priority: str
    created_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None


@dataclass(frozen=True)
class BreachFacts:
    """One SLA breach (an ``sla_events`` row) of a ticket, reached during the window."""

    ticket_id: int
    target: str
    at: datetime


@dataclass(frozen=True)
class PageFacts:
    """One page of a ticket of the organization, fired during the window."""

    id: int
    ticket_id: int
    created_at: datetime
    acked_at: datetime | None
    acked_by: str | None
    escalations: int


def _minutes(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"count": 0, "median": None, "max": None}
    return {"count": len(values), "median": round(median(values), 1), "max": round(max(values), 1)}


def _pages(pages: list[PageFacts], starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
    fired = sorted((p for p in pages if starts_at <= p.created_at < ends_at), key=lambda p: p.id)
    acked = [p for p in fired if p.acked_at is not None]
    by: dict[str, int] = {}
    for p in acked:
        name = p.acked_by or "?"
        by[name] = by.get(name, 0) + 1
    return {
        "count": len(fired),
        "acknowledged": len(acked),
        "unacknowledged": len(fired) - len(acked),
        "escalations": sum(p.escalations for p in fired),
        "ack_minutes": _minutes(
            [(p.acked_at - p.created_at).total_seconds() / 60 for p in acked if p.acked_at]
        ),
        "acked_by": dict(sorted(by.items(), key=lambda kv: (-kv[1], kv[0]))),
        "list": [
            {
                "id": p.id,
                "ticket_id": p.ticket_id,
                "at": p.created_at.isoformat(),
                "ack_minutes": (
                    round((p.acked_at - p.created_at).total_seconds() / 60, 1)
                    if p.acked_at is not None
                    else None
                ),
                "acked_by": p.acked_by,
                "escalations": p.escalations,
            }
            for p in fired
        ],
    }


def build(
    starts_at: datetime,
    ends_at: datetime,
    tickets: list[TicketFacts],
    breaches: list[BreachFacts],
    pages: list[PageFacts] | None = None,
) -> dict[str, Any]:
    """The report's figures (JSON-ready): tickets, response and resolution minutes, breaches,
    and the pages fired in the window with how fast (and by whom) they were acknowledged."""
    inside = sorted((t for t in tickets if starts_at <= t.created_at < ends_at), key=lambda t: t.id)
    first = [
        (t.first_response_at - t.created_at).total_seconds() / 60
        for t in inside
        if t.first_response_at is not None
    ]
    solved = [
        (t.solved_at - t.created_at).total_seconds() / 60 for t in inside if t.solved_at is not None
    ]
    by_priority: dict[str, int] = {}
    for t in inside:
        by_priority[t.priority] = by_priority.get(t.priority, 0) + 1
    hits = sorted(
        (b for b in breaches if starts_at <= b.at < ends_at), key=lambda b: (b.at, b.ticket_id)
    )
    return {
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "tickets": len(inside),
        "by_priority": dict(sorted(by_priority.items())),
        "unanswered": sum(1 for t in inside if t.first_response_at is None),
        "first_response_minutes": _minutes(first),
        "resolution_minutes": _minutes(solved),
        "breaches": [
            {"ticket_id": b.ticket_id, "target": b.target, "at": b.at.isoformat()} for b in hits
        ],
        "ticket_list": [{"id": t.id, "subject": t.subject, "priority": t.priority} for t in inside],
        "pages": _pages(pages or [], starts_at, ends_at),
    }


_LABELS = {
    "en": {
        "title": "Launch report",
        "window": "Window",
        "tickets": "Tickets opened",
        "unanswered": "Without a first response",
        "first": "First response (minutes)",
        "resolution": "Resolution (minutes)",
        "median": "median",
        "max": "longest",
        "count": "tickets",
        "breaches": "SLA breaches",
        "none": "none",
        "list": "Tickets",
        "pages": "Pages",
        "paged": "Pages fired",
        "acked": "acknowledged",
        "unacked": "never acknowledged",
        "escalations": "escalations",
        "ack": "Time to acknowledge (minutes)",
        "acked_by": "Acknowledged by",
        "page": "page",
        "ticket": "ticket",
        "not_acked": "not acknowledged",
        "by": "by",
    },
    "zh": {
        "title": "重保报告",
        "window": "时间窗口",
        "tickets": "新建工单",
        "unanswered": "尚未首次响应",
        "first": "首次响应（分钟）",
        "resolution": "解决（分钟）",
        "median": "中位数",
        "max": "最长",
        "count": "张工单",
        "breaches": "SLA 超时",
        "none": "无",
        "list": "工单",
        "pages": "呼叫",
        "paged": "发出的呼叫",
        "acked": "已确认",
        "unacked": "始终未确认",
        "escalations": "次升级",
        "ack": "确认用时（分钟）",
        "acked_by": "确认人",
        "page": "呼叫",
        "ticket": "工单",
        "not_acked": "未确认",
        "by": "确认人",
    },
}
_TARGETS = {
    "en": {
        "first_response": "first response",
        "next_reply": "next reply",
        "resolution": "resolution",
    },
    "zh": {"first_response": "首次响应", "next_reply": "后续回复", "resolution": "解决"},
}


def labels(lang: str) -> dict[str, str]:
    """The report's labels in ``lang`` (Chinese for any zh locale, else English)."""
    return _LABELS["zh" if lang.lower().startswith("zh") else "en"]


def target_name(target: str, lang: str) -> str:
    """An SLA target's name in ``lang``."""
    return _TARGETS["zh" if lang.lower().startswith("zh") else "en"].get(target, target)


def markdown(title: str, organization: str, figures: dict[str, Any], lang: str) -> str:
    """The report as a Markdown document in ``lang``."""
    text = labels(lang)

    def span(m: dict[str, Any]) -> str:
        if not m["count"]:
            return text["none"]
        counted = f"({m['count']} {text['count']})"
        return f"{text['median']} {m['median']:g}, {text['max']} {m['max']:g} {counted}"

    def pages_section(pages: dict[str, Any]) -> list[str]:
        out = [
            "",
            f"## {text['pages']}",
            "",
            f"- {text['paged']}: {pages['count']} ({text['acked']} {pages['acknowledged']}, "
            f"{text['unacked']} {pages['unacknowledged']}, "
            f"{pages['escalations']} {text['escalations']})",
        ]
        ack = pages["ack_minutes"]
        if ack["count"]:
            out.append(
                f"- {text['ack']}: {text['median']} {ack['median']:g}, {text['max']} {ack['max']:g}"
            )
        if pages["acked_by"]:
            people = ", ".join(f"{name} ({n})" for name, n in pages["acked_by"].items())
            out.append(f"- {text['acked_by']}: {people}")
        for p in pages["list"]:
            done = (
                f"{p['ack_minutes']:g} min, {text['by']} {p['acked_by'] or '?'}"
                if p["ack_minutes"] is not None
                else text["not_acked"]
            )
            out.append(f"  - {text['page']} #{p['id']}, {text['ticket']} #{p['ticket_id']}: {done}")
        return out

    lines = [
        f"# {text['title']}: {title}",
        "",
        f"- {organization}",
        f"- {text['window']}: {figures['starts_at']} – {figures['ends_at']}",
        f"- {text['tickets']}: {figures['tickets']}"
        + "".join(f", {p} {n}" for p, n in figures["by_priority"].items()),
        f"- {text['unanswered']}: {figures['unanswered']}",
        f"- {text['first']}: {span(figures['first_response_minutes'])}",
        f"- {text['resolution']}: {span(figures['resolution_minutes'])}",
        "",
        f"## {text['breaches']}",
        "",
    ]
    if figures["breaches"]:
        lines += [
            f"- #{b['ticket_id']} {target_name(b['target'], lang)} {b['at']}"
            for b in figures["breaches"]
        ]
    else:
        lines.append(text["none"])
    if figures.get("pages") is not None:  # reports written before paging have none
        lines += pages_section(figures["pages"])
    lines += ["", f"## {text['list']}", ""]
    lines += [f"- #{t['id']} [{t['priority']}] {t['subject']}" for t in figures["ticket_list"]]
    if not figures["ticket_list"]:
        lines.append(text["none"])
    return "\n".join(lines) + "\n"
