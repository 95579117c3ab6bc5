"""Escalation through HTTP: policy CRUD (admins write, agents read, clear errors for bad
steps and scopes), warning steps checked against the SLA's warning points, a ticket's
escalations for staff only, and the console pages in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.worker import Worker

Client = TestClient  # type: ignore[type-arg]
POLICIES = "/api/v1/escalation/policies"
LADDER = [
    {"at": "75", "action": "warn", "notify": ["assignee"]},
    {"at": "breach", "action": "reassign", "notify": ["team_lead", "managers"]},
]


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    """A 24x7 premium P3 SLA warning at 75%, an admin, an agent, a customer."""
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(container, cal, priority="P3", first=60, next_reply=None, resolution=None)
    org = fa.organization(container, tier="premium")
    dev = fa.contact(container, org)
    admin = fa.agent(container, role="admin", name="Admin", password="correct horse 1")
    agent = fa.agent(container, name="Li Wei", level="L1")
    fa.agent(container, name="Wang Fang", level="L2")
    return {
        "org": org,
        "dev": dev,
        "admin": admin,
        "admin_h": fa.bearer(fa.agent_token(container, admin)),
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "org_h": fa.bearer(fa.org_token(container, org)),
    }


def _create(client: Client, world: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = client.post(
        POLICIES,
        json={"name": "Default", "steps": LADDER, "is_default": True, **body},
        headers=world["admin_h"],
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_admins_write_policies_and_agents_read_them(client: Client, world: dict[str, Any]) -> None:
    created = _create(client, world)
    assert [s["at"] for s in created["steps"]] == ["75", "breach"]
    assert created["unmatched"] == []
    listed = client.get(POLICIES, headers=world["agent_h"])
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()] == ["Default"]
    one = client.get(f"{POLICIES}/{created['id']}", headers=world["agent_h"])
    assert one.json()["name"] == "Default"
    changed = client.patch(
        f"{POLICIES}/{created['id']}", json={"name": "Everyone"}, headers=world["admin_h"]
    )
    assert changed.status_code == 200
    assert changed.json()["name"] == "Everyone"
    assert changed.json()["steps"] == created["steps"]
    for method, path, body in (
        ("POST", POLICIES, {"name": "Mine", "steps": LADDER}),
        ("PATCH", f"{POLICIES}/{created['id']}", {"name": "Mine"}),
        ("DELETE", f"{POLICIES}/{created['id']}", None),
    ):
        refused = client.request(method, path, json=body, headers=world["agent_h"])
        assert refused.status_code == 403, (method, refused.text)
    gone = client.delete(f"{POLICIES}/{created['id']}", headers=world["admin_h"])
    assert gone.status_code == 204
    assert client.get(f"{POLICIES}/{created['id']}", headers=world["agent_h"]).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"steps": []}, 400, "at least one step"),
        ({"steps": [{"at": "120", "action": "warn"}]}, 400, "between 1% and 99%"),
        ({"steps": [{"at": "soon"}]}, 400, "not soon"),
        ({"steps": [{"at": "breach", "action": "explode"}]}, 400, "action"),
        ({"steps": [{"at": "75"}, {"at": "75%", "action": "add"}]}, 400, "two steps at 75"),
        ({"steps": [{"at": "75", "action": "warn", "notify": []}]}, 400, "must notify someone"),
        (
            {"steps": [{"at": "90", "action": "warn"}]},
            400,
            "no SLA policy in this scope warns at 90%",
        ),
        ({"plan_tiers": ["enterprise"]}, 400, "leave its scope empty"),
        ({"name": "   "}, 400, "name must not be empty"),
        ({"name": "x" * 121}, 400, "name"),
        ({"plan_tiers": ["gold"]}, 400, "plan_tiers"),
        ({"surprise": 1}, 400, "surprise"),
    ],
)
def test_bad_policies_get_a_clear_error(
    client: Client, world: dict[str, Any], body: dict[str, Any], status: int, needle: str
) -> None:
    payload = {"name": "Default", "steps": LADDER, "is_default": True, **body}
    response = client.post(POLICIES, json=payload, headers=world["admin_h"])
    assert response.status_code == status, response.text
    assert needle in response.text


def test_a_second_default_and_a_duplicate_name_conflict(
    client: Client, world: dict[str, Any]
) -> None:
    _create(client, world)
    again = client.post(
        POLICIES,
        json={"name": "Other", "steps": LADDER, "is_default": True},
        headers=world["admin_h"],
    )
    assert again.status_code == 409
    assert "already the default policy" in again.text
    same = client.post(
        POLICIES, json={"name": "Default", "steps": LADDER}, headers=world["admin_h"]
    )
    assert same.status_code == 409


def test_a_step_some_sla_policy_in_scope_lacks_is_reported(
    container: Container, client: Client, world: dict[str, Any]
) -> None:
    cal = fs.calendar(container, name="Other 24x7", always_open=True)
    fs.policy(container, cal, priority="P2", first=30, warnings=(0.5,))
    created = _create(client, world)
    assert created["unmatched"] == ["75% → premium P2"]


def test_ticket_escalations_are_for_staff_only(
    container: Container, clock: FrozenClock, client: Client, world: dict[str, Any]
) -> None:
    _create(client, world)
    ticket = ft.ticket(container, world["dev"])
    clock.set(clock.now() + timedelta(minutes=61))
    Worker(container, listen=False).run_pending()
    response = client.get(f"/api/v1/tickets/{ticket.id}/escalations", headers=world["agent_h"])
    assert response.status_code == 200
    rows = response.json()
    assert [(r["threshold"], r["action"], r["level"]) for r in rows] == [
        ("75", "warn", None),
        ("breach", "reassign", "L2"),
    ]
    assert rows[1]["to_agent_name"] == "Wang Fang"
    assert rows[1]["reason"] == "escalated to L2 (Wang Fang): first response breached"
    customer = client.get(f"/api/v1/tickets/{ticket.id}/escalations", headers=world["org_h"])
    assert customer.status_code == 403
    missing = client.get("/api/v1/tickets/999999/escalations", headers=world["agent_h"])
    assert missing.status_code == 404
    # The console shows it in the ticket's escalations box, in Chinese and English.
    cookie, _csrf = fa.agent_session(container, world["admin"])
    client.cookies.set("rtcdesk_session", cookie)
    for lang, text in (
        ("en", "escalated to L2 (Wang Fang): first response breached"),
        ("zh-CN", "已升级到 L2（Wang Fang）：首次响应已超时"),
    ):
        client.cookies.set("rtcdesk_lang", lang)
        page = client.get(f"/console/tickets/{ticket.id}")
        assert page.status_code == 200
        assert 'id="ticket-escalations"' in page.text
        assert text in page.text


def test_the_escalation_page_lists_and_edits_policies(
    container: Container, client: Client, world: dict[str, Any]
) -> None:
    created = _create(client, world)
    cookie, csrf = fa.agent_session(container, world["admin"])
    client.cookies.set("rtcdesk_session", cookie)
    page = client.get("/console/escalation")
    assert page.status_code == 200
    assert 'data-policy="Default"' in page.text
    saved = client.post(
        "/console/escalation",
        data={
            "_csrf": csrf,
            "policy_id": str(created["id"]),
            "name": "Default ladder",
            "is_default": "1",
            "enabled": "1",
            "step0_at": "75",
            "step0_action": "warn",
            "step0_notify": "assignee",
            "step1_at": "breach",
            "step1_action": "add",
            "step1_notify": "managers",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    got = client.get(f"{POLICIES}/{created['id']}", headers=world["agent_h"]).json()
    assert got["name"] == "Default ladder"
    assert got["steps"][1] == {"at": "breach", "action": "add", "notify": ["managers"]}
    bad = client.post(
        "/console/escalation",
        data={"_csrf": csrf, "name": "Bad", "step0_at": "150"},
        follow_redirects=False,
    )
    assert bad.status_code == 400
    assert "between 1% and 99%" in bad.text
