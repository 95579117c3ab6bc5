"""Translations for the pages: gettext catalogs (Babel .po files) loaded once at start-up.

English is the source language; ``locale/zh_CN/LC_MESSAGES/messages.po`` holds Chinese.
Templates call ``_("text")`` (with ``{name}`` placeholders filled from keyword arguments),
and ``scripts/i18n`` re-extracts the strings into the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "zh-CN": "简体中文"}
DEFAULT_LANGUAGE = "en"

Gettext = Callable[..., str]


def _catalog_dir(lang: str) -> str:
    return lang.replace("-", "_")


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for ``lang`` (empty for English, the source language)."""
    if lang == "en":
        return {}
    path = LOCALE_DIR / _catalog_dir(lang) / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def translator(lang: str) -> Gettext:
    """A ``_(text, **fields)`` function for ``lang``."""
    table = catalog(normalize_language(lang))

    def gettext(text: str, **fields: Any) -> str:
        translated = table.get(text, text)
        return translated.format(**fields) if fields else translated

    return gettext


def normalize_language(value: str | None) -> str:
    """Map 'zh', 'zh_CN', 'zh-Hans-CN', 'en-US' ... onto a language we have."""
    if not value:
        return DEFAULT_LANGUAGE
    low = value.strip().lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh-CN"
    if low.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> str | None:
    """The best language we have from an Accept-Language header, or None."""
    if not header:
        return None
    ranked: list[tuple[float, str]] = []
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.strip().lower()))
    for _quality, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag.startswith(("zh", "en")):
            return normalize_language(tag)
    return None


_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _named_templates(lang: str) -> list[tuple[re.Pattern[str], str]]:
    """Catalog templates about a named file, as patterns that read a stored message back."""
    out: list[tuple[re.Pattern[str], str]] = []
    for msgid, msgstr in catalog(lang).items():
        if "{name}" not in msgid:
            continue
        parts = _FIELD.split(msgid)
        if len(set(parts[1::2])) != len(parts[1::2]):
            continue  # a field used twice cannot be one named group
        rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(rx + r"\Z", re.S), msgstr))
    out.sort(key=lambda pair: -len(pair[0].pattern))  # the most specific template first
    return out


def stored_message(message: str | None, lang: str) -> str:
    """A message stored in English (a diagnosis error, as the job saved it) in ``lang``, by
    reading it back against the catalog's templates that name a file."""
    if not message:
        return ""
    for pattern, translation in _named_templates(normalize_language(lang)):
        found = pattern.match(message)
        if found is not None:
            try:
                return translation.format(**found.groupdict())
            except (KeyError, IndexError, ValueError):
                break
    return message
