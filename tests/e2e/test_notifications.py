"""The bell in Chromium: a notification that arrives while a console page is open shows in
the header without a reload; the inbox opens it and marks it read."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

WATCHER = "david.kim@rtcdesk.example"
ADMIN = "chen.jing@rtcdesk.example"


def test_the_bell_counts_a_new_notification_without_a_reload(
    live_server: str, new_page: Any
) -> None:
    page = new_page()
    sign_in(page, live_server, "console", WATCHER)
    page.goto(f"{live_server}/console/tickets")
    count = page.locator("#bell .bell-count")
    before = count.get_attribute("data-unread")
    assert before is not None
    page.evaluate("window.__sameDocument = true")

    admin = new_page()
    sign_in(admin, live_server, "console", ADMIN)
    admin.goto(f"{live_server}/console/tickets")
    csrf = admin.locator("input[name=_csrf]").first.get_attribute("value")
    agents = admin.request.get(f"{live_server}/api/v1/agents").json()
    watcher_id = next(a["id"] for a in agents if a["email"] == WATCHER)
    org_id = admin.request.get(f"{live_server}/api/v1/organizations").json()[0]["id"]
    created = admin.request.post(
        f"{live_server}/api/v1/tickets",
        data={
            "subject": "铃铛测试 bell test",
            "body": "A new ticket for the bell.",
            "category": "integration",
            "organization_id": org_id,
            "assignee_id": watcher_id,
        },
        headers={"X-CSRF-Token": csrf or ""},
    )
    assert created.ok, created.text()
    ticket_id = created.json()["id"]

    # The open page learns of it by itself (app.js polls every second here).
    expect(count).not_to_have_attribute("data-unread", before)
    expect(count).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert page.title().startswith("(")

    page.click("#bell")
    item = page.locator(".notification.unread", has_text=f"#{ticket_id}").first
    expect(item).to_contain_text("Ticket #")
    item.locator("button.notification-title").click()
    expect(page).to_have_url(f"{live_server}/console/tickets/{ticket_id}")
    page.goto(f"{live_server}/console/notifications?show=unread")
    expect(page.locator(".notification.unread", has_text=f"#{ticket_id}")).to_have_count(0)
