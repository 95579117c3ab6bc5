"""Scenario files: what to inject into a lab call, when, and in which direction.

A scenario is a YAML (or TOML) mapping written by a support engineer. It is checked
strictly: unknown keys, values out of range and overlapping phases of the same kind
are all reported together, each with the path of the offending entry.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from rtcdesk.core.errors import InvalidInput

DIRECTIONS = ("uplink", "downlink")
Param = float | int | bool

# kind -> {param: (default or None if required, minimum, maximum)}
_Spec = dict[str, tuple[Param | None, float, float]]
NETWORK_KINDS: dict[str, _Spec] = {
    "loss": {"rate": (None, 0.0, 1.0)},
    "burst_loss": {
        "p": (None, 0.0, 1.0),
        "r": (None, 0.001, 1.0),
        "loss_good": (0.0, 0.0, 1.0),
        "loss_bad": (1.0, 0.0, 1.0),
    },
    "delay": {"ms": (None, 0.0, 10_000.0)},
    "jitter": {"ms": (None, 0.0, 5_000.0), "reorder": (False, 0, 1)},
    "bandwidth": {
        "kbps": (None, 8.0, 1_000_000.0),
        "queue_ms": (300.0, 1.0, 10_000.0),
        "burst_bytes": (4_000, 1_500, 1_000_000),
    },
    "blackout": {},
    "block": {},
}
APP_KINDS: dict[str, _Spec] = {
    "mic_muted": {},
    "camera_stopped": {},
    "av_drift": {"video_delay_ms": (1_500.0, 50.0, 10_000.0)},
    "cpu_starvation": {"cpu_percent": (5.0, 1.0, 100.0), "workers": (0, 0, 64)},
}
_COMMON = {"kind", "direction", "start_s", "end_s", "duration_s"}
_TOP = {
    "name",
    "description",
    "duration_s",
    "seed",
    "impairments",
    "app_faults",
    "expected_findings",
    "absent_findings",
}


@dataclass(frozen=True)
class Phase:
    """One impairment or application fault active on ``[start_s, end_s)``."""

    kind: str
    start_s: float
    end_s: float | None
    params: dict[str, Param] = field(default_factory=dict)
    direction: str | None = None  # uplink/downlink for network phases, None for app faults

    def active(self, t: float) -> bool:
        """Whether the phase is in force at scenario time ``t``."""
        return self.start_s <= t and (self.end_s is None or t < self.end_s)

    def end_or(self, duration: float) -> float:
        """The phase end, or the call duration when it runs to the end."""
        return duration if self.end_s is None else min(self.end_s, duration)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the call length, seed and the phases to inject."""

    name: str
    description: str
    duration_s: float
    seed: int
    impairments: tuple[Phase, ...]
    app_faults: tuple[Phase, ...]
    expected_findings: tuple[str, ...] | None = None
    absent_findings: tuple[str, ...] | None = None

    def with_duration(self, duration_s: float) -> Scenario:
        """A copy with another call length (phases are kept as written)."""
        return Scenario(
            self.name,
            self.description,
            duration_s,
            self.seed,
            self.impairments,
            self.app_faults,
            self.expected_findings,
            self.absent_findings,
        )

    def for_direction(self, direction: str) -> tuple[Phase, ...]:
        """The network phases that apply to one direction."""
        return tuple(p for p in self.impairments if p.direction == direction)


def parse_scenario(text: str, *, source: str = "<scenario>", toml: bool = False) -> Scenario:
    """Parse scenario text (YAML by default) and validate it."""
    try:
        data = tomllib.loads(text) if toml else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(
            "{source}: not valid {syntax}: {problem}",
            params={"source": source, "syntax": "TOML" if toml else "YAML", "problem": str(exc)},
        ) from exc
    return validate_scenario(data, source=source)


def validate_scenario(data: object, *, source: str = "<scenario>") -> Scenario:
    """Check a decoded scenario mapping; raise InvalidInput listing every problem."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise InvalidInput(
            "{source}: a scenario must be a mapping of keys to values", params={"source": source}
        )
    for key in sorted(set(data) - _TOP):
        errors.append(f"{key}: unknown key (allowed: {', '.join(sorted(_TOP))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append("name: required, a non-empty string")
        name = "unnamed"
    duration = _number(data, "duration_s", 20.0, 3.0, 600.0, "", errors)
    seed = data.get("seed", 1)
    if not isinstance(seed, int) or isinstance(seed, bool):
        errors.append("seed: must be an integer")
        seed = 1
    impairments = _phases(data.get("impairments", []), "impairments", NETWORK_KINDS, errors)
    faults = _phases(data.get("app_faults", []), "app_faults", APP_KINDS, errors)
    _check_overlaps(impairments, "impairments", errors)
    _check_overlaps(faults, "app_faults", errors)
    for i, ph in enumerate(faults):
        if ph.kind == "camera_stopped" and ph.end_s is not None:
            errors.append(f"app_faults[{i}].end_s: a stopped camera cannot restart; omit end_s")
    expected = _codes(data, "expected_findings", errors)
    absent = _codes(data, "absent_findings", errors)
    if errors:
        raise InvalidInput(
            "{source}: invalid scenario:\n  {problems}",
            params={"source": source, "problems": "\n  ".join(errors)},
            details={"errors": errors},
        )
    return Scenario(
        name=str(name),
        description=str(data.get("description", "")),
        duration_s=duration,
        seed=int(seed),
        impairments=tuple(impairments),
        app_faults=tuple(faults),
        expected_findings=expected,
        absent_findings=absent,
    )


def _number(
    data: Mapping[str, Any],
    key: str,
    default: float | None,
    low: float,
    high: float,
    where: str,
    errors: list[str],
) -> float:
    value = data.get(key, default)
    if value is None:
        errors.append(f"{where}{key}: required")
        return low
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(f"{where}{key}: must be a number (got {value!r})")
        return low
    if not low <= float(value) <= high:
        errors.append(f"{where}{key}: must be between {low:g} and {high:g} (got {value!r})")
    return float(value)


def _phases(raw: object, section: str, kinds: dict[str, _Spec], errors: list[str]) -> list[Phase]:
    if not isinstance(raw, list):
        errors.append(f"{section}: must be a list")
        return []
    out: list[Phase] = []
    network = section == "impairments"
    for i, item in enumerate(raw):
        where = f"{section}[{i}]."
        if not isinstance(item, Mapping):
            errors.append(f"{section}[{i}]: must be a mapping")
            continue
        kind = item.get("kind")
        if kind not in kinds:
            errors.append(f"{where}kind: must be one of {', '.join(kinds)} (got {kind!r})")
            continue
        spec = kinds[kind]
        allowed = set(spec) | _COMMON
        if not network:
            allowed.discard("direction")
        for key in sorted(set(item) - allowed):
            errors.append(f"{where}{key}: unknown key for {kind} (allowed: {sorted(allowed)})")
        start = _number(item, "start_s", 0.0, 0.0, 3600.0, where, errors)
        end = _phase_end(item, start, where, errors)
        params = _params(item, spec, where, errors)
        if kind == "blackout" and end is None:
            errors.append(f"{where}: a blackout needs end_s or duration_s (use 'block' for ever)")
        if not network:
            out.append(Phase(kind, start, end, params))
            continue
        direction = item.get("direction", "both")
        if direction not in (*DIRECTIONS, "both"):
            errors.append(f"{where}direction: must be uplink, downlink or both (got {direction!r})")
            continue
        for d in DIRECTIONS if direction == "both" else (direction,):
            out.append(Phase(kind, start, end, params, d))
    return out


def _phase_end(
    item: Mapping[str, Any], start: float, where: str, errors: list[str]
) -> float | None:
    if "end_s" in item and "duration_s" in item:
        errors.append(f"{where}: give end_s or duration_s, not both")
        return None
    if item.get("duration_s") is not None:
        return start + _number(item, "duration_s", None, 0.1, 3600.0, where, errors)
    if item.get("end_s") is None:
        return None
    end = _number(item, "end_s", None, 0.0, 3600.0, where, errors)
    if end <= start:
        errors.append(f"{where}end_s: must be after start_s ({end:g} <= {start:g})")
    return end


def _params(
    item: Mapping[str, Any], spec: _Spec, where: str, errors: list[str]
) -> dict[str, Param]:
    params: dict[str, Param] = {}
    for key, (default, low, high) in spec.items():
        if isinstance(default, bool):
            value = item.get(key, default)
            if not isinstance(value, bool):
                errors.append(f"{where}{key}: must be true or false (got {value!r})")
            params[key] = bool(value)
            continue
        number = _number(item, key, default, low, high, where, errors)
        params[key] = int(number) if isinstance(default, int) else number
    return params


def _check_overlaps(phases: list[Phase], section: str, errors: list[str]) -> None:
    seen: dict[tuple[str, str | None], list[Phase]] = {}
    for ph in phases:
        seen.setdefault((ph.kind, ph.direction), []).append(ph)
    for (kind, direction), group in seen.items():
        group.sort(key=lambda p: p.start_s)
        for a, b in itertools.pairwise(group):
            if a.end_s is None or a.end_s > b.start_s:
                end = "the end of the call" if a.end_s is None else f"{a.end_s:g}s"
                where = f" ({direction})" if direction else ""
                errors.append(
                    f"{section}: two '{kind}' phases overlap{where}: one runs "
                    f"{a.start_s:g}s to {end}, the next starts at {b.start_s:g}s; "
                    "merge them or make the first end before the second starts"
                )


def _codes(data: Mapping[str, Any], key: str, errors: list[str]) -> tuple[str, ...] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{key}: must be a list of finding codes")
        return None
    from rtcdesk.lab.findings import FINDING_CODES

    for code in value:
        if code not in FINDING_CODES:
            errors.append(f"{key}: unknown finding code {code!r}")
    return tuple(value)


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a file-format mapping; ``validate_scenario`` reads it back unchanged."""
    data: dict[str, Any] = {
        "name": scenario.name,
        "description": scenario.description,
        "duration_s": scenario.duration_s,
        "seed": scenario.seed,
        "impairments": [_phase_dict(p) for p in scenario.impairments],
        "app_faults": [_phase_dict(p) for p in scenario.app_faults],
    }
    if scenario.expected_findings is not None:
        data["expected_findings"] = list(scenario.expected_findings)
    if scenario.absent_findings is not None:
        data["absent_findings"] = list(scenario.absent_findings)
    return data


def _phase_dict(phase: Phase) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": phase.kind, "start_s": phase.start_s}
    if phase.direction is not None:
        item["direction"] = phase.direction
    if phase.end_s is not None:
        item["end_s"] = phase.end_s
    item.update(phase.params)
    return item
