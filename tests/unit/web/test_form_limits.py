"""Form parsing under limits: url-encoded text, multipart parts, sizes people read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest

from rtcdesk.core.errors import InvalidInput, TooLarge
from rtcdesk.web.body_limits import FormLimits, human_size, parse_multipart, parse_url_encoded

LIMITS = FormLimits(field_bytes=16, text_bytes=40, file_bytes=32, max_parts=10)


@pytest.mark.parametrize(
    ("size", "text"),
    [(900, "900 bytes"), (2 * 1024 * 1024, "2 MiB"), (256 * 1024, "256 KiB"), (1536, "1.5 KiB")],
)
def test_sizes_read_as_people_write_them(size: int, text: str) -> None:
    assert human_size(size) == text


def test_url_encoded_fields_are_utf8_and_bounded_per_field() -> None:
    body = urlencode({"subject": "你好 a+b&c", "empty": ""}).encode()
    assert parse_url_encoded(body, LIMITS) == [("subject", "你好 a+b&c"), ("empty", "")]
    with pytest.raises(TooLarge) as refused:
        parse_url_encoded(urlencode({"body": "你" * 6}).encode(), LIMITS)
    assert refused.value.field == "body"
    assert refused.value.message == "the field body is larger than 16 bytes"


def _parse(body: bytes) -> list[tuple[str, object]]:
    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]
        yield b""

    async def run() -> list[tuple[str, object]]:
        read: list[tuple[str, object]] = []
        for name, value in await parse_multipart(stream(), "XyZ", LIMITS):
            if isinstance(value, str):
                read.append((name, value))
            else:
                read.append((name, await value.read()))
                await value.close()
        return read

    return asyncio.run(run())


def _part(name: str, value: bytes, filename: str | None = None) -> bytes:
    extra = f'; filename="{filename}"' if filename is not None else ""
    head = f'--XyZ\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n\r\n'
    return head.encode() + value + b"\r\n"


def test_multipart_fields_and_files_are_read() -> None:
    body = _part("a", "你好".encode()) + _part("f", b"\x00" * 32, "x.bin") + b"--XyZ--\r\n"
    assert _parse(body) == [("a", "你好"), ("f", b"\x00" * 32)]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([_part("a", b"x" * 17)], "the field a is larger than 16 bytes"),
        ([_part(n, b"x" * 15) for n in "abc"], "the text fields of this form are larger than"),
        ([_part("f", b"x" * 33, "x.bin")], "the file x.bin is larger than 32 bytes"),
        ([_part(str(n), b"") for n in range(11)], "the form has more than 10 parts"),
    ],
)
def test_multipart_parts_over_their_limit_are_refused(parts: list[bytes], message: str) -> None:
    with pytest.raises(TooLarge) as refused:
        _parse(b"".join(parts) + b"--XyZ--\r\n")
    assert refused.value.message.startswith(message)


def test_a_truncated_multipart_body_is_invalid_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="malformed"):
        _parse(_part("a", b"x")[:-4])
