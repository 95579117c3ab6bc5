"""The background job that analyses a stored log, renders its reports and, for a ticket
attachment, posts an internal note with the findings, exactly like a dump diagnosis.

It takes self-service uploads (``kind='log'``, pending) and ticket attachments the dump
diagnosis marked "not a dump" (if the bytes are a log). Idempotent: the note is written in the
transaction that marks the report done. When the ticket has a finished dump diagnosis, its
finding windows are drawn on the log's timeline, on the same UTC axis.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics.jobs import note_text
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind, ReportStatus
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.logs.engine import analyze_bytes, default_rules, sniff_log
from rtcdesk.logs.parsers.timefix import offset_minutes
from rtcdesk.logs.render import render
from rtcdesk.logs.report import DumpWindow, LogReport
from rtcdesk.logs.rules import load_rules
from rtcdesk.logs.service import JOB_NAME, RENDER_FORMATS
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Channel, MessageKind, Status, Ticket
from rtcdesk.tickets.schemas import MessageCreate

log = logging.getLogger(__name__)

LOGS_ACTOR = Actor(kind=ActorKind.SYSTEM, id=None, name="rtcdesk log analysis")
MAX_DUMP_WINDOWS = 200


def register(registry: JobRegistry) -> None:
    """Register the log analysis job."""
    registry.job(JOB_NAME, max_attempts=3)(run_log_analysis)


def _wanted(row: DiagnosticReport | None, realign: bool = False) -> bool:
    if row is None:
        return False
    if realign:
        return row.kind == ReportKind.LOG and row.status is ReportStatus.DONE
    if row.kind == ReportKind.LOG:
        return row.status is ReportStatus.PENDING
    return row.status is ReportStatus.NOT_A_DUMP and row.ticket_id is not None


def run_log_analysis(ctx: JobContext) -> None:
    """Analyse the report's source file and store the outcome."""
    container = ctx.container
    report_id = int(ctx.payload["report_id"])
    realign = bool(ctx.payload.get("realign"))
    with container.uow(write=False) as uow:
        row = uow.session.get(DiagnosticReport, report_id)
        if row is None or not _wanted(row, realign):
            return
        sha, filename, created = row.source_sha256, row.filename, row.created_at
        from_dump_check = row.kind != ReportKind.LOG
        windows = _dump_windows(uow, container.files, row)
    data = container.files.read_bytes(sha)
    if from_dump_check and sniff_log(data, filename) is None:
        return  # neither a dump nor a log: it stays "not a dump"
    settings = container.settings
    folder = settings.log_rules_dir
    outcome: LogReport | None = None
    error: str | None = None
    try:
        rules = load_rules(folder) if folder is not None else default_rules()
        outcome = analyze_bytes(
            data,
            reference=created,
            filename=filename,
            rules=rules,
            tz_offset_min=offset_minutes(settings.log_default_tz),
        )
    except RtcdeskError as exc:  # the file's (or a rule file's) fault: say why, do not retry
        error = exc.message
    rendered: dict[str, str] = {}
    if outcome is not None:
        outcome.dump_windows = windows
        for kind, lang in RENDER_FORMATS:
            text = render(outcome, kind, lang)  # type: ignore[arg-type]
            rendered[f"{kind}:{lang}"] = container.files.put_bytes(text.encode("utf-8")).sha256
    if realign:
        _store_rendering(ctx, report_id, rendered)
    else:
        _finish(ctx, report_id, outcome, rendered, error)


def _store_rendering(ctx: JobContext, report_id: int, rendered: dict[str, str]) -> None:
    """Replace a finished log report's renderings (now with the dump's windows); no note."""
    if not rendered:
        return
    with ctx.container.uow() as uow:
        row = uow.session.get(DiagnosticReport, report_id)
        if row is None or not _wanted(row, realign=True):
            return
        row.rendered = rendered
        uow.commit()


def _dump_windows(uow: UnitOfWork, files: Any, row: DiagnosticReport) -> list[DumpWindow]:
    """Finding windows of the finished dump diagnoses of the same ticket (epoch ms)."""
    if row.ticket_id is None:
        return []
    stmt = select(DiagnosticReport).where(
        DiagnosticReport.ticket_id == row.ticket_id,
        DiagnosticReport.kind == ReportKind.DUMP.value,
        DiagnosticReport.status == ReportStatus.DONE,
    )
    out: list[DumpWindow] = []
    for dump in uow.session.scalars(stmt):
        sha = dump.rendered.get("json:en")
        if not sha:
            continue
        try:
            data = orjson.loads(files.read_bytes(sha))
        except (orjson.JSONDecodeError, OSError):
            log.warning("dump report %s: stored JSON unreadable", dump.id)
            continue
        for f in data.get("findings", []):
            for w in f.get("windows", []):
                start, end = w.get("start_ms"), w.get("end_ms")
                if isinstance(start, int | float) and isinstance(end, int | float):
                    out.append(
                        DumpWindow(float(start), float(end), str(f.get("code", "")),
                                   str(f.get("severity", "info")), dict(f.get("title", {})))
                    )  # fmt: skip
    return out[:MAX_DUMP_WINDOWS]


def _finish(
    ctx: JobContext,
    report_id: int,
    outcome: LogReport | None,
    rendered: dict[str, str],
    error: str | None,
) -> None:
    with ctx.container.uow() as uow:
        row = uow.session.get(DiagnosticReport, report_id)
        if row is None or not _wanted(row):
            return
        row.kind = ReportKind.LOG.value
        row.status = ReportStatus.DONE if outcome is not None else ReportStatus.FAILED
        row.dump_format = outcome.format if outcome else None
        row.error = error
        row.finished_at = uow.clock.now()
        if outcome is not None:
            row.summary = dict(outcome.summary)
            row.worst_severity = outcome.worst_severity()
            row.top_findings = [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "title": dict(f.title),
                    "cause": dict(f.cause),
                    "fixes": {lang: list(items) for lang, items in f.fixes.items()},
                    "first_line": f.first_line,
                }
                for f in outcome.top_findings(5)
            ]
            row.suggested_category = outcome.suggested_category()
            row.suggested_tags = outcome.suggested_tags()
            row.rendered = rendered
        if row.ticket_id is not None:
            row.note_message_id = _post_note(uow, row)
        uow.commit()


def _post_note(uow: UnitOfWork, row: DiagnosticReport) -> int | None:
    ticket = uow.session.get(Ticket, row.ticket_id)
    if ticket is None or ticket.status is Status.CLOSED or ticket.merged_into_id is not None:
        return None
    message = tickets.add_message(
        uow,
        LOGS_ACTOR,
        ticket.id,
        MessageCreate(body=note_text(row, ticket.language), kind=MessageKind.INTERNAL),
        channel=Channel.SYSTEM,
    )
    return message.id
