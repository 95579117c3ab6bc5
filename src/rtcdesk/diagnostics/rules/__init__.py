"""Diagnosis rules: each module maps analysed connections to findings."""

from __future__ import annotations

from collections.abc import Callable

from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.report import Finding
from rtcdesk.diagnostics.rules import audio, ice, media, network, playback, video

INTERNAL_ERROR = "internal error"
Rule = Callable[[list[PcView], Dump], list[Finding]]

RULES: list[Rule] = [
    *network.RULES,
    *ice.RULES,
    *video.RULES,
    *playback.RULES,
    *audio.RULES,
    *media.RULES,
]


def run_rules(views: list[PcView], dump: Dump) -> list[Finding]:
    """Run every rule; a rule that fails becomes a report warning, never a crash."""
    out: list[Finding] = []
    for rule in RULES:
        try:
            out.extend(rule(views, dump))
        except Exception as exc:
            dump.warnings.append(f"{INTERNAL_ERROR} in rule {rule.__name__}: {exc!r}"[:300])
    return out
