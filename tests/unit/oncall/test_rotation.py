"""The rotation core, table by table: handovers, DST, restrictions, overrides, escalation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtcdesk.oncall.rotation import (
    Handover,
    LayerSpec,
    OverrideSpec,
    Responder,
    Restriction,
    ScheduleSpec,
    covers,
    escalation_order,
    on_call_at,
    shifts,
)

LA = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, B, C, D, M = 1, 2, 3, 4, 99


def local(zone: ZoneInfo, *args: int) -> datetime:
    """An aware local wall-clock time."""
    return datetime(*args, tzinfo=zone)  # type: ignore[misc]


def weekly(zone: str, starts_on: date, *people: int, at: time = time(9, 0)) -> ScheduleSpec:
    """A one-layer weekly rotation."""
    layer = LayerSpec(1, "primary", people, Handover.WEEKLY, 7, at, starts_on)
    return ScheduleSpec(zone, (layer,))


def who(spec: ScheduleSpec, at: datetime, layer_id: int = 1) -> int | None:
    """The agent on call on ``layer_id`` at ``at``."""
    shift = on_call_at(spec, at)[layer_id]
    return None if shift is None else shift.agent_id


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (local(SHANGHAI, 2026, 3, 2, 8, 59), None),  # before the first handover
        (local(SHANGHAI, 2026, 3, 2, 9, 0), A),
        (local(SHANGHAI, 2026, 3, 9, 8, 59, 59), A),
        (local(SHANGHAI, 2026, 3, 9, 9, 0), B),
        (local(SHANGHAI, 2026, 3, 16, 9, 0), C),
        (local(SHANGHAI, 2026, 3, 23, 9, 0), A),  # round again
        (local(SHANGHAI, 2027, 3, 1, 12, 0), B),  # 52 weeks on: 52 % 3 = 1
    ],
)
def test_weekly_handover_at_nine(when: datetime, expected: int | None) -> None:
    spec = weekly("Asia/Shanghai", date(2026, 3, 2), A, B, C)
    assert who(spec, when) == expected


@pytest.mark.parametrize(
    ("handover", "length", "when", "expected"),
    [
        (Handover.DAILY, 1, local(SHANGHAI, 2026, 3, 2, 9, 0), A),
        (Handover.DAILY, 1, local(SHANGHAI, 2026, 3, 3, 8, 0), A),
        (Handover.DAILY, 1, local(SHANGHAI, 2026, 3, 3, 9, 0), B),
        (Handover.DAILY, 1, local(SHANGHAI, 2026, 3, 4, 9, 0), A),
        (Handover.CUSTOM, 3, local(SHANGHAI, 2026, 3, 5, 8, 59), A),
        (Handover.CUSTOM, 3, local(SHANGHAI, 2026, 3, 5, 9, 0), B),
        (Handover.CUSTOM, 3, local(SHANGHAI, 2026, 3, 8, 9, 0), A),
        # a custom kind's length counts; a daily one ignores the stored length
        (Handover.DAILY, 5, local(SHANGHAI, 2026, 3, 3, 9, 0), B),
    ],
)
def test_daily_and_every_n_days(
    handover: Handover, length: int, when: datetime, expected: int
) -> None:
    layer = LayerSpec(1, "p", (A, B), handover, length, time(9, 0), date(2026, 3, 2))
    assert who(ScheduleSpec("Asia/Shanghai", (layer,)), when) == expected


def test_weekly_handover_stays_nine_local_across_both_la_changes() -> None:
    # DST starts 2026-03-08 and ends 2026-11-01 in Los Angeles.
    spec = weekly("America/Los_Angeles", date(2026, 2, 2), A, B)
    found = shifts(spec, datetime(2026, 2, 23, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC))
    for shift in found:
        start = shift.start.astimezone(LA)
        assert (start.hour, start.minute) == (9, 0) or shift is found[0]
    march = next(s for s in found if s.start.astimezone(LA).date() == date(2026, 3, 2))
    assert march.end.astimezone(LA) == local(LA, 2026, 3, 9, 9, 0)
    assert march.end - march.start == timedelta(days=7, hours=-1)  # spring forward
    november = next(s for s in found if s.start.astimezone(LA).date() == date(2026, 10, 26))
    assert november.end - november.start == timedelta(days=7, hours=1)  # fall back
    assert march.start.utcoffset() == timedelta(0)
    assert march.start == datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 09:00 PST
    assert march.end == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # 09:00 PDT


def test_weekly_handover_across_berlin_changes() -> None:
    # CEST starts 2026-03-29 and ends 2026-10-25.
    spec = weekly("Europe/Berlin", date(2026, 3, 23), A, B, at=time(8, 0))
    assert who(spec, local(BERLIN, 2026, 3, 30, 7, 59)) == A
    assert who(spec, local(BERLIN, 2026, 3, 30, 8, 0)) == B
    first = on_call_at(spec, local(BERLIN, 2026, 3, 25, 12, 0))[1]
    assert first is not None
    assert first.start == datetime(2026, 3, 23, 7, 0, tzinfo=UTC)
    assert first.end == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    autumn = on_call_at(spec, local(BERLIN, 2026, 10, 22, 12, 0))[1]
    assert autumn is not None
    assert autumn.end - autumn.start == timedelta(days=7, hours=1)


def test_handover_inside_the_spring_gap_happens_just_after_it() -> None:
    layer = LayerSpec(1, "p", (A, B), Handover.DAILY, 1, time(2, 30), date(2026, 3, 7))
    spec = ScheduleSpec("America/Los_Angeles", (layer,))
    # 02:30 does not exist on 2026-03-08: the handover falls at 03:30 PDT (10:30 UTC).
    assert who(spec, datetime(2026, 3, 8, 10, 29, tzinfo=UTC)) == A
    assert who(spec, datetime(2026, 3, 8, 10, 30, tzinfo=UTC)) == B


NIGHT = Restriction(frozenset(range(7)), time(19, 0), time(7, 0))


def test_night_shift_over_the_fall_back_night_lasts_an_hour_more() -> None:
    layer = LayerSpec(1, "night", (A, B), Handover.DAILY, 1, time(19, 0), date(2026, 10, 1), NIGHT)
    spec = ScheduleSpec("America/Los_Angeles", (layer,))
    found = shifts(spec, local(LA, 2026, 10, 30, 12, 0), local(LA, 2026, 11, 3, 12, 0))
    lengths = {s.start.astimezone(LA).date(): s.end - s.start for s in found}
    assert lengths == {
        date(2026, 10, 30): timedelta(hours=12),
        date(2026, 10, 31): timedelta(hours=13),  # 01:00-02:00 happens twice
        date(2026, 11, 1): timedelta(hours=12),
        date(2026, 11, 2): timedelta(hours=12),
    }
    assert who(spec, local(LA, 2026, 10, 31, 12, 0)) is None  # daytime: nobody on this layer
    assert who(spec, local(LA, 2026, 11, 1, 6, 30)) is not None


def test_restriction_to_weekdays_and_whole_days() -> None:
    weekend = Restriction(frozenset({5, 6}), time(0, 0), time(0, 0))
    layer = LayerSpec(1, "weekend", (A,), Handover.WEEKLY, 7, time(9, 0), date(2026, 3, 2), weekend)
    spec = ScheduleSpec("Asia/Shanghai", (layer,))
    assert who(spec, local(SHANGHAI, 2026, 3, 6, 23, 59)) is None  # Friday night
    assert who(spec, local(SHANGHAI, 2026, 3, 7, 0, 0)) == A  # Saturday
    assert who(spec, local(SHANGHAI, 2026, 3, 8, 23, 59)) == A  # Sunday
    assert who(spec, local(SHANGHAI, 2026, 3, 9, 0, 0)) is None  # Monday
    # Saturday and Sunday merge into one window, cut at the Monday 09:00 handover only.
    weekend_shifts = shifts(spec, local(SHANGHAI, 2026, 3, 2), local(SHANGHAI, 2026, 3, 16))
    assert [(s.start, s.end) for s in weekend_shifts] == [
        (local(SHANGHAI, 2026, 3, 7).astimezone(UTC), local(SHANGHAI, 2026, 3, 9).astimezone(UTC)),
        (
            local(SHANGHAI, 2026, 3, 14).astimezone(UTC),
            local(SHANGHAI, 2026, 3, 16).astimezone(UTC),
        ),
    ]


def two_layers(*overrides: OverrideSpec) -> ScheduleSpec:
    """Primary A/B weekly, secondary C/D weekly, manager M."""
    primary = LayerSpec(1, "primary", (A, B), Handover.WEEKLY, 7, time(9, 0), date(2026, 3, 2))
    secondary = LayerSpec(2, "secondary", (C, D), Handover.WEEKLY, 7, time(9, 0), date(2026, 3, 2))
    return ScheduleSpec("Asia/Shanghai", (primary, secondary), overrides, manager_id=M)


def test_override_replaces_whoever_is_on_within_its_span_only() -> None:
    holiday = OverrideSpec(
        7, D, local(SHANGHAI, 2026, 3, 4, 18, 0), local(SHANGHAI, 2026, 3, 10, 9, 0), layer_id=1
    )
    spec = two_layers(holiday)
    assert who(spec, local(SHANGHAI, 2026, 3, 4, 17, 59)) == A
    assert who(spec, local(SHANGHAI, 2026, 3, 4, 18, 0)) == D
    assert who(spec, local(SHANGHAI, 2026, 3, 9, 12, 0)) == D  # across the rotation handover
    assert who(spec, local(SHANGHAI, 2026, 3, 10, 9, 0)) == B
    assert who(spec, local(SHANGHAI, 2026, 3, 5, 12, 0), layer_id=2) == C  # other layer as is
    covered = on_call_at(spec, local(SHANGHAI, 2026, 3, 6))[1]
    assert covered is not None
    assert covered.override_id == 7
    # One shift for the whole cover, though the rotation handed over inside it.
    assert (covered.start, covered.end) == (holiday.start.astimezone(UTC), holiday.end)


def test_whole_schedule_override_and_the_newest_override_wins() -> None:
    everyone = OverrideSpec(
        3, M, local(SHANGHAI, 2026, 3, 5, 0, 0), local(SHANGHAI, 2026, 3, 6, 0, 0)
    )
    swap = OverrideSpec(
        4, B, local(SHANGHAI, 2026, 3, 5, 12, 0), local(SHANGHAI, 2026, 3, 5, 14, 0), 1
    )
    spec = two_layers(everyone, swap)
    assert who(spec, local(SHANGHAI, 2026, 3, 5, 11, 0)) == M
    assert who(spec, local(SHANGHAI, 2026, 3, 5, 11, 0), layer_id=2) == M
    assert who(spec, local(SHANGHAI, 2026, 3, 5, 13, 0)) == B
    assert who(spec, local(SHANGHAI, 2026, 3, 5, 13, 0), layer_id=2) == M
    assert who(spec, local(SHANGHAI, 2026, 3, 6, 0, 0)) == A


def test_escalation_order_layers_then_manager_without_repeats() -> None:
    at = local(SHANGHAI, 2026, 3, 3, 10, 0)
    assert escalation_order(two_layers(), at) == [
        Responder(A, 1),
        Responder(C, 2),
        Responder(M, None),
    ]
    same = OverrideSpec(1, C, at - timedelta(hours=1), at + timedelta(hours=1), 1)
    assert escalation_order(two_layers(same), at) == [Responder(C, 1, 1), Responder(M, None)]
    before_start = local(SHANGHAI, 2026, 3, 1)
    assert escalation_order(two_layers(), before_start) == [Responder(M, None)]


def test_covers_follows_restricted_layers() -> None:
    layer = LayerSpec(1, "night", (A,), Handover.DAILY, 1, time(19, 0), date(2026, 3, 1), NIGHT)
    spec = ScheduleSpec("Asia/Shanghai", (layer,), manager_id=M)
    assert covers(spec, local(SHANGHAI, 2026, 3, 3, 23, 0))
    assert not covers(spec, local(SHANGHAI, 2026, 3, 3, 12, 0))
    assert escalation_order(spec, local(SHANGHAI, 2026, 3, 3, 12, 0)) == [Responder(M, None)]


def test_a_layer_without_participants_has_nobody_and_windows_are_bounded() -> None:
    empty = LayerSpec(1, "empty", ())
    spec = ScheduleSpec("UTC", (empty,))
    assert on_call_at(spec, datetime(2026, 3, 3, tzinfo=UTC)) == {1: None}
    assert shifts(spec, datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)) == []
    with pytest.raises(ValueError, match="400 days"):
        shifts(spec, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        on_call_at(spec, datetime(2026, 3, 3))  # noqa: DTZ001
