"""Bilingual words of log reports: categories, formats, levels and interface strings."""

from __future__ import annotations

from rtcdesk.core.platforms import platform_name
from rtcdesk.diagnostics.labels import SEVERITY, TICKET_CATEGORY, Pair, pick
from rtcdesk.logs.parsers.formats import FORMAT_LABELS

CATEGORY: dict[str, Pair] = {
    "permissions": ("Permissions", "权限"),
    "devices": ("Devices", "设备"),
    "autoplay": ("Autoplay", "自动播放"),
    "constraints": ("Media constraints", "媒体约束"),
    "security": ("Security", "安全"),
    "auth": ("Authentication", "鉴权"),
    "api_usage": ("API call order", "API 调用顺序"),
    "session": ("Session", "会话"),
    "network": ("Network", "网络"),
    "audio": ("Audio", "音频"),
    "codec": ("Codec", "编解码"),
    "performance": ("Performance", "性能"),
    "lifecycle": ("App lifecycle", "应用生命周期"),
}
LEVEL: dict[str, Pair] = {
    "debug": ("Debug", "调试"),
    "info": ("Info", "信息"),
    "warning": ("Warning", "警告"),
    "error": ("Error", "错误"),
    "fatal": ("Fatal", "致命"),
}
UI: dict[str, Pair] = {
    "title": ("Log analysis", "日志分析"),
    "findings": ("Findings", "发现"),
    "no_findings": ("No known problem found.", "未发现已知问题。"),
    "timeline": ("Timeline", "时间线"),
    "events": ("Events", "事件"),
    "events_note": (
        "Lines that a rule pattern matched, in log order.",
        "规则模式匹配到的日志行，按日志顺序排列。",
    ),
    "shown_first": ("showing the first {n}", "显示前 {n} 条"),
    "format": ("Format", "格式"),
    "lines": ("Lines", "行数"),
    "matched": ("Matched events", "匹配事件"),
    "skipped": ("Unreadable lines", "无法读取的行"),
    "span": ("Time span", "时间范围"),
    "times": ("Times", "时间"),
    "cause": ("Likely cause", "可能原因"),
    "fixes": ("What to do", "处理建议"),
    "evidence": ("Evidence", "证据"),
    "line": ("Line", "行"),
    "time": ("Time", "时间"),
    "level": ("Level", "级别"),
    "text": ("Text", "内容"),
    "rules": ("Rules", "规则"),
    "occurrences": ("Occurrences", "出现次数"),
    "first_line": ("first at line", "首次出现于第"),
    "first_line_suffix": ("", " 行"),
    "platforms": ("Platforms", "平台"),
    "articles": ("Articles", "文章"),
    "error_codes": ("Error codes", "错误码"),
    "category": ("Suggested category", "建议类别"),
    "tags": ("Suggested tags", "建议标签"),
    "warnings": ("Warnings", "警告"),
    "none": ("none", "无"),
    "all_events": ("All matched events", "全部匹配事件"),
    "dump": ("WebRTC dump", "WebRTC 转储"),
    "dump_note": (
        "Shaded in the WebRTC dump lane: the windows of the dump diagnosis of the same ticket, "
        "on the same UTC time axis.",
        "WebRTC 转储一栏的阴影：同一工单转储诊断的问题时段，与日志使用同一 UTC 时间轴。",
    ),
    "axis_time": ("time since the log's first line", "距日志第一行的时间"),
    "axis_line": ("line number (this format has no times)", "行号（此格式没有时间）"),
    "schema": ("schema", "数据格式版本"),
}


def label(table: dict[str, Pair], key: str | None, lang: str) -> str:
    """The label of ``key`` in ``table`` (the key itself when unknown)."""
    if key is None:
        return ""
    pair = table.get(key)
    return pick(pair, lang) if pair else key


def t(key: str, lang: str) -> str:
    """An interface string."""
    return pick(UI[key], lang)


def colon(lang: str) -> str:
    """': ' or the full-width '：'."""
    return "：" if lang == "zh-CN" else ": "


def format_label(fmt: str, lang: str) -> str:
    """'Android logcat (threadtime)' / 'Android logcat（threadtime）'."""
    return label(FORMAT_LABELS, fmt, lang)


def platforms_text(platforms: list[str], lang: str) -> str:
    """Display names of a rule's platforms ('any' reads as all platforms)."""
    if not platforms or platforms == ["any"]:
        return "all platforms" if lang != "zh-CN" else "所有平台"
    sep = "、" if lang == "zh-CN" else ", "
    return sep.join(platform_name(p) for p in platforms)


__all__ = [
    "CATEGORY",
    "LEVEL",
    "SEVERITY",
    "TICKET_CATEGORY",
    "colon",
    "format_label",
    "label",
    "platforms_text",
    "t",
]
