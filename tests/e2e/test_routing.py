"""Routing in the console, in headless Chromium on a real server: an admin adds a rule, an
agent goes away and gets no new ticket, the ticket page says where it went and why, and a
re-route after the agent is back hands it to them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

ADMIN = "chen.jing@rtcdesk.example"
# The only Client SDKs engineer with the electron skill; no other browser test signs in as him.
DESKTOP_AGENT = "tom.becker@rtcdesk.example"


def test_rule_availability_reason_and_reroute(live_server: str, new_page: Any) -> None:
    from playwright.sync_api import expect

    admin = new_page("en-US")
    sign_in(admin, live_server, "console", ADMIN, lang="en")
    admin.goto(f"{live_server}/console/routing")
    expect(admin.locator("#builtin-tier")).to_contain_text("strategic level L3")
    expect(admin.locator("#builtin-fallback")).to_contain_text("round robin")
    form = admin.locator("#rule-form")
    form.locator("input[name=name]").fill("E2E desktop SDKs")
    form.locator("input[name=categories][value=advanced_tuning]").check()
    form.locator("input[name=skills][value=electron]").check()
    form.locator("select[name=group_id]").select_option(label="Client SDKs")
    form.locator("input[name=position]").fill("1")
    form.locator("button[type=submit]").click()
    first_rule = admin.locator("#routing-rules tbody tr[data-rule]").first
    expect(first_rule).to_contain_text("E2E desktop SDKs")
    expect(first_rule).to_contain_text("Client SDKs")

    agent = new_page("en-US")
    sign_in(agent, live_server, "console", DESKTOP_AGENT, lang="en")
    expect(agent.locator("#availability-state")).to_have_text("Available")
    agent.locator("#availability-form button").click()
    expect(agent.locator("#availability-state")).to_have_text("Away")

    admin.goto(f"{live_server}/console/tickets/new")
    with admin.expect_navigation():
        admin.select_option("select[name=organization_id]", label="PixelForge Games")
    ticket_form = admin.locator("#new-ticket-form")
    ticket_form.locator("input[name=subject]").fill("E2E Electron screen share is blurry")
    ticket_form.locator("select[name=category]").select_option("advanced_tuning")
    ticket_form.locator("select[name=platform]").select_option("electron")
    ticket_form.locator("textarea[name=body]").fill("Screen sharing text is hard to read.")
    ticket_form.locator("button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/console/tickets/\d+$"))
    reason = admin.locator("#routing-reason")
    expect(reason).to_contain_text("Routed to Client SDKs: rule “E2E desktop SDKs”")
    expect(reason).to_contain_text("skill electron")
    expect(reason).to_contain_text("no available agent fits")
    expect(admin.locator("#properties-form select[name=assignee_id]")).to_have_value("")
    expect(admin.locator(".history-list li.routed")).to_have_count(1)

    agent.locator("#availability-form button").click()
    expect(agent.locator("#availability-state")).to_have_text("Available")
    admin.locator("#reroute-form button").click()
    expect(reason).to_contain_text("Re-routed to Client SDKs · Tom Becker")
    expect(reason).to_contain_text("load ")
    expect(admin.locator(".history-list li.routed")).to_have_count(2)

    admin.goto(f"{live_server}/lang/zh-CN?next={admin.url.split(live_server)[1].split('?')[0]}")
    expect(admin.locator("#routing-reason")).to_contain_text(
        "已重新分派到 Client SDKs · Tom Becker"
    )
    expect(admin.locator("#routing-reason")).to_contain_text("技能 electron")
