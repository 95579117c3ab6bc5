"""Properties of the rotation core over random layers, zones, windows and overrides."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rtcdesk.oncall.rotation import (
    Handover,
    LayerSpec,
    OverrideSpec,
    Restriction,
    ScheduleSpec,
    layer_rotation,
    on_call_at,
    shifts,
)

ZONES = st.sampled_from(
    ["America/Los_Angeles", "Europe/Berlin", "Asia/Shanghai", "Australia/Lord_Howe", "UTC"]
)
# Around both DST changes of 2026 on the northern and southern hemispheres.
INSTANTS = st.datetimes(
    min_value=datetime(2026, 2, 20),  # noqa: DTZ001  (hypothesis bounds are naive)
    max_value=datetime(2026, 11, 20),  # noqa: DTZ001
    timezones=st.just(UTC),
)
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def layers(draw: st.DrawFn, *, restricted: bool | None = None) -> LayerSpec:
    """A random layer starting in January 2026 with 1-4 participants."""
    handover = draw(st.sampled_from(list(Handover)))
    restriction = None
    if restricted or (restricted is None and draw(st.booleans())):
        restriction = Restriction(
            frozenset(draw(st.sets(st.integers(0, 6), min_size=1))), draw(TIMES), draw(TIMES)
        )
    return LayerSpec(
        id=1,
        name="layer",
        participants=tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))),
        handover=handover,
        length_days=draw(st.integers(1, 14)),
        handover_time=draw(TIMES),
        starts_on=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 40))),
        restriction=restriction,
    )


@st.composite
def windows(draw: st.DrawFn) -> tuple[datetime, datetime]:
    """A window of up to 40 days."""
    start = draw(INSTANTS)
    return start, start + timedelta(minutes=draw(st.integers(1, 40 * 24 * 60)))


@settings(max_examples=150, deadline=None)
@given(zone=ZONES, layer=layers(restricted=False), window=windows())
def test_unrestricted_shifts_tile_the_window(
    zone: str, layer: LayerSpec, window: tuple[datetime, datetime]
) -> None:
    start, end = window
    found = shifts(ScheduleSpec(zone, (layer,)), start, end)
    assert found
    assert found[0].start == start
    assert found[-1].end == end
    for before, after in itertools.pairwise(found):
        assert before.end == after.start  # no gap, no overlap
    assert all(s.start < s.end for s in found)


@settings(max_examples=150, deadline=None)
@given(zone=ZONES, layer=layers(restricted=False), at=INSTANTS)
def test_exactly_one_person_per_layer_at_every_instant(
    zone: str, layer: LayerSpec, at: datetime
) -> None:
    spec = ScheduleSpec(zone, (layer,))
    shift = on_call_at(spec, at)[1]
    assert shift is not None
    assert shift.start <= at < shift.end
    assert shift.agent_id in layer.participants
    # The same answer whichever window the instant is seen through.
    around = shifts(spec, at - timedelta(days=3), at + timedelta(days=3))
    covering = [s for s in around if s.start <= at < s.end]
    assert [s.agent_id for s in covering] == [shift.agent_id]


@settings(max_examples=150, deadline=None)
@given(zone=ZONES, layer=layers(restricted=True), window=windows())
def test_restricted_shifts_are_ordered_disjoint_and_inside_the_rotation(
    zone: str, layer: LayerSpec, window: tuple[datetime, datetime]
) -> None:
    start, end = window
    restricted = layer_rotation(layer, start, end, zone)
    unrestricted = layer_rotation(
        LayerSpec(
            layer.id,
            layer.name,
            layer.participants,
            layer.handover,
            layer.length_days,
            layer.handover_time,
            layer.starts_on,
        ),
        start,
        end,
        zone,
    )
    for before, after in itertools.pairwise(restricted):
        assert before.end <= after.start
    for piece in restricted:
        assert start <= piece.start < piece.end <= end
        owner = [s for s in unrestricted if s.start <= piece.start and piece.end <= s.end]
        assert [s.agent_id for s in owner] == [piece.agent_id]


@st.composite
def overrides(draw: st.DrawFn) -> OverrideSpec:
    """An override of layer 1 or of every layer, up to 10 days long."""
    start = draw(INSTANTS)
    return OverrideSpec(
        id=draw(st.integers(1, 1000)),
        agent_id=draw(st.integers(50, 60)),
        start=start,
        end=start + timedelta(minutes=draw(st.integers(1, 10 * 24 * 60))),
        layer_id=draw(st.sampled_from([None, 1])),
    )


@settings(max_examples=150, deadline=None)
@given(
    zone=ZONES,
    layer=layers(),
    extra=st.lists(overrides(), max_size=3, unique_by=lambda o: o.id),
    at=INSTANTS,
)
def test_an_override_wins_exactly_within_its_span(
    zone: str, layer: LayerSpec, extra: list[OverrideSpec], at: datetime
) -> None:
    plain = on_call_at(ScheduleSpec(zone, (layer,)), at)[1]
    shift = on_call_at(ScheduleSpec(zone, (layer,), tuple(extra)), at)[1]
    active = [o for o in extra if o.start <= at < o.end]
    if plain is None:
        assert shift is None  # an override replaces someone; it adds no coverage
    elif active:
        newest = max(active, key=lambda o: o.id)
        assert shift is not None
        assert (shift.agent_id, shift.override_id) == (newest.agent_id, newest.id)
    else:
        assert shift is not None
        assert (shift.agent_id, shift.override_id) == (plain.agent_id, None)
