"""What a person types, as a search query: terms, phrases and synonym groups, rendered for
FTS5's MATCH and PostgreSQL's tsquery from the same parsed form. Pure.

A query is an AND of groups; a group is an OR of alternatives; an alternative is a phrase
(tokens next to each other). A run of Chinese characters is a phrase, so 视频卡顿 needs the
four characters in that order; a run that contains a synonym is split around it (视频卡顿 ->
视频 AND (卡顿 OR stutter OR freeze ...)). Words joined by punctuation (ERR_1001, 4.2.1) are
one phrase; words in double quotes are an exact phrase, not expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rtcdesk.core.errors import InvalidInput
from rtcdesk.search.synonyms import Phrase, SynonymTable, table
from rtcdesk.search.tokens import Token, is_cjk, tokenize

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
_QUOTED = re.compile(r'"([^"]*)"')
# English words that carry no meaning in a query; dropped unless a query has nothing else.
_STOPWORD_TEXT = """a an and are as at be by can do doe for from had has have how i in is it my
not of on or our the their there thi to wa we what when where which while why will with you your"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Group:
    """Alternatives any one of which must match; the first is what was typed."""

    alternatives: tuple[Phrase, ...]
    exact: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must match."""

    groups: tuple[Group, ...]

    def phrases(self) -> list[Phrase]:
        """Every alternative of every group (for highlighting)."""
        return [p for g in self.groups for p in g.alternatives]


def _runs(text: str) -> list[list[Token]]:
    """Split ``text`` into phrases: a CJK run, or words joined without whitespace."""
    runs: list[list[Token]] = []
    for chunk in text.split():
        current: list[Token] = []
        for token in tokenize(chunk):
            if current and is_cjk(token.text) != is_cjk(current[-1].text):
                runs.append(current)
                current = []
            current.append(token)
        if current:
            runs.append(current)
    return runs


def _expand(runs: list[list[Token]], synonyms: SynonymTable) -> list[Group]:
    """Find synonym phrases (longest first) across the runs and group the rest."""
    flat: list[str] = []
    run_of: list[int] = []
    for index, run in enumerate(runs):
        flat.extend(t.text for t in run)
        run_of.extend([index] * len(run))

    def boundary(position: int) -> bool:
        # A match may start or end inside a CJK run (characters are words' parts) but not
        # inside a punctuation-joined phrase such as err_1001.
        if position in (0, len(flat)):
            return True
        if run_of[position] != run_of[position - 1]:
            return True
        return is_cjk(flat[position]) and is_cjk(flat[position - 1])

    groups: list[Group] = []
    pending: list[str] = []
    pending_run = -1

    def flush() -> None:
        nonlocal pending
        if pending:
            groups.append(Group((tuple(pending),)))
            pending = []

    position = 0
    while position < len(flat):
        found = None
        for size in range(min(synonyms.longest, len(flat) - position), 0, -1):
            end = position + size
            phrase = tuple(flat[position:end])
            if boundary(position) and boundary(end):
                alternatives = synonyms.group_of(phrase)
                if alternatives is not None:
                    found = (end, alternatives)
                    break
        if found is not None:
            flush()
            groups.append(Group(found[1]))
            position = found[0]
            continue
        if run_of[position] != pending_run:
            flush()
            pending_run = run_of[position]
        pending.append(flat[position])
        position += 1
    flush()
    return groups


def parse(text: str, synonyms: SynonymTable | None = None) -> Query:
    """Parse ``text``; InvalidInput when it is too long or has nothing to search for."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(
            "the search text is longer than {limit} characters",
            params={"limit": MAX_QUERY_CHARS},
            field="q",
        )
    groups: list[Group] = []
    for quoted in _QUOTED.findall(text):
        phrase = tuple(t.text for t in tokenize(quoted))
        if phrase:
            groups.append(Group((phrase,), exact=True))
    rest = _QUOTED.sub(" ", text).replace('"', " ")
    groups.extend(_expand(_runs(rest), synonyms or table()))
    meaningful = [
        g for g in groups if g.exact or len(g.alternatives) > 1 or g.alternatives[0] not in _STOP
    ]
    unique: list[Group] = []
    for group in meaningful or groups:
        if group not in unique:
            unique.append(group)
    if not unique:
        raise InvalidInput("the search text has no words to search for", field="q")
    if len(unique) > MAX_GROUPS:
        raise InvalidInput(
            "the search text has more than {limit} terms", params={"limit": MAX_GROUPS}, field="q"
        )
    return Query(tuple(unique))


_STOP = frozenset((word,) for word in STOPWORDS)


def as_typed(query: Query) -> Query:
    """Only what was typed, without the synonyms (to rank the words a person used first)."""
    return Query(tuple(Group(g.alternatives[:1], exact=g.exact) for g in query.groups))


def any_of(query: Query) -> Query:
    """The same alternatives, any group sufficing (suggestions while someone types)."""
    merged = tuple(p for g in query.groups for p in g.alternatives)
    return Query((Group(merged),))


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression: phrases in double quotes, OR inside, AND between."""
    parts = []
    for group in query.groups:
        alts = " OR ".join('"' + " ".join(p) + '"' for p in group.alternatives)
        parts.append(f"({alts})")
    return " AND ".join(parts)


def to_tsquery(query: Query) -> str:
    """The tsquery literal: lexemes quoted, <-> inside a phrase, | inside, & between."""
    parts = []
    for group in query.groups:
        alts = " | ".join(" <-> ".join(f"'{t}'" for t in p) for p in group.alternatives)
        parts.append(f"({alts})")
    return " & ".join(parts)
