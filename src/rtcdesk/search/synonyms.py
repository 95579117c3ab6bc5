"""The RTC synonym table (``synonyms.txt``): groups of words that mean the same thing.

Pure: the file ships with the package and is parsed once per process. Each alternative is
kept as its token sequence, so matching a query is a lookup of token tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rtcdesk.search.tokens import token_texts

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class SynonymTable:
    """Token sequence -> the group of sequences it stands for."""

    groups: tuple[tuple[Phrase, ...], ...]
    lookup: dict[Phrase, int]
    longest: int

    def group_of(self, phrase: Phrase) -> tuple[Phrase, ...] | None:
        """The alternatives of ``phrase``'s group (itself first), or None."""
        index = self.lookup.get(phrase)
        if index is None:
            return None
        others = tuple(p for p in self.groups[index] if p != phrase)
        return (phrase, *others)


def parse(text: str) -> SynonymTable:
    """Parse the table format: one group per line, ``|`` between alternatives, # comments.

    A phrase listed in two groups is a mistake in the table and raises ValueError naming
    its line.
    """
    groups: list[tuple[Phrase, ...]] = []
    lookup: dict[Phrase, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        phrases: list[Phrase] = []
        for part in body.split("|"):
            phrase = tuple(token_texts(part))
            if phrase and phrase not in phrases:
                phrases.append(phrase)
        if len(phrases) < 2:
            raise ValueError(f"synonyms line {number}: a group needs two alternatives")
        for phrase in phrases:
            if phrase in lookup:
                raise ValueError(
                    f"synonyms line {number}: {' '.join(phrase)!r} is already in another group"
                )
            lookup[phrase] = len(groups)
        groups.append(tuple(phrases))
    longest = max((len(p) for p in lookup), default=0)
    return SynonymTable(groups=tuple(groups), lookup=lookup, longest=longest)


@cache
def table() -> SynonymTable:
    """The shipped table."""
    text = resources.files("rtcdesk.search").joinpath("synonyms.txt").read_text("utf-8")
    return parse(text)
