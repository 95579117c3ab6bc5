"""A customer opens a ticket in the portal, an agent answers in the console, the customer
reads the answer; the language switch works. All in headless Chromium on a real server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "zhou.xm@xinghai.example"
AGENT = "li.wei@rtcdesk.example"


def test_ticket_round_trip_between_portal_and_console(
    live_server: str, new_page: Any, tmp_path: Path
) -> None:
    customer = new_page("en-US")
    customer.goto(f"{live_server}/lang/en?next=/portal/")
    sign_in(customer, live_server, "portal", CUSTOMER)
    assert "/portal/" in customer.url
    customer.click("text=Open a ticket >> nth=0")
    customer.fill("input[name=subject]", "E2E 直播卡顿 stutter on Android 14")
    customer.select_option("select[name=category]", "troubleshooting")
    customer.select_option("select[name=platform]", "android")
    customer.fill("input[name=sdk_version]", "4.3.1")
    customer.select_option("select[name=urgency]", "high")
    customer.select_option("select[name=impact]", "high")
    customer.fill("textarea[name=body]", "观众端每隔几秒卡一下，附上日志。")
    log = tmp_path / "sdk.log"
    log.write_text("2026-11-24 10:00:01 W rtc: video freeze 820ms\n", encoding="utf-8")
    customer.set_input_files("input[name=files]", str(log))
    customer.click("#new-ticket-form button[type=submit]")
    customer.wait_for_load_state()
    match = re.search(r"/portal/tickets/(\d+)", customer.url)
    assert match, customer.url
    ticket_id = match.group(1)
    assert customer.locator("text=观众端每隔几秒卡一下").is_visible()
    assert customer.locator("a:has-text('sdk.log')").is_visible()

    agent = new_page("en-US")
    sign_in(agent, live_server, "console", AGENT)
    agent.goto(f"{live_server}/lang/en?next=/console/tickets")
    agent.fill("input[name=q]", "E2E")
    agent.click("#filters button[type=submit]")
    agent.click(f"a[href='/console/tickets/{ticket_id}']")
    agent.wait_for_load_state()
    assert agent.locator(".badge.pr-P2").first.is_visible()
    agent.fill("#reply-form textarea[name=body]", "请开启双流和 FEC，我们看到下行丢包 12%。")
    agent.select_option("#reply-form select[name=status]", "pending_customer")
    agent.click("#reply-form button[type=submit]")
    agent.wait_for_load_state()
    agent.check("#reply-form input[value=internal]")
    agent.fill("#reply-form textarea[name=body]", "Internal: ISP congestion in Guangdong")
    agent.click("#reply-form button[type=submit]")
    agent.wait_for_load_state()
    assert agent.locator("article.message.internal").count() == 1
    assert agent.locator(".history-list").inner_text().count("Waiting for customer") >= 1

    customer.reload()
    assert customer.locator("text=请开启双流和 FEC").is_visible()
    assert customer.locator("text=Internal: ISP congestion").count() == 0
    assert customer.locator(".badge.st-pending_customer").is_visible()
    customer.fill("#reply-form textarea[name=body]", "改了以后好多了，谢谢！")
    customer.click("#reply-form button[type=submit]")
    customer.wait_for_load_state()
    assert customer.locator(".badge.st-open").is_visible()
    customer.click("#solve-form button")
    customer.wait_for_load_state()
    assert customer.locator(".badge.st-solved").is_visible()


def test_language_switch(live_server: str, new_page: Any) -> None:
    page = new_page("en-US")
    sign_in(page, live_server, "portal", CUSTOMER)
    page.goto(f"{live_server}/lang/en?next=/portal/")
    assert page.locator("nav.mainnav").inner_text().startswith("My tickets")
    page.click("a[data-lang='zh-CN']")
    page.wait_for_load_state()
    assert "我的工单" in page.locator("nav.mainnav").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.click("a[data-lang='en']")
    page.wait_for_load_state()
    assert "My tickets" in page.locator("nav.mainnav").inner_text()


def test_browser_language_is_the_default(live_server: str, new_page: Any) -> None:
    page = new_page("zh-CN")
    page.goto(f"{live_server}/console/login")
    assert page.locator("h1").inner_text() == "支持控制台登录"


def test_wrong_password_and_protected_pages(live_server: str, new_page: Any) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server}/console/tickets")
    assert "/console/login" in page.url
    page.fill("input[name=email]", AGENT)
    page.fill("input[name=password]", "nope-nope")
    page.click("#login-form button[type=submit]")
    assert page.locator(".error").inner_text() == "Wrong email or password."
    # A customer cannot use the console.
    sign_in(page, live_server, "portal", CUSTOMER)
    page.goto(f"{live_server}/console/tickets")
    assert "/console/login" in page.url


def test_console_properties_and_saved_view(live_server: str, new_page: Any) -> None:
    page = new_page("en-US")
    sign_in(page, live_server, "console", AGENT)
    page.goto(f"{live_server}/console/tickets?status=unsolved")
    page.click("#ticket-table a.subject >> nth=0")
    page.wait_for_load_state()
    page.select_option("#properties-form select[name=priority]", "P1")
    page.fill("#properties-form input[name=priority_reason]", "launch day")
    page.fill("#properties-form input[name=tags]", "launch-guard vip")
    page.click("#properties-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".flash.ok").is_visible()
    history = page.locator(".history-list").inner_text()
    assert "launch-guard, vip" in history
    assert "P1" in history
    page.goto(f"{live_server}/console/tickets?tag=vip")
    page.click("details.save-view summary")
    page.fill("details.save-view input[name=name]", "VIP tickets")
    page.click("details.save-view button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".saved-view a.active .view-name").inner_text() == "VIP tickets"
    assert page.locator(".saved-view a.active .count").inner_text() == "1"
    assert page.locator("#ticket-table tbody tr").count() == 1


LAB = Path(__file__).resolve().parents[1] / "fixtures" / "lab"


def test_customer_self_diagnoses_a_dump(live_server: str, new_page: Any) -> None:
    page = new_page("zh-CN")
    sign_in(page, live_server, "portal", CUSTOMER)
    page.click("nav.mainnav a[href='/portal/diagnose']")
    page.set_input_files("#diagnose-form input[name=file]", str(LAB / "uplink-loss.dump.json.gz"))
    page.click("#diagnose-form button[type=submit]")
    # The page refreshes itself until the embedded worker has diagnosed the file.
    page.wait_for_selector("#diagnosis-summary", timeout=60_000)
    assert "上行" in page.locator("#diagnosis-summary").inner_text()
    with page.expect_popup() as popup:
        page.click("text=打开完整报告")
    report = popup.value
    report.wait_for_load_state()
    assert report.locator("svg").count() > 0
