"""Bytes to text for every charset customers really send, mislabelled ones included.

A declared charset is trusted only when the bytes decode under it strictly. Labels that
Chinese and Japanese clients use loosely are widened to the superset they mean (GB2312 and
GBK mail is really GB18030, Big5 often carries HKSCS characters). Bytes that do not fit
their label, or carry none, are recovered: strict UTF-8 first (the most common mislabel),
then ``charset-normalizer`` limited to the charsets our customers write in, so short CJK
text is not guessed as Korean or Cyrillic. Nothing here raises on bad input: the last
resort is the label (or UTF-8) with replacement characters.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Loose labels widened to the superset that decodes what the sender really wrote.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-2022-jp": "iso2022_jp_ext",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
# Labels that say nothing about non-ASCII bytes: mail with 8-bit bytes under one of these
# was mislabelled (or left unlabelled) by its client.
_WEAK = {"ascii", "cp1252"}
# What a guess may choose from: the charsets of our customers' mail, not every codec.
_CANDIDATES = ["utf_8", "gb18030", "big5hkscs", "iso2022_jp", "cp932", "euc_jp", "cp1252"]
_SHORT = 12
_SEVEN_BIT = ("iso2022", "hz", "utf-7", "utf_7")
_SIBLINGS = {"gb18030": "big5hkscs", "big5hkscs": "gb18030"}
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def codec_for(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when it is unknown."""
    if not label:
        return None
    name = label.strip().strip('"').lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _best(data: bytes, candidates: list[str]) -> str | None:
    try:
        best = charset_normalizer.from_bytes(data, cp_isolation=candidates).best()
    except (LookupError, ValueError, UnicodeError):
        return None
    return None if best is None else str(best)


def _looks_double_byte(data: bytes) -> bool:
    """Every run of 8-bit bytes has an even length, as GB2312/GBK Chinese text has."""
    runs = _HIGH_RUN.findall(data)
    return bool(runs) and all(len(run) % 2 == 0 for run in runs)


def guess(data: bytes, fallback: str | None = None) -> str:
    """Text from bytes that are not UTF-8 and fit no label: the likeliest customer charset."""
    if len(data) < _SHORT:
        # Too short for statistics: mainland Chinese is what most of our short text is.
        text = _strict(data, "gb18030") if _looks_double_byte(data) else None
        return text or data.decode(fallback or "utf-8", "replace")
    best = _best(data, _CANDIDATES)
    if best is not None:
        return best
    return _strict(data, "gb18030") or data.decode(fallback or "utf-8", "replace")


def decode(data: bytes, label: str | None) -> str:
    """Text from bytes labelled ``label``, recovering a wrong or missing label."""
    codec = codec_for(label)
    if data.isascii():
        # ISO-2022-JP, HZ and UTF-7 are 7-bit: their bytes are ASCII but their text is not.
        if codec is not None and codec.startswith(_SEVEN_BIT):
            return _strict(data, codec) or data.decode("ascii")
        return data.decode("ascii")
    # Valid UTF-8 with multi-byte characters is what the sender wrote whatever the label
    # says: GBK or Big5 text is practically never valid UTF-8 by accident, while UTF-8
    # under a GB2312 label would decode "strictly" into nonsense (GB18030 accepts most pairs).
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    if codec is not None and codec not in _WEAK:
        text = _strict(data, codec)
        if text is not None:
            # Big5 bytes decode as GB18030 too (and the other way round): a Traditional
            # Chinese client labelling its mail GB2312 is common, so let statistics choose.
            sibling = _SIBLINGS.get(codec)
            if sibling and len(data) >= _SHORT and _strict(data, sibling) is not None:
                return _best(data, [codec, sibling]) or text
            return text
    return guess(data, fallback=codec)
