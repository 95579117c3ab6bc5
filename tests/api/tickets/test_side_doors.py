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


# Every field a contact or an organization token may read, per kind of object. A new field
# reaches customers only once it is added here on purpose.
CUSTOMER_TICKET_FIELDS = {
    "id",
    "organization_id",
    "requester_id",
    "subject",
    "category",
    "urgency",
    "impact",
    "priority",
    "status",
    "channel",
    "language",
    "platform",
    "sdk_version",
    "app_id",
    "merged_into_id",
    "created_at",
    "updated_at",
    "first_response_at",
    "solved_at",
    "closed_at",
    "first_response_due",  # the SLA's promise only: no clocks, targets or policy
}
CUSTOMER_MESSAGE_FIELDS = {
    "id",
    "ticket_id",
    "kind",
    "channel",
    "author_name",
    "from_support",
    "author_contact_id",
    "body_text",
    "body_html",
    "created_at",
    "attachments",
}
CUSTOMER_ATTACHMENT_FIELDS = {
    "id",
    "ticket_id",
    "message_id",
    "filename",
    "content_type",
    "size",
    "sha256",
    "internal",
    "created_at",
    "download_url",
}
CUSTOMER_CHANGE_FIELDS = {
    "id",
    "at",
    "actor_kind",
    "actor_name",
    "field",
    "old_value",
    "new_value",
}
CUSTOMER_LINK_FIELDS = {"id", "source_id", "target_id", "kind", "created_at"}


def test_customers_read_only_allow_listed_fields(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    sibling = ft.ticket(container, world["dev"], subject="sibling")
    h = world["agent_h"]
    url = f"/api/v1/tickets/{ticket.id}"
    staff = client.patch(
        url,
        json={"priority": "P1", "priority_reason": "key account", "tags": ["vip"]},
        headers=h,
    )
    assert staff.status_code == 200
    assert {"priority_override_reason", "assignee_id", "group_id", "tags"} <= set(staff.json())
    client.post(f"{url}/messages", json={"body": "we are on it"}, headers=h)
    client.post(
        f"{url}/attachments?filename=log.txt",
        content=b"log",
        headers={**h, "Content-Type": "application/octet-stream"},
    )
    client.post(f"{url}/links", json={"target_id": sibling.id}, headers=h)

    def holds(objects: list[dict[str, Any]], allowed: set[str]) -> None:
        assert objects
        for obj in objects:
            assert set(obj) <= allowed, set(obj) - allowed

    dev_h = {"X-CSRF-Token": world["dev_csrf"]}
    for name, headers in (("org", world["org_h"]), ("contact", dev_h)):
        client.cookies.clear()
        if name == "contact":
            client.cookies.set("rtcdesk_session", world["dev_cookie"])
        created = client.post(
            "/api/v1/tickets", json={"subject": "new", "body": "text"}, headers=headers
        )
        assert created.status_code == 201, created.text
        changed = client.patch(url, json={"urgency": "high"}, headers=headers)
        assert changed.status_code == 200, changed.text
        listed = client.get("/api/v1/tickets", headers=headers).json()
        assert set(listed) == {"items", "next_cursor"}
        holds(
            [created.json(), changed.json(), client.get(url, headers=headers).json()]
            + listed["items"],
            CUSTOMER_TICKET_FIELDS,
        )
        reply = client.post(f"{url}/messages", json={"body": "thanks"}, headers=headers)
        assert reply.status_code == 201, reply.text
        messages = client.get(f"{url}/messages", headers=headers).json()
        holds([*messages, reply.json()], CUSTOMER_MESSAGE_FIELDS)
        assert [m["from_support"] for m in messages if m["body_text"] == "we are on it"] == [True]
        assert reply.json()["from_support"] is False
        files = client.get(f"{url}/attachments", headers=headers).json()
        holds(files + [a for m in messages for a in m["attachments"]], CUSTOMER_ATTACHMENT_FIELDS)
        holds(client.get(f"{url}/history", headers=headers).json(), CUSTOMER_CHANGE_FIELDS)
        holds(client.get(f"{url}/links", headers=headers).json(), CUSTOMER_LINK_FIELDS)
        page = client.get(f"/portal/tickets/{ticket.id}").text if name == "contact" else ""
        assert "key account" not in page
        if name == "contact":
            # The portal reads the same customer view: support's reply is badged as such.
            assert page.count('class="badge staff"') == 1, page
        assert "key account" not in repr(client.get(url, headers=headers).json())


def test_the_openapi_document_describes_the_customer_view(client: Client) -> None:
    schemas = client.get("/api/schema/openapi.json").json()["components"]["schemas"]
    customer = schemas["CustomerTicketOut"]["properties"]
    assert set(customer) == CUSTOMER_TICKET_FIELDS
    assert set(schemas["CustomerMessageOut"]["properties"]) == CUSTOMER_MESSAGE_FIELDS
    assert "author_agent_id" in schemas["MessageOut"]["properties"]
    assert "priority_override_reason" in schemas["TicketOut"]["properties"]


def test_customers_cannot_search_by_hidden_fields(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    tagged = client.patch(
        f"/api/v1/tickets/{ticket.id}", json={"tags": ["churn-risk"]}, headers=world["agent_h"]
    )
    assert tagged.status_code == 200
    for query in ("tag=churn-risk", "assignee=none", "group_id=1"):
        answer = client.get(f"/api/v1/tickets?{query}", headers=world["org_h"])
        assert answer.status_code == 400, query
        assert "customers cannot filter tickets by" in answer.json()["detail"]
    staff = client.get("/api/v1/tickets?tag=churn-risk", headers=world["agent_h"]).json()
    assert [t["id"] for t in staff["items"]] == [ticket.id]
    assert client.get("/api/v1/tickets?status=new", headers=world["org_h"]).status_code == 200
