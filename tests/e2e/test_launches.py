"""Launch guard in headless Chromium on a real server: an agent registers a launch for
CloudMeet in the console and ticks a readiness item; the banner shows on the organization's
console ticket page and in its contacts' portal, in Chinese and in English; then the agent
cancels it (the other browser tests share this server)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

AGENT = "sun.hao@rtcdesk.example"  # 孙浩 Sun Hao registers the launch
CUSTOMER = "wu.hao@cloudmeet.example"  # 吴昊, a CloudMeet developer
ORG = "云会议科技 CloudMeet"
ENGINEER = "王芳 Wang Fang"
BACKUP = "刘洋 Liu Yang"


def test_register_tick_and_see_the_banners(live_server: str, new_page: Any) -> None:
    from playwright.sync_api import expect

    agent = new_page("en-US")
    sign_in(agent, live_server, "console", AGENT, lang="en")
    agent.goto(f"{live_server}/console/launches")
    expect(agent.locator("#launches-active")).to_contain_text("TeleHealth")  # the demo's
    expect(agent.locator("#launches-upcoming")).to_contain_text("EduSpark")
    agent.click("#launch-new")
    form = agent.locator("#launch-create-form")
    form.locator("select[name=organization_id]").select_option(label=ORG)
    form.locator("input[name=title]").fill("CloudMeet 5.0 desktop launch")
    form.locator("textarea[name=description]").fill("New screen-sharing engine")
    # Registered an hour into the window: it is active at once.
    local = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
    form.locator("input[name=starts_at]").fill(
        (local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("input[name=ends_at]").fill((local + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=timezone]").fill("Asia/Shanghai")
    form.locator("select[name=engineer_id]").select_option(label=ENGINEER)
    form.locator("select[name=backup_id]").select_option(label=BACKUP)
    form.locator("input[name=peak_concurrency]").fill("80000")
    form.locator("select[name=platform_0]").select_option("windows")
    form.locator("input[name=sdk_version_0]").fill("4.3.1")
    form.locator("select[name=item_owner_0]").select_option(label=ENGINEER)
    form.locator("button[type=submit]").click()
    expect(agent.locator("h1 .launch-state")).to_have_attribute("data-state", "active")
    launch_url = agent.url.split("?")[0].split("#")[0]
    checklist = agent.locator("#launch-checklist")
    expect(checklist.locator("tbody tr")).to_have_count(3)  # the demo's template
    first = checklist.locator("tbody tr").first
    first.locator("input[name=done]").check()
    first.locator("button[type=submit]").click()
    expect(agent.locator("h2#checklist")).to_contain_text("1/3")
    expect(
        agent.locator("#launch-checklist tbody tr").first.locator("input[name=done]")
    ).to_be_checked()

    # The organization's contact sees the banner in the portal, in Chinese then English.
    customer = new_page("zh-CN")
    sign_in(customer, live_server, "portal", CUSTOMER, lang="zh-CN")
    banner = customer.locator("#launch-banner")
    expect(banner).to_contain_text("重保支持进行中")
    expect(banner).to_contain_text(f"值班：{ENGINEER}")
    expect(banner).to_contain_text(f"备份：{BACKUP}")
    customer.click("a[data-lang='en']")
    expect(banner).to_contain_text("Launch support active until")
    expect(banner).to_contain_text(f"on-call: {ENGINEER}")
    customer.click("text=Open a ticket >> nth=0")
    customer.fill("input[name=subject]", "E2E launch: screen share black on Windows 11")
    customer.select_option("select[name=category]", "consulting")
    customer.select_option("select[name=platform]", "windows")
    customer.fill("textarea[name=body]", "Shared screen is black for viewers.")
    customer.click("#new-ticket-form button[type=submit]")
    customer.wait_for_url(re.compile(r"/portal/tickets/\d+"))
    expect(customer.locator("#launch-banner")).to_contain_text(f"on-call: {ENGINEER}")
    ticket_id = re.search(r"/portal/tickets/(\d+)", customer.url).group(1)  # type: ignore[union-attr]

    # The console's ticket page of that organization, in English then Chinese.
    agent.goto(f"{live_server}/console/tickets/{ticket_id}")
    console_banner = agent.locator("#launch-banner")
    expect(console_banner).to_contain_text("Launch support active until")
    expect(console_banner).to_contain_text(f"on-call: {ENGINEER}, backup: {BACKUP}")
    agent.click("a[data-lang='zh-CN']")
    expect(console_banner).to_contain_text("重保支持进行中")
    expect(console_banner).to_contain_text(f"值班：{ENGINEER}")
    agent.goto(f"{live_server}/console/tickets")
    expect(agent.locator("#launch-strip")).to_contain_text("CloudMeet 5.0 desktop launch")

    # Cancelled: the banners go (other browser tests use this server too).
    agent.goto(launch_url)
    agent.click("#launch-cancel-form button[type=submit]")
    expect(agent.locator("h1 .launch-state")).to_have_attribute("data-state", "cancelled")
    customer.reload()
    expect(customer.locator("#launch-banner")).to_have_count(0)
