"""Limits and hostile structure: huge, wide and deep mail is refused with its reason, and
the parser raises nothing but ``UnreadableMail`` whatever the bytes (hypothesis)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtcdesk.channels.email.errors import REASONS, UnreadableMail
from rtcdesk.channels.email.parse import MailLimits, parse_mail

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "email"


def _wide(parts: int) -> bytes:
    body = "".join(f"--b\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(parts))
    head = "From: a@example.org\r\nSubject: wide\r\nContent-Type: multipart/mixed; boundary=b\r\n"
    return f"{head}\r\n{body}--b--\r\n".encode()


def _deep(levels: int) -> bytes:
    head = (
        "From: a@example.org\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
    )
    body = "".join(
        f"--b{i - 1}\r\nContent-Type: multipart/mixed; boundary=b{i}\r\n\r\n"
        for i in range(1, levels)
    )
    body += f"--b{levels - 1}\r\nContent-Type: text/plain\r\n\r\ndeep\r\n"
    body += "".join(f"--b{i}--\r\n" for i in reversed(range(levels)))
    return (head + body).encode()


def _attached_messages(levels: int) -> bytes:
    wrapper = "From: a@example.org\r\nSubject: x\r\nContent-Type: message/rfc822\r\n\r\n"
    return (wrapper * levels + "From: a@example.org\r\nSubject: core\r\n\r\ncore\r\n").encode()


def _reason(raw: bytes, limits: MailLimits | None = None) -> str:
    with pytest.raises(UnreadableMail) as refused:
        parse_mail(raw, limits)
    return refused.value.reason


def test_a_five_thousand_part_tree_is_refused() -> None:
    assert _reason(_wide(5000)) == "too_many_parts"


def test_parts_are_counted_exactly_after_the_cheap_bound() -> None:
    assert len(parse_mail(_wide(900)).text) > 0
    assert _reason(_wide(1200)) == "too_many_parts"  # under the pre-parse bound of 4,000


def test_parts_inside_attached_messages_count() -> None:
    inner = _wide(30).decode()
    raw = (
        "From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n"
        f"--o\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--o--\r\n"
    ).encode()
    assert len(parse_mail(raw).attachments) == 1
    assert _reason(raw, MailLimits(max_parts=20)) == "too_many_parts"


@pytest.mark.parametrize("levels", [20, 990])
def test_deep_multipart_nesting_is_refused(levels: int) -> None:
    assert _reason(_deep(levels)) == "too_deep"


def test_thousands_of_nested_multiparts_are_refused_before_parsing() -> None:
    assert _reason(_deep(1500)) == "too_many_parts"


def test_moderate_nesting_is_read() -> None:
    assert parse_mail(_deep(10)).text == "deep"


@pytest.mark.parametrize("levels", [30, 990])
def test_deep_attached_messages_are_refused(levels: int) -> None:
    assert _reason(_attached_messages(levels)) == "too_deep"


def test_a_chain_of_fifty_thousand_attached_messages_is_refused_before_parsing() -> None:
    assert _reason(_attached_messages(50_000)) == "too_many_parts"


def test_size_limit() -> None:
    raw = (CORPUS / "forwarded_chain.eml").read_bytes()
    assert _reason(raw, MailLimits(max_bytes=len(raw) - 1)) == "too_large"
    assert parse_mail(raw, MailLimits(max_bytes=len(raw))).subject


def test_header_count_limit() -> None:
    raw = b"From: a@example.org\r\n" + b"X-Junk: 1\r\n" * 600 + b"\r\nbody\r\n"
    assert _reason(raw) == "too_many_headers"


def test_empty_mail() -> None:
    assert _reason(b"  \r\n") == "empty"


def test_a_25_mb_attachment_is_kept_whole() -> None:
    payload = bytes(range(256)) * (25 * 4096)  # 25 MiB
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    raw = (
        b"From: a@example.org\r\nSubject: big dump\r\nMessage-ID: <big@example.org>\r\n"
        b"Content-Type: multipart/mixed; boundary=z\r\n\r\n"
        b"--z\r\nContent-Type: text/plain\r\n\r\nthe dump\r\n"
        b"--z\r\nContent-Type: application/octet-stream; name=dump.bin\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--z--\r\n"
    )
    mail = parse_mail(raw)
    (dump,) = mail.attachments
    assert dump.filename == "dump.bin"
    assert dump.data == payload
    assert mail.visible_text == "the dump"


def test_attachment_names_cannot_climb_out() -> None:
    raw = (
        b"From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n"
        b"--z\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nx\r\n'
        b"--z\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="C:\\\\evil\\\\run.exe"\r\n\r\nx\r\n'
        b"--z\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="' + b"a" * 400 + b'.log"\r\n\r\nx\r\n'
        b"--z--\r\n"
    )
    names = [attachment.filename for attachment in parse_mail(raw).attachments]
    assert names[:2] == ["passwd", "run.exe"]
    assert len(names[2]) <= 200
    assert names[2].endswith(".log")


def _parses_or_is_refused(raw: bytes) -> None:
    """Parsing either succeeds or raises UnreadableMail with a known reason (anything else
    propagates and fails the test)."""
    reason = None
    try:
        parse_mail(raw)
    except UnreadableMail as refused:
        reason = refused.reason
    assert reason is None or reason in REASONS


_HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Date",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "Auto-Submitted",
    ]
)
_VALUES = st.one_of(
    st.text(max_size=60),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "=?gbk?B?xOO6ww==?=",
            "=?utf-8?Q?=E4=BD?=",
            "multipart/mixed; boundary=x",
            "message/rfc822",
            "base64",
            "quoted-printable",
            "a@b.c",
            "<x@y>",
            "=?x?B?!!?=",
        ]
    ),
)


@st.composite
def _mails(draw: st.DrawFn) -> bytes:
    lines = [
        f"{draw(_HEADER_NAMES)}: {draw(_VALUES)}"
        for _ in range(draw(st.integers(min_value=0, max_value=8)))
    ]
    body = draw(st.one_of(st.binary(max_size=300), st.sampled_from([b"--x\r\n\r\n--x--", b""])))
    head = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    return head + b"\r\n\r\n" + body


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mails())
def test_structured_garbage_raises_only_unreadable_mail(raw: bytes) -> None:
    _parses_or_is_refused(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_unreadable_mail(raw: bytes) -> None:
    _parses_or_is_refused(raw)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(CORPUS.glob("*.eml"))), st.data())
def test_mutated_corpus_raises_only_unreadable_mail(path: Path, data: st.DataObject) -> None:
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(min_value=1, max_value=20))):
        position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[position] = data.draw(st.integers(min_value=0, max_value=255))
    _parses_or_is_refused(bytes(raw))
