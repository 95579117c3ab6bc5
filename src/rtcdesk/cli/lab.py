"""``rtcdesk lab``: run weak-network scenarios in a real headless WebRTC call."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from rtcdesk.core.errors import RtcdeskError

F = TypeVar("F", bound=Callable[..., Any])


def _errors(func: F) -> F:
    """Turn rtcdesk errors into their message and exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RtcdeskError as exc:
            click.echo(exc.message, err=True)
            raise SystemExit(exc.exit_code) from exc

    return wrapper  # type: ignore[return-value]


@click.group()
def lab() -> None:
    """Reproduce a customer's network on a real WebRTC call (headless Chromium)."""


@lab.command("run")
@click.argument("scenario")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("lab-results"),
    show_default=True,
    help="Directory for the dump, label and summary.",
)
@click.option("--duration", type=float, default=None, help="Override the call length (seconds).")
@click.option("--no-namespace", is_flag=True, help="Use host loopback, not a network namespace.")
@click.option(
    "--dump-from",
    type=click.Choice(["internals", "getstats"]),
    default="internals",
    show_default=True,
    help="Take the dump from chrome://webrtc-internals or build it from getStats.",
)
@click.option(
    "--ticket",
    "ticket_id",
    type=int,
    default=None,
    help="Attach the dump, label and summary to this ticket as internal files with a note; "
    "the dump is then diagnosed automatically.",
)
@_errors
def run_cmd(
    scenario: str,
    out_dir: Path,
    duration: float | None,
    no_namespace: bool,
    dump_from: str,
    ticket_id: int | None,
) -> None:
    """Run SCENARIO (a preset name or a .yaml/.toml file) and print the summary."""
    from rtcdesk.lab.runner import run_scenario

    if ticket_id is not None:
        _check_ticket(ticket_id)

    result = run_scenario(
        scenario,
        out_dir,
        duration=duration,
        namespace=False if no_namespace else None,
        dump_from=dump_from,
    )
    click.echo(result.summary_text)
    click.echo(f"dump:    {result.dump_path}")
    click.echo(f"label:   {result.label_path}")
    click.echo(f"summary: {result.summary_path}")
    if ticket_id is not None:
        from rtcdesk.cli.database import open_container
        from rtcdesk.config import Settings

        container = open_container(Settings())
        try:
            attach_results(
                container,
                ticket_id,
                scenario=scenario,
                files=[result.dump_path, result.label_path, result.summary_path],
                summary_text=result.summary_text,
            )
        finally:
            container.dispose()
        click.echo(f"attached to ticket #{ticket_id}; the dump is being diagnosed")


LAB_ACTOR_NAME = "rtcdesk lab"


def _check_ticket(ticket_id: int) -> None:
    """Fail before a long call if the ticket cannot take the results."""
    from rtcdesk.accounts.access import SYSTEM
    from rtcdesk.cli.database import open_container
    from rtcdesk.config import Settings
    from rtcdesk.tickets.access import get_ticket

    container = open_container(Settings())
    try:
        with container.uow(write=False) as uow:
            get_ticket(uow, SYSTEM, ticket_id)
    finally:
        container.dispose()


def attach_results(
    container: Any, ticket_id: int, *, scenario: str, files: list[Path], summary_text: str
) -> int:
    """Attach a lab run's files to a ticket with an internal note; returns the note's id."""
    from rtcdesk.accounts.access import Actor
    from rtcdesk.accounts.models import ActorKind
    from rtcdesk.tickets import service
    from rtcdesk.tickets.models import Channel, MessageKind
    from rtcdesk.tickets.schemas import MessageCreate

    actor = Actor(kind=ActorKind.SYSTEM, id=None, name=LAB_ACTOR_NAME)
    with container.uow() as uow:
        ids = []
        for path in files:
            with path.open("rb") as stream:
                attachment = service.add_attachment(
                    uow,
                    actor,
                    container.files,
                    ticket_id,
                    filename=path.name,
                    stream=stream,
                    internal=True,
                )
            ids.append(attachment.id)
        body = f"Weak-network lab run: {scenario}\n\n{summary_text}"
        note = service.add_message(
            uow,
            actor,
            ticket_id,
            MessageCreate(body=body[:190_000], kind=MessageKind.INTERNAL, attachment_ids=ids),
            channel=Channel.SYSTEM,
        )
        uow.commit()
        return note.id


@lab.command("presets")
@_errors
def presets_cmd() -> None:
    """List the shipped presets with a one-line description."""
    from rtcdesk.lab.presets import load_preset, preset_names

    names = preset_names()
    width = max(len(n) for n in names)
    for name in names:
        click.echo(f"{name:<{width}}  {load_preset(name).description}")


@lab.command("show")
@click.argument("scenario")
@_errors
def show_cmd(scenario: str) -> None:
    """Validate SCENARIO and print it as the lab understood it (YAML)."""
    import yaml

    from rtcdesk.lab.findings import derive_expected
    from rtcdesk.lab.presets import resolve_scenario
    from rtcdesk.lab.scenario import scenario_to_dict

    sc = resolve_scenario(scenario)
    data = scenario_to_dict(sc)
    data["expected_findings"], data["absent_findings"] = derive_expected(sc)
    click.echo(yaml.safe_dump(data, sort_keys=False))


@lab.command("fixtures")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the set (default: tests/fixtures/lab of this checkout).",
)
@click.option("--only", multiple=True, help="Regenerate only these presets.")
@click.option("--relabel", is_flag=True, help="Only recompute the labels' findings; run no calls.")
@_errors
def fixtures_cmd(out_dir: Path | None, only: tuple[str, ...], relabel: bool) -> None:
    """Regenerate the committed fixture set of dumps and labels."""
    from rtcdesk.lab import fixtures

    target = out_dir or fixtures.default_fixture_dir()
    lines = (
        fixtures.relabel(target)
        if relabel
        else fixtures.regenerate(target, only=list(only) or None)
    )
    for line in lines:
        click.echo(line)
