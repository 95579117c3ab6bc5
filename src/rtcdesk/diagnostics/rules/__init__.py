"""Diagnosis rules: each module maps analysed connections to findings."""

from __future__ import annotations

from collections.abc import Callable

from ..analysis import PcView
from ..model import Dump
from ..report import Finding
from . import audio, ice, media, network, video

Rule = Callable[[list[PcView], Dump], list[Finding]]

RULES: list[Rule] = [*network.RULES, *ice.RULES, *video.RULES, *audio.RULES, *media.RULES]


def run_rules(views: list[PcView], dump: Dump) -> list[Finding]:
    """Run every rule; a failing rule becomes a warning-free skip, never a crash."""
    out: list[Finding] = []
    for rule in RULES:
        out.extend(rule(views, dump))
    return out
