"""Customers learn nothing through side doors: history, requester look-ups, flashes."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.web.flash import Flash, flash_of_code

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    """Two organizations with a contact each, an agent and tokens."""
    org = fa.organization(container, name="星海直播")
    other = fa.organization(container, name="Other Co")
    dev = fa.contact(container, org)
    stranger = fa.contact(container, other)
    agent = fa.agent(container)
    cookie, csrf = fa.contact_session(container, dev)
    return {
        "org": org,
        "other": other,
        "dev": dev,
        "stranger": stranger,
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "dev_cookie": cookie,
        "dev_csrf": csrf,
    }


def test_customer_history_hides_internal_files_foreign_links_and_staff_fields(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    sibling = ft.ticket(container, world["dev"], subject="same org")
    foreign = ft.ticket(container, world["stranger"], subject="elsewhere")
    h = world["agent_h"]
    url = f"/api/v1/tickets/{ticket.id}"
    for name, internal in (("customer-log.txt", "false"), ("secret-escalation.txt", "true")):
        uploaded = client.post(
            f"{url}/attachments?filename={name}&internal={internal}",
            content=b"some bytes",
            headers={**h, "Content-Type": "application/octet-stream"},
        )
        assert uploaded.status_code == 201, uploaded.text
    for target in (sibling.id, foreign.id):
        linked = client.post(f"{url}/links", json={"target_id": target}, headers=h)
        assert linked.status_code == 201, linked.text
    changed = client.patch(
        url,
        json={"tags": ["vip-churn-risk"], "priority": "P1", "priority_reason": "CEO is angry"},
        headers=h,
    )
    assert changed.status_code == 200, changed.text

    agent_view = client.get(f"{url}/history", headers=h).json()
    agent_text = repr(agent_view)
    for secret in ("secret-escalation.txt", f"#{foreign.id}", "vip-churn-risk", "CEO is angry"):
        assert secret in agent_text

    client.cookies.set("rtcdesk_session", world["dev_cookie"])
    for headers in (world["org_h"], {}):
        seen = client.get(f"{url}/history", headers=headers)
        assert seen.status_code == 200
        text = repr(seen.json())
        for secret in ("secret-escalation.txt", f"#{foreign.id}", "vip-churn-risk", "CEO is"):
            assert secret not in text
        fields = {c["field"] for c in seen.json()}
        assert fields <= {"created", "attachment", "link", "priority"}
        assert "customer-log.txt" in text
        assert f"#{sibling.id}" in text


def test_requester_unknown_and_foreign_get_the_same_answer(
    client: Client, world: dict[str, Any]
) -> None:
    def create(**requester: Any) -> Any:
        return client.post(
            "/api/v1/tickets",
            json={"subject": "who asks?", "body": "someone", **requester},
            headers=world["org_h"],
        )

    foreign_email = create(requester_email=world["stranger"].email)
    unknown_email = create(requester_email="nobody-at-all@nowhere.example")
    assert foreign_email.status_code == unknown_email.status_code == 400
    assert foreign_email.json() == unknown_email.json()
    foreign_id = create(requester_id=world["stranger"].id)
    unknown_id = create(requester_id=world["stranger"].id + 10_000)
    assert foreign_id.status_code == unknown_id.status_code == 400
    assert foreign_id.json() == unknown_id.json()
    own = create(requester_email=world["dev"].email)
    assert own.status_code == 201, own.text
    assert own.json()["requester_id"] == world["dev"].id


@pytest.mark.parametrize("area", ["portal", "console"])
def test_flash_shows_only_server_notices(
    client: Client, container: Container, world: dict[str, Any], area: str
) -> None:
    ticket = ft.ticket(container, world["dev"])
    if area == "portal":
        client.cookies.set("rtcdesk_session", world["dev_cookie"])
        page = f"/portal/tickets/{ticket.id}"
    else:
        cookie, _csrf = fa.agent_session(container, fa.agent(container))
        client.cookies.set("rtcdesk_session", cookie)
        page = f"/console/tickets/{ticket.id}"
    forged = "Your account is locked, call +1-555-0100 to unlock it"
    answer = client.get(page, params={"flash": forged})
    assert answer.status_code == 200
    assert "call +1-555-0100" not in answer.text
    assert 'class="flash' not in answer.text
    assert 'class="flash ok" role="status">Saved.<' in client.get(f"{page}?flash=saved").text
    client.cookies.set("rtcdesk_lang", "zh-CN")
    assert 'class="flash ok" role="status">已关联。<' in client.get(f"{page}?flash=linked").text


def test_only_codes_of_the_server_table_name_a_notice() -> None:
    assert flash_of_code("saved", str.upper) == Flash("SAVED.", ok=True)
    for code in ("<script>", "Saved.", "", None):
        assert flash_of_code(code, str) is None
