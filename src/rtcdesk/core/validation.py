"""Small validators shared by the schemas of several domains."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import msgspec

from rtcdesk.core.errors import InvalidInput

# The largest id both backends hold (PostgreSQL INTEGER); every id is bounded to it at the edge.
MAX_ID = 2**31 - 1
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
_DIGITS = re.compile(r"[0-9]{1,19}")
_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]{1,64}@[^@\s<>()\[\],;:\"]{1,190}\.[^@\s<>()\[\],;:\"]{1,63}$"
)
_TAG = re.compile(r"^[\w\-.:+]{1,64}$", re.UNICODE)
StructT = TypeVar("StructT", bound=msgspec.Struct)


def stored(column: str, *, max_length: int, min_length: int | None = None) -> msgspec.Meta:
    """Constraints of a text field stored in ``column`` ("table.column").

    ``tests/unit/test_stored_lengths.py`` holds ``max_length`` against the column's size, and
    fails on a sized column no input field or server rule accounts for.
    """
    return msgspec.Meta(min_length=min_length, max_length=max_length, extra={"column": column})


def fit(text: str, max_length: int) -> str:
    """``text`` if it has at most ``max_length`` characters, else cut to fit, ending in "…"."""
    if len(text) <= max_length:
        return text
    return text[: max_length - 1].rstrip() + "…"


_LONGER = re.compile(r"^Expected `(?:str|array|object)` of length <= (\d+)")
_SHORTER = re.compile(r"^Expected `(?:str|array|object)` of length >= (\d+)")


def validated(data: StructT) -> StructT:
    """``data`` (built in code from a form or the command line, which checks nothing) after
    the checks its schema makes on an API body: lengths, ranges, choices.

    A constructor call skips a schema's ``Meta`` constraints; decoding through msgspec
    applies them, so every interface holds input to the same limits.
    """
    try:
        return msgspec.convert(msgspec.to_builtins(data), type(data))
    except msgspec.ValidationError as exc:
        raise _readable(str(exc)) from None


def _readable(message: str) -> InvalidInput:
    """A msgspec validation message (``... - at `$.subject[2]```) as a person reads it."""
    problem, _, where = message.partition(" - at `$.")
    what = re.split(r"[.\[`]", where, maxsplit=1)[0] or "input"
    params: dict[str, Any] = {"what": what}
    if longer := _LONGER.match(problem):
        params["max_length"] = int(longer.group(1))
        if problem.startswith("Expected `str`"):
            return InvalidInput(
                "{what} is longer than {max_length} characters", params=params, field=what
            )
        return InvalidInput("{what} holds more than {max_length} items", params=params, field=what)
    if (shorter := _SHORTER.match(problem)) and shorter.group(1) == "1":
        return InvalidInput("{what} must not be empty", params=params, field=what)
    params["problem"] = problem
    return InvalidInput("{what}: {problem}", params=params, field=what)


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


MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def check_json_depth(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse a JSON document whose arrays and objects nest deeper than ``max_depth``.

    A byte scan, before anything is decoded: brackets inside strings do not count, so a
    document nested too deep is refused without building a single Python object.
    """
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b'""', raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > max_depth:
            raise InvalidInput(
                "the JSON body nests arrays and objects deeper than {max_depth} levels",
                params={"max_depth": max_depth},
            )


def utc_instant(value: datetime, what: str) -> datetime:
    """``value`` in UTC, if it has a time zone and its UTC instant is on the calendar.

    ``9999-12-31T23:59:59-23:59`` parses, but its UTC instant lies past year 9999: refused
    here rather than overflowing in a comparison or in the database driver.
    """
    if value.tzinfo is None:
        raise InvalidInput(
            "{key} needs a time zone, e.g. 2026-01-31T08:00:00+08:00",
            params={"key": what},
            field=what,
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            "{key} lies outside the years 1 to 9999 once converted to UTC",
            params={"key": what},
            field=what,
        ) from None


def parse_id(raw: str, what: str, *, field: str | None = None) -> int:
    """The id a query parameter or form field names: a whole number from 1 to ``MAX_ID``."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ID:
        raise InvalidInput(
            "{what} must be a number from 1 to {max_id}",
            params={"what": what, "max_id": MAX_ID},
            field=field,
        )
    return int(text)
