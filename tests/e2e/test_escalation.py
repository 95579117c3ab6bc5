"""Escalation in headless Chromium on a real server: an admin edits the demo's default
escalation policy, and a ticket the demo escalated shows its escalations in English and
Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

ADMIN = "chen.jing@rtcdesk.example"


def _escalated_ticket(page: Any, base: str) -> tuple[int, list[dict[str, Any]]]:
    """A demo ticket with escalations, found through the API with the page's session."""
    for ticket_id in range(1, 40):
        response = page.request.get(f"{base}/api/v1/tickets/{ticket_id}/escalations")
        if response.ok and response.json():
            return ticket_id, response.json()
    pytest.fail("the demo has no escalated ticket")


def test_admin_edits_a_policy_and_the_ticket_shows_its_escalations(
    live_server: str, new_page: Any
) -> None:
    from playwright.sync_api import expect

    admin = new_page("en-US")
    sign_in(admin, live_server, "console", ADMIN, lang="en")
    admin.goto(f"{live_server}/console/sla/policies")
    admin.locator("#escalation-link").click()
    policy = admin.locator("section.escalation-policy").first
    expect(policy).to_contain_text("Default ladder")
    expect(policy.locator("li.escalation-step[data-at=breach]")).to_contain_text(
        "reassign to the next level"
    )
    policy.get_by_role("link", name="Edit").click()
    form = admin.locator("#escalation-form")
    form.locator("input[name=name]").fill("E2E ladder")
    form.locator("select[name=step2_action]").select_option("add")
    form.locator("button[type=submit]").click()
    edited = admin.locator("section.escalation-policy[data-policy='E2E ladder']")
    expect(edited).to_be_visible()
    expect(edited.locator("li.escalation-step[data-at=breach]")).to_contain_text(
        "bring in the next level"
    )

    ticket_id, rows = _escalated_ticket(admin, live_server)
    admin.goto(f"{live_server}/console/tickets/{ticket_id}")
    box = admin.locator("#ticket-escalations")
    expect(box).to_contain_text("Escalations")
    expect(box).to_contain_text(rows[0]["reason"])
    expect(admin.locator(".history-list li.escalation-entry").first).to_be_visible()

    admin.goto(f"{live_server}/lang/zh-CN?next=/console/tickets/{ticket_id}")
    box = admin.locator("#ticket-escalations")
    expect(box).to_contain_text("升级记录")
    expect(box).to_contain_text("已超时" if rows[0]["threshold"] == "breach" else "已用")
