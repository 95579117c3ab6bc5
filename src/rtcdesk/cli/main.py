"""The ``rtcdesk`` command line. Commands call services only; errors map to exit codes here."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import click

from rtcdesk.bootstrap import Container
from rtcdesk.cli.database import open_container, require_database
from rtcdesk.config import Settings
from rtcdesk.core.errors import RtcdeskError


class RtcdeskGroup(click.Group):
    """A click group that turns rtcdesk errors into a message and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; print RtcdeskError messages instead of tracebacks."""
        try:
            return super().invoke(ctx)
        except RtcdeskError as exc:
            click.echo(f"error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


def container_for(ctx: click.Context, *, create: bool = False) -> Container:
    """The container for this invocation, built once from the RTCDESK_* environment.

    Without ``create`` a missing or empty database stops the command with one sentence.
    """
    found = ctx.find_object(Container)
    if found is not None:
        return found
    container = open_container(Settings(), create=create)
    ctx.call_on_close(container.dispose)
    root = ctx.find_root()
    root.obj = container
    return container


@click.group(cls=RtcdeskGroup)
@click.version_option(package_name="rtcdesk")
def main() -> None:
    """rtcdesk: technical support for real-time audio/video vendors.

    Configuration comes from RTCDESK_* environment variables (see docs/deployment.md);
    with none set, data lives on SQLite in $XDG_DATA_HOME/rtcdesk (~/.local/share/rtcdesk).
    Start with `rtcdesk db upgrade` (empty) or `rtcdesk demo` (demo data).
    """


@main.group("db")
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create or migrate the schema to the newest version."""
    from rtcdesk.db.migrate import current_revision, upgrade

    container = container_for(ctx, create=True)
    upgrade(container.engine)
    click.echo(f"database at revision {current_revision(container.engine)}")


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has data.")
@click.pass_context
def demo(ctx: click.Context, if_empty: bool) -> None:
    """Load the named demo dataset (organizations, agents, ~300 tickets)."""
    from rtcdesk.db.engine import refresh_statistics
    from rtcdesk.db.migrate import upgrade
    from rtcdesk.demo.dataset import DEMO_PASSWORD, has_data, load_demo

    container = container_for(ctx, create=True)
    upgrade(container.engine)
    if if_empty and has_data(container):
        click.echo("the database already has data; demo not loaded")
        return
    summary = load_demo(container)
    refresh_statistics(container.engine)
    click.echo(
        f"demo loaded: {summary.organizations} organizations, {summary.contacts} contacts, "
        f"{summary.agents} agents, {summary.tickets} tickets"
    )
    click.echo(f"sign in with any demo account; the password is {DEMO_PASSWORD!r}")


@main.command("serve")
@click.option("--host", default=None, help="Address to listen on (RTCDESK_HOST).")
@click.option("--port", type=int, default=None, help="Port (RTCDESK_PORT).")
@click.option("--workers", type=int, default=None, help="Web processes (RTCDESK_WEB_WORKERS).")
@click.option(
    "--with-worker/--no-worker",
    default=None,
    help="Also run a job worker as a child process (default: RTCDESK_RUN_WORKER_IN_PROCESS).",
)
def serve(
    host: str | None, port: int | None, workers: int | None, with_worker: bool | None
) -> None:
    """Serve the web app (granian) and, on the embedded default, a job worker beside it."""
    from granian import Granian
    from granian.constants import Interfaces

    settings = Settings()
    require_database(settings)
    host = host or settings.host
    port = port or settings.port
    run_worker = settings.run_worker_in_process if with_worker is None else with_worker
    child = None
    if run_worker:
        child = subprocess.Popen([sys.executable, "-m", "rtcdesk", "worker"], env=os.environ.copy())
    click.echo(f"rtcdesk listening on http://{host}:{port}/")
    try:
        Granian(
            "rtcdesk.app:create_default_app",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers or settings.web_workers,
            factory=True,
            log_access=False,
        ).serve()
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=35)
            except subprocess.TimeoutExpired:
                child.kill()


@main.group("user")
def user() -> None:
    """Agents and contacts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice(["admin", "manager", "agent", "tam", "contact"]),
    default="agent",
    show_default=True,
    help="An agent role, or 'contact' for a customer developer.",
)
@click.option("--organization-id", type=int, default=None, help="Required for contacts.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.pass_context
def user_create(
    ctx: click.Context,
    email: str,
    name: str,
    role: str,
    organization_id: int | None,
    password: str,
) -> None:
    """Create an agent (any role) or a contact who can sign in."""
    from rtcdesk.accounts import service
    from rtcdesk.accounts.access import SYSTEM
    from rtcdesk.accounts.models import AgentRole
    from rtcdesk.accounts.schemas import AgentCreate, ContactCreate
    from rtcdesk.core.errors import InvalidInput
    from rtcdesk.core.validation import validated

    if len(password) < 8:
        raise InvalidInput("the password needs at least 8 characters")
    with container_for(ctx).uow() as uow:
        if role == "contact":
            if organization_id is None:
                raise InvalidInput("a contact needs --organization-id")
            contact = service.create_contact(
                uow,
                SYSTEM,
                validated(
                    ContactCreate(
                        organization_id=organization_id, email=email, name=name, password=password
                    )
                ),
            )
            uow.commit()
            click.echo(f"contact {contact.id} created: {contact.email}")
            return
        agent = service.create_agent(
            uow,
            SYSTEM,
            validated(AgentCreate(email=email, name=name, role=AgentRole(role), password=password)),
        )
        uow.commit()
        click.echo(f"agent {agent.id} created: {agent.email} ({agent.role.value})")


@main.group("token")
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--agent-email", default=None, help="Create an agent token for this agent.")
@click.option("--organization-id", type=int, default=None, help="Create an organization token.")
@click.pass_context
def token_create(
    ctx: click.Context, name: str, agent_email: str | None, organization_id: int | None
) -> None:
    """Issue an API token and print its secret (shown only this once)."""
    from sqlalchemy import select

    from rtcdesk.accounts import service
    from rtcdesk.accounts.access import SYSTEM
    from rtcdesk.accounts.models import Agent, TokenKind
    from rtcdesk.accounts.schemas import TokenCreate
    from rtcdesk.core.errors import InvalidInput, NotFound
    from rtcdesk.core.validation import validated

    if (agent_email is None) == (organization_id is None):
        raise InvalidInput("give exactly one of --agent-email or --organization-id")
    with container_for(ctx).uow() as uow:
        if agent_email is not None:
            agent = uow.session.scalar(select(Agent).where(Agent.email == agent_email.lower()))
            if agent is None:
                raise NotFound(
                    "no agent with email {agent_email}", params={"agent_email": agent_email}
                )
            data = TokenCreate(kind=TokenKind.AGENT, name=name, agent_id=agent.id)
        else:
            data = TokenCreate(
                kind=TokenKind.ORGANIZATION, name=name, organization_id=organization_id
            )
        row, secret = service.create_token(uow, SYSTEM, validated(data))
        uow.commit()
    click.echo(f"token {row.id} ({row.kind.value}): {secret}")


@token.command("revoke")
@click.argument("token_id", type=int)
@click.pass_context
def token_revoke(ctx: click.Context, token_id: int) -> None:
    """Revoke an API token."""
    from rtcdesk.accounts import service
    from rtcdesk.accounts.access import SYSTEM

    with container_for(ctx).uow() as uow:
        service.revoke_token(uow, SYSTEM, token_id)
        uow.commit()
    click.echo(f"token {token_id} revoked")


def _register_package_commands() -> None:
    """Commands that live beside their packages (jobs, diagnostics, logs, lab, on-call,
    search, email)."""
    from rtcdesk.cli.diagnose import diagnose
    from rtcdesk.cli.email import email
    from rtcdesk.cli.jobs import jobs, worker
    from rtcdesk.cli.lab import lab
    from rtcdesk.cli.logs import logs
    from rtcdesk.cli.oncall import oncall
    from rtcdesk.cli.search import search

    for command in (worker, jobs, diagnose, logs, lab, oncall, search, email):
        main.add_command(command)


_register_package_commands()
