"""Benchmark: recompute the SLA clocks of 1,000,000 open tickets from their stored events.

Generates synthetic open tickets (half on Beijing business hours with the official
holidays and make-up days, half on a Los Angeles team's hours across both DST changes),
each with a realistic event list: created, automatic acknowledgement, customer messages,
public replies, internal notes, pending/on-hold/open changes, the odd solve and reopen.
Times
  (a) the vectorised path, ``compute_batch`` over event columns (target: <= 2 s), and
  (b) the scalar path per call: ``compute_clocks`` for one ticket (what a request pays when
      a change moves a deadline) and ``add_business_time``.
Checks the two paths agree on a sample, prints medians of several runs. Asserts nothing.

Run: ``python benchmarks/sla.py [--tickets 1000000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np

from rtcdesk.sla.batch import (
    STATE_OF_CODE,
    Code,
    EventColumns,
    Kind,
    TargetColumns,
    compute_batch,
)
from rtcdesk.sla.calendar import (
    BusinessCalendar,
    business_hours,
    compile_calendar,
    from_us,
    hours,
    to_us,
)
from rtcdesk.sla.clock import add_business_time, compute_clocks
from rtcdesk.sla.data import (
    AgentReply,
    AutoAcknowledgement,
    Created,
    CustomerMessage,
    InternalNote,
    SlaTargets,
    Status,
    StatusChanged,
    TicketEvent,
)
from rtcdesk.sla.official import china_official_years

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
H = 3600 * 10**6
# Event kinds after Created, with their odds in a ticket's life.
KINDS = np.array(
    [
        Kind.CUSTOMER_MESSAGE,
        Kind.AGENT_REPLY,
        Kind.IGNORED,
        Kind.OPEN,
        Kind.PENDING,
        Kind.ON_HOLD,
        Kind.SOLVED,
    ],
    dtype=np.int8,
)
ODDS = np.array([0.26, 0.26, 0.16, 0.14, 0.12, 0.04, 0.02])
# first response, next reply, resolution (business hours) per plan x priority.
TIERS = np.array([[1, 2, 8], [2, 4, 16], [4, 8, 40], [8, 16, 80]], dtype=np.int64) * H


def synthesize(count: int, seed: int) -> tuple[EventColumns, TargetColumns]:
    """Open tickets created over the last six weeks, 2-11 events each."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 12, size=count)
    offsets = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    total = int(offsets[-1])
    firsts = offsets[:-1]
    kind = rng.choice(KINDS, size=total, p=ODDS).astype(np.int8)
    kind[firsts] = Kind.CREATED
    kind[firsts + 1] = np.where(rng.random(count) < 0.6, Kind.IGNORED, kind[firsts + 1])
    gaps = rng.exponential(1.5 * H, size=total).astype(np.int64)
    created = to_us(NOW) - rng.integers(3 * H, 42 * 24 * H, size=count)
    gaps[firsts] = 0
    cumulative = np.cumsum(gaps)
    at = (
        created[np.repeat(np.arange(count), sizes)]
        + cumulative
        - np.repeat(cumulative[firsts], sizes)
    )
    at = np.minimum(at, to_us(NOW))
    tier = TIERS[rng.integers(0, len(TIERS), size=count)]
    pause = np.where(rng.random(count) < 0.9, 3, 2).astype(np.uint8)
    return (
        EventColumns(offsets=offsets, at=at, kind=kind),
        TargetColumns(
            first_response=tier[:, 0].copy(),
            next_reply=tier[:, 1].copy(),
            resolution=tier[:, 2].copy(),
            pause=pause,
        ),
    )


def calendars() -> tuple[BusinessCalendar, BusinessCalendar]:
    """Beijing with the official schedule, and a Los Angeles team."""
    beijing = business_hours(
        "Beijing",
        "Asia/Shanghai",
        hours("09:00-12:00", "13:30-18:00"),
        official=china_official_years(),
    )
    la = business_hours("Los Angeles", "America/Los_Angeles", hours("08:00-17:00"))
    return compile_calendar(beijing, range(2024, 2029)), compile_calendar(la, range(2024, 2029))


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    return timed(action, runs)[0]


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``runs`` calls (CPU: less hurt by a busy box)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def ticket_events(events: EventColumns, targets: TargetColumns, row: int) -> list[TicketEvent]:
    """One ticket of the columns as event dataclasses, for the scalar path."""
    pause = {Status.ON_HOLD} | ({Status.PENDING_CUSTOMER} if targets.pause[row] & 1 else set())
    policy = SlaTargets(
        "bench",
        first_response=timedelta(microseconds=int(targets.first_response[row])),
        next_reply=timedelta(microseconds=int(targets.next_reply[row])),
        resolution=timedelta(microseconds=int(targets.resolution[row])),
        pause_on=frozenset(pause),
    )
    status = {
        Kind.OPEN: Status.OPEN,
        Kind.PENDING: Status.PENDING_CUSTOMER,
        Kind.ON_HOLD: Status.ON_HOLD,
        Kind.SOLVED: Status.SOLVED,
    }
    result: list[TicketEvent] = []
    for i in range(int(events.offsets[row]), int(events.offsets[row + 1])):
        at, kind = from_us(int(events.at[i])), Kind(int(events.kind[i]))
        if kind is Kind.CREATED:
            result.append(Created(at, policy))
        elif kind is Kind.CUSTOMER_MESSAGE:
            result.append(CustomerMessage(at))
        elif kind is Kind.AGENT_REPLY:
            result.append(AgentReply(at))
        elif kind is Kind.IGNORED:
            result.append(InternalNote(at) if i % 2 else AutoAcknowledgement(at))
        else:
            result.append(StatusChanged(at, status[kind]))
    return result


def slice_columns(
    events: EventColumns, targets: TargetColumns, rows: slice
) -> tuple[EventColumns, TargetColumns]:
    """A contiguous range of tickets."""
    start, stop = int(events.offsets[rows.start]), int(events.offsets[rows.stop])
    return (
        EventColumns(
            offsets=events.offsets[rows.start : rows.stop + 1] - start,
            at=events.at[start:stop],
            kind=events.kind[start:stop],
        ),
        TargetColumns(
            first_response=targets.first_response[rows],
            next_reply=targets.next_reply[rows],
            resolution=targets.resolution[rows],
            pause=targets.pause[rows],
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    started = time.perf_counter()
    beijing, la = calendars()
    print(f"compile 2 calendars x 5 years: {time.perf_counter() - started:.3f} s")
    events, targets = synthesize(args.tickets, args.seed)
    half = args.tickets // 2
    parts = [
        (beijing, *slice_columns(events, targets, slice(0, half))),
        (la, *slice_columns(events, targets, slice(half, args.tickets))),
    ]
    now_us = to_us(NOW)
    print(f"{args.tickets:,} open tickets, {len(events.at):,} events")

    def vectorised() -> None:
        for calendar, part_events, part_targets in parts:
            compute_batch(calendar, part_events, part_targets, now_us)

    vector, vector_cpu = timed(vectorised, args.runs)
    print(
        f"vectorised recompute: {vector:.3f} s wall, {vector_cpu:.3f} s CPU "
        f"({vector / args.tickets * 1e9:.0f} ns/ticket; load average {os.getloadavg()[0]:.1f})"
    )

    sample = 2_000
    for calendar, part_events, part_targets in parts:
        batch = compute_batch(calendar, part_events, part_targets, now_us)
        lists = [ticket_events(part_events, part_targets, row) for row in range(sample)]
        agree = sum(
            STATE_OF_CODE.get(Code(int(batch.resolution.state[row])))
            is compute_clocks(calendar, lists[row], NOW).resolution.state  # type: ignore[union-attr]
            for row in range(sample)
        )
        per_ticket = median_seconds(
            lambda lists=lists, calendar=calendar: [
                compute_clocks(calendar, e, NOW) for e in lists
            ],
            args.runs,
        )
        adds = median_seconds(
            lambda calendar=calendar: [
                add_business_time(calendar, NOW - timedelta(days=3), timedelta(minutes=m))
                for m in range(10_000)
            ],
            args.runs,
        )
        counts = np.bincount(batch.resolution.state, minlength=6)
        states = ", ".join(f"{Code(i).name.lower()} {n:,}" for i, n in enumerate(counts) if n)
        print(
            f"{calendar.name}: compute_clocks for one ticket (the request path) "
            f"{per_ticket / sample * 1e6:.1f} us, "
            f"add_business_time {adds / 10_000 * 1e6:.2f} us/call; "
            f"batch == scalar on {agree}/{sample}; resolution clocks: {states}"
        )


if __name__ == "__main__":
    main()
