"""The visible part of a reply: quoted history and signatures trimmed, by our own rules.

A reply is cut at the first line that starts quoted history — the attribution lines of
Gmail, Apple Mail, Outlook, Foxmail, QQ Mail and NetEase (zh-CN and English), Outlook's
"From: / Sent:" header block, a run of ``>`` lines at the end — or a signature (the
RFC 3676 ``-- `` line, "Sent from my iPhone" and the Chinese clients' equivalents). A
forwarded message is not trimmed below its forward marker: what was forwarded is what the
customer wants us to read. When trimming leaves nothing, the whole text is the reply. The
original text is always kept by the caller; this only chooses what is shown first.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"[\u00a0\u3000\t ]+")

# A line that is quoted history from here on.
_CUT_LINES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^-{2,}\s*(原始邮件|原始郵件|邮件原件|郵件原件|回复的原邮件|original message|original)"
        r"\s*-{2,}$",
        r"^_{8,}$",  # Outlook on the web draws a rule above the quoted header block
        r"^在\s?.{1,200}写道\s?[：:]$",
        r"^在\s?.{1,200}寫道\s?[：:]$",
        r"^于\s?.{1,200}写道\s?[：:]$",
        r"^.{1,200}\d{4}年\d{1,2}月\d{1,2}日.{0,60}写道\s?[：:]$",
        r"^on\s.{1,300}\bwrote\s?:$",
        r"^.{1,200}<[^<>\s]+@[^<>\s]+>\s(wrote|写道)\s?[：:]$",
        r"^(le|am|el|il)\s.{1,300}(a écrit|schrieb|escribió|ha scritto)\s?:$",
    )
]
# Outlook (and Foxmail's "reply with header") start the quote with a header block: a
# "From:" line followed within three lines by "Sent:"/"Date:"/"To:"/"Subject:".
_FROM_LINE = re.compile(r"^\*?(from|发件人|寄件者|發件人)\*?\s?[:：]", re.IGNORECASE)
_HEADER_FOLLOW = re.compile(
    r"^\*?(sent|date|to|subject|cc|发送时间|发件时间|时间|日期|收件人|主题|抄送|寄件日期|"
    r"傳送時間|收件者|主旨)\*?\s?[:：]",
    re.IGNORECASE,
)
# "On Tue, 20 Nov 2026 at 10:00, Zhang San <zs@example.com>" + "wrote:" on the next line.
_ON_START = re.compile(r"^on\s.{1,300}$", re.IGNORECASE)
_WROTE_END = re.compile(r"^.{0,200}\bwrote\s?:$", re.IGNORECASE)
_FORWARD = re.compile(
    r"^-{2,}\s*(forwarded message|转发的邮件|轉寄的郵件|转发邮件|begin forwarded message)\s*-{2,}$"
    r"|^begin forwarded message\s?:$|^-{2,}\s*转发邮件信息\s*-{2,}$",
    re.IGNORECASE,
)
_SIGNATURE_DELIMITER = "-- "
_SIGNATURE_LINES = re.compile(
    r"^(sent from my (iphone|ipad|android|mobile|huawei|xiaomi).{0,40}|"
    r"sent from mail for windows.{0,20}|get outlook for (ios|android)|"
    r"发自我的\s?(iphone|ipad|手机|华为手机|小米手机).{0,20}|来自我的\s?.{1,12}手机|"
    r"发自网易邮箱大师|发自网易邮箱手机版|发自\s?qq\s?邮箱|从\s?qq\s?邮箱发送|发自我的\s?qq\s?邮箱|"
    r"从\s?windows\s?版邮件发送|发自\s?windows\s?版邮件|发自\s?foxmail|发自\s?outlook.{0,20}|"
    r"获取\s?outlook\s?for\s?(ios|android))$",
    re.IGNORECASE,
)


def _norm(line: str) -> str:
    return _SPACE.sub(" ", line).strip()


def _header_block(lines: list[str], index: int) -> bool:
    if not _FROM_LINE.match(lines[index]):
        return False
    following = [line for line in lines[index + 1 : index + 5] if line]
    return sum(1 for line in following[:3] if _HEADER_FOLLOW.match(line)) >= 1


def _cut_at(lines: list[str]) -> int:
    """The index of the first line of quoted history (len(lines) when there is none)."""
    for index, line in enumerate(lines):
        if not line:
            continue
        if _FORWARD.match(line):
            return len(lines)
        if any(pattern.match(line) for pattern in _CUT_LINES) or _header_block(lines, index):
            return index
        if (
            _ON_START.match(line)
            and index + 1 < len(lines)
            and _WROTE_END.match(lines[index + 1])
            and not _WROTE_END.match(line)
        ):
            return index
        if line.startswith(">") and all(not rest or rest.startswith(">") for rest in lines[index:]):
            return index
    return len(lines)


def _drop_signature(lines: list[str]) -> list[str]:
    while lines and (not lines[-1] or _SIGNATURE_LINES.match(lines[-1])):
        lines = lines[:-1]
    return lines


def visible_reply(text: str) -> str:
    """The part of ``text`` a reader should see first: no quoted history, no signature."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(raw_lines):
        if _FORWARD.match(_norm(line)):
            break
        if line == _SIGNATURE_DELIMITER and index > 0:
            raw_lines = raw_lines[:index]
            break
    lines = [_norm(line) for line in raw_lines]
    cut = _cut_at(lines)
    kept = _drop_signature(lines[:cut])
    shown = "\n".join(raw_lines[: len(kept)]).strip()
    return shown or text.strip()
