"""Small validators shared by the schemas of several domains."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rtcdesk.core.errors import InvalidInput

_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]{1,64}@[^@\s<>()\[\],;:\"]{1,190}\.[^@\s<>()\[\],;:\"]{1,63}$"
)
_TAG = re.compile(r"^[\w\-.:+]{1,64}$", re.UNICODE)


def normalize_email(value: str) -> str:
    """Return a lower-cased, trimmed email address, or refuse it."""
    email = value.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(
            "{value!r} is not a valid email address", params={"value": value}, field="email"
        )
    return email


def check_timezone(value: str) -> str:
    """Return ``value`` if it is an IANA time zone name (e.g. Asia/Shanghai)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            "unknown time zone {value!r}; use a name like Asia/Shanghai",
            params={"value": value},
            field="timezone",
        ) from exc
    if value not in available_timezones() and value != "UTC":
        raise InvalidInput(
            "unknown time zone {value!r}; use a name like Asia/Shanghai",
            params={"value": value},
            field="timezone",
        )
    return value


def check_choices(
    values: list[str], allowed: tuple[str, ...], what: str, *, field: str | None = None
) -> list[str]:
    """Return ``values`` de-duplicated and in order, if every one is in ``allowed``."""
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidInput(
            "unknown {what}: {unknown}; allowed: {allowed}",
            params={"what": what, "unknown": ", ".join(unknown), "allowed": ", ".join(allowed)},
            field=field,
        )
    return list(dict.fromkeys(values))


def normalize_tags(values: list[str]) -> list[str]:
    """Lower-case, trimmed, de-duplicated tags; spaces become dashes."""
    tags: list[str] = []
    for raw in values:
        tag = raw.strip().lower().replace(" ", "-")
        if not tag:
            continue
        if not _TAG.match(tag):
            raise InvalidInput(
                "tag {raw!r} may only hold letters, digits and - _ . : +",
                params={"raw": raw},
                field="tags",
            )
        if tag not in tags:
            tags.append(tag)
    return tags


def require_text(value: str, what: str, *, max_length: int) -> str:
    """Trimmed non-empty text of at most ``max_length`` characters (``what`` names the field)."""
    text = value.strip()
    if not text:
        raise InvalidInput("{what} must not be empty", params={"what": what}, field=what)
    if len(text) > max_length:
        raise InvalidInput(
            "{what} is longer than {max_length} characters",
            params={"what": what, "max_length": max_length},
            field=what,
        )
    return text


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching values that contain ``text``."""
    escaped = text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"
