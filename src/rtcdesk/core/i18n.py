"""The translation catalogs, readable by every layer: pages, services, jobs, notifications.

English is the source language; the Chinese catalog lives beside the web templates
(``web/locale/zh_CN/LC_MESSAGES/messages.po``, filled by ``scripts/i18n``). The web layer
re-exports these functions; a service or a job that must write text in a person's language
(a notification, an email) uses them from here, without importing ``rtcdesk.web``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

# A path, not an import: the catalog is one file shared by the pages and everything else.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "zh-CN": "简体中文"}
DEFAULT_LANGUAGE = "en"

Gettext = Callable[..., str]


def N_(text: str) -> str:  # noqa: N802  (gettext's conventional no-op marker)
    """Mark ``text`` for extraction into the catalog without translating it here."""
    return text


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


def environment_language(environ: Mapping[str, str]) -> str:
    """The language of a command line: the POSIX locale variables, in their order of precedence."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(".")[0]
        if value:  # the first one set decides, as in POSIX ("C" and "POSIX" are English)
            return normalize_language(value)
    return DEFAULT_LANGUAGE


def translator(lang: str) -> Gettext:
    """A ``_(text, **fields)`` function for ``lang``."""
    table = catalog(normalize_language(lang))

    def gettext(text: str, **fields: Any) -> str:
        translated = table.get(text, text)
        return translated.format(**fields) if fields else translated

    return gettext


class _Keep(dict[str, Any]):
    """Format fields: a field the template names but the data lacks stays visible as is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, params: Mapping[str, Any]) -> str | None:
    try:
        return template.format_map(_Keep(params))
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
        return None


def fill(template: str, params: Mapping[str, Any]) -> str:
    """``template`` with its ``{name}`` fields from ``params``; never raises on a bad field.

    For texts stored as a template plus data (notifications): a template changed after the
    data was stored still reads, a missing field stays visible as ``{name}``.
    """
    filled = _format(template, params)
    return template if filled is None else filled


def translate(template: str, params: Mapping[str, Any], lang: str) -> str:
    """The catalog's ``lang`` translation of ``template``, filled with ``params``; English
    when the translation does not format (a typo in a field name of the catalog)."""
    translated = catalog(normalize_language(lang)).get(template, template)
    filled = _format(translated, params)
    return filled if filled is not None else fill(template, params)
