"""The launch timers: at the start the open tickets move onto the launch policies; at the
end they move back and the report is generated. Both are idempotent (a second run finds
the tickets already switched and the report already written)."""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.accounts.models import Agent
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.launches import guard, report
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.launches.service import END_JOB, START_JOB
from rtcdesk.oncall.models import Page
from rtcdesk.sla.models import SlaEvent
from rtcdesk.tickets.models import Ticket


def register(registry: JobRegistry) -> None:
    """Register the start and end timers."""
    registry.job(START_JOB)(run_start)
    registry.job(END_JOB)(run_end)


def run_start(ctx: JobContext) -> None:
    """The window opened: guard the organization's open tickets."""
    with ctx.container.uow() as uow:
        launch = uow.session.get(LaunchWindow, int(ctx.payload["launch_id"]))
        if launch is not None:
            guard.start(uow, launch)
        uow.commit()


def generate_report(uow: UnitOfWork, launch: LaunchWindow) -> None:
    """Compute and store the report of an ended launch (once)."""
    rows = uow.session.execute(
        select(
            Ticket.id,
            Ticket.subject,
            Ticket.priority,
            Ticket.created_at,
            Ticket.first_response_at,
            Ticket.solved_at,
        ).where(
            Ticket.organization_id == launch.organization_id,
            Ticket.created_at >= launch.starts_at,
            Ticket.created_at < launch.ends_at,
        )
    ).all()
    facts = [report.TicketFacts(i, s, p.value, c, f, v) for i, s, p, c, f, v in rows]
    breaches = uow.session.execute(
        select(SlaEvent.ticket_id, SlaEvent.target, SlaEvent.at)
        .join(Ticket, Ticket.id == SlaEvent.ticket_id)
        .where(
            Ticket.organization_id == launch.organization_id,
            SlaEvent.threshold == "breach",
            SlaEvent.at >= launch.starts_at,
            SlaEvent.at < launch.ends_at,
        )
    ).all()
    pages = uow.session.execute(
        select(
            Page.id,
            Page.ticket_id,
            Page.created_at,
            Page.acked_at,
            Agent.name,
            Page.escalations,
        )
        .join(Ticket, Ticket.id == Page.ticket_id)
        .outerjoin(Agent, Agent.id == Page.acked_by_agent_id)
        .where(
            Ticket.organization_id == launch.organization_id,
            Page.created_at >= launch.starts_at,
            Page.created_at < launch.ends_at,
        )
    ).all()
    launch.report = report.build(
        launch.starts_at,
        launch.ends_at,
        facts,
        [report.BreachFacts(t, target, at) for t, target, at in breaches],
        [report.PageFacts(*row) for row in pages],
    )
    launch.report_at = uow.clock.now()


def run_end(ctx: JobContext) -> None:
    """The window closed: release the tickets and write the report."""
    with ctx.container.uow() as uow:
        launch = uow.session.get(LaunchWindow, int(ctx.payload["launch_id"]))
        if launch is not None and guard.state_of(launch, uow.clock.now()) == "ended":
            guard.release_organization(uow, launch)
            if launch.report is None:
                generate_report(uow, launch)
        uow.commit()
