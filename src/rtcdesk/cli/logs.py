"""``rtcdesk logs FILE``: analyse an SDK or app log and print or save the report."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from rtcdesk.cli.diagnose import PROGRESS_MIN_BYTES, _write
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.core.i18n import environment_language
from rtcdesk.logs.parsers.timefix import offset_minutes


@click.command("logs")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "md"]),
    default="md",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-CN"]),
    default=lambda: environment_language(os.environ),
    show_default="from LC_ALL / LC_MESSAGES / LANG, else en",
    help="Report language.",
)  # fmt: skip
@click.option(
    "--tz",
    default=None,
    help="Zone of times the log writes without an offset, e.g. +08:00 (default: "
    "RTCDESK_LOG_DEFAULT_TZ, else UTC).",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of extra rule files (*.yaml); default RTCDESK_LOG_RULES_DIR.",
)
@click.option(
    "--max-mb", type=int, default=1024, show_default=True,
    help="Refuse logs larger than this (decompressed).",
)  # fmt: skip
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: for files of 5 MB and more on a terminal).",
)
def logs(
    file: Path,
    fmt: str,
    output: Path | None,
    lang: str,
    tz: str | None,
    rules_dir: Path | None,
    max_mb: int,
    progress: bool | None,
) -> None:
    """Analyse a Chromium, browser console, logcat, Apple, Windows/Electron or RTC SDK log.

    Missing years and dates are completed from the file's modification time (docs/logs.md).
    """
    from rtcdesk.config import Settings
    from rtcdesk.logs.engine import analyze_path, default_rules
    from rtcdesk.logs.render import render
    from rtcdesk.logs.rules import load_rules

    try:
        settings = Settings()
        offset = offset_minutes(tz if tz is not None else settings.log_default_tz)
        folder = rules_dir or settings.log_rules_dir
        rules = load_rules(folder) if folder is not None else default_rules()
        size = file.stat().st_size if file.is_file() else 0
        reference = datetime.fromtimestamp(file.stat().st_mtime, UTC) if size else datetime.now(UTC)
        show = progress if progress is not None else (
            size >= PROGRESS_MIN_BYTES and sys.stderr.isatty()
        )  # fmt: skip
        kwargs = {"reference": reference, "rules": rules, "tz_offset_min": offset,
                  "max_bytes": max_mb * 1024 * 1024}  # fmt: skip
        if show:
            with click.progressbar(length=1000, label="Analysing", file=sys.stderr) as bar:
                done = [0]

                def step(frac: float) -> None:
                    n = int(frac * 1000) - done[0]
                    if n > 0:
                        bar.update(n)
                        done[0] += n

                report = analyze_path(file, progress=step, **kwargs)  # type: ignore[arg-type]
        else:
            report = analyze_path(file, **kwargs)  # type: ignore[arg-type]
        text = render(report, fmt, lang)  # type: ignore[arg-type]
        if output is None:
            click.echo(text)
        else:
            _write(output, text)
            n = len(report.findings)
            click.echo(
                f"Report written to {output} ({n} finding{'' if n == 1 else 's'}).", err=True
            )
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
    except RtcdeskError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
