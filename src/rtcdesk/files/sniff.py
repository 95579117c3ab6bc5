"""Decide a file's content type from its bytes, never from what the uploader claimed."""

from __future__ import annotations

import filetype

# Types a browser may show inline; everything else downloads as an attachment.
INLINE_SAFE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def sniff_content_type(head: bytes, filename: str) -> str:
    """Return the content type of a file from its first bytes (and its name for text)."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if not head:
        return "application/octet-stream"
    if b"\x00" in head:
        return "application/octet-stream"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 8 KB head is still text.
        if exc.start < len(head) - 4:
            return "application/octet-stream"
        text = head[: exc.start].decode("utf-8")
    stripped = text.lstrip()
    lower = filename.lower()
    if stripped.startswith(("{", "[")) or lower.endswith(".json"):
        return "application/json"
    if lower.endswith((".log", ".txt")) or not lower:
        return "text/plain"
    return "text/plain"


SAFE_FILENAME_MAX = 255


def safe_filename(name: str) -> str:
    """A display file name without path parts or control characters (max 255 chars)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return (cleaned or "file")[:SAFE_FILENAME_MAX]
