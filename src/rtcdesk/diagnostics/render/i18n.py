"""Interface strings of the rendered reports, and small formatting helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from rtcdesk.diagnostics.labels import SEVERITY
from rtcdesk.diagnostics.render.numbers import clock, sig

UI: dict[str, dict[str, str]] = {
    "title": {"en": "WebRTC call diagnosis", "zh-CN": "WebRTC 通话诊断报告"},
    "summary": {"en": "Summary", "zh-CN": "概要"},
    "findings": {"en": "Findings", "zh-CN": "诊断发现"},
    "no_findings": {"en": "No findings.", "zh-CN": "没有发现问题。"},
    "cause": {"en": "Likely cause", "zh-CN": "可能原因"},
    "fixes": {"en": "What to do", "zh-CN": "建议措施"},
    "evidence": {"en": "Evidence", "zh-CN": "证据"},
    "when": {"en": "When", "zh-CN": "时间"},
    "metric": {"en": "Metric", "zh-CN": "指标"},
    "value": {"en": "Value", "zh-CN": "数值"},
    "threshold": {"en": "Threshold", "zh-CN": "阈值"},
    "series": {"en": "Series", "zh-CN": "数据来源"},
    "scores": {"en": "Scores", "zh-CN": "评分"},
    "audio_mos": {"en": "Audio MOS (1–4.5)", "zh-CN": "音频 MOS（1–4.5）"},
    "video_score": {"en": "Video score (1–5)", "zh-CN": "视频评分（1–5）"},
    "overall": {"en": "Overall (1–5)", "zh-CN": "总体（1–5）"},
    "timeline": {"en": "Timelines", "zh-CN": "时间线"},
    "connections": {"en": "Connections", "zh-CN": "连接"},
    "ice_servers": {"en": "ICE servers", "zh-CN": "ICE 服务器"},
    "policy": {"en": "ICE transport policy", "zh-CN": "ICE 传输策略"},
    "cand_types": {"en": "Local candidate types", "zh-CN": "本地候选类型"},
    "selected": {"en": "Selected candidate pair", "zh-CN": "选中的候选对"},
    "states": {"en": "Connection states", "zh-CN": "连接状态"},
    "streams": {"en": "Streams", "zh-CN": "媒体流"},
    "direction": {"en": "Direction", "zh-CN": "方向"},
    "kind": {"en": "Kind", "zh-CN": "类型"},
    "codec": {"en": "Codec", "zh-CN": "编解码器"},
    "impl": {"en": "Implementation", "zh-CN": "实现"},
    "max_height": {"en": "Max height", "zh-CN": "最大高度"},
    "bitrate": {"en": "Average bitrate", "zh-CN": "平均码率"},
    "loss": {"en": "Average loss", "zh-CN": "平均丢包率"},
    "constraints": {"en": "getUserMedia constraints", "zh-CN": "getUserMedia 约束"},
    "warnings": {"en": "Parser warnings", "zh-CN": "解析警告"},
    "format": {"en": "Format", "zh-CN": "格式"},
    "duration": {"en": "Duration", "zh-CN": "时长"},
    "user_agent": {"en": "User agent", "zh-CN": "用户代理"},
    "category": {"en": "Suggested ticket category", "zh-CN": "建议工单分类"},
    "tags": {"en": "Suggested tags", "zh-CN": "建议标签"},
    "none": {"en": "none", "zh-CN": "无"},
    "quality_over_time": {"en": "Quality over time", "zh-CN": "质量随时间变化"},
    "highlight": {
        "en": "Shaded areas: when a finding was seen. Time runs from the start of the call.",
        "zh-CN": "阴影区域：问题发生的时间段。时间从通话开始计算。",
    },
    "shaded": {"en": "Shaded", "zh-CN": "阴影"},
    "time_axis": {"en": "time since the call started (m:ss)", "zh-CN": "距通话开始的时间（分:秒）"},
    "client": {"en": "Client", "zh-CN": "客户端"},
    "severity": {"en": "Severity", "zh-CN": "严重程度"},
    "finding_category": {"en": "Category", "zh-CN": "类别"},
    "code": {"en": "Code", "zh-CN": "代码"},
    "connection": {"en": "Connection", "zh-CN": "连接"},
    "source": {"en": "Source", "zh-CN": "来源"},
    "raw_series": {"en": "raw series", "zh-CN": "原始数据"},
    "stream": {"en": "Stream", "zh-CN": "媒体流"},
    "local": {"en": "local", "zh-CN": "本地"},
    "remote": {"en": "remote", "zh-CN": "远端"},
    "error": {"en": "error", "zh-CN": "错误"},
    "schema": {"en": "schema", "zh-CN": "数据格式版本"},
    "started": {"en": "Started", "zh-CN": "开始时间"},
}
SEV: dict[str, dict[str, str]] = {k: {"en": en, "zh-CN": zh} for k, (en, zh) in SEVERITY.items()}


def t(key: str, lang: str) -> str:
    """Interface string in ``lang``."""
    return UI[key].get(lang, UI[key]["en"])


def colon(lang: str) -> str:
    """The colon after a label: ': ' in English, a full-width '：' in Chinese."""
    return "：" if lang == "zh-CN" else ": "


def lc(key: str, lang: str) -> str:
    """Interface string ``key`` followed by its colon ('Likely cause: ', '可能原因：')."""
    return t(key, lang) + colon(lang)


def rel(ms: float, start: float) -> str:
    """Offset from the call start as m:ss."""
    return clock((ms - start) / 1000)


def abs_time(ms: float) -> str:
    """UTC wall-clock time of an epoch-ms timestamp."""
    if not 0 < ms < 4e12:
        return "?"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def num(x: float | None) -> str:
    """A number for tables ('–' when missing)."""
    if x is None:
        return "–"
    return sig(x, 3)
