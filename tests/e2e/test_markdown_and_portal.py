"""In headless Chromium on a real server: a reply with a fenced code block renders as
highlighted code (styles from the project's own sheet, allowed by the page CSP), and the
portal ticket page tells the customer what they submitted and who changed the status.

Only Playwright's auto-waiting expectations (their upper bounds come from the e2e
fixtures): no sleeps, no wall-clock limits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "zhou.xm@xinghai.example"
AGENT = "li.wei@rtcdesk.example"
REPLY = "Set the audio session first:\n\n```swift\ntry session.setCategory(.playAndRecord)\n```"


def test_code_reply_is_highlighted_and_portal_shows_the_submission(
    live_server: str, new_page: Any
) -> None:
    from playwright.sync_api import expect

    customer = new_page("en-US")
    sign_in(customer, live_server, "portal", CUSTOMER, lang="en")
    customer.goto(f"{live_server}/portal/tickets/new")
    customer.fill("input[name=subject]", "E2E markdown: no audio on React Native")
    customer.select_option("select[name=category]", "integration")
    customer.select_option("select[name=platform]", "react-native")
    customer.fill("input[name=sdk_version]", "4.3.1")
    customer.select_option("select[name=urgency]", "high")
    customer.select_option("select[name=impact]", "low")
    customer.fill("input[name=app_id]", "app-e2e-7f3a")
    customer.fill("textarea[name=body]", "Nobody hears us after joining.\nOnly on iOS 17.")
    customer.click("#new-ticket-form button[type=submit]")
    expect(customer).to_have_url(re.compile(r"/portal/tickets/\d+$"))
    ticket_id = re.search(r"/portal/tickets/(\d+)$", customer.url).group(1)  # type: ignore[union-attr]

    submitted = customer.locator("#submitted")
    for field, shown in {
        "category": "Integration",
        "platform": "React Native",
        "sdk_version": "4.3.1",
        "app_id": "app-e2e-7f3a",
        "urgency": "High",
        "impact": "Low",
    }.items():
        expect(submitted.locator(f"dd[data-field={field}]")).to_have_text(shown)
    # The description keeps its line break.
    expect(customer.locator("article.message .body p br")).to_have_count(1)

    agent = new_page("en-US")
    sign_in(agent, live_server, "console", AGENT, lang="en")
    agent.goto(f"{live_server}/console/tickets/{ticket_id}")
    agent.fill("#reply-form textarea[name=body]", REPLY)
    agent.select_option("#reply-form select[name=status]", "pending_customer")
    agent.click("#reply-form button[type=submit]")
    code = agent.locator("article.message .body pre.highlight > code")
    expect(code).to_have_count(1)
    expect(code).to_have_text("try session.setCategory(.playAndRecord)")
    keyword = code.locator("span.k").first
    expect(keyword).to_have_text("try")
    # Pygments' "default" style colours keywords green: the sheet is served and allowed.
    expect(keyword).to_have_css("color", "rgb(0, 128, 0)")

    customer.reload()
    expect(customer.locator("article.message .body pre.highlight span.k").first).to_have_text("try")
    status = customer.locator(".status-help")
    expect(status).to_contain_text("Waiting for your reply")
    customer.click("#solve-form button")
    expect(status).to_contain_text("You marked this solved.")
    customer.click("a[data-lang='zh-CN']")
    expect(status).to_contain_text("您已将此工单标记为已解决")
    expect(submitted.locator("dd[data-field=platform]")).to_have_text("React Native")
    expect(submitted.locator("dd[data-field=urgency]")).to_have_text("高")
    expect(customer.locator("#submitted h3")).to_have_text("您提交的信息")
