"""Each ticket's clocks kept up to date: from its stored history to the core's events, the
clocks' snapshot on ``ticket_sla``, the keyed threshold timers, and thresholds recorded once.

Part of the SLA write path (like ``service.py``): functions take the caller's unit of work
and never commit. :func:`refresh` runs inside the transaction of every change that can move
a clock (``handlers.py``), so the snapshot, the list's deadline column and the timers commit
together with the change. Time is ``uow.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from rtcdesk.accounts.models import Organization
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.sla.calendar import BusinessCalendar, from_us, to_us
from rtcdesk.sla.clock import compute_clocks
from rtcdesk.sla.data import (
    AgentReply,
    AutoAcknowledgement,
    ClockResult,
    ClockState,
    Created,
    CustomerMessage,
    InternalNote,
    Merged,
    SlaTargets,
    Status,
    StatusChanged,
    Target,
    TargetsChanged,
    TicketClocks,
    TicketEvent,
)
from rtcdesk.sla.models import (
    SlaCalendar,
    SlaEvent,
    SlaPolicy,
    SlaPolicyVersion,
    TicketSla,
    TicketSlaVersion,
)
from rtcdesk.sla.specs import compiled, scaled, targets_of
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Channel, Message, MessageKind, Ticket, TicketChange

THRESHOLD_JOB = "sla.threshold"
BREACH = "breach"
_US = timedelta(microseconds=1)


def timer_key(ticket_id: int, target: str, point: str) -> str:
    """The job key of one threshold timer: replaced, never duplicated."""
    return f"sla:{ticket_id}:{target}:{point}"


def point_name(fraction: float) -> str:
    """``0.75`` -> ``"75"`` (the threshold's name in keys and ``sla_events``)."""
    return f"{fraction * 100:g}"


@dataclass
class Evaluation:
    """A ticket's clocks at ``now`` with what they were computed from."""

    ticket: Ticket
    row: TicketSla
    now: datetime
    versions: dict[int, SlaPolicyVersion]
    current: SlaPolicyVersion | None
    calendar_row: SlaCalendar | None
    calendar: BusinessCalendar | None
    events: list[TicketEvent]
    clocks: TicketClocks | None

    def measured(self) -> list[tuple[ClockResult, int]]:
        """Each current clock with its occurrence (the next-reply cycle's number)."""
        if self.clocks is None:
            return []
        out: list[tuple[ClockResult, int]] = []
        if self.clocks.first_response is not None:
            out.append((self.clocks.first_response, 1))
        if self.clocks.next_reply is not None:
            out.append((self.clocks.next_reply, len(self.clocks.next_reply_history)))
        if self.clocks.resolution is not None:
            out.append((self.clocks.resolution, 1))
        return out


def policy_version_for(uow: UnitOfWork, tier: str, priority: str) -> SlaPolicyVersion | None:
    """The newest version of the policy for a plan tier and priority (None: no policy)."""
    return uow.session.scalars(
        select(SlaPolicyVersion)
        .join(SlaPolicy, SlaPolicy.id == SlaPolicyVersion.policy_id)
        .where(SlaPolicy.plan_tier == tier, SlaPolicy.priority == priority)
        .order_by(SlaPolicyVersion.number.desc())
        .limit(1)
    ).first()


def _switch(
    uow: UnitOfWork, ticket: Ticket, history: list[TicketSlaVersion], at: datetime | None
) -> None:
    """Record the version a ticket is measured against, and a switch on a plan/priority change."""
    org = uow.session.get(Organization, ticket.organization_id)
    tier = org.plan_tier.value if org is not None else ""
    priority = ticket.priority.value
    if history:
        last = history[-1]
        if (last.plan_tier, last.priority) == (tier, priority):
            return
        if ticket.merged_into_id is not None:
            return
        reason, detail = (
            ("priority", f"{last.priority} → {priority}")
            if last.priority != priority
            else ("plan", f"{last.plan_tier} → {tier}")
        )
        when = max(at or uow.clock.now(), last.at)
    else:
        reason, detail, when = "created", "", ticket.created_at
    version = policy_version_for(uow, tier, priority)
    entry = TicketSlaVersion(
        ticket_id=ticket.id,
        at=when,
        policy_version_id=version.id if version is not None else None,
        plan_tier=tier,
        priority=priority,
        reason=reason,
        detail=detail,
    )
    uow.session.add(entry)
    history.append(entry)


def switch_policy(
    uow: UnitOfWork,
    ticket_id: int,
    version: SlaPolicyVersion | None,
    *,
    at: datetime,
    reason: str,
    detail: str,
) -> bool:
    """Measure a ticket against ``version`` from ``at`` (a ``TargetsChanged``) and refresh.

    For another domain's reason to use a policy other than the plan tier x priority one
    (launch guard). Later refreshes keep it until the plan tier or priority changes.
    Returns False (nothing recorded) when the ticket is already measured against it.
    """
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.merged_into_id is not None:
        return False
    evaluate(uow, ticket_id)  # records the "created" entry of a ticket that has none yet
    last = uow.session.scalars(
        select(TicketSlaVersion)
        .where(TicketSlaVersion.ticket_id == ticket_id)
        .order_by(TicketSlaVersion.at.desc(), TicketSlaVersion.id.desc())
        .limit(1)
    ).one()
    wanted = version.id if version is not None else None
    if last.policy_version_id == wanted:
        return False
    uow.session.add(
        TicketSlaVersion(
            ticket_id=ticket_id,
            at=max(at, last.at),
            policy_version_id=wanted,
            plan_tier=last.plan_tier,
            priority=ticket.priority.value,
            reason=reason,
            detail=detail,
        )
    )
    uow.flush()
    refresh(uow, ticket_id)
    return True


def _history_events(uow: UnitOfWork, ticket: Ticket) -> list[TicketEvent]:
    """Messages and status/merge changes of a ticket as the core's events, in stored order.

    The opening message is the request itself, not a reply; messages moved in from a merged
    duplicate belong to that ticket's clocks. A public message is an agent's reply only when
    an agent wrote it outside the system channel: rtcdesk's own automatic messages (system
    channel) are acknowledgements and answer nobody.
    """
    rows = uow.session.execute(
        select(
            Message.created_at,
            Message.kind,
            Message.channel,
            Message.author_agent_id,
        )
        .where(Message.ticket_id == ticket.id, Message.moved_from_ticket_id.is_(None))
        .order_by(Message.created_at, Message.id)
    ).all()
    timed: list[tuple[datetime, int, TicketEvent]] = []
    for at, kind, channel, agent_id in rows[1:]:
        event: TicketEvent
        if kind is MessageKind.INTERNAL:
            event = InternalNote(at)
        elif channel is Channel.SYSTEM:
            event = AutoAcknowledgement(at)
        elif agent_id is not None:
            event = AgentReply(at)
        else:
            event = CustomerMessage(at)
        timed.append((at, 0, event))
    changes = uow.session.execute(
        select(TicketChange.at, TicketChange.field, TicketChange.new_value)
        .where(
            TicketChange.ticket_id == ticket.id,
            TicketChange.field.in_(("status", "merged_into")),
        )
        .order_by(TicketChange.at, TicketChange.id)
    ).all()
    for at, field, value in changes:
        if field == "merged_into":
            timed.append((at, 1, Merged(at)))
        elif value is not None:
            timed.append((at, 1, StatusChanged(at, Status(value))))
    # At one instant a reply comes before the status change made with it.
    timed.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in timed]


def evaluate(uow: UnitOfWork, ticket_id: int, *, switched_at: datetime | None = None) -> Evaluation:
    """Compute a ticket's clocks now from its stored history (recording a version switch)."""
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(ticket_id)
    now = uow.clock.now()
    row = uow.session.get(TicketSla, ticket_id)
    if row is None:
        row = TicketSla(
            ticket_id=ticket_id, clocks=[], unknown_years=[], timers={}, computed_at=now
        )
        uow.session.add(row)
    history = list(
        uow.session.scalars(
            select(TicketSlaVersion)
            .where(TicketSlaVersion.ticket_id == ticket_id)
            .order_by(TicketSlaVersion.at, TicketSlaVersion.id)
        )
    )
    _switch(uow, ticket, history, switched_at)
    ids = {h.policy_version_id for h in history if h.policy_version_id is not None}
    versions = (
        {
            v.id: v
            for v in uow.session.scalars(
                select(SlaPolicyVersion).where(SlaPolicyVersion.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    current = versions.get(history[-1].policy_version_id or 0)
    judged = next(
        (versions[h.policy_version_id] for h in reversed(history) if h.policy_version_id),
        None,
    )
    evaluation = Evaluation(ticket, row, now, versions, current, None, None, [], None)
    if judged is None:
        return evaluation
    calendar_row = uow.session.get(SlaCalendar, judged.calendar_id)
    assert calendar_row is not None  # noqa: S101  (a foreign key)
    calendar = compiled(calendar_row)
    targets = {vid: targets_of(v) for vid, v in versions.items()}

    def of(entry: TicketSlaVersion) -> SlaTargets:
        return targets.get(entry.policy_version_id or 0) or targets_of(None)

    events: list[TicketEvent] = [Created(ticket.created_at, of(history[0]))]
    events += [TargetsChanged(h.at, of(h), h.reason) for h in history[1:]]
    events += _history_events(uow, ticket)
    evaluation.calendar_row = calendar_row
    evaluation.calendar = calendar
    evaluation.events = events
    evaluation.clocks = compute_clocks(calendar, events, now)
    return evaluation


def _clock_json(clock: ClockResult, occurrence: int) -> dict[str, object]:
    counting = clock.stopped_at is None and not (clock.paused and clock.paused[-1].end is None)

    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "target": clock.target.value,
        "occurrence": occurrence,
        "version": clock.version,
        "goal_us": clock.goal // _US,
        "state": clock.state.value,
        "counting": counting,
        "started_at": iso(clock.started_at),
        "deadline": iso(clock.deadline),
        "breached_at": iso(clock.breached_at),
        "stopped_at": iso(clock.stopped_at),
        "stopped_by": clock.stopped_by.value if clock.stopped_by else None,
        "elapsed_us": clock.elapsed // _US,
        "paused_since": iso(clock.paused[-1].start)
        if clock.paused and clock.paused[-1].end is None
        else None,
    }


def recorded(uow: UnitOfWork, ticket_id: int) -> set[tuple[str, int, str]]:
    """The thresholds already recorded for a ticket: (target, occurrence, threshold)."""
    rows = uow.session.execute(
        select(SlaEvent.target, SlaEvent.occurrence, SlaEvent.threshold).where(
            SlaEvent.ticket_id == ticket_id
        )
    ).all()
    return {(t, o, th) for t, o, th in rows}


def _desired_timers(
    ev: Evaluation, done: set[tuple[str, int, str]]
) -> dict[str, tuple[datetime, dict[str, object]]]:
    """The timers the clocks need now: warning points and breach of each running clock;
    a threshold already passed but not yet recorded fires at once."""
    wanted: dict[str, tuple[datetime, dict[str, object]]] = {}
    if ev.calendar is None:
        return wanted
    points = ev.current.warning_points if ev.current is not None else []
    for clock, occurrence in ev.measured():
        target = clock.target.value

        def want(point: str, at: datetime, target: str = target) -> None:
            payload: dict[str, object] = {
                "ticket_id": ev.ticket.id,
                "target": target,
                "point": point,
            }
            wanted[timer_key(ev.ticket.id, target, point)] = (at, payload)

        if clock.state is ClockState.RUNNING and clock.deadline is not None:
            goal = clock.goal // _US
            elapsed = clock.elapsed // _US
            deadline_pos = ev.calendar.position(to_us(clock.deadline))
            for fraction in points:
                name = point_name(fraction)
                threshold = max(1, round(goal * fraction))
                if elapsed < threshold:
                    want(name, from_us(ev.calendar.instant(deadline_pos - (goal - threshold))))
                elif (target, occurrence, name) not in done:
                    want(name, ev.now)
            want(BREACH, clock.deadline + _US)
        elif clock.state is ClockState.BREACHED and (target, occurrence, BREACH) not in done:
            want(BREACH, ev.now)
    return wanted


def apply(uow: UnitOfWork, ev: Evaluation, done: set[tuple[str, int, str]]) -> None:
    """Store the clocks' snapshot, the ticket's deadline fields and the timers they need."""
    row = ev.row
    row.policy_version_id = ev.current.id if ev.current is not None else None
    row.calendar_id = ev.calendar_row.id if ev.calendar_row is not None else None
    measured = ev.measured()
    row.clocks = [_clock_json(c, occurrence) for c, occurrence in measured]
    row.unknown_years = list(ev.clocks.unknown_years) if ev.clocks is not None else []
    row.computed_at = ev.now
    open_deadlines = [c.deadline for c, _ in measured if c.stopped_at is None and c.deadline]
    first = ev.clocks.first_response if ev.clocks is not None else None
    tickets.set_sla_due(
        uow,
        ev.ticket,
        due_at=min(open_deadlines, default=None),
        first_response_due=(
            first.deadline if first is not None and first.stopped_at is None else None
        ),
    )
    wanted = _desired_timers(ev, done)
    timers: dict[str, str] = {}
    for key, (at, payload) in wanted.items():
        timers[key] = at.isoformat()
        if row.timers.get(key) != timers[key]:
            jobs.enqueue(uow, THRESHOLD_JOB, payload, run_at=at, key=key)
    for key in row.timers:
        if key not in wanted:
            jobs.cancel(uow, key)
    row.timers = timers


def refresh(uow: UnitOfWork, ticket_id: int, *, switched_at: datetime | None = None) -> Evaluation:
    """Recompute a ticket's clocks and store them with their timers, in ``uow``."""
    ev = evaluate(uow, ticket_id, switched_at=switched_at)
    apply(uow, ev, recorded(uow, ticket_id))
    return ev


@dataclass(frozen=True)
class Reached:
    """A threshold a clock has really reached, with the instant it did."""

    target: Target
    occurrence: int
    threshold: str
    fraction: float
    at: datetime
    policy_version_id: int | None


def reached(ev: Evaluation, target: Target, point: str) -> Reached | None:
    """Whether ``target``'s clock has reached ``point`` (a warning or ``breach``) by now."""
    if ev.calendar is None or ev.clocks is None:
        return None
    clock, occurrence = next(((c, o) for c, o in ev.measured() if c.target is target), (None, 0))
    if clock is None:
        return None
    version = int(clock.version) if clock.version.isdigit() else None
    if point == BREACH:
        if clock.state is not ClockState.BREACHED or clock.breached_at is None:
            return None
        return Reached(target, occurrence, BREACH, 1.0, clock.breached_at, version)
    if clock.state not in (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED):
        return None  # answered or solved first: a late warning would help nobody
    fraction = float(point) / 100
    # The point is reached where the same clock with a scaled target has its deadline.
    events = [
        Created(e.at, scaled(e.targets, fraction))
        if isinstance(e, Created)
        else TargetsChanged(e.at, scaled(e.targets, fraction), e.reason)
        if isinstance(e, TargetsChanged)
        else e
        for e in ev.events
    ]
    partial = compute_clocks(ev.calendar, events, ev.now)
    scaled_clock: ClockResult | None
    if target is Target.NEXT_REPLY:
        cycles = partial.next_reply_history
        scaled_clock = cycles[occurrence - 1] if len(cycles) >= occurrence else None
    elif target is Target.FIRST_RESPONSE:
        scaled_clock = partial.first_response
    else:
        scaled_clock = partial.resolution
    if scaled_clock is None or scaled_clock.deadline is None or scaled_clock.deadline > ev.now:
        return None
    return Reached(target, occurrence, point, fraction, scaled_clock.deadline, version)


def record(uow: UnitOfWork, ticket_id: int, hit: Reached) -> int | None:
    """Insert the ``sla_events`` row of a threshold; None when it was already recorded.

    ``INSERT ... ON CONFLICT DO NOTHING`` on the unique (ticket, target, occurrence,
    threshold): of two workers racing on the same timer exactly one gets the row back.
    """
    insert = (
        postgresql.insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    stmt = (
        insert(SlaEvent)
        .values(
            ticket_id=ticket_id,
            target=hit.target.value,
            occurrence=hit.occurrence,
            threshold=hit.threshold,
            fraction=hit.fraction,
            at=hit.at,
            policy_version_id=hit.policy_version_id,
            recorded_at=uow.clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["ticket_id", "target", "occurrence", "threshold"])
        .returning(SlaEvent.id)
    )
    return uow.session.execute(stmt).scalar_one_or_none()
