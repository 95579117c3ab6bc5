"""Paging in headless Chromium, on a Tuesday night in Beijing (``night_server``).

A P1 opened at 22:30 Beijing time is outside business hours: it pages whoever is on call
on the demo's 7x24 schedule (the default schedule). The engineer acknowledges one page with
the inbox's button and another with the signed link of its notification opened in a browser
without a session; each ticket's history shows the page and the acknowledgement. The
schedule form refuses an escalation delay out of range and keeps what was typed.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

ADMIN = "chen.jing@rtcdesk.example"


def _csrf(page: Any) -> str:
    return page.locator("input[name=_csrf]").first.get_attribute("value") or ""


def _open_p1(admin: Any, base: str, subject: str) -> int:
    """The admin opens a P1 (critical urgency and impact) for EduSpark through the API."""
    orgs = admin.request.get(f"{base}/api/v1/organizations").json()
    org_id = next(o["id"] for o in orgs if o["name"].startswith("EduSpark"))
    created = admin.request.post(
        f"{base}/api/v1/tickets",
        data={
            "subject": subject,
            "body": "Nobody in the Shanghai classrooms can publish video since 22:20.",
            "category": "troubleshooting",
            "urgency": "critical",
            "impact": "critical",
            "organization_id": org_id,
        },
        headers={"X-CSRF-Token": _csrf(admin)},
    )
    assert created.ok, created.text()
    ticket = created.json()
    assert ticket["priority"] == "P1"
    return int(ticket["id"])


def _paged_agent(admin: Any, base: str, ticket_id: int) -> str:
    """The email of the first person the ticket's page reached."""
    pages = admin.request.get(f"{base}/api/v1/pages?open=true").json()
    page = next(p for p in pages if p["ticket_id"] == ticket_id)
    assert page["reason"] == "p1_after_hours"
    agents = admin.request.get(f"{base}/api/v1/agents").json()
    first = page["steps"][0]["agent_id"]
    return str(next(a["email"] for a in agents if a["id"] == first))


def _history(page: Any) -> Any:
    return page.locator(".history-list")


def test_after_hours_p1_pages_and_is_acknowledged_from_the_inbox_and_a_link(
    night_server: str, new_page: Any
) -> None:
    admin = new_page("en-US")
    sign_in(admin, night_server, "console", ADMIN, lang="en")
    admin.goto(f"{night_server}/console/tickets")
    first = _open_p1(admin, night_server, "Publishing fails in every Shanghai classroom")
    second = _open_p1(admin, night_server, "Students cannot hear the teacher in room 7")
    on_call = _paged_agent(admin, night_server, first)
    assert _paged_agent(admin, night_server, second) == on_call

    # The engineer on call acknowledges the first page with the inbox's button.
    engineer = new_page("en-US")
    sign_in(engineer, night_server, "console", on_call, lang="en")
    engineer.goto(f"{night_server}/console/notifications")
    item = engineer.locator(".notification", has_text=f"#{first}").first
    expect(item).to_contain_text("Page: P1 ticket")
    item.locator(".notification-action button").click()
    expect(engineer).to_have_url(f"{night_server}/console/notifications")
    item = engineer.locator(".notification", has_text=f"#{first}").first
    expect(item.locator(".notification-action")).to_have_count(0)
    # The second page still waits: its button is there.
    expect(
        engineer.locator(".notification", has_text=f"#{second}").first.locator(
            ".notification-action button"
        )
    ).to_have_text("Acknowledge")

    engineer.goto(f"{night_server}/console/tickets/{first}")
    history = _history(engineer)
    expect(history).to_contain_text("paged")
    expect(history).to_contain_text("P1 outside business hours")
    expect(history).to_contain_text("acknowledged the page in the console")
    expect(engineer.locator(".page-box[data-page]").first).to_contain_text("Acknowledged")

    # The second through the signed link in its notification, in a browser without a session.
    notes = engineer.request.get(f"{night_server}/api/v1/me/notifications").json()["items"]
    link = next(n["link"] for n in notes if n["ticket_id"] == second and n["kind"] == "oncall.page")
    assert link.startswith("/pages/ack/")
    phone = new_page("zh-CN")
    phone.goto(f"{night_server}{link}")
    expect(phone.locator("#page-ack")).to_contain_text(f"#{second}")
    phone.click("#page-ack-button")
    expect(phone.locator("#page-ack-done")).to_be_visible()
    # Used once: opening it again says so.
    phone.goto(f"{night_server}{link}")
    expect(phone.locator("#page-ack-problem")).to_be_visible()

    engineer.goto(f"{night_server}/console/notifications")
    expect(
        engineer.locator(".notification", has_text=f"#{second}").first.locator(
            ".notification-action"
        )
    ).to_have_count(0)
    engineer.goto(f"{night_server}/console/tickets/{second}")
    expect(_history(engineer)).to_contain_text("acknowledged the page with the link in the page")
    engineer.click("a[data-lang='zh-CN']")
    expect(_history(engineer)).to_contain_text("确认了呼叫（通过呼叫中的链接）")


def test_the_pages_list_and_the_demo_pages(night_server: str, new_page: Any) -> None:
    page = new_page("zh-CN")
    sign_in(page, night_server, "console", ADMIN, lang="zh-CN")
    page.goto(f"{night_server}/console/pages")
    table = page.locator("#pages-table")
    acked = table.locator("tr", has_text="All classrooms fail to connect in the Singapore region")
    expect(acked.locator(".page-box")).to_have_class("page-box page-acknowledged")
    waiting = table.locator("tr", has_text="Video black screen for every student on Android 14")
    expect(waiting.locator(".page-box")).to_have_class("page-box page-triggered")
    expect(waiting.locator(".page-chain li")).not_to_have_count(1)


def test_schedule_settings_refuse_a_bad_escalation_delay_and_keep_the_input(
    night_server: str, new_page: Any
) -> None:
    page = new_page("en-US")
    sign_in(page, night_server, "console", ADMIN, lang="en")
    page.goto(f"{night_server}/console/oncall")
    expect(page.locator("#oncall-table tr", has_text="RTC 7x24")).to_contain_text(
        "Default schedule"
    )
    page.click("#oncall-table a:has-text('RTC 7x24')")
    expect(page.locator("#schedule-paging")).to_contain_text("after 5 minutes")
    page.click("details:has(#schedule-form) summary")
    form = page.locator("#schedule-form")
    expect(form.locator("input[name=is_default]")).to_be_checked()
    form.locator("textarea[name=description]").fill("Night desk, kept after a mistake")
    form.locator("input[name=escalate_after_minutes]").fill("500")
    # The server's own check, not the browser's: send it as a browser without validation.
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_contain_text("1 to 120 minutes")
    expect(form.locator("input[name=escalate_after_minutes]")).to_have_value("500")
    expect(form.locator("textarea[name=description]")).to_have_value(
        "Night desk, kept after a mistake"
    )
    expect(form.locator("input[name=is_default]")).to_be_checked()

    form.locator("input[name=escalate_after_minutes]").fill("15")
    form.locator("button[type=submit]").click()
    expect(page.locator("#schedule-paging")).to_contain_text("after 15 minutes")
    page.click("a[data-lang='zh-CN']")
    expect(page.locator("#schedule-paging")).to_contain_text("15")
    expect(page.locator("#schedule-paging .badge")).to_have_text("默认排班")
