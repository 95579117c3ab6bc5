"""The rule pack: YAML data (built-in files here, engineers' files from a settings path),
validated into compiled rules. A validation error names the file, the rule and the field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rtcdesk.core.errors import InvalidInput

SEVERITIES = ("info", "warning", "error", "critical")
CATEGORIES = (
    "permissions", "devices", "autoplay", "constraints", "security", "auth", "api_usage",
    "session", "network", "audio", "codec", "performance", "lifecycle",
)  # fmt: skip
PLATFORMS = ("web", "android", "ios", "macos", "windows", "electron", "linux", "any")
LANGS = ("en", "zh-CN")
_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_KEYS = {
    "code", "category", "severity", "platforms", "match", "unless", "preceded_by",
    "not_preceded_by", "not_followed_by", "repeat", "title", "cause", "fixes", "links",
    "kb_tags",
}  # fmt: skip
MAX_WINDOW_S = 86_400.0


@dataclass(frozen=True, slots=True)
class Marker:
    """A condition's own pattern: A (preceded_by), C (not_followed_by) and resets."""

    patterns: tuple[re.Pattern[str], ...]
    reset: tuple[re.Pattern[str], ...] = ()
    within_s: float | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated rule."""

    code: str
    category: str
    severity: str
    platforms: tuple[str, ...]
    match: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    title: dict[str, str]
    cause: dict[str, str]
    fixes: dict[str, list[str]]
    preceded_by: Marker | None = None
    not_preceded_by: Marker | None = None
    not_followed_by: Marker | None = None
    repeat_more_than: int | None = None
    repeat_within_s: float | None = None
    articles: tuple[str, ...] = ()
    error_codes: tuple[str, ...] = ()
    kb_tags: tuple[str, ...] = ()
    origin: str = ""


@dataclass(slots=True)
class RuleSet:
    """All rules in order, by code."""

    rules: list[Rule] = field(default_factory=list)

    def patterns(self) -> list[str]:
        """Every regex source any rule uses (the matcher's pattern ids)."""
        out: list[str] = []
        for r in self.rules:
            sources = [*r.match, *r.unless]
            for m in (r.preceded_by, r.not_preceded_by, r.not_followed_by):
                if m is not None:
                    sources += [*m.patterns, *m.reset]
            out += [p.pattern for p in sources]
        return list(dict.fromkeys(out))

    def unless_only(self) -> set[str]:
        """Sources used only as ``unless`` (a line matching only these is no event)."""
        used = set()
        for r in self.rules:
            used |= {p.pattern for p in r.match}
            for m in (r.preceded_by, r.not_preceded_by, r.not_followed_by):
                if m is not None:
                    used |= {p.pattern for p in (*m.patterns, *m.reset)}
        return {p.pattern for r in self.rules for p in r.unless} - used


def _bad(origin: str, rule: str, fld: str, problem: str) -> InvalidInput:
    return InvalidInput(
        "rule {rule} in {file}: {field} {problem}",
        params={"rule": rule, "file": origin, "field": fld, "problem": problem},
        field=fld,
    )


def _regexes(value: Any, origin: str, rule: str, fld: str) -> tuple[re.Pattern[str], ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise _bad(origin, rule, fld, "must be a regular expression or a non-empty list of them")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item) > 500:
            raise _bad(
                origin, rule, f"{fld}[{i}]", "must be a non-empty text of at most 500 characters"
            )
        try:
            pattern = re.compile(item, re.IGNORECASE)
        except re.error as exc:
            raise _bad(
                origin, rule, f"{fld}[{i}]", f"is not a valid regular expression ({exc})"
            ) from exc
        if pattern.groups and any(name for name in pattern.groupindex):
            raise _bad(origin, rule, f"{fld}[{i}]", "may not use named groups")
        if pattern.search(""):
            raise _bad(
                origin, rule, f"{fld}[{i}]", "matches empty text, so it would match every line"
            )
        out.append(pattern)
    return tuple(out)


def _seconds(value: Any, origin: str, rule: str, fld: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= MAX_WINDOW_S
    ):
        raise _bad(origin, rule, fld, "must be a number of seconds between 0 and 86400")
    return float(value)


def _marker(value: Any, origin: str, rule: str, fld: str, *, window: bool) -> Marker:
    if not isinstance(value, dict) or "match" not in value:
        raise _bad(origin, rule, fld, "must be a mapping with 'match'")
    allowed = {"match", "reset", "within_s"} if window else {"match", "reset"}
    extra = set(value) - allowed
    if extra:
        raise _bad(origin, rule, f"{fld}.{sorted(extra)[0]}", "is not a known field")
    within = None
    if window:
        if "within_s" not in value:
            raise _bad(origin, rule, f"{fld}.within_s", "is required")
        within = _seconds(value["within_s"], origin, rule, f"{fld}.within_s")
    reset = _regexes(value["reset"], origin, rule, f"{fld}.reset") if "reset" in value else ()
    return Marker(_regexes(value["match"], origin, rule, f"{fld}.match"), reset, within)


def _texts(value: Any, origin: str, rule: str, fld: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad(origin, rule, fld, "must map en and zh-CN to a text")
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise _bad(origin, rule, f"{fld}.{lang}", "is required and must be a text")
    return {lang: str(value[lang]).strip() for lang in LANGS}


def _fixes(value: Any, origin: str, rule: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _bad(origin, rule, "fixes", "must map en and zh-CN to a list of texts")
    out: dict[str, list[str]] = {}
    for lang in LANGS:
        items = value.get(lang)
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(i, str) and i.strip() for i in items)
        ):
            raise _bad(origin, rule, f"fixes.{lang}", "is required and must be a list of texts")
        out[lang] = [i.strip() for i in items]
    if len(out["en"]) != len(out["zh-CN"]):
        raise _bad(origin, rule, "fixes.zh-CN", "must have as many items as fixes.en")
    return out


def _names(
    value: Any, origin: str, rule: str, fld: str, allowed: tuple[str, ...] = ()
) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _bad(origin, rule, fld, "must be a list of names")
    for v in value:
        if allowed and v not in allowed:
            raise _bad(origin, rule, fld, "has an unknown value " + repr(v))
        if len(v) > 64:
            raise _bad(origin, rule, fld, "has a name longer than 64 characters")
    return tuple(value)


def parse_rule(raw: Any, origin: str, index: int) -> Rule:
    """Validate one rule mapping."""
    if not isinstance(raw, dict):
        raise _bad(origin, f"#{index + 1}", "rule", "must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > 64:
        raise _bad(origin, f"#{index + 1}", "code", "must look like 'area.name' (lower case)")
    extra = set(raw) - _KEYS
    if extra:
        raise _bad(origin, code, sorted(extra)[0], "is not a known field")
    for fld, allowed in (("category", CATEGORIES), ("severity", SEVERITIES)):
        if raw.get(fld) not in allowed:
            raise _bad(origin, code, fld, "must be one of " + ", ".join(allowed))
    if "match" not in raw:
        raise _bad(origin, code, "match", "is required")
    links = raw.get("links") or {}
    if not isinstance(links, dict) or set(links) - {"articles", "error_codes"}:
        raise _bad(origin, code, "links", "may only have 'articles' and 'error_codes'")
    repeat = raw.get("repeat")
    more_than = within = None
    if repeat is not None:
        if not isinstance(repeat, dict) or set(repeat) != {"more_than", "within_s"}:
            raise _bad(origin, code, "repeat", "must have exactly 'more_than' and 'within_s'")
        k = repeat["more_than"]
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 1000:
            raise _bad(origin, code, "repeat.more_than", "must be a whole number from 1 to 1000")
        more_than, within = k, _seconds(repeat["within_s"], origin, code, "repeat.within_s")
    if "preceded_by" in raw and "not_preceded_by" in raw:
        raise _bad(origin, code, "not_preceded_by", "cannot be combined with preceded_by")
    return Rule(
        code=code,
        category=raw["category"],
        severity=raw["severity"],
        platforms=_names(raw.get("platforms"), origin, code, "platforms", PLATFORMS),
        match=_regexes(raw["match"], origin, code, "match"),
        unless=_regexes(raw["unless"], origin, code, "unless") if "unless" in raw else (),
        title=_texts(raw.get("title"), origin, code, "title"),
        cause=_texts(raw.get("cause"), origin, code, "cause"),
        fixes=_fixes(raw.get("fixes"), origin, code),
        preceded_by=_marker(raw["preceded_by"], origin, code, "preceded_by", window=False)
        if "preceded_by" in raw
        else None,
        not_preceded_by=_marker(
            raw["not_preceded_by"], origin, code, "not_preceded_by", window=False
        )
        if "not_preceded_by" in raw
        else None,
        not_followed_by=_marker(
            raw["not_followed_by"], origin, code, "not_followed_by", window=True
        )
        if "not_followed_by" in raw
        else None,
        repeat_more_than=more_than,
        repeat_within_s=within,
        articles=_names(links.get("articles"), origin, code, "links.articles"),
        error_codes=_names(links.get("error_codes"), origin, code, "links.error_codes"),
        kb_tags=_names(raw.get("kb_tags"), origin, code, "kb_tags"),
        origin=origin,
    )


def parse_pack(text: str, origin: str) -> list[Rule]:
    """Validate one YAML rule file: a mapping with a list under ``rules``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(
            "rule file {file} is not valid YAML: {reason}",
            params={"file": origin, "reason": str(exc).replace("\n", " ")},
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InvalidInput(
            "rule file {file} must be a mapping with a list under 'rules'.", params={"file": origin}
        )
    rules = [parse_rule(raw, origin, i) for i, raw in enumerate(data["rules"])]
    seen: set[str] = set()
    for r in rules:
        if r.code in seen:
            raise _bad(origin, r.code, "code", "is used twice in this file")
        seen.add(r.code)
    return rules


def builtin_texts() -> list[tuple[str, str]]:
    """(file name, YAML text) of the built-in rule files, in name order."""
    folder = resources.files("rtcdesk.logs.rules")
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def load_rules(extra_dir: Path | None = None) -> RuleSet:
    """The built-in pack plus every ``*.yaml`` in ``extra_dir``; a later rule with the same
    code replaces the earlier one (so an engineer can tune a built-in rule)."""
    by_code: dict[str, Rule] = {}
    for name, text in builtin_texts():
        for r in parse_pack(text, name):
            by_code[r.code] = r
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise InvalidInput(
                "the log rules folder {path} does not exist.", params={"path": str(extra_dir)}
            )
        for path in sorted(extra_dir.glob("*.yaml")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(
                    "rule file {file} cannot be read: {reason}",
                    params={"file": str(path), "reason": str(exc)},
                ) from exc
            for r in parse_pack(text, path.name):
                by_code[r.code] = r
    return RuleSet(list(by_code.values()))
