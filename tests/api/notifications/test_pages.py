"""The console's notification pages through the real app, without JavaScript: the bell's
count in the header, the inbox (open, mark read, all read, pages), the settings form, the
delivery log for administrators; customers are sent to sign in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container
from rtcdesk.notifications import service
from rtcdesk.notifications.handlers import TICKET_ASSIGNED
from rtcdesk.notifications.recipients import Recipients

Client = TestClient  # type: ignore[type-arg]


def notify(container: Container, agent_id: int, count: int) -> None:
    with container.uow() as uow:
        for i in range(count):
            service.notify(
                uow,
                kind=TICKET_ASSIGNED,
                key=f"page-test:{i}",
                recipients=Recipients.agents(agent_id),
                params={
                    "ticket_id": 100 + i,
                    "subject": "推流卡顿",
                    "organization": "星海",
                    "by": "Han",
                },
                link=f"/console/tickets/{100 + i}",
            )
        uow.commit()


def bell(html: str) -> str | None:
    found = re.search(r'<span class="bell-count" data-unread="(\d+)"', html)
    return found.group(1) if found else None


@pytest.fixture
def engineer(client: Client, container: Container) -> dict[str, Any]:
    person = fa.agent(container, languages=["zh-CN"])
    cookie, csrf = fa.agent_session(container, person)
    client.cookies.set("rtcdesk_session", cookie)
    return {"agent": person, "csrf": csrf}


def test_the_bell_shows_the_unread_count_on_every_console_page(
    client: Client, container: Container, engineer: dict[str, Any]
) -> None:
    assert bell(client.get("/console/tickets").text) == "0"
    notify(container, engineer["agent"].id, 3)
    for path in ("/console/tickets", "/console/organizations", "/console/notifications"):
        page = client.get(path)
        assert page.status_code == 200
        assert bell(page.text) == "3"
        assert 'data-unread-url="/api/v1/me/notifications/unread-count"' in page.text


def test_the_inbox_without_javascript(
    client: Client, container: Container, engineer: dict[str, Any]
) -> None:
    notify(container, engineer["agent"].id, 3)
    page = client.get("/console/notifications")
    assert "工单 #102 已分配给你" in page.text
    assert page.text.index("#102") < page.text.index("#101") < page.text.index("#100")
    assert "3 条未读" in page.text
    ids = re.findall(r'action="/console/notifications/(\d+)/open"', page.text)
    opened = client.post(
        f"/console/notifications/{ids[0]}/open",
        data={"_csrf": engineer["csrf"]},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert opened.headers["location"] == "/console/tickets/102"
    assert bell(client.get("/console/notifications").text) == "2"
    read = client.post(
        f"/console/notifications/{ids[1]}/read",
        data={"_csrf": engineer["csrf"], "next": "/console/notifications?show=unread"},
        follow_redirects=False,
    )
    assert read.headers["location"] == "/console/notifications?show=unread"
    unread_only = client.get("/console/notifications?show=unread").text
    assert "#100" in unread_only
    assert "#101" not in unread_only
    everything = client.post(
        "/console/notifications/read-all", data={"_csrf": engineer["csrf"]}, follow_redirects=True
    )
    assert bell(everything.text) == "0"
    assert "没有未读通知。" in client.get("/console/notifications?show=unread").text
    # Without the form's CSRF token nothing changes.
    forged = client.post(f"/console/notifications/{ids[2]}/read", data={}, follow_redirects=False)
    assert forged.status_code == 403


def test_the_inbox_pages(client: Client, container: Container, engineer: dict[str, Any]) -> None:
    notify(container, engineer["agent"].id, 30)
    first = client.get("/console/notifications").text
    assert first.count('class="notification ') == 25
    next_link = re.search(r'href="(/console/notifications\?cursor=[^"]+)"', first)
    assert next_link is not None
    second = client.get(next_link.group(1).replace("&amp;", "&")).text
    assert second.count('class="notification ') == 5
    assert "#100" in second
    assert client.get("/console/notifications?cursor=bogus").status_code == 400


def test_someone_elses_notification_cannot_be_opened(
    client: Client, container: Container, engineer: dict[str, Any]
) -> None:
    other = fa.agent(container)
    notify(container, other.id, 1)
    cookie, _csrf = fa.agent_session(container, other)
    client.cookies.set("rtcdesk_session", cookie)
    theirs = re.findall(
        r"/console/notifications/(\d+)/open", client.get("/console/notifications").text
    )
    mine = fa.agent_session(container, engineer["agent"])
    client.cookies.set("rtcdesk_session", mine[0])
    answer = client.post(
        f"/console/notifications/{theirs[0]}/open", data={"_csrf": mine[1]}, follow_redirects=False
    )
    assert answer.status_code == 404


def test_the_settings_form_switches_channels(
    client: Client, container: Container, engineer: dict[str, Any]
) -> None:
    page = client.get("/console/settings/notifications")
    assert page.status_code == 200
    assert "有工单分配给你" in page.text
    assert 'value="ticket.assigned:email" checked' in page.text
    saved = client.post(
        "/console/settings/notifications",
        data={
            "_csrf": engineer["csrf"],
            "on": ["ticket.assigned:in_app", "ticket.customer_replied:in_app"],
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert re.search(r'value="ticket.assigned:email"\s+aria-label', saved.text)  # unticked
    assert 'value="ticket.assigned:in_app" checked' in saved.text
    api = client.get("/api/v1/me/notification-preferences").json()
    email = {k["kind"]: k["channels"][1]["enabled"] for k in api}
    # A page reaches the mailbox whatever the settings (a required channel).
    assert email == {
        "ticket.assigned": False,
        "ticket.customer_replied": False,
        "oncall.page": True,
        "sla.warning": False,
        "sla.breach": False,
        "sla.escalated": False,
    }


def test_the_delivery_log_page_is_for_admins(
    client: Client, container: Container, engineer: dict[str, Any]
) -> None:
    notify(container, engineer["agent"].id, 1)
    assert client.get("/console/notifications/deliveries").status_code == 403
    cookie, _csrf = fa.agent_session(container, fa.agent(container, role="admin"))
    client.cookies.set("rtcdesk_session", cookie)
    page = client.get("/console/notifications/deliveries")
    assert page.status_code == 200
    assert "Ticket #100 was assigned to you" in page.text
    assert "Queued" in page.text
    assert "In the console" in page.text
    filtered = client.get("/console/notifications/deliveries?status=sent").text
    assert "Queued" not in filtered.split("<tbody>")[1]
    assert client.get("/console/notifications/deliveries?status=nope").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/console/notifications",
        "/console/settings/notifications",
        "/console/notifications/deliveries",
    ],
)
def test_customers_are_sent_to_sign_in(client: Client, container: Container, path: str) -> None:
    org = fa.organization(container)
    cookie, _csrf = fa.contact_session(container, fa.contact(container, org))
    client.cookies.set("rtcdesk_session", cookie)
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code in (303, 401)
    assert "bell-count" not in answer.text
