"""The on-call schedule page in headless Chromium: the demo's 7x24 calendar, an admin adding
a daily layer through the form, and an agent's own override changing the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

ADMIN = "chen.jing@rtcdesk.example"
AGENT = "zhao.lei@rtcdesk.example"  # 赵磊 Zhao Lei, L1: not in the demo rotation


def _open_schedule(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/console/oncall")
    page.click(f"#oncall-table a:has-text('{name}')")
    page.wait_for_selector(".oncall-calendar")


def _day(page: Any, day: date) -> Any:
    return page.locator(f"td.cal-day[data-date='{day.isoformat()}']")


def _today(page: Any) -> date:
    return date.fromisoformat(page.locator("td.cal-day.today").get_attribute("data-date"))


def test_demo_calendar_in_both_languages(live_server: str, new_page: Any) -> None:
    from playwright.sync_api import expect

    page = new_page("zh-CN")
    sign_in(page, live_server, "console", ADMIN, lang="zh-CN")
    _open_schedule(page, live_server, "RTC 7x24")
    expect(page.locator("h2:has-text('当前值班')")).to_be_visible()
    # Four weeks of seven days, each with someone on both layers all day long.
    expect(page.locator("td.cal-day")).to_have_count(28)
    today = _today(page)
    cell = _day(page, today)
    expect(cell.locator(".cal-slot[data-layer='1']").first).to_be_visible()
    expect(cell.locator(".cal-slot[data-layer='2']").first).to_be_visible()
    expect(page.locator(".cal-slot.override").first).to_be_visible()  # the weekend cover
    page.click("a[data-lang='en']")
    expect(page.locator("h2:has-text('On call now')")).to_be_visible()
    expect(page.locator("#calendar th").first).to_have_text("Mon")


def test_admin_layer_then_an_agents_own_cover(live_server: str, new_page: Any) -> None:
    from playwright.sync_api import expect

    admin = new_page("en-US")
    sign_in(admin, live_server, "console", ADMIN, lang="en")
    admin.goto(f"{live_server}/console/oncall")
    admin.click("#oncall-table + details summary, details:has(#oncall-create-form) summary")
    admin.fill("#oncall-create-form input[name=name]", "Browser desk")
    admin.fill("#oncall-create-form input[name=timezone]", "Asia/Shanghai")
    admin.click("#oncall-create-form button[type=submit]")
    admin.wait_for_selector("#layer-add-form", state="attached")
    today = _today(admin)
    admin.click("details:has(#layer-add-form) summary")
    form = admin.locator("#layer-add-form")
    form.locator("input[name=name]").fill("Primary")
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("select[name=handover]").select_option("daily")
    form.locator("input[name=handover_time]").fill("00:00")
    pickers = form.locator("select[name=participant_ids]")
    pickers.nth(0).select_option(label="李伟 Li Wei (L3)")
    pickers.nth(1).select_option(label="Priya Nair (L3)")
    form.locator("button[type=submit]").click()
    expect(_day(admin, today).locator(".cal-name")).to_have_text("李伟 Li Wei")
    tomorrow = today + timedelta(days=1)
    expect(_day(admin, tomorrow).locator(".cal-name")).to_have_text("Priya Nair")
    expect(_day(admin, today + timedelta(days=2)).locator(".cal-name")).to_have_text("李伟 Li Wei")
    schedule_url = admin.url.split("?")[0].split("#")[0]

    # An L1 agent covers tomorrow himself; the calendar shows him, outlined as an override.
    agent = new_page("en-US")
    sign_in(agent, live_server, "console", AGENT, lang="en")
    agent.goto(schedule_url)
    agent.click("details:has(#override-form) summary")
    cover = agent.locator("#override-form")
    expect(cover.locator("select[name=agent_id] option")).to_have_count(1)  # only himself
    cover.locator("input[name=starts_at]").fill(f"{tomorrow.isoformat()}T00:00")
    cover.locator("input[name=ends_at]").fill(f"{(tomorrow + timedelta(days=1)).isoformat()}T00:00")
    cover.locator("input[name=reason]").fill("Swap for a holiday")
    cover.locator("button[type=submit]").click()
    covered = _day(agent, tomorrow)
    expect(covered.locator(".cal-slot.override .cal-name")).to_have_text("赵磊 Zhao Lei")
    expect(covered.locator(".cal-name", has_text="Priya Nair")).to_have_count(0)
    expect(_day(agent, today).locator(".cal-name")).to_have_text("李伟 Li Wei")
    expect(agent.locator("#override-table")).to_contain_text("Swap for a holiday")
    # A mistake keeps what was typed and says why, next to the form.
    agent.click("details:has(#override-form) summary")
    cover.locator("input[name=starts_at]").fill(f"{tomorrow.isoformat()}T12:00")
    cover.locator("input[name=ends_at]").fill(f"{tomorrow.isoformat()}T08:00")
    cover.locator("input[name=reason]").fill("backwards")
    cover.locator("button[type=submit]").click()
    expect(agent.locator("#override-form .error")).to_contain_text("must end after it starts")
    expect(agent.locator("#override-form input[name=reason]")).to_have_value("backwards")
