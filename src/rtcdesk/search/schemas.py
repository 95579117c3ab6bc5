"""Search results as the API returns them."""

from __future__ import annotations

from datetime import datetime

import msgspec


class SearchHit(msgspec.Struct):
    """One found document: what it is, where to open it, and why it matched.

    ``title_highlights`` and ``highlights`` are [start, end) character offsets into
    ``title`` and ``snippet`` (a piece of the original text) of the words that matched.
    """

    kind: str
    id: int
    title: str
    title_highlights: list[list[int]]
    snippet: str
    highlights: list[list[int]]
    score: float
    url: str
    platform: str | None
    language: str | None
    status: str | None
    updated_at: datetime


class SearchResults(msgspec.Struct):
    """The best matches, best first (at most ``limit``; search results are not paged)."""

    query: str
    items: list[SearchHit]
