"""``rtcdesk diagnose FILE``: diagnose a WebRTC dump and print or save the report."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.core.i18n import environment_language

PROGRESS_MIN_BYTES = 5 * 1024 * 1024


@click.command("diagnose")
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
)
@click.option(
    "--max-mb",
    type=int,
    default=200,
    show_default=True,
    help="Refuse dumps larger than this (decompressed).",
)
def diagnose(file: Path, fmt: str, output: Path | None, lang: str, max_mb: int) -> None:
    """Diagnose a webrtc-internals, rtcstats or getStats() dump (plain or gzip)."""
    from rtcdesk.diagnostics.engine import diagnose_path
    from rtcdesk.diagnostics.render import render

    try:
        size = file.stat().st_size if file.exists() else 0
        if size >= PROGRESS_MIN_BYTES and sys.stderr.isatty():
            with click.progressbar(length=1000, label="Diagnosing", file=sys.stderr) as bar:
                done = [0]

                def progress(frac: float) -> None:
                    step = int(frac * 1000) - done[0]
                    if step > 0:
                        bar.update(step)
                        done[0] += step

                report = diagnose_path(file, max_bytes=max_mb * 1024 * 1024, progress=progress)
        else:
            report = diagnose_path(file, max_bytes=max_mb * 1024 * 1024)
        text = render(report, fmt, lang)  # type: ignore[arg-type]
        if output is None:
            click.echo(text)
        else:
            _write(output, text)
            n = len(report.findings)
            click.echo(
                f"Report written to {output} ({n} finding{'' if n == 1 else 's'}).", err=True
            )
    except RtcdeskError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)


def _write(output: Path, text: str) -> None:
    """Write the report, or say in one sentence why it cannot be written."""
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            "cannot write the report to {path}: {reason}.",
            params={"path": str(output), "reason": exc.strerror or str(exc)},
        ) from exc
