"""SLA through HTTP on both backends: agents read live clocks, customers only the promise;
lists sort and filter by time to breach; admins save policy versions and calendars; the
console and portal pages show what each audience may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Status
from rtcdesk.tickets.schemas import TicketUpdate

Client = TestClient  # type: ignore[type-arg]
MONDAY_9 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


@pytest.fixture
def desk(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A Beijing calendar, premium P3 policy (1 h / 2 h / 8 h), tickets and credentials."""
    clock.set(MONDAY_9)
    cal = fs.calendar(container, name="Beijing office")
    version = fs.policy(container, cal, priority="P3")
    org = fa.organization(container, tier="premium")
    dev = fa.contact(container, org)
    early = ft.ticket(container, dev, subject="early")
    clock.set(MONDAY_9 + timedelta(minutes=30))
    late = ft.ticket(container, dev, subject="late")
    free = fa.organization(container, tier="free")  # no policy for free: no clocks
    unmeasured = ft.ticket(container, fa.contact(container, free), subject="no sla")
    admin = fa.agent(container, role="admin")
    agent = fa.agent(container)
    cookie, csrf = fa.contact_session(container, dev)
    return {
        "cal": cal,
        "version": version,
        "early": early,
        "late": late,
        "unmeasured": unmeasured,
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "admin_h": fa.bearer(fa.agent_token(container, admin)),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "admin": admin,
        "dev_cookie": cookie,
        "dev_csrf": csrf,
    }


def test_agents_read_live_clocks_that_move_with_the_injected_clock(
    client: Client, desk: dict[str, Any], clock: FrozenClock
) -> None:
    clock.set(MONDAY_9 + timedelta(minutes=50))
    body = client.get(f"/api/v1/tickets/{desk['early'].id}", headers=desk["agent_h"]).json()
    sla = body["sla"]
    assert (sla["calendar_name"], sla["policy_version_id"]) == (
        "Beijing office",
        desk["version"].id,
    )
    first = next(c for c in sla["clocks"] if c["target"] == "first_response")
    assert (first["state"], first["remaining_seconds"], first["goal_seconds"]) == (
        "running",
        600,
        3600,
    )
    assert first["deadline"] == "2026-03-02T02:00:00Z"
    clock.set(MONDAY_9 + timedelta(hours=1, seconds=1))
    body = client.get(f"/api/v1/tickets/{desk['early'].id}", headers=desk["agent_h"]).json()
    first = next(c for c in body["sla"]["clocks"] if c["target"] == "first_response")
    assert (first["state"], first["remaining_seconds"]) == ("breached", -1)
    assert first["breached_at"] == "2026-03-02T02:00:00Z"
    assert body["sla"]["versions"][0]["reason"] == "created"
    none = client.get(f"/api/v1/tickets/{desk['unmeasured'].id}", headers=desk["agent_h"]).json()
    assert none["sla"]["clocks"] == []


def test_customers_get_the_first_response_promise_and_nothing_else(
    client: Client, desk: dict[str, Any]
) -> None:
    body = client.get(f"/api/v1/tickets/{desk['early'].id}", headers=desk["org_h"]).json()
    assert body["first_response_due"] == "2026-03-02T02:00:00Z"
    assert "sla" not in body
    assert "sla_due_at" not in body
    listed = client.get("/api/v1/tickets", headers=desk["org_h"]).json()["items"]
    assert all(set(t) >= {"first_response_due"} and "sla" not in t for t in listed)


def test_the_list_sorts_by_time_to_breach_and_filters_breached_and_soon(
    client: Client, container: Container, desk: dict[str, Any], clock: FrozenClock
) -> None:
    h = desk["agent_h"]
    ids = [
        t["id"] for t in client.get("/api/v1/tickets?sort=sla_due_at", headers=h).json()["items"]
    ]
    assert ids[:3] == [desk["early"].id, desk["late"].id, desk["unmeasured"].id]
    page = client.get("/api/v1/tickets?sort=sla_due_at&limit=1", headers=h).json()
    second = client.get(
        f"/api/v1/tickets?sort=sla_due_at&limit=1&cursor={page['next_cursor']}", headers=h
    ).json()
    assert second["items"][0]["id"] == desk["late"].id
    clock.set(MONDAY_9 + timedelta(hours=1, minutes=5))  # early breached, late due at 10:30

    def listed(query: str) -> list[int]:
        return [t["id"] for t in client.get(f"/api/v1/tickets?{query}", headers=h).json()["items"]]

    assert listed("sla=breached") == [desk["early"].id]
    assert listed("sla=soon&within=1") == [desk["late"].id]
    assert sorted(listed("sla=due&within=1")) == sorted([desk["early"].id, desk["late"].id])
    with container.uow() as uow:  # waiting on the customer: no open deadline
        service.update_ticket(uow, SYSTEM, desk["late"].id, TicketUpdate(status=Status.ON_HOLD))
        uow.commit()
    assert listed("sla=soon&within=8") == []
    bad = client.get("/api/v1/tickets?sla=late", headers=h)
    assert bad.status_code == 400
    assert "sla='late' is not one of" in bad.json()["detail"]
    assert client.get("/api/v1/tickets?sla=soon&within=0", headers=h).status_code == 400


def test_admins_save_policy_versions_agents_only_read(client: Client, desk: dict[str, Any]) -> None:
    body = {
        "plan_tier": "premium",
        "priority": "P3",
        "calendar_id": desk["cal"].id,
        "first_response_minutes": 30,
        "warning_points": [0.5, 0.9],
    }
    assert (
        client.post("/api/v1/sla/policies", json=body, headers=desk["agent_h"]).status_code == 403
    )
    saved = client.post("/api/v1/sla/policies", json=body, headers=desk["admin_h"])
    assert saved.status_code == 201, saved.text
    assert (saved.json()["number"], saved.json()["warning_points"]) == (2, [0.5, 0.9])
    versions = client.get("/api/v1/sla/policies", headers=desk["agent_h"]).json()
    assert [v["number"] for v in versions if v["priority"] == "P3"] == [2, 1]
    # The existing ticket keeps version 1.
    ticket = client.get(f"/api/v1/tickets/{desk['early'].id}", headers=desk["agent_h"]).json()
    assert ticket["sla"]["policy_version_id"] == desk["version"].id
    wrong = client.post(
        "/api/v1/sla/policies", json={**body, "warning_points": [1.5]}, headers=desk["admin_h"]
    )
    assert wrong.status_code == 400
    assert "between 1% and 99%" in wrong.json()["detail"]
    nothing = {k: v for k, v in body.items() if k != "first_response_minutes"}
    assert (
        client.post("/api/v1/sla/policies", json=nothing, headers=desk["admin_h"]).status_code
        == 400
    )


def test_calendars_take_hours_holidays_and_official_years_with_clear_errors(
    client: Client, desk: dict[str, Any]
) -> None:
    h = desk["admin_h"]
    created = client.post(
        "/api/v1/sla/calendars",
        json={
            "name": "Beijing official",
            "timezone": "Asia/Shanghai",
            "follows_china": True,
            "week": [["09:00-12:00", "13:30-18:00"]] * 5 + [[], []],
            "official_years": [{"year": 2027, "days_off": ["2027-02-08"], "workdays": []}],
        },
        headers=h,
    )
    assert created.status_code == 201, created.text
    assert 2027 in created.json()["known_years"]
    assert 2026 in created.json()["known_years"]
    bad = client.post(
        "/api/v1/sla/calendars",
        json={"name": "Broken", "week": [["9-12"]] + [[]] * 6},
        headers=h,
    )
    assert bad.status_code == 400
    assert "not a time range like 09:00-12:00" in bad.json()["detail"]
    wrong_year = client.post(
        "/api/v1/sla/calendars",
        json={
            "name": "Wrong year",
            "week": [["09:00-17:00"]] * 5 + [[], []],
            "follows_china": True,
            "official_years": [{"year": 2027, "days_off": ["2028-01-01"]}],
        },
        headers=h,
    )
    assert wrong_year.status_code == 400
    assert "is not in 2027" in wrong_year.json()["detail"]


def test_console_pages_show_clocks_the_breaching_view_and_save_a_policy_version(
    client: Client, container: Container, desk: dict[str, Any], clock: FrozenClock
) -> None:
    cookie, csrf = fa.agent_session(container, desk["admin"])
    client.cookies.set("rtcdesk_session", cookie)
    clock.set(MONDAY_9 + timedelta(minutes=45))
    page = client.get(f"/console/tickets/{desk['early'].id}").text
    assert 'id="ticket-sla"' in page
    assert "Beijing office" in page
    assert 'data-target="first_response" data-state="running"' in page
    assert "15m left" in page
    listing = client.get("/console/tickets?status=unsolved&sla=soon&within=4").text
    assert 'data-view="breaching"' in listing
    assert f'href="/console/tickets/{desk["early"].id}"' in listing
    assert "in 15m" in listing
    saved = client.post(
        "/console/sla/policies",
        data={
            "_csrf": csrf,
            "plan_tier": "premium",
            "priority": "P2",
            "calendar_id": str(desk["cal"].id),
            "first_response_minutes": "20",
            "pause_on": ["on_hold"],
            "warning_points": "50 80",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    matrix = client.get("/console/sla/policies").text
    assert 'data-cell="premium-P2"' in matrix
    assert "20m" in matrix
    assert client.get("/console/sla/calendars").status_code == 200
    assert client.get(f"/console/sla/calendars/{desk['cal'].id}").status_code == 200
    kept = client.post(
        "/console/sla/policies",
        data={
            "_csrf": csrf,
            "plan_tier": "premium",
            "priority": "P2",
            "calendar_id": str(desk["cal"].id),
        },
    )
    assert kept.status_code == 400
    assert "give at least one target" in kept.text


def test_the_portal_promises_the_first_answer_only(client: Client, desk: dict[str, Any]) -> None:
    client.cookies.set("rtcdesk_session", desk["dev_cookie"])
    page = client.get(f"/portal/tickets/{desk['early'].id}").text
    assert 'id="sla-promise"' in page
    assert 'datetime="2026-03-02T02:00:00+00:00"' in page
    assert "ticket-sla" not in page
    assert "Resolution" not in page
