"""Highlighted snippets of the original text: where a query's phrases occur, with a window
of context. Pure; the same on both backends (FTS5's snippet() would show our tokens, not
what the person wrote)."""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.search.synonyms import Phrase
from rtcdesk.search.tokens import tokenize

SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Snippet:
    """A piece of the original text and the (start, end) spans in it to highlight."""

    text: str
    highlights: tuple[tuple[int, int], ...]


def find_spans(text: str, phrases: list[Phrase]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where any of ``phrases`` occurs (longest first)."""
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(words):
        for phrase in ordered:
            end = position + len(phrase)
            if tuple(words[position:end]) == phrase:
                spans.append((tokens[position].start, tokens[end - 1].end))
                position = end
                break
        else:
            position += 1
    return spans


def snippet(text: str, phrases: list[Phrase], *, width: int = SNIPPET_CHARS) -> Snippet:
    """The window of ``text`` holding the most matches, with highlight spans in it."""
    flat = " ".join(text.split())
    spans = find_spans(flat, phrases)
    if len(flat) <= width:
        return Snippet(flat, tuple(spans))
    best_start, best_count = 0, 0
    for start, _ in spans:
        begin = max(0, start - width // 4)
        count = sum(1 for s, e in spans if s >= begin and e <= begin + width)
        if count > best_count:
            best_start, best_count = begin, count
    end = min(len(flat), best_start + width)
    begin = max(0, end - width) if end == len(flat) else best_start
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - begin
    inside = tuple((s + shift, e + shift) for s, e in spans if s >= begin and e <= end)
    return Snippet(prefix + flat[begin:end] + suffix, inside)
