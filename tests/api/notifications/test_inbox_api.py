"""The inbox, the preferences and the delivery log through the HTTP API, on both backends:
an agent reads and marks only their own notifications, in their language; customers and
anonymous callers never reach any of it; the delivery log is for administrators."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container
from rtcdesk.notifications import service
from rtcdesk.notifications.handlers import TICKET_ASSIGNED
from rtcdesk.notifications.recipients import Recipients

Client = TestClient  # type: ignore[type-arg]


def notify(container: Container, agent_id: int, n: int, *, ticket_id: int | None = None) -> None:
    with container.uow() as uow:
        for i in range(n):
            service.notify(
                uow,
                kind=TICKET_ASSIGNED,
                key=f"test:{agent_id}:{i}",
                recipients=Recipients.agents(agent_id),
                params={"ticket_id": i, "subject": f"S{i}", "organization": "星海", "by": "Han"},
                link=f"/console/tickets/{ticket_id or i}",
                ticket_id=ticket_id,
            )
        uow.commit()


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    engineer = fa.agent(container, languages=["zh-CN"])
    colleague = fa.agent(container)
    admin = fa.agent(container, role="admin")
    org = fa.organization(container)
    dev = fa.contact(container, org)
    notify(container, engineer.id, 3)
    notify(container, colleague.id, 1)
    return {
        "engineer": engineer,
        "engineer_h": fa.bearer(fa.agent_token(container, engineer)),
        "colleague_h": fa.bearer(fa.agent_token(container, colleague)),
        "admin_h": fa.bearer(fa.agent_token(container, admin)),
        "manager_h": fa.bearer(fa.agent_token(container, fa.agent(container, role="manager"))),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "dev_session": fa.contact_session(container, dev),
    }


def test_the_inbox_lists_newest_first_in_the_readers_language_page_by_page(
    client: Client, world: dict[str, Any]
) -> None:
    headers = world["engineer_h"]
    first = client.get("/api/v1/me/notifications?limit=2", headers=headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert page["unread"] == 3
    assert [n["title"] for n in page["items"]] == ["工单 #2 已分配给你", "工单 #1 已分配给你"]
    assert page["items"][0]["body"] == "Han 把来自 星海 的工单“S2”分配给了你。"
    assert page["items"][0]["link"] == "/console/tickets/2"
    assert page["items"][0]["unread"] is True
    rest = client.get(
        f"/api/v1/me/notifications?limit=2&cursor={page['next_cursor']}", headers=headers
    ).json()
    assert [n["title"] for n in rest["items"]] == ["工单 #0 已分配给你"]
    assert rest["next_cursor"] is None
    # The language cookie of a browser wins over the person's setting, as on pages.
    client.cookies.set("rtcdesk_lang", "en")
    english = client.get("/api/v1/me/notifications", headers=headers).json()
    client.cookies.clear()
    assert english["items"][0]["title"] == "Ticket #2 was assigned to you"


def test_mark_read_one_and_all(client: Client, world: dict[str, Any]) -> None:
    headers = world["engineer_h"]
    items = client.get("/api/v1/me/notifications", headers=headers).json()["items"]
    marked = client.post(f"/api/v1/me/notifications/{items[0]['id']}/read", headers=headers)
    assert marked.status_code == 200, marked.text
    assert marked.json()["unread"] is False
    assert marked.json()["read_at"] is not None
    assert client.get("/api/v1/me/notifications/unread-count", headers=headers).json() == {
        "unread": 2
    }
    unread = client.get("/api/v1/me/notifications?unread=true", headers=headers).json()
    assert [n["id"] for n in unread["items"]] == [items[1]["id"], items[2]["id"]]
    again = client.post(f"/api/v1/me/notifications/{items[0]['id']}/read", headers=headers)
    assert again.json()["read_at"] == marked.json()["read_at"]  # marking twice changes nothing
    everything = client.post("/api/v1/me/notifications/read-all", headers=headers)
    assert everything.json() == {"marked": 2, "unread": 0}
    # The colleague's inbox is untouched.
    colleague = client.get("/api/v1/me/notifications/unread-count", headers=world["colleague_h"])
    assert colleague.json() == {"unread": 1}


def test_someone_elses_notification_does_not_exist_for_you(
    client: Client, world: dict[str, Any]
) -> None:
    theirs = client.get("/api/v1/me/notifications", headers=world["colleague_h"]).json()["items"]
    for headers in (world["engineer_h"], world["admin_h"]):
        answer = client.post(f"/api/v1/me/notifications/{theirs[0]['id']}/read", headers=headers)
        assert answer.status_code == 404
    still = client.get("/api/v1/me/notifications/unread-count", headers=world["colleague_h"])
    assert still.json() == {"unread": 1}


CUSTOMER_AND_ANONYMOUS = [
    ("GET", "/api/v1/me/notifications", None),
    ("GET", "/api/v1/me/notifications/unread-count", None),
    ("POST", "/api/v1/me/notifications/1/read", None),
    ("POST", "/api/v1/me/notifications/read-all", None),
    ("GET", "/api/v1/me/notification-preferences", None),
    ("PUT", "/api/v1/me/notification-preferences", {"preferences": {}}),
    ("GET", "/api/v1/notification-deliveries", None),
    ("POST", "/api/v1/notification-deliveries/1/retry", None),
]


@pytest.mark.parametrize(("method", "path", "body"), CUSTOMER_AND_ANONYMOUS)
def test_customers_and_strangers_never_reach_notifications(
    client: Client, world: dict[str, Any], method: str, path: str, body: Any
) -> None:
    org_token = client.request(method, path, json=body, headers=world["org_h"])
    assert org_token.status_code == 403, org_token.text
    cookie, csrf = world["dev_session"]
    client.cookies.set("rtcdesk_session", cookie)
    contact = client.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
    assert contact.status_code == 403, contact.text
    client.cookies.clear()
    assert client.request(method, path, json=body).status_code == 401


def test_preferences_read_and_change(client: Client, world: dict[str, Any]) -> None:
    headers = world["engineer_h"]
    listed = client.get("/api/v1/me/notification-preferences", headers=headers)
    assert listed.status_code == 200, listed.text
    by_kind = {k["kind"]: k for k in listed.json()}
    assigned = by_kind["ticket.assigned"]
    assert assigned["description"] == "有工单分配给你"
    assert [
        (c["channel"], c["enabled"], c["default"], c["locked"]) for c in assigned["channels"]
    ] == [
        ("in_app", True, True, False),
        ("email", True, True, False),
    ]
    changed = client.put(
        "/api/v1/me/notification-preferences",
        json={"preferences": {"ticket.assigned": {"email": False}}},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    after = {k["kind"]: k for k in changed.json()}["ticket.assigned"]["channels"]
    assert [(c["channel"], c["enabled"]) for c in after] == [("in_app", True), ("email", False)]
    # Only that kind, and only that person.
    assert {k["kind"]: k for k in changed.json()}["ticket.customer_replied"]["channels"][1][
        "enabled"
    ]
    colleague = client.get("/api/v1/me/notification-preferences", headers=world["colleague_h"])
    assert {k["kind"]: k for k in colleague.json()}["ticket.assigned"]["channels"][1]["enabled"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"preferences": {"ticket.nope": {"email": False}}}, "kind", "no notification kind"),
        (
            {"preferences": {"ticket.assigned": {"pager": True}}},
            "channel",
            "no notification channel",
        ),
        ({"preferences": {"ticket.assigned": {"email": "no"}}}, None, "bool"),
        ({"preferences": []}, None, "object"),
        ({"prefs": {}}, None, "prefs"),
    ],
)
def test_bad_preferences_get_a_readable_400(
    client: Client, world: dict[str, Any], body: Any, field: str | None, words: str
) -> None:
    answer = client.put(
        "/api/v1/me/notification-preferences", json=body, headers=world["engineer_h"]
    )
    assert answer.status_code == 400, answer.text
    problem = answer.json()
    assert words in problem["detail"]
    if field:
        assert problem.get("field") == field or field in answer.text


@pytest.mark.parametrize(
    "query", ["cursor=not-a-cursor", "limit=0", "limit=100000", "unread=maybe"]
)
def test_bad_list_parameters_get_a_400(client: Client, world: dict[str, Any], query: str) -> None:
    answer = client.get(f"/api/v1/me/notifications?{query}", headers=world["engineer_h"])
    assert answer.status_code == 400, answer.text


def test_the_delivery_log_is_for_admins(client: Client, world: dict[str, Any]) -> None:
    for role in ("engineer_h", "manager_h"):
        assert client.get("/api/v1/notification-deliveries", headers=world[role]).status_code == 403
    log = client.get("/api/v1/notification-deliveries?status=queued", headers=world["admin_h"])
    assert log.status_code == 200, log.text
    items = log.json()["items"]
    assert len(items) == 4  # the email deliveries of the four notifications
    assert {i["channel"] for i in items} == {"email"}
    assert items[0]["recipient_name"]
    assert items[0]["title"].startswith("Ticket #")  # the admin reads English
    sent = client.get("/api/v1/notification-deliveries?status=sent", headers=world["admin_h"])
    assert {i["channel"] for i in sent.json()["items"]} == {"in_app"}
    bad = client.get("/api/v1/notification-deliveries?status=lost", headers=world["admin_h"])
    assert bad.status_code == 400
    assert "status must be one of" in bad.json()["detail"]
    queued = items[0]["id"]
    retry = client.post(f"/api/v1/notification-deliveries/{queued}/retry", headers=world["admin_h"])
    assert retry.status_code == 409
    missing = client.post("/api/v1/notification-deliveries/999999/retry", headers=world["admin_h"])
    assert missing.status_code == 404
