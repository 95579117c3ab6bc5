"""Pages over HTTP: the API list and ack, the console ticket page and its button, and the
signed link page in both languages for a good, used, expired and forged link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from factories import accounts as fa
from factories import oncall as fo
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.notifications.models import Notification
from rtcdesk.oncall import links
from rtcdesk.oncall.schemas import ScheduleUpdate
from rtcdesk.oncall.service import update_schedule
from rtcdesk.tickets.models import Impact, Urgency

Client = TestClient[Any]
NIGHT = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # Tuesday 03:00 in Beijing


@pytest.fixture
def paged(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A P1 at 03:00 Beijing time that paged layer 1."""
    l1 = fa.agent(container, name="Zhang Min", languages=("zh-CN",))
    l2 = fa.agent(container, name="Li Wei")
    schedule = fo.schedule(container, [[l1], [l2]])
    with container.uow() as uow:
        update_schedule(uow, SYSTEM, schedule.id, ScheduleUpdate(is_default=True))
        uow.commit()
    contact = fa.contact(container, fa.organization(container))
    clock.set(NIGHT)
    ticket = ft.ticket(container, contact, urgency=Urgency.CRITICAL, impact=Impact.CRITICAL)
    with container.uow() as uow:
        link = uow.session.scalar(
            select(Notification.link).where(
                Notification.agent_id == l1.id, Notification.kind == "oncall.page"
            )
        )
    return {"l1": l1, "l2": l2, "ticket": ticket, "contact": contact, "link": link}


def test_the_api_lists_pages_and_acknowledges_them(
    client: Client, container: Container, paged: dict[str, Any]
) -> None:
    l1 = fa.bearer(fa.agent_token(container, paged["l1"]))
    listed = client.get("/api/v1/pages?open=true", headers=l1)
    assert listed.status_code == 200
    [page] = listed.json()
    assert (page["ticket_id"], page["state"]) == (paged["ticket"].id, "triggered")
    assert [s["agent_name"] for s in page["steps"]] == ["Zhang Min"]
    customer = fa.bearer(fa.org_token(container, fa.organization(container)))
    assert client.get("/api/v1/pages", headers=customer).status_code == 403
    stranger = fa.bearer(fa.agent_token(container, fa.agent(container)))
    refused = client.post(f"/api/v1/pages/{page['id']}/ack", headers=stranger)
    assert refused.status_code == 403
    done = client.post(f"/api/v1/pages/{page['id']}/ack", headers=l1)
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["acked_via"]) == ("acknowledged", "api")
    assert done.json()["seconds_to_acknowledge"] == 0
    again = client.post(f"/api/v1/pages/{page['id']}/ack", headers=l1)
    assert again.status_code == 409
    assert "already acknowledged" in again.json()["detail"]


def test_the_ticket_page_shows_the_page_and_acknowledges_it(
    client: Client, container: Container, paged: dict[str, Any]
) -> None:
    cookie, csrf = fa.agent_session(container, paged["l1"])
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    path = f"/console/tickets/{paged['ticket'].id}"
    html = client.get(path, headers={"Accept-Language": "en"}).text
    assert 'id="ticket-pages"' in html
    assert "paged Zhang Min (on call, step 1): P1 outside business hours" in html
    page_id = client.get("/api/v1/pages").json()[0]["id"]
    posted = client.post(
        f"/console/pages/{page_id}/ack",
        data={"_csrf": csrf, "back": path},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"].startswith(path)
    after = client.get(path, headers={"Accept-Language": "en"}).text
    assert "Zhang Min acknowledged the page in the console" in after
    assert 'class="primary page-ack"' not in after
    listing = client.get("/console/pages").text
    assert f"#{paged['ticket'].id}" in listing


def test_the_signed_link_works_once_without_a_session(
    client: Client, paged: dict[str, Any]
) -> None:
    link = paged["link"]
    shown = client.get(link)
    assert shown.status_code == 200
    assert 'id="page-ack-button"' in shown.text
    assert "正在呼叫你" in shown.text  # the paged engineer's language, not the browser's
    done = client.post(link)
    assert done.status_code == 200
    assert 'id="page-ack-done"' in done.text
    used = client.post(link, headers={"Accept-Language": "zh-CN"})
    assert used.status_code == 410
    assert "此确认链接已被使用" in used.text
    history = client.get("/api/v1/pages").status_code
    assert history == 401  # no session was ever needed, and none was made


def test_expired_and_forged_links_are_refused_clearly(
    client: Client, container: Container, clock: FrozenClock, paged: dict[str, Any]
) -> None:
    link = paged["link"]
    forged = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    refused = client.post(forged, headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert "not valid: it was altered or never issued" in refused.text
    other_key = links.sign(b"k" * 32, 1, paged["l1"].id, NIGHT + timedelta(hours=1))
    assert client.get(f"/pages/ack/{other_key}").status_code == 403
    clock.set(NIGHT + links.LINK_LIFETIME + timedelta(seconds=1))
    expired = client.post(link, headers={"Accept-Language": "zh-CN"})
    assert expired.status_code == 410
    assert "此确认链接已过期" in expired.text


def test_the_inbox_acknowledges_a_page_with_its_button(
    client: Client, container: Container, paged: dict[str, Any]
) -> None:
    cookie, csrf = fa.agent_session(container, paged["l1"])
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    inbox = client.get("/console/notifications").text
    page_id = client.get("/api/v1/pages").json()[0]["id"]
    action = f'action="/console/pages/{page_id}/ack"'
    assert action in inbox
    assert '<input type="hidden" name="back" value="/console/notifications">' in inbox
    refused = client.post(f"/console/pages/{page_id}/ack", data={"back": "/console/notifications"})
    assert refused.status_code == 403  # no CSRF token

    def page_note() -> dict[str, Any]:
        items = client.get("/api/v1/me/notifications").json()["items"]
        [found] = [n for n in items if n["kind"] == "oncall.page"]
        return dict(found)

    note = page_note()
    assert note["unread"]
    assert f'name="notification_id" value="{note["id"]}"' in inbox
    posted = client.post(
        f"/console/pages/{page_id}/ack",
        data={"_csrf": csrf, "back": "/console/notifications", "notification_id": str(note["id"])},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"].startswith("/console/notifications")
    assert action not in client.get("/console/notifications").text
    # Acknowledging from the inbox also marks the page's notification read.
    assert not page_note()["unread"]
    [page] = client.get("/api/v1/pages").json()
    assert (page["state"], page["acked_via"]) == ("acknowledged", "console")
    history = client.get(f"/console/tickets/{paged['ticket'].id}").text
    assert "Zhang Min acknowledged the page in the console" in history
    # In Chinese, the button is translated.
    client.cookies.set("rtcdesk_lang", "zh-CN")
    again = client.post(
        f"/console/pages/{page_id}/ack",
        data={"_csrf": csrf, "back": "/console/notifications"},
    )
    assert again.status_code == 409
    assert "此呼叫已被确认" in again.text


def test_the_inbox_offers_no_button_to_someone_the_page_did_not_reach(
    client: Client, container: Container, paged: dict[str, Any]
) -> None:
    cookie, _ = fa.agent_session(container, paged["l2"])
    client.cookies.set("rtcdesk_session", cookie)
    assert "/ack" not in client.get("/console/notifications").text
