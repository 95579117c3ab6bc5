"""Streaming a log file as text chunks that end on line boundaries, in bounded memory.

Accepts plain or gzip bytes (concatenated members too), UTF-8 (with or without BOM) and
UTF-16 with a BOM (what Windows tools write). Undecodable bytes become U+FFFD, and the lines
that hold them are counted as unreadable by the engine.
"""

from __future__ import annotations

import codecs
import io
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from rtcdesk.core.errors import InvalidInput, TooLarge

CHUNK_BYTES = 4 * 1024 * 1024
HEAD_BYTES = 64 * 1024
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
UNNAMED = "the file"
Progress = Callable[[float], None]


def megabytes(n: int) -> str:
    """A byte count in MB for messages ('1.5')."""
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


class Source:
    """A file (path or bytes) read raw, inflated if gzip, with a size limit after inflation."""

    def __init__(self, source: bytes | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._raw: BinaryIO = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)  # noqa: SIM115
        self.total = source.stat().st_size if isinstance(source, Path) else len(source)
        self.max_bytes = max_bytes
        self.inflated = 0
        self.warnings: list[str] = []
        first = self._raw.read(2)
        self._raw.seek(0)
        self._gzip = first == b"\x1f\x8b"
        self._z = zlib.decompressobj(wbits=47) if self._gzip else None
        self._pending = b""
        self._done = False

    def close(self) -> None:
        """Close the underlying file."""
        self._raw.close()

    @property
    def consumed(self) -> float:
        """Share of the raw file read so far (0..1)."""
        return min(1.0, self._raw.tell() / self.total) if self.total else 1.0

    def read(self, n: int = CHUNK_BYTES) -> bytes:
        """Up to about ``n`` inflated bytes; b'' at the end."""
        out = self._raw.read(n) if self._z is None else self._inflate(n)
        self.inflated += len(out)
        if self.inflated > self.max_bytes:
            raise TooLarge(
                "{name} is larger than {limit} MB (after unzipping); the limit is {limit} MB.",
                params={"name": UNNAMED, "limit": megabytes(self.max_bytes)},
            )
        return out

    def _inflate(self, n: int) -> bytes:
        if self._z is None:
            return b""
        parts: list[bytes] = []
        got = 0
        while got < n and not self._done:
            buf = self._pending or self._raw.read(CHUNK_BYTES)
            self._pending = b""
            if not buf:
                self._done = True
                if not self._z.eof:
                    if self.inflated + got == 0:
                        raise InvalidInput(
                            "{name} is a damaged gzip file ({reason}).",
                            params={"name": UNNAMED, "reason": "it ends before any data"},
                        )
                    self.warnings.append(
                        f"The gzip data ends early after {self.inflated + got} bytes; "
                        "read up to there."
                    )
                break
            try:
                chunk = self._z.decompress(buf, n - got)
            except zlib.error as exc:
                if self.inflated + got == 0:
                    raise InvalidInput(
                        "{name} is a damaged gzip file ({reason}).",
                        params={"name": UNNAMED, "reason": str(exc)},
                    ) from exc
                self.warnings.append(
                    f"The gzip data is corrupt after {self.inflated + got} bytes; read up to there."
                )
                self._done = True
                break
            parts.append(chunk)
            got += len(chunk)
            self._pending = self._z.unconsumed_tail
            if self._z.eof:
                rest = self._z.unused_data + self._pending
                self._pending = b""
                if rest[:2] == b"\x1f\x8b":
                    self._z = zlib.decompressobj(wbits=47)
                    self._pending = rest
                elif rest.strip(b"\x00"):
                    self.warnings.append("Data after the end of the gzip stream was ignored.")
                    self._done = True
                else:
                    self._done = True
        return b"".join(parts)


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    return "utf-8"


def byte_chunks(src: Source, head: bytes) -> Iterator[bytes]:
    """UTF-8 chunks that end with a full line, starting with ``head`` (already read).

    UTF-8 input is passed through undecoded (the matcher works on bytes); UTF-16 is
    re-encoded. A BOM is dropped."""
    enc = _encoding(head)
    if enc != "utf-8":
        yield from _recoded(src, head, enc)
        return
    carry = head.removeprefix(codecs.BOM_UTF8)
    while True:
        raw = src.read()
        if not raw:
            if carry:
                yield carry
            return
        data = carry + raw
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > CHUNK_BYTES * 4:  # a "line" of 16 MB is no log line
                yield carry
                carry = b""
            continue
        carry = data[cut + 1 :]
        yield data[: cut + 1]


def _recoded(src: Source, head: bytes, enc: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(enc)(errors="replace")
    carry = ""
    raw = head[2:]
    while True:
        text = carry + decoder.decode(raw, final=not raw)
        if not raw:
            if text:
                yield text.encode("utf-8", errors="replace")
            return
        cut = text.rfind("\n")
        if cut < 0:
            carry = text
        else:
            carry = text[cut + 1 :]
            yield text[: cut + 1].encode("utf-8", errors="replace")
        raw = src.read()
