"""``rtcdesk oncall now|shifts``: who is on call, and the shifts ahead (registered in main)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.cli.database import open_container
from rtcdesk.config import Settings
from rtcdesk.core.errors import NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import queries, service
from rtcdesk.oncall.models import Schedule
from rtcdesk.oncall.rotation import MAX_WINDOW


def _container(ctx: click.Context) -> Container:
    found = ctx.find_object(Container)
    if found is not None:
        return found
    container = open_container(Settings())
    ctx.call_on_close(container.dispose)
    ctx.find_root().obj = container
    return container


def _named(uow: UnitOfWork, name: str) -> Schedule:
    row = queries.schedule_named(uow, SYSTEM, name)
    if row is None:
        raise NotFound("no on-call schedule named {name!r}", params={"name": name})
    return row


def _local(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %a %H:%M")


@click.group("oncall")
def oncall() -> None:
    """On-call schedules: who is on call now or at a time, and the shifts ahead."""


@oncall.command("now")
@click.option("--schedule", "name", default=None, help="One schedule by name (default: all).")
@click.option("--at", "at_text", default=None, help="An ISO 8601 time with a zone (default: now).")
@click.pass_context
def now(ctx: click.Context, name: str | None, at_text: str | None) -> None:
    """Who is on call, per layer, and the escalation order (layers, then the manager)."""
    with _container(ctx).uow(write=False) as uow:
        at = service.parse_instant(at_text, "at") if at_text else uow.clock.now()
        rows = [_named(uow, name)] if name else queries.schedules(uow, SYSTEM)
        if not rows:
            click.echo("no on-call schedules yet")
        for row in rows:
            answer = queries.on_call(uow, SYSTEM, row, at)
            click.echo(f"{row.name} ({row.timezone}) at {_local(at, row.timezone)}")
            for entry in answer.layers:
                if entry.shift is None:
                    click.echo(f"  {entry.layer.position + 1}. {entry.layer.name}: nobody")
                    continue
                agent = answer.agents[entry.shift.agent_id]
                cover = " (override)" if entry.shift.override_id else ""
                until = _local(entry.shift.end, row.timezone)
                click.echo(
                    f"  {entry.layer.position + 1}. {entry.layer.name}: {agent.name} "
                    f"<{agent.email}>{cover} until {until}"
                )
            order = " -> ".join(answer.agents[r.agent_id].name for r in answer.escalation)
            click.echo(f"  escalation: {order or 'nobody'}")
            if not answer.covered:
                click.echo("  nobody is on call on any layer")


@oncall.command("shifts")
@click.option("--schedule", "name", required=True, help="The schedule's name.")
@click.option("--days", type=click.IntRange(1, MAX_WINDOW.days), default=14, show_default=True)
@click.option(
    "--from", "from_text", default=None, help="Start, ISO 8601 with a zone (default: now)."
)
@click.pass_context
def shifts(ctx: click.Context, name: str, days: int, from_text: str | None) -> None:
    """The final shifts (overrides applied) of a schedule, in its own time zone."""
    with _container(ctx).uow(write=False) as uow:
        row = _named(uow, name)
        start = service.parse_instant(from_text, "from") if from_text else uow.clock.now()
        found, agents = queries.shift_list(uow, SYSTEM, row, start, start + timedelta(days=days))
        layers = {layer.id: layer for layer in row.layers}
        click.echo(f"{row.name}: {days} days from {_local(start, row.timezone)} ({row.timezone})")
        for shift in found:
            layer = layers[shift.layer_id]
            cover = "  (override)" if shift.override_id else ""
            click.echo(
                f"  {layer.position + 1}. {layer.name:<16} {_local(shift.start, row.timezone)} -> "
                f"{_local(shift.end, row.timezone)}  {agents[shift.agent_id].name}{cover}"
            )
        if not found:
            click.echo("  no shifts in this window")
