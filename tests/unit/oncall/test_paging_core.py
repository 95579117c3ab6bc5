"""The pure paging cores: the business-hours rule (table) and signed links (properties)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtcdesk.oncall import links
from rtcdesk.oncall.hours import default_calendar, outside_business_hours, team_calendar
from rtcdesk.sla.calendar import Closure, business_hours, hours, twenty_four_seven

BEIJING = timedelta(hours=8)


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC) - BEIJING


@pytest.mark.parametrize(
    ("at", "outside"),
    [
        (bj(2026, 3, 3, 3, 0), True),  # Tuesday 03:00
        (bj(2026, 3, 3, 10, 0), False),  # Tuesday 10:00
        (bj(2026, 3, 3, 9, 0), False),  # opening second counts as open
        (bj(2026, 3, 3, 18, 0), True),  # closing second is closed
        (bj(2026, 2, 28, 10, 0), False),  # 调休 make-up Saturday
        (bj(2026, 3, 7, 10, 0), True),  # ordinary Saturday
        (bj(2026, 2, 17, 10, 0), True),  # Spring Festival Tuesday
        (bj(2026, 10, 1, 10, 0), True),  # National Day
    ],
)
def test_default_business_hours(at: datetime, outside: bool) -> None:
    assert outside_business_hours(default_calendar(), at) is outside


def test_a_24x7_policy_falls_back_to_the_default_hours_and_closures_close() -> None:
    assert team_calendar(twenty_four_seven()) is default_calendar()
    assert team_calendar(None) is default_calendar()
    la = business_hours(
        "LA",
        "America/Los_Angeles",
        hours("09:00-17:00"),
        closures=(
            Closure(datetime(2026, 3, 9, 20, tzinfo=UTC), datetime(2026, 3, 9, 22, tzinfo=UTC)),
        ),
    )
    assert team_calendar(la) is la
    # Monday 9 March 2026, the first weekday after the spring-forward change (PDT, UTC-7).
    assert not outside_business_hours(la, datetime(2026, 3, 9, 16, 0, tzinfo=UTC))  # 09:00
    assert outside_business_hours(la, datetime(2026, 3, 9, 15, 59, tzinfo=UTC))  # 08:59
    assert outside_business_hours(la, datetime(2026, 3, 9, 21, 0, tzinfo=UTC))  # closed
    with pytest.raises(ValueError, match="naive"):
        outside_business_hours(la, datetime(2026, 3, 9, 16, 0))  # noqa: DTZ001


NOW = datetime(2026, 3, 3, tzinfo=UTC)
ids = st.integers(min_value=1, max_value=2**31)


@given(step=ids, agent=ids, seconds=st.integers(min_value=1, max_value=10**6))
def test_a_signed_link_verifies_until_it_expires(step: int, agent: int, seconds: int) -> None:
    key = b"k" * 32
    expires = NOW + timedelta(seconds=seconds)
    token = links.sign(key, step, agent, expires)
    claim = links.verify(key, token, NOW)
    assert isinstance(claim, links.LinkClaim)
    assert (claim.step_id, claim.agent_id) == (step, agent)
    assert links.verify(key, token, expires) is links.LinkProblem.EXPIRED
    assert links.verify(b"x" * 32, token, NOW) is links.LinkProblem.FORGED


@given(step=ids, agent=ids, other=ids)
def test_changing_who_a_link_is_for_breaks_its_signature(step: int, agent: int, other: int) -> None:
    key = b"k" * 32
    token = links.sign(key, step, agent, NOW + timedelta(hours=1))
    mac = token.rsplit(".", 1)[1]
    if other != agent:
        tampered = f"{step}.{other}.{int((NOW + timedelta(hours=1)).timestamp())}.{mac}"
        assert links.verify(key, tampered, NOW) is links.LinkProblem.FORGED
