"""The literal words a regular expression cannot match without ("needles").

The engine finds candidate lines with one Aho-Corasick pass over the lower-cased text for the
needles of every pattern, then runs only the patterns whose needle occurs in the line. So each
pattern must contain a literal of at least ``MIN_NEEDLE`` characters on every path, e.g.
``NotAllowedError`` or ``(denied|revoked)``; ``\\d+ ms`` alone has none and is refused.
"""

from __future__ import annotations

import re._constants as sre_constants  # type: ignore[import-not-found,unused-ignore]
import re._parser as sre_parse  # type: ignore[import-not-found,unused-ignore]
from typing import Any

MIN_NEEDLE = 3
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)
_NEUTRAL = {sre_constants.AT}


# Words on most lines of RTC logs: a needle made only of one of them finds too many candidate
# lines, so another literal of the same pattern is preferred when there is one.
COMMON = frozenset(
    [
        "connection",
        "device",
        "encoder",
        "decoder",
        "failed",
        "error",
        "state",
        "audio",
        "video",
        "camera",
        "stream",
        "session",
        "engine",
        "track",
        "network",
        "channel",
        "create",
        "init",
        "peer",
        "port",
        "send",
        "sending",
        "received",
        "frame",
        "ice",
    ]
)


def _weight(x: str) -> int:
    return 2 if x.strip(" _.:") in COMMON else len(x)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if b is None:
        return a
    if a is None:
        return b
    ka = (min(_weight(x) for x in a), min(len(x) for x in a), -len(a))
    kb = (min(_weight(x) for x in b), min(len(x) for x in b), -len(b))
    return b if kb > ka else a


def _seq(items: Any) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if op in _NEUTRAL:
            continue
        if run:
            best = _better(best, frozenset({"".join(run).lower()}))
            run = []
        cands: frozenset[str] | None = None
        if op is sre_constants.SUBPATTERN:
            cands = _seq(av[-1])
        elif op is sre_constants.BRANCH:
            alts = [_seq(alt) for alt in av[1]]
            if alts and all(a is not None for a in alts):
                cands = frozenset().union(*[a for a in alts if a is not None])
        elif op in _REPEATS:
            lo, _hi, item = av
            if lo >= 1:
                cands = _seq(item)
        best = _better(best, cands)
    if run:
        best = _better(best, frozenset({"".join(run).lower()}))
    return best


def needles(pattern: str) -> frozenset[str] | None:
    """Lower-case literals one of which every match contains (None if there are none long
    enough)."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # the caller compiled it already; be safe anyway
        return None
    found = _seq(list(parsed))
    if found is None or min(len(x) for x in found) < MIN_NEEDLE:
        return None
    return found
