"""Which skills a ticket needs: its platform, its tags, and media words in its text.

Pure and deterministic; ``docs/routing.md`` lists the words. A word is matched whole in
English ("ice" is not found in "device") and as a phrase in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MEDIA_SKILLS = ("audio", "video", "network")

MEDIA_WORDS: dict[str, tuple[str, ...]] = {
    "audio": (
        "audio",
        "echo",
        "noise",
        "voice",
        "microphone",
        "mic",
        "aec",
        "ans",
        "agc",
        "sound",
        "音频",
        "回声",
        "噪音",
        "噪声",
        "声音",
        "麦克风",
        "杂音",
        "啸叫",
        "无声",
    ),
    "video": (
        "video",
        "freeze",
        "freezes",
        "frozen",
        "stutter",
        "stutters",
        "black screen",
        "resolution",
        "frame rate",
        "fps",
        "camera",
        "codec",
        "blurry",
        "beauty",
        "视频",
        "卡顿",
        "黑屏",
        "画面",
        "花屏",
        "分辨率",
        "帧率",
        "摄像头",
        "美颜",
        "模糊",
    ),
    "network": (
        "network",
        "packet loss",
        "jitter",
        "latency",
        "ice",
        "turn",
        "stun",
        "firewall",
        "weak network",
        "bandwidth",
        "rtt",
        "网络",
        "丢包",
        "抖动",
        "延迟",
        "弱网",
        "带宽",
        "防火墙",
        "断线",
        "掉线",
    ),
}


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    ascii_words = [re.escape(w) for w in words if w.isascii()]
    other = [re.escape(w) for w in words if not w.isascii()]
    alternatives = []
    if ascii_words:
        alternatives.append(r"\b(?:" + "|".join(ascii_words) + r")\b")
    if other:
        alternatives.append("(?:" + "|".join(other) + ")")
    return re.compile("|".join(alternatives), re.IGNORECASE)


_PATTERNS = {skill: _pattern(words) for skill, words in MEDIA_WORDS.items()}


def ticket_skills(
    platform: str | None, tags: Iterable[str], texts: Iterable[str]
) -> frozenset[str]:
    """The skills a ticket needs: platform, tags naming a skill, media words in ``texts``."""
    found: set[str] = set()
    if platform:
        found.add(platform)
    tag_set = {t.lower() for t in tags}
    found.update(s for s in MEDIA_SKILLS if s in tag_set)
    joined = "\n".join(texts)
    found.update(skill for skill, pattern in _PATTERNS.items() if pattern.search(joined))
    return frozenset(found)
