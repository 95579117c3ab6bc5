"""Public entry points: sniff a file, diagnose bytes or a path into a Report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from rtcdesk.core.errors import InvalidInput, RtcdeskError, TooLarge, UnsupportedFormat
from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import analyse
from rtcdesk.diagnostics.facts import charts, pc_facts
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.parsers.common import DEFAULT_MAX_BYTES, UNNAMED, decompress, megabytes
from rtcdesk.diagnostics.parsers.detect import detect, parse
from rtcdesk.diagnostics.report import SEVERITY_RANK, Evidence, Finding, Report, Scores, Window
from rtcdesk.diagnostics.rules import run_rules
from rtcdesk.diagnostics.rules.causes import explain
from rtcdesk.diagnostics.scores import call_scores
from rtcdesk.diagnostics.texts import make_finding

FORMAT_NAMES = ("webrtc-internals", "rtcstats-jitsi", "rtcstats-v3", "getstats")


def sniff(data: bytes, filename: str | None = None) -> str | None:
    """Format name if ``data`` (plain or gzip) looks like a diagnosable dump, else None."""
    try:
        return detect(data, filename)
    except Exception:
        return None


def diagnose_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    progress: Callable[[float], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Parse and diagnose one dump given as bytes (gzip or plain).

    Every error names the file: the parsers raise templates with a ``{name}`` field, which is
    filled in here with ``filename`` (CLI, portal, API and the ticket job all come through).
    """
    try:
        return _diagnose_bytes(data, filename, progress, max_bytes)
    except RtcdeskError as exc:
        named = with_file_name(exc, filename)
        if named is exc:
            raise
        raise named from exc


def with_file_name(exc: RtcdeskError, filename: str | None) -> RtcdeskError:
    """``exc`` with its ``{name}`` field set to ``filename`` (unchanged without one)."""
    if not filename or "name" not in exc.params:
        return exc
    return type(exc)(
        exc.template,
        params={**exc.params, "name": filename},
        details=exc.details,
        field=exc.field,
    )


def _diagnose_bytes(
    data: bytes,
    filename: str | None,
    progress: Callable[[float], None] | None,
    max_bytes: int,
) -> Report:
    if not data.strip():
        raise InvalidInput("{name} is empty.", params={"name": UNNAMED})
    text, warnings = decompress(data, max_bytes)
    if not text.strip():
        raise InvalidInput("{name} is empty.", params={"name": UNNAMED})
    fmt = detect(text, filename)
    if fmt is None:
        raise UnsupportedFormat(
            "{name} is not a WebRTC dump we can read. Supported: chrome://webrtc-internals "
            "dumps, rtcstats dumps (Jitsi and rtcstats.com) and getStats() JSON series.",
            params={"name": UNNAMED},
        )
    try:
        dump = parse(text, fmt, progress)
    except RtcdeskError as exc:
        if warnings:
            raise InvalidInput(
                "{name} could not be read: {problem} ({warnings})",
                params={"name": UNNAMED, "problem": exc.message, "warnings": "; ".join(warnings)},
            ) from exc
        raise
    except RecursionError as exc:
        raise InvalidInput(
            "{name} nests JSON too deeply to be a WebRTC dump.", params={"name": UNNAMED}
        ) from exc
    dump.warnings[:0] = warnings
    report = diagnose_dump(dump)
    if progress is not None:
        progress(1.0)
    return report


def diagnose_path(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[float], None] | None = None,
) -> Report:
    """Diagnose a dump file on disk."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InvalidInput("{name} is a directory, not a dump file.", params={"name": str(p)})
        size = p.stat().st_size
        if size > max_bytes:
            raise TooLarge(
                "{name} is {size} MB; the limit is {limit} MB.",
                params={"name": p.name, "size": megabytes(size), "limit": megabytes(max_bytes)},
            )
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInput("{name} does not exist.", params={"name": str(p)}) from exc
    except OSError as exc:
        raise InvalidInput(
            "{name} cannot be read: {reason}.",
            params={"name": str(p), "reason": exc.strerror or str(exc)},
        ) from exc
    return diagnose_bytes(data, filename=p.name, progress=progress, max_bytes=max_bytes)


def diagnose_dump(dump: Dump) -> Report:
    """Analyse an already parsed Dump into a Report."""
    with np.errstate(all="ignore"):  # non-finite results are filtered where they matter
        views = analyse(dump)
        findings = explain(run_rules(views, dump))
        scores = call_scores(views)
        charts_ = charts(views, findings)
    findings += _score_findings(scores)
    for f in findings:
        f.windows = merge_windows(f.windows)
    findings.sort(
        key=lambda f: (
            -SEVERITY_RANK[f.severity],
            CATEGORY_ORDER.get(f.category, 99),
            f.windows[0].start_ms if f.windows else 0.0,
        )
    )
    starts = [v.start for v in views if v.end > v.start]
    ends = [v.end for v in views if v.end > v.start]
    if not dump.peer_connections:
        dump.warnings.append("The dump contains no peer connections.")
    elif not any(pc.stats for pc in dump.peer_connections.values()):
        dump.warnings.append("No stats in any peer connection; only events were analysed.")
    return Report(
        format=dump.format,
        summary=summarize(findings, scores),
        findings=findings,
        scores=scores,
        pcs=[pc_facts(v) for v in views],
        media_constraints=[
            {"kind": r.kind, "ts": r.ts, "audio": r.audio, "video": r.video, "error": r.error}
            for r in dump.media_requests
        ][:50],
        user_agent=dump.user_agent,
        start_ms=min(starts) if starts else 0.0,
        end_ms=max(ends) if ends else 0.0,
        warnings=dump.warnings[:100],
        charts=charts_,
    )


def merge_windows(ws: list[Window], gap_ms: float = 1000.0) -> list[Window]:
    """Sort windows and merge those overlapping or closer than ``gap_ms``."""
    out: list[Window] = []
    for w in sorted(ws, key=lambda w: w.start_ms):
        if out and w.start_ms <= out[-1].end_ms + gap_ms:
            out[-1] = Window(out[-1].start_ms, max(out[-1].end_ms, w.end_ms))
        else:
            out.append(Window(w.start_ms, w.end_ms))
    return out


def _score_findings(scores: Scores) -> list[Finding]:
    out: list[Finding] = []
    for which, zh, value, warn, err in (
        ("audio MOS", "音频 MOS ", scores.audio_mos, th.MOS_WARN, th.MOS_ERROR),
        ("video", "视频", scores.video_score, th.VIDEO_SCORE_WARN, th.VIDEO_SCORE_ERROR),
    ):
        if value is None or value >= warn:
            continue
        vals = [
            (i, i.audio_mos if which == "audio MOS" else i.video_score) for i in scores.intervals
        ]
        bad = [i for i, x in vals if x is not None and x < warn]
        out.append(
            make_finding(
                "quality.low_score",
                "error" if value < err else "warning",
                params={
                    "which": which,
                    "which_zh": zh,
                    "value": f"{value:.2f}",
                    "threshold": f"{warn:.1f}",
                },
                windows=[Window(i.start_ms, i.end_ms) for i in bad][:50],
                evidence=[Evidence(f"call {which} score", value, "1-5", "scores.intervals", warn)],
                variant=which.split()[0],
            )
        )
    return out


def _lower_first(title: str) -> str:
    """'Video freezes' -> 'video freezes', but keep acronyms such as 'ICE' intact."""
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


# At equal severity, causes before symptoms: the summary should name the root first.
CATEGORY_ORDER = {
    c: i
    for i, c in enumerate(
        ("ice", "network", "cpu", "config", "media", "audio", "video", "sync", "quality")
    )
}


def summarize(findings: list[Finding], scores: Scores) -> dict[str, str]:
    """One or two sentences a customer understands, in English and Chinese."""
    serious = [f for f in findings if f.rank >= SEVERITY_RANK["warning"]]
    mos = f" Audio quality score (MOS): {scores.audio_mos:.1f} of 4.5." if scores.audio_mos else ""
    mos_zh = f"音频质量评分（MOS）：{scores.audio_mos:.1f}/4.5。" if scores.audio_mos else ""
    if not serious:
        return {
            "en": "No problems found: the call looks healthy." + mos,
            "zh-CN": "未发现问题：通话状况良好。" + mos_zh,
        }
    main = serious[0]
    rest: list[dict[str, str]] = []
    for f in serious[1:]:
        if f.title != main.title and f.title not in rest:
            rest.append(f.title)
    rest = rest[:2]
    en = f"Main problem: {_lower_first(main.title['en'])}."
    zh = f"主要问题：{main.title['zh-CN']}。"
    if rest:
        en += " Also: " + "; ".join(_lower_first(r["en"]) for r in rest) + "."
        zh += "另外：" + "；".join(r["zh-CN"] for r in rest) + "。"
    return {"en": en + mos, "zh-CN": zh + mos_zh}
