"""In headless Chromium: a form with a mistake keeps what was typed, a reply draft survives
saving the ticket's properties, and error pages speak the account's language.

Every wait is one of Playwright's auto-waiting expectations (no sleeps, no clocks), with
the generous upper bounds the ``new_page`` fixture sets.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "zhou.xm@xinghai.example"  # a Chinese-speaking customer
AGENT = "li.wei@rtcdesk.example"  # an engineer whose first language is Chinese


def test_portal_new_ticket_with_a_blank_subject_keeps_the_description(
    live_server: str, new_page: Any, tmp_path: Path
) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server}/lang/en?next=/portal/login")
    sign_in(page, live_server, "portal", CUSTOMER)
    page.goto(f"{live_server}/portal/tickets/new")
    description = "观众端每隔几秒卡一下 (Android 14, SDK 4.3.1)\nSteps: join, wait 30 s."
    page.fill("#new-ticket-form input[name=subject]", "   ")
    page.fill("#new-ticket-form textarea[name=body]", description)
    page.select_option("#new-ticket-form select[name=urgency]", "high")
    page.fill("#new-ticket-form input[name=sdk_version]", "4.3.1")
    log = tmp_path / "sdk.log"
    log.write_text("W rtc: video freeze 820ms\n", encoding="utf-8")
    page.set_input_files("#new-ticket-form input[name=files]", str(log))
    page.click("#new-ticket-form button[type=submit]")

    form = page.locator("#new-ticket-form")
    expect(form.locator(".field-error")).to_have_text("please give the ticket a subject")
    expect(page).to_have_url(re.compile(r"/portal/tickets/new$"))
    expect(form.locator("textarea[name=body]")).to_have_value(description)
    expect(form.locator("select[name=urgency]")).to_have_value("high")
    expect(form.locator("input[name=sdk_version]")).to_have_value("4.3.1")
    expect(form).to_contain_text("Choose the files again")
    # Fixing the subject is all it takes now.
    form.locator("input[name=subject]").fill("Video freezes on Android 14")
    page.set_input_files("#new-ticket-form input[name=files]", str(log))
    page.click("#new-ticket-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+$"))
    expect(page.locator(".conversation")).to_contain_text("观众端每隔几秒卡一下")
    expect(page.locator("a:has-text('sdk.log')")).to_be_visible()


def test_saving_properties_keeps_the_unsent_reply(live_server: str, new_page: Any) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server}/lang/en?next=/console/login")
    sign_in(page, live_server, "console", AGENT)
    page.goto(f"{live_server}/console/tickets?status=unsolved")
    page.click("#ticket-table a.subject >> nth=0")
    expect(page.locator("#reply-form")).to_be_visible()
    ticket_url = page.url

    draft = "请开启双流和 FEC。\nWe see 12% downlink loss."
    page.check("#reply-form input[value=internal]")
    page.fill("#reply-form textarea[name=body]", draft)
    page.fill("#properties-form input[name=tags]", "fec downlink-loss")
    page.click("#properties-form button[type=submit]")

    expect(page.locator(".flash.ok")).to_be_visible()
    expect(page.locator(".history-list")).to_contain_text("downlink-loss")
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value(draft)
    expect(page.locator("#reply-form input[value=internal]")).to_be_checked()

    # Sending the reply clears its draft: it does not come back on the next visit.
    page.click("#reply-form button[type=submit]")
    expect(page.locator("article.message.internal").last).to_contain_text(
        "We see 12% downlink loss."
    )
    page.goto(ticket_url)
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value("")
    expect(page.locator("#reply-form input[value=public]")).to_be_checked()


def test_a_reply_that_comes_back_keeps_its_draft_for_later(
    live_server: str, new_page: Any, tmp_path: Path
) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server}/lang/en?next=/console/login")
    sign_in(page, live_server, "console", AGENT)
    page.goto(f"{live_server}/console/tickets?status=unsolved")
    page.click("#ticket-table a.subject >> nth=1")
    expect(page.locator("#reply-form")).to_be_visible()
    ticket_url = page.url
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    page.fill("#reply-form textarea[name=body]", "Log attached")
    page.set_input_files("#reply-form input[name=files]", str(empty))
    page.click("#reply-form button[type=submit]")
    expect(page.locator("#reply-form .field-error")).to_have_text("the file is empty")
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value("Log attached")
    # Leaving without sending: the text is still there next time.
    page.goto(ticket_url)
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value("Log attached")


def test_error_page_in_the_accounts_language(live_server: str, new_page: Any) -> None:
    page = new_page("en-US")  # an English browser, no language chosen on the site
    sign_in(page, live_server, "console", AGENT)
    response = page.goto(f"{live_server}/console/tickets/999999")
    assert response is not None
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#error-page h1")).to_contain_text("未找到")
    expect(page.locator("#error-page")).to_contain_text("未找到工单 999999")
    # The console around it, with its navigation.
    expect(page.locator("nav.mainnav a[href='/console/organizations']")).to_have_text("客户组织")
    page.click("nav.mainnav a[href='/console/tickets']")
    expect(page.locator("#ticket-table")).to_be_visible()


def test_kept_input_needs_no_javascript(live_server: str, browser: Any) -> None:
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    try:
        context.set_default_timeout(60_000)  # an upper bound for a busy machine
        page = context.new_page()
        page.goto(f"{live_server}/lang/en?next=/portal/login")
        sign_in(page, live_server, "portal", CUSTOMER)
        page.goto(f"{live_server}/portal/tickets/new")
        page.fill("#new-ticket-form input[name=subject]", " ")
        page.fill("#new-ticket-form textarea[name=body]", "No script here, still kept.")
        page.click("#new-ticket-form button[type=submit]")
        form = page.locator("#new-ticket-form")
        expect(form.locator(".field-error")).to_have_text("please give the ticket a subject")
        expect(form.locator("textarea[name=body]")).to_have_value("No script here, still kept.")
    finally:
        context.close()
