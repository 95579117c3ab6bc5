"""On-call rotations as plain data: who is on call at an instant, and the shifts of a window.

A :class:`ScheduleSpec` is a time zone and an ordered list of layers (escalation tiers:
layer 1 is paged first). Each :class:`LayerSpec` hands over from one participant to the next
every ``length_days`` days at ``handover`` o'clock *local time* in the schedule's zone,
counting from ``starts_on``; a :class:`Restriction` limits a layer to some hours of some
weekdays (a night layer). :class:`OverrideSpec` puts an agent in place of whoever is on call
on one layer (or every layer) for a span; of overlapping overrides the newest (highest id)
wins.

Handovers are wall-clock times: a 09:00 handover stays 09:00 local across DST changes, so a
weekly shift spanning the change is an hour shorter or longer in real time. Instants are
aware datetimes (any zone in, UTC out). Nothing here reads a clock or touches storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

# Shift lists are bounded so a request can never ask for years of half-hour slices.
MAX_WINDOW = timedelta(days=400)


class Handover(StrEnum):
    """How often a layer hands over to its next participant."""

    DAILY = "daily"
    WEEKLY = "weekly"
    CUSTOM = "custom"  # every ``length_days`` days


def length_of(handover: Handover, length_days: int) -> int:
    """The shift length in days a handover kind means (custom: ``length_days``)."""
    if handover is Handover.DAILY:
        return 1
    if handover is Handover.WEEKLY:
        return 7
    return length_days


@dataclass(frozen=True)
class Restriction:
    """Local hours a layer is on call: from ``start`` to ``end`` on each of ``weekdays``
    (0 = Monday; the weekday the window starts on). ``end <= start`` runs past midnight into
    the next day; ``end == start`` is a whole day."""

    weekdays: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class LayerSpec:
    """One escalation tier: participants (agent ids, in order) taking turns."""

    id: int
    name: str
    participants: tuple[int, ...]
    handover: Handover = Handover.WEEKLY
    length_days: int = 7
    handover_time: time = time(9, 0)
    starts_on: date = date(2000, 1, 3)
    restriction: Restriction | None = None

    @property
    def shift_days(self) -> int:
        """Days between handovers."""
        return length_of(self.handover, self.length_days)


@dataclass(frozen=True)
class OverrideSpec:
    """Agent ``agent_id`` replaces whoever is on call on ``layer_id`` (None: every layer)
    from ``start`` until ``end``."""

    id: int
    agent_id: int
    start: datetime
    end: datetime
    layer_id: int | None = None


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule: its zone, layers in escalation order, overrides, and its manager."""

    timezone: str
    layers: tuple[LayerSpec, ...]
    overrides: tuple[OverrideSpec, ...] = ()
    manager_id: int | None = None


@dataclass(frozen=True)
class Shift:
    """Someone on call on one layer from ``start`` until ``end`` (UTC)."""

    layer_id: int
    agent_id: int
    start: datetime
    end: datetime
    override_id: int | None = None


@dataclass(frozen=True)
class Responder:
    """One step of an escalation: a layer's on-call agent, or the schedule's manager."""

    agent_id: int
    layer_id: int | None  # None: the manager
    override_id: int | None = None


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("on-call instants must be timezone-aware")
    return value.astimezone(UTC)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (the first one when it occurs twice; one
    in a spring-forward gap is read with the offset before the gap, i.e. just after it)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _boundary(layer: LayerSpec, k: int, zone: ZoneInfo) -> datetime:
    """When shift ``k`` of ``layer`` starts (shift 0 starts on ``starts_on``)."""
    return _local(layer.starts_on + timedelta(days=k * layer.shift_days), layer.handover_time, zone)


def _shift_index(layer: LayerSpec, at: datetime, zone: ZoneInfo) -> int:
    """The k with ``boundary(k) <= at < boundary(k + 1)`` (negative before the start)."""
    days = (at.astimezone(zone).date() - layer.starts_on).days
    k = days // layer.shift_days
    while _boundary(layer, k, zone) > at:
        k -= 1
    while _boundary(layer, k + 1, zone) <= at:
        k += 1
    return k


def _rotation(layer: LayerSpec, start: datetime, end: datetime, zone: ZoneInfo) -> Iterator[Shift]:
    """The unrestricted rotation of ``layer`` clipped to [start, end)."""
    if not layer.participants:
        return
    first = _boundary(layer, 0, zone)
    start = max(start, first)
    if start >= end:
        return
    k = _shift_index(layer, start, zone)
    while True:
        begins, ends = _boundary(layer, k, zone), _boundary(layer, k + 1, zone)
        if begins >= end:
            return
        agent = layer.participants[k % len(layer.participants)]
        yield Shift(layer.id, agent, max(begins, start), min(ends, end))
        k += 1


def restriction_windows(
    restriction: Restriction, start: datetime, end: datetime, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The restriction's local windows as merged UTC spans clipped to [start, end)."""
    windows: list[tuple[datetime, datetime]] = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in restriction.weekdays:
            opens = _local(day, restriction.start, zone)
            closes_on = day if restriction.end > restriction.start else day + timedelta(days=1)
            closes = _local(closes_on, restriction.end, zone)
            lo, hi = max(opens, start), min(closes, end)
            if lo < hi:
                if windows and lo <= windows[-1][1]:
                    windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
                else:
                    windows.append((lo, hi))
        day += timedelta(days=1)
    return windows


def layer_rotation(layer: LayerSpec, start: datetime, end: datetime, timezone: str) -> list[Shift]:
    """The shifts of ``layer`` in [start, end) before overrides: its rotation, cut to its
    restriction's windows."""
    start, end = _utc(start), _utc(end)
    zone = ZoneInfo(timezone)
    shifts = list(_rotation(layer, start, end, zone))
    if layer.restriction is None:
        return shifts
    restricted: list[Shift] = []
    for lo, hi in restriction_windows(layer.restriction, start, end, zone):
        for shift in shifts:
            s, e = max(shift.start, lo), min(shift.end, hi)
            if s < e:
                restricted.append(Shift(layer.id, shift.agent_id, s, e))
    return restricted


def _apply_overrides(shifts: list[Shift], overrides: list[OverrideSpec]) -> list[Shift]:
    """Cut each shift at override edges and hand each piece to the newest covering override."""
    if not overrides:
        return shifts
    result: list[Shift] = []
    for shift in shifts:
        cuts = {shift.start, shift.end}
        for o in overrides:
            for edge in (_utc(o.start), _utc(o.end)):
                if shift.start < edge < shift.end:
                    cuts.add(edge)
        points = sorted(cuts)
        for lo, hi in pairwise(points):
            winner = None
            for o in overrides:  # sorted by id: the last match is the newest
                if _utc(o.start) <= lo and hi <= _utc(o.end):
                    winner = o
            if winner is None:
                piece = Shift(shift.layer_id, shift.agent_id, lo, hi)
            else:
                piece = Shift(shift.layer_id, winner.agent_id, lo, hi, winner.id)
            if result and _continues(result[-1], piece):
                result[-1] = Shift(
                    piece.layer_id, piece.agent_id, result[-1].start, hi, piece.override_id
                )
            else:
                result.append(piece)
    return result


def _continues(before: Shift, after: Shift) -> bool:
    """Whether ``after`` is the same override's cover going on across a rotation handover."""
    return (
        before.override_id is not None
        and before.override_id == after.override_id
        and before.end == after.start
        and before.layer_id == after.layer_id
    )


def _overrides_for(spec: ScheduleSpec, layer_id: int) -> list[OverrideSpec]:
    return sorted((o for o in spec.overrides if o.layer_id in (None, layer_id)), key=lambda o: o.id)


def shifts(spec: ScheduleSpec, start: datetime, end: datetime) -> list[Shift]:
    """The final shifts of every layer in [start, end), overrides applied, by layer then time."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        return []
    if end - start > MAX_WINDOW:
        raise ValueError("a shift window is at most 400 days")
    result: list[Shift] = []
    for layer in spec.layers:
        rotation = layer_rotation(layer, start, end, spec.timezone)
        result.extend(_apply_overrides(rotation, _overrides_for(spec, layer.id)))
    return result


def on_call_at(spec: ScheduleSpec, at: datetime) -> dict[int, Shift | None]:
    """Per layer id (in escalation order), the shift running at ``at``, or None (nobody)."""
    at = _utc(at)
    instant = timedelta(microseconds=1)
    found: dict[int, Shift | None] = {layer.id: None for layer in spec.layers}
    for shift in shifts(spec, at, at + instant):
        found[shift.layer_id] = shift
    # The one-microsecond window clipped the shift; report it whole.
    return {
        layer_id: None if shift is None else _whole_shift(spec, shift, at)
        for layer_id, shift in found.items()
    }


def _whole_shift(spec: ScheduleSpec, piece: Shift, at: datetime) -> Shift:
    """The full extent of the shift ``piece`` belongs to."""
    layer = next(layer for layer in spec.layers if layer.id == piece.layer_id)
    span = timedelta(days=layer.shift_days + 1)
    for o in spec.overrides:
        if o.id == piece.override_id:
            span = max(span, _utc(o.end) - _utc(o.start))
    span = min(span, MAX_WINDOW / 2)
    alone = ScheduleSpec(spec.timezone, (layer,), spec.overrides)
    for shift in shifts(alone, at - span, at + span):
        if shift.start <= at < shift.end:
            return shift
    return piece


def escalation_order(spec: ScheduleSpec, at: datetime) -> list[Responder]:
    """Who to page at ``at``, in order: each layer's on-call agent, then the manager.

    Layers with nobody on call are skipped, and a person already listed is not repeated
    (paging them again as the next tier would not reach anyone new).
    """
    order: list[Responder] = []
    seen: set[int] = set()
    for layer_id, shift in on_call_at(spec, at).items():
        if shift is not None and shift.agent_id not in seen:
            seen.add(shift.agent_id)
            order.append(Responder(shift.agent_id, layer_id, shift.override_id))
    if spec.manager_id is not None and spec.manager_id not in seen:
        order.append(Responder(spec.manager_id, None))
    return order


def covers(spec: ScheduleSpec, at: datetime) -> bool:
    """Whether anyone on any layer is on call at ``at`` (restricted layers may leave gaps)."""
    return any(shift is not None for shift in on_call_at(spec, at).values())
