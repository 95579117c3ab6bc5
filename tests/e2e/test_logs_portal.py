"""A customer analyses an SDK log in the portal, in a real Chromium, and opens the report
with its timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "zhou.xm@xinghai.example"
LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "logs"


def test_customer_analyses_a_log_in_the_portal(live_server: str, new_page: Any) -> None:
    page = new_page("zh-CN")
    sign_in(page, live_server, "portal", CUSTOMER)
    page.click("nav.mainnav a[href='/portal/logs']")
    page.set_input_files("#logs-form input[name=file]", str(LOGS / "sdk_api_order.log"))
    page.click("#logs-form button[type=submit]")
    # The page refreshes itself until the embedded worker has analysed the file.
    page.wait_for_selector("#diagnosis-summary", timeout=60_000)
    assert "App ID 无效" in page.locator("#diagnosis-summary").inner_text()
    assert "日志分析" in page.locator("h1").inner_text()
    with page.expect_popup() as popup:
        page.click("text=打开完整报告")
    report = popup.value
    report.wait_for_load_state()
    assert report.locator("figure svg").count() == 1
    assert "加入成功之前就开始发布" in report.locator("main").inner_text()
    page.goto(f"{live_server}/portal/logs")
    assert "sdk_api_order.log" in page.locator("#log-analyses").inner_text()
