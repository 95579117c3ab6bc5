"""Charset decoding and header words: what customers' clients send, labels right or wrong."""

from __future__ import annotations

import base64

import pytest

from rtcdesk.channels.email import charsets, headers
from rtcdesk.channels.email.errors import UnreadableMail

SIMPLIFIED = "关于视频通话卡顿的问题，请帮忙看一下"
TRADITIONAL = "關於視訊通話卡頓的問題，請幫忙看一下"
JAPANESE = "音声が途切れる問題について"


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "gb2312", "gb2312"),
        (SIMPLIFIED, "gbk", "gbk"),
        ("𠀀 GB18030 四字节字符 € ㈠", "gb18030", "gb18030"),
        ("碁 GBK 字符，标成 GB2312", "gbk", "gb2312"),  # GBK-only characters under a GB2312 label
        (TRADITIONAL, "big5", "big5"),
        ("香港增補字符集：㗎", "big5hkscs", "big5"),
        (JAPANESE, "iso2022_jp", "iso-2022-jp"),
        (JAPANESE, "shift_jis", "shift_jis"),
        ("Café crème", "cp1252", "iso-8859-1"),
    ],
)
def test_declared_charsets_decode(text: str, codec: str, label: str) -> None:
    assert charsets.decode(text.encode(codec), label) == text


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (SIMPLIFIED, "gbk", "iso-8859-1"),  # GBK under a Latin-1 label
        (SIMPLIFIED, "gbk", "us-ascii"),
        (SIMPLIFIED, "gbk", None),
        (SIMPLIFIED, "utf-8", "gb2312"),  # UTF-8 under a GB2312 label
        (SIMPLIFIED, "utf-8", "big5"),
        (TRADITIONAL, "big5", "gb2312"),  # Big5 under a GB2312 label
        (SIMPLIFIED, "gbk", "big5"),
        (SIMPLIFIED, "gbk", "x-unknown-charset"),
        (TRADITIONAL, "big5", None),
        ("问题", "gbk", "iso-8859-1"),  # too short for statistics
    ],
)
def test_mislabelled_charsets_are_recovered(text: str, codec: str, label: str | None) -> None:
    assert charsets.decode(text.encode(codec), label) == text


def test_undecodable_bytes_never_raise() -> None:
    decoded = charsets.decode(b"\xff\xfe\xfa\x80 broken \x81", "utf-8")
    assert "broken" in decoded


def _b(text: str, codec: str) -> str:
    return base64.b64encode(text.encode(codec)).decode()


def test_encoded_words_split_inside_a_character_are_joined() -> None:
    data = "视频卡顿".encode("gbk")
    first = base64.b64encode(data[:3]).decode()
    second = base64.b64encode(data[3:]).decode()
    value = f"=?GBK?B?{first}?=\r\n =?GBK?B?{second}?= [#12]"
    assert headers.text(value, name="Subject") == "视频卡顿 [#12]"


def test_mixed_encoded_words_and_plain_text() -> None:
    value = f"Re: =?utf-8?Q?=E4=BD=A0=E5=A5=BD?= and =?big5?B?{_b('問題', 'big5')}?= end"
    assert headers.text(value, name="Subject") == "Re: 你好 and 問題 end"


def test_q_encoding_underscores_are_spaces() -> None:
    assert headers.text("=?iso-8859-1?q?caf=E9_cr=E8me?=", name="Subject") == "café crème"


def test_rfc2231_language_in_encoded_word_is_ignored() -> None:
    assert headers.text(f"=?utf-8*zh-cn?B?{_b('中文', 'utf-8')}?=", name="Subject") == "中文"


@pytest.mark.parametrize(
    "payload", [b"ok\r\nBcc: victim@example.com", b"ok\nX-Evil: 1", b"nul\x00byte"]
)
def test_decoded_line_breaks_are_header_injection(payload: bytes) -> None:
    value = f"=?utf-8?B?{base64.b64encode(payload).decode()}?="
    with pytest.raises(UnreadableMail) as refused:
        headers.text(value, name="Subject")
    assert refused.value.reason == "header_injection"


def test_addresses_are_decoded_and_lowercased() -> None:
    found = headers.addresses(
        [f"=?gbk?B?{_b('张三', 'gbk')}?= <ZhangSan@Example.COM>, bob@x.org", "not an address"],
        name="To",
    )
    assert found == (
        headers.Address(name="张三", email="zhangsan@example.com"),
        headers.Address(name="", email="bob@x.org"),
    )


def test_message_ids_in_order_without_repeats() -> None:
    assert headers.message_ids("<a@b>\r\n <c@d> <a@b> junk") == ("<a@b>", "<c@d>")
    assert headers.message_ids("bare-id@example.org") == ("<bare-id@example.org>",)
    assert headers.message_ids("") == ()
    assert len(headers.message_ids(" ".join(f"<{i}@x>" for i in range(80)))) == 50


def test_dates_are_aware_utc_or_none() -> None:
    parsed = headers.date("Fri, 20 Nov 2026 14:02:11 +0800")
    assert parsed is not None
    assert parsed.isoformat() == "2026-11-20T06:02:11+00:00"
    assert headers.date("yesterday at noon") is None
    assert headers.date(None) is None
