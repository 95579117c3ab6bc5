"""Visible replies: quoted history and signatures trimmed by our own rules."""

from __future__ import annotations

import pytest

from rtcdesk.channels.email.quotes import visible_reply

CASES = [
    ("zh original message", "好的\n\n-----原始邮件-----\n发件人：a@b.c\n旧内容", "好的"),
    (
        "QQ original with nbsp",
        "收到\n\n------------------\u00a0原始邮件\u00a0------------------\n发件人: x",
        "收到",
    ),
    ("QQ English", "ok\n\n------------------ Original ------------------\nFrom: x", "ok"),
    ("Outlook en", "Fine.\n\n-----Original Message-----\nFrom: a\nSent: b", "Fine."),
    ("Outlook zh old", "可以\n\n-----邮件原件-----\n发件人: a", "可以"),
    ("Gmail zh", "谢谢\n\n在 2026年11月20日，张三 写道：\n> 旧", "谢谢"),
    (
        "Gmail zh weekday",
        "谢谢\n\n在 2026年11月20日周五 10:00，张三 <zs@example.com> 写道：\n> 旧",
        "谢谢",
    ),
    ("163", '已复现\n\n在 2026-11-20 10:15:00，"技术支持" <s@x.cn> 写道：\n>旧', "已复现"),
    ("traditional", "收到\n\n在 2026年11月20日 上午10:00，林 寫道：\n> 舊", "收到"),
    (
        "English one line",
        "Thanks!\n\nOn Fri, Nov 20, 2026 at 10:15 AM Ann <a@x.com> wrote:\n> old",
        "Thanks!",
    ),
    (
        "English two lines",
        "Thanks!\n\nOn Fri, Nov 20, 2026 at 10:15 AM Ann <a@x.com>\nwrote:\n> old",
        "Thanks!",
    ),
    (
        "Outlook zh block",
        "依旧\n\n发件人: 技术支持 <s@x.cn>\n发送时间: 2026年11月20日 10:15\n"
        "收件人: 张伟\n主题: x\n\nold",
        "依旧",
    ),
    (
        "Outlook en block with rule",
        "See below\n\n________________________________\nFrom: Support <s@x.cn>\nSent: Friday\nold",
        "See below",
    ),
    ("Outlook en bold block", "Yes\n\n*From:* Support\n*Sent:* Friday\nold", "Yes"),
    ("trailing quote run", "Reply here\n\n> quoted\n> more\n>", "Reply here"),
    ("signature delimiter", "ok\n\n-- \nZhang San\nCTO, Acme", "ok"),
    ("iPhone zh", "好的\n\n发自我的iPhone", "好的"),
    ("iPhone en", "Sure\n\nSent from my iPhone", "Sure"),
    ("NetEase master", "嗯\n\n发自网易邮箱大师", "嗯"),
    ("Huawei", "可以\n\n来自我的华为手机", "可以"),
    ("Outlook mobile", "ok\n\nGet Outlook for iOS", "ok"),
    ("Windows mail zh", "好\n\n从 Windows 版邮件发送", "好"),
]


@pytest.mark.parametrize(("label", "text", "visible"), CASES, ids=[c[0] for c in CASES])
def test_quote_markers_are_cut(label: str, text: str, visible: str) -> None:
    assert visible_reply(text) == visible


def test_inline_quotes_followed_by_an_answer_are_kept() -> None:
    text = "> Which SDK version?\n4.2.1\n> Which platform?\nAndroid 14"
    assert visible_reply(text) == text


def test_a_from_line_in_prose_is_not_a_header_block() -> None:
    text = "From: our QA team, the issue happens on 4G.\n\nThanks"
    assert visible_reply(text) == text


def test_forwarded_mail_is_not_trimmed_below_its_marker() -> None:
    text = "FYI\n\n---------- Forwarded message ---------\nFrom: a\nDate: b\n\n-- \nsig\n\nbody"
    assert visible_reply(text) == text


def test_only_a_quote_leaves_the_whole_text() -> None:
    text = "-----原始邮件-----\n发件人：a\n旧内容"
    assert visible_reply(text) == text


def test_crlf_lines() -> None:
    assert visible_reply("好的\r\n\r\n-----原始邮件-----\r\nold") == "好的"
