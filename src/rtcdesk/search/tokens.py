"""The tokeniser: one token per Han (and kana, hangul) character, lowercased and lightly
stemmed words for everything else. Pure: no storage, no dictionary to load.

Chinese is indexed one character per token and searched with phrase queries, so a word
matches wherever its characters stand next to each other (卡顿 finds 视频卡顿严重) with no
dictionary to keep up to date; ``docs/search.md`` has the measurements behind the choice.
Tokens only ever contain lowercase ASCII letters, digits and CJK characters, so FTS5's
``unicode61`` and a PostgreSQL ``tsvector`` literal both take them as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# CJK ideographs (with extension A and compatibility ideographs), kana and hangul syllables:
# scripts written without spaces between words, one token per character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_ASCII_WORD = re.compile(r"[a-z]+")
_VOWELS = frozenset("aeiouy")
# The longest token kept; longer runs (hashes, base64) are cut, not dropped.
MAX_TOKEN = 40


@dataclass(frozen=True, slots=True)
class Token:
    """A token and where it stands in the original text (for snippets)."""

    text: str
    start: int
    end: int


def is_cjk(token: str) -> bool:
    """Whether ``token`` is a single CJK character."""
    return len(token) == 1 and re.fullmatch(rf"[{_CJK}]", token) is not None


def stem(word: str) -> str:
    """A light English stemmer: plural, -ing, -ed, -ly, final e and doubled consonants.

    It maps the forms people type to one key (freeze/freezes/freezing -> freez,
    drop/dropped/dropping -> drop); it does not need to produce real words.
    """
    if len(word) < 4 or not _ASCII_WORD.fullmatch(word):
        return word
    base = word
    if base.endswith("ies") and len(base) > 4:
        base = base[:-3] + "y"
    elif base.endswith("sses"):
        base = base[:-2]
    elif base.endswith("s") and not base.endswith(("ss", "us", "is")):
        base = base[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            rest = base[: -len(suffix)]
            if any(ch in _VOWELS for ch in rest):
                base = rest
                if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                    base = base[:-1]
            break
    if base.endswith("e") and len(base) > 3:
        base = base[:-1]
    return base


def normalise(raw: str) -> str:
    """The index form of one raw token: NFKC, lowercase, stemmed, at most MAX_TOKEN long."""
    text = unicodedata.normalize("NFKC", raw).lower()
    if is_cjk(text):
        return text
    return stem(text)[:MAX_TOKEN]


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` with its offsets, in order."""
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        # NFKC may turn a full-width form into several characters; it stays one token.
        norm = normalise(match.group())
        if norm:
            out.append(Token(norm, match.start(), match.end()))
    return out


def token_texts(text: str) -> list[str]:
    """Just the tokens of ``text``."""
    return [token.text for token in tokenize(text)]
