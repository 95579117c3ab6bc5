"""The .eml corpus (tests/fixtures/email): real-shaped mail from the clients customers use,
each with what the parser must make of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rtcdesk.channels.email.errors import UnreadableMail
from rtcdesk.channels.email.parse import parse_mail

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "email"
OUR_ID = "<ticket-1234-msg-1@rtcdesk.example>"


@dataclass(frozen=True)
class Expected:
    subject: str
    sender: str
    sender_name: str = ""
    visible: str | None = None  # the whole visible reply, when given
    text_contains: tuple[str, ...] = ()  # the original keeps these (quotes included)
    thread_ids: tuple[str, ...] = ()
    ticket: int | None = None
    files: tuple[tuple[str, str], ...] = ()  # (name, content type)
    auto_reply: bool = False
    bounce: tuple[str | None, str | None] | None = None  # (recipient, status)
    html_contains: tuple[str, ...] = ()
    html_lacks: tuple[str, ...] = field(default=())


CASES: dict[str, Expected] = {
    "foxmail_gb2312_reply.eml": Expected(
        subject="回复：[#1234] 视频通话卡顿",
        sender="liming@acme-video.cn",
        sender_name="李明",
        visible="您好：\n\n我们按照建议把码率上限改成 1.5 Mbps 之后，卡顿明显减少了，"
        "但 Android 端仍然偶尔黑屏。\n附件是今天的 webrtc-internals 导出。\n\n李明",
        text_contains=("-----原始邮件-----", "请提供 webrtc-internals 的导出文件。"),
        thread_ids=(OUR_ID,),
        ticket=1234,
        files=(("webrtc_internals_dump.txt", "application/octet-stream"),),
        html_contains=("Android 端仍然偶尔黑屏",),
        html_lacks=("style=",),
    ),
    "qqmail_gb18030_reply.eml": Expected(
        subject="回复：[#1234] 视频通话卡顿",
        sender="12345678@qq.com",
        sender_name="王芳",
        visible="好的，收到，我们今晚升级 SDK 到 4.2.1 再观察。",
        text_contains=("原始邮件", "请升级到 4.2.1。"),
        thread_ids=(OUR_ID,),
        ticket=1234,
    ),
    "netease163_gbk_reply.eml": Expected(
        subject="Re:[#1234] 视频通话卡顿",
        sender="zhaoqiang_rtc@163.com",
        sender_name="赵强",
        visible="今天下午三点又复现了一次，用户在 4G 网络下进房后 30 秒左右开始卡。",
        text_contains=("发自网易邮箱大师", "写道：", ">请问是在什么网络下出现的？"),
        thread_ids=(OUR_ID, "<ticket-1234@rtcdesk.example>"),
        ticket=1234,
    ),
    "outlook_zhcn_reply.eml": Expected(
        subject="答复: [#1234] 视频通话卡顿",
        sender="zhangwei@bigcorp.com.cn",
        sender_name="张伟",
        visible="已按照你们的方法在 Windows 上关闭了硬件加速，问题依旧。\n\n张伟\n研发部",
        text_contains=("发送时间: 2026年11月20日 10:15", "请尝试关闭硬件加速。"),
        thread_ids=(OUR_ID,),
        ticket=1234,
    ),
    "gbk_raw_subject.eml": Expected(
        subject="新项目接入咨询：直播连麦方案",
        sender="chen@edu-online.cn",
        visible="你好，我们是一家在线教育公司，想了解 1v1 和小班课的接入方案，"
        "以及 SLA 的具体承诺。",
    ),
    "big5_subject.eml": Expected(
        subject="音訊延遲問題（iOS 17）",
        sender="yichun.lin@formosa-live.com.tw",
        sender_name="林怡君",
        visible="您好，我們在 iOS 17 上遇到音訊延遲的問題，請協助查看。\n\n林小姐",
    ),
    "mislabelled_charset.eml": Expected(
        subject="地鐵裡通話聲音斷斷續續",
        sender="test-user@metro-app.cn",
        visible="声音断断续续，尤其是在地铁里，麻烦帮忙分析一下原因，谢谢。",
    ),
    "iso2022jp.eml": Expected(
        subject="音声が途切れる問題",
        sender="tanaka@nihon-rtc.co.jp",
        sender_name="田中太郎",
        visible="音声が途切れる問題について調査をお願いします。",
    ),
    "forwarded_chain.eml": Expected(
        subject="转发: 视频会议掉线",
        sender="liming@acme-video.cn",
        # What was forwarded is the substance: nothing below the forward marker is cut.
        text_contains=("---------- 转发的邮件 ----------", "昨天下午的会议掉线了三次。"),
        files=(("original.eml", "message/rfc822"),),
    ),
    "html_only_inline_image.eml": Expected(
        subject="Black screen after 10 minutes",
        sender="mike@acme-video.cn",
        sender_name="Mike Chen",
        visible="Screen goes black after 10 minutes, see screenshot:\n\nRegards,\nMike",
        files=(("screenshot.png", "image/png"),),
        html_contains=("Screen goes black",),
        html_lacks=("<script", "alert", "onerror", "<style", "color:red"),
    ),
    "calendar_invite.eml": Expected(
        subject="会议邀请: RTC 问题复盘",
        sender="zhangwei@bigcorp.com.cn",
        visible="Let's review the RTC issue on Wednesday.",
        files=(("invite.ics", "text/calendar"),),
    ),
    "autoreply_auto_submitted.eml": Expected(
        subject="Automatic reply: [#1234] Video stalls",
        sender="zhangwei@bigcorp.com.cn",
        sender_name="Zhang Wei",
        thread_ids=(OUR_ID,),
        ticket=1234,
        auto_reply=True,
    ),
    "autoreply_zh_subject.eml": Expected(
        subject="自动回复: [#1234] 视频通话卡顿",
        sender="12345678@qq.com",
        sender_name="王芳",
        ticket=1234,
        auto_reply=True,
    ),
    "autoreply_x_autoreply.eml": Expected(
        subject="Re: question", sender="ops@acme-video.cn", auto_reply=True
    ),
    "dsn_bounce.eml": Expected(
        subject="Undelivered Mail Returned to Sender",
        sender="mailer-daemon@mx.rtcdesk.example",
        sender_name="Mail Delivery System",
        auto_reply=True,
        bounce=("nobody@acme-video.cn", "5.1.1"),
        files=(("original-headers.txt", "text/rfc822-headers"),),
    ),
    "applemail_rfc2231_filename.eml": Expected(
        subject="Re: [#1234] Video stalls",
        sender="anna@acme-video.cn",
        sender_name="Anna Li",
        visible="Attached the client log from this morning.",
        text_contains=("Sent from my iPhone", "> Could you send us the client log?"),
        thread_ids=(OUR_ID, "<ticket-1234@rtcdesk.example>"),
        ticket=1234,
        files=(("客户端日志.log", "text/plain"),),
    ),
    "gmail_zh_reply.eml": Expected(
        subject="Re: [#1234] 推流中断",
        sender="zhangsan.rtc@gmail.com",
        sender_name="张三",
        visible="谢谢，已经恢复正常了。",
        text_contains=("在 2026年11月20日，张三 写道：",),
        thread_ids=("<ticket-1234-msg-2@rtcdesk.example>",),
        ticket=1234,
    ),
    "hostile_script.eml": Expected(
        subject="Please check this",
        sender="attacker@evil.example",
        html_contains=('href="https://example.com/ok"',),
        html_lacks=("<script", "javascript:", "onclick", "<iframe", "document.cookie"),
    ),
    "hostile_zip_bomb.eml": Expected(
        subject="logs attached",
        sender="attacker@evil.example",
        visible="See the logs.",
        files=(("logs.zip", "application/zip"),),
    ),
    "no_message_id.eml": Expected(subject="hello", sender="someone@example.org"),
}

REFUSED = {
    "hostile_header_injection.eml": "header_injection",
    "hostile_no_sender.eml": "no_sender",
}


def test_every_fixture_has_an_expectation() -> None:
    assert {path.name for path in CORPUS.glob("*.eml")} == set(CASES) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_parses_as_expected(name: str) -> None:
    expected = CASES[name]
    mail = parse_mail((CORPUS / name).read_bytes())
    assert mail.subject == expected.subject
    assert mail.sender.email == expected.sender
    assert mail.sender.name == expected.sender_name
    if expected.visible is not None:
        assert mail.visible_text == expected.visible
    for piece in expected.text_contains:
        assert piece in mail.text
    assert mail.thread_ids == expected.thread_ids
    assert mail.ticket_reference == expected.ticket
    assert tuple((f.filename, f.content_type) for f in mail.attachments) == expected.files
    assert (mail.auto_reply is not None) == expected.auto_reply
    if expected.bounce is None:
        assert mail.bounce is None
    else:
        assert mail.bounce is not None
        assert (mail.bounce.recipient, mail.bounce.status) == expected.bounce
        assert mail.bounce.permanent
    for piece in expected.html_contains:
        assert mail.html is not None
        assert piece in mail.html
    for piece in expected.html_lacks:
        assert piece not in (mail.html or "")
    assert "\ufffd" not in mail.subject + mail.text + mail.sender.name


@pytest.mark.parametrize(("name", "reason"), sorted(REFUSED.items()))
def test_hostile_fixture_is_refused_with_its_reason(name: str, reason: str) -> None:
    with pytest.raises(UnreadableMail) as refused:
        parse_mail((CORPUS / name).read_bytes())
    assert refused.value.reason == reason
    assert refused.value.details == {"reason": reason}


def test_message_id_and_threading_headers() -> None:
    mail = parse_mail((CORPUS / "foxmail_gb2312_reply.eml").read_bytes())
    assert mail.message_id == "<202611201402115739128@acme-video.cn>"
    assert not mail.synthetic_message_id
    assert mail.in_reply_to == (OUR_ID,)
    assert mail.references == (OUR_ID,)
    assert mail.to[0].email == "support@rtcdesk.example"
    assert mail.to[0].name == "技术支持"
    assert mail.date is not None
    assert mail.date.isoformat() == "2026-11-20T06:02:11+00:00"


def test_a_mail_without_message_id_gets_one_fixed_by_its_bytes() -> None:
    raw = (CORPUS / "no_message_id.eml").read_bytes()
    first, again = parse_mail(raw), parse_mail(raw)
    assert first.synthetic_message_id
    assert first.message_id == again.message_id
    assert first.message_id.endswith("@rtcdesk.invalid>")
    assert parse_mail(raw + b"\r\nmore\r\n").message_id != first.message_id


def test_dsn_names_the_message_that_bounced() -> None:
    mail = parse_mail((CORPUS / "dsn_bounce.eml").read_bytes())
    assert mail.bounce is not None
    assert mail.bounce.original_message_id == OUR_ID
    assert mail.bounce.action == "failed"
    assert mail.bounce.diagnostic is not None
    assert "User unknown" in mail.bounce.diagnostic


def test_zip_bomb_is_kept_compressed() -> None:
    mail = parse_mail((CORPUS / "hostile_zip_bomb.eml").read_bytes())
    (archive,) = mail.attachments
    assert archive.data.startswith(b"PK")
    assert len(archive.data) < 64 * 1024  # ten megabytes of zeros, never inflated


def test_inline_image_keeps_its_content_id() -> None:
    mail = parse_mail((CORPUS / "html_only_inline_image.eml").read_bytes())
    (image,) = mail.attachments
    assert image.inline
    assert image.content_id == "shot1@acme"
    assert image.data.startswith(b"\x89PNG")
