"""Translations for the pages: gettext catalogs (Babel .po files) loaded once at start-up.

English is the source language; ``locale/zh_CN/LC_MESSAGES/messages.po`` holds Chinese.
Templates call ``_("text")`` (with ``{name}`` placeholders filled from keyword arguments),
and ``scripts/i18n`` re-extracts the strings into the catalog. Loading the catalogs lives in
``core/i18n.py`` so services and jobs can write in a person's language too.
"""

from __future__ import annotations

import re
from functools import cache

from rtcdesk.core.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALE_DIR,
    Gettext,
    catalog,
    normalize_language,
    translator,
)


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


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "Gettext",
    "catalog",
    "from_accept_language",
    "normalize_language",
    "stored_message",
    "translator",
]
