"""SLA background jobs: a threshold timer coming due, and recomputing many tickets.

``sla.threshold`` is the keyed timer of one clock's warning point or breach. It recomputes
the clock (the ticket may have moved since the timer was set) and, when the threshold is
really reached, records it in ``sla_events`` with a unique constraint: of two workers that
race on the same timer, only the one whose insert won writes the history entry and calls
the reactions, in the same transaction as the record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.sla import tracking
from rtcdesk.sla.data import Target
from rtcdesk.sla.handlers import RECOMPUTE_JOB
from rtcdesk.sla.models import TicketSla
from rtcdesk.sla.reactions import ThresholdReached
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Ticket
from rtcdesk.tickets.workflow import OPEN_STATUSES

BATCH = 200


def register(registry: JobRegistry) -> None:
    """Register the SLA jobs."""
    registry.job(tracking.THRESHOLD_JOB, max_attempts=10)(fire_threshold)
    registry.job(RECOMPUTE_JOB, timeout=timedelta(minutes=30))(recompute)


def _goal_text(goal_us: int) -> str:
    minutes = goal_us // 60_000_000
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def fire_threshold(ctx: JobContext) -> None:
    """A timer came due: record the threshold if it is really reached, then re-arm timers."""
    ticket_id = int(ctx.payload["ticket_id"])
    target = Target(str(ctx.payload["target"]))
    point = str(ctx.payload["point"])
    with ctx.container.uow() as uow:
        if uow.session.get(Ticket, ticket_id) is None:
            return
        ev = tracking.evaluate(uow, ticket_id)
        done = tracking.recorded(uow, ticket_id)
        hit = tracking.reached(ev, target, point)
        if hit is not None:
            if (hit.target.value, hit.occurrence, hit.threshold) not in done:
                event_id = tracking.record(uow, ticket_id, hit)
                if event_id is not None:
                    _announce(ctx, uow, ev, hit, event_id)
            done.add((hit.target.value, hit.occurrence, hit.threshold))
            # This timer has done its work: let the refresh arm the next one afresh.
            ev.row.timers = {
                k: v
                for k, v in ev.row.timers.items()
                if k != tracking.timer_key(ticket_id, target.value, point)
            }
        tracking.apply(uow, ev, done)
        uow.commit()


def _announce(
    ctx: JobContext, uow: UnitOfWork, ev: tracking.Evaluation, hit: tracking.Reached, event_id: int
) -> None:
    """The winner's duties: the ticket's history entry and the reactions, in its transaction."""
    clock = next(c for c, _ in ev.measured() if c.target is hit.target)
    goal = _goal_text(clock.goal // timedelta(microseconds=1))
    text = "breached" if hit.threshold == tracking.BREACH else f"{hit.threshold}% / {goal}"
    tickets.record_sla_threshold(uow, ev.ticket.id, hit.target.value, text)
    reached = ThresholdReached(
        ticket_id=ev.ticket.id,
        target=hit.target.value,
        occurrence=hit.occurrence,
        threshold=hit.threshold,
        fraction=hit.fraction,
        at=hit.at,
        policy_version_id=hit.policy_version_id,
        sla_event_id=event_id,
    )
    uow.emit(reached)
    ctx.container.sla_reactions.run(uow, reached)


def recompute(ctx: JobContext) -> None:
    """Refresh the open tickets of an organization (plan change) or a calendar (edit)."""
    org_id = ctx.payload.get("organization_id")
    calendar_id = ctx.payload.get("calendar_id")
    raw_at = ctx.payload.get("at")
    at = datetime.fromisoformat(raw_at) if raw_at else None
    last_id = 0
    while True:
        with ctx.container.uow() as uow:
            stmt = select(Ticket.id).where(Ticket.status.in_(OPEN_STATUSES), Ticket.id > last_id)
            if org_id is not None:
                stmt = stmt.where(Ticket.organization_id == int(org_id))
            if calendar_id is not None:
                stmt = stmt.where(
                    Ticket.id.in_(
                        select(TicketSla.ticket_id).where(TicketSla.calendar_id == int(calendar_id))
                    )
                )
            ids = list(uow.session.scalars(stmt.order_by(Ticket.id).limit(BATCH)))
            if not ids:
                return
            for ticket_id in ids:
                tracking.refresh(uow, ticket_id, switched_at=at)
            uow.commit()
            last_id = ids[-1]
