"""SLAs as people see them, in headless Chromium, on a Tuesday night in Beijing.

The server's clock is the real one moved to 22:30 Beijing time (``night_server``); the demo's
EduSpark tickets (enterprise P2, measured on the 24x7 calendar) sit in every clock state
relative to it: running and due in 3 h, past the 75 % warning and due in 80 min, breached,
paused waiting on the customer, met. Their distances from "now" hold for hours, so the
assertions do not depend on how long the machine takes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

ADMIN = "chen.jing@rtcdesk.example"
AGENT = "zhao.lei@rtcdesk.example"  # an L1 engineer, not an admin
CUSTOMER_EN = "ben.ong@eduspark.example"
CUSTOMER_ZH = "he.jun@voiceparty.example"

RUNNING = "Screen share freezes for students on Safari 17"
WARNED = "Teacher audio cuts out every few minutes in large classes"
BREACHED = "Recording files missing for yesterday's lessons"
PAUSED = "Echo in classrooms using the new Windows app"
MET = "Cannot join channel after token renewal"


def _open_ticket(page: Any, base: str, subject: str) -> None:
    page.goto(f"{base}/console/tickets?{urlencode({'q': subject, 'status': 'unsolved'})}")
    page.locator("#ticket-table a.subject", has_text=subject).first.click()
    expect(page.locator("h1")).to_contain_text(subject)


def _clock(page: Any, target: str) -> Any:
    return page.locator(f"#ticket-sla tr.clock[data-target='{target}']")


def test_the_clocks_box_in_both_languages(night_server: str, new_page: Any) -> None:
    page = new_page("en-US")
    sign_in(page, night_server, "console", ADMIN, lang="en")
    _open_ticket(page, night_server, BREACHED)
    box = page.locator("#ticket-sla")
    expect(box.locator(".sla-calendar")).to_have_text("24x7")
    expect(box.locator(".sla-version")).to_contain_text("Enterprise P2")
    first = _clock(page, "first_response")
    expect(first).to_have_attribute("data-state", "breached")
    expect(first.locator(".clock-left")).to_contain_text("over by")
    detail = box.locator("tr.clock-detail").first
    expect(detail).to_contain_text("target 30m of business time")
    expect(detail).to_contain_text("breached at")

    _open_ticket(page, night_server, RUNNING)
    expect(_clock(page, "first_response")).to_have_attribute("data-state", "met")
    resolution = _clock(page, "resolution")
    expect(resolution).to_have_attribute("data-state", "running")
    expect(resolution.locator(".clock-left")).to_contain_text("left")
    expect(page.locator("#ticket-sla tr.clock-detail").last).to_contain_text("due")

    _open_ticket(page, night_server, PAUSED)
    expect(_clock(page, "resolution")).to_have_attribute("data-state", "paused")
    expect(page.locator("#ticket-sla")).to_contain_text("paused since")

    page.click("a[data-lang='zh-CN']")
    expect(page.locator("#ticket-sla h3")).to_have_text("SLA")
    expect(page.locator("#ticket-sla")).to_contain_text("暂停自")
    _open_ticket(page, night_server, BREACHED)
    expect(_clock(page, "first_response").locator(".clock-left")).to_contain_text("超出")
    expect(page.locator("#ticket-sla")).to_contain_text("超时于")
    expect(page.locator("#ticket-sla .sla-calendar")).to_have_text("24x7")


def _subjects(page: Any) -> list[str]:
    expect(page.locator("#ticket-table")).to_be_visible()
    return [s.strip() for s in page.locator("#ticket-table a.subject").all_inner_texts()]


def test_the_list_sorts_by_time_to_breach_and_the_sla_views(
    night_server: str, new_page: Any
) -> None:
    page = new_page("en-US")
    sign_in(page, night_server, "console", ADMIN, lang="en")
    page.goto(f"{night_server}/console/tickets?status=unsolved&sort=sla_due_at")
    subjects = _subjects(page)
    # Earliest deadline first: the breached first response, then 80 min, then 3 h.
    assert subjects.index(BREACHED) < subjects.index(WARNED) < subjects.index(RUNNING)
    row = page.locator("#ticket-table tr", has=page.locator("a.subject", has_text=WARNED))
    expect(row.locator(".col-sla .sla-badge.soon")).to_contain_text("in 1h")
    breached_row = page.locator(
        "#ticket-table tr", has=page.locator("a.subject", has_text=BREACHED)
    )
    expect(breached_row.locator(".col-sla .sla-badge.breached")).to_contain_text("breached")

    page.click("#builtin-views a[data-view='breaching']")
    expect(page.locator("#builtin-views a[data-view='breaching']")).to_have_class("active")
    soon = _subjects(page)
    assert {RUNNING, WARNED} <= set(soon)
    assert not {BREACHED, PAUSED, MET} & set(soon)

    page.click("#builtin-views a[data-view='breached']")
    expect(page.locator("#builtin-views a[data-view='breached']")).to_have_class("active")
    breached = _subjects(page)
    assert BREACHED in breached
    assert not {RUNNING, WARNED, PAUSED} & set(breached)

    page.click("a[data-lang='zh-CN']")
    expect(page.locator("#builtin-views a[data-view='breaching'] .view-name")).to_have_text(
        "即将超时"
    )


def test_an_admin_edits_a_policy_and_a_calendar_an_agent_cannot(
    night_server: str, new_page: Any
) -> None:
    admin = new_page("en-US")
    sign_in(admin, night_server, "console", ADMIN, lang="en")
    admin.goto(f"{night_server}/console/sla/policies?edit=free-P4#policy-form")
    form = admin.locator("#policy-form form")
    expect(form.locator("select[name=plan_tier]")).to_have_value("free")
    expect(form.locator("select[name=priority]")).to_have_value("P4")
    form.locator("input[name=first_response_minutes]").fill("600")
    form.locator("input[name=note]").fill("browser test: slower first answer")
    form.locator("#save-policy").click()
    cell = admin.locator("#sla-matrix td[data-cell='free-P4']")
    expect(cell).to_contain_text("v2")
    expect(cell).to_contain_text("10h")
    expect(admin.locator("#policy-versions")).to_contain_text("browser test: slower first answer")

    admin.goto(f"{night_server}/console/sla/calendars")
    admin.locator("#calendar-list a", has_text="Beijing").first.click()
    holidays = admin.locator("#calendar-form textarea[name=holidays]")
    holidays.fill(f"{holidays.input_value()} 2026-12-24".strip())
    admin.click("#save-calendar")
    expect(admin.locator(".flash.ok")).to_be_visible()
    admin.reload()
    expect(admin.locator("#calendar-form textarea[name=holidays]")).to_contain_text("2026-12-24")
    calendar_url = admin.url.split("?")[0].split("#")[0]
    calendar_id = calendar_url.rstrip("/").rsplit("/", 1)[1]

    agent = new_page("en-US")
    sign_in(agent, night_server, "console", AGENT, lang="en")
    agent.goto(f"{night_server}/console/sla/policies")
    expect(agent.locator("#sla-matrix")).to_be_visible()
    expect(agent.locator("#policy-form")).to_have_count(0)
    expect(agent.locator("#sla-matrix a", has_text="Edit")).to_have_count(0)
    agent.goto(calendar_url)
    expect(agent.locator("#calendar-form")).to_be_visible()
    expect(agent.locator("#save-calendar")).to_have_count(0)
    csrf = agent.locator("input[name=_csrf]").first.get_attribute("value")
    refused = agent.request.post(
        f"{night_server}/console/sla/policies",
        form={
            "_csrf": csrf or "",
            "plan_tier": "free",
            "priority": "P4",
            "calendar_id": calendar_id,
            "first_response_minutes": "1",
            "next_reply_minutes": "1",
            "resolution_minutes": "1",
            "pause_on": "pending_customer",
            "warning_points": "75",
        },
        max_redirects=0,
    )
    assert refused.status == 403, refused.status
    admin.goto(f"{night_server}/console/sla/policies")
    expect(admin.locator("#sla-matrix td[data-cell='free-P4']")).to_contain_text("v2")


@pytest.mark.parametrize(
    ("email", "lang", "promise"),
    [(CUSTOMER_EN, "en", "We will answer by"), (CUSTOMER_ZH, "zh-CN", "我们将在")],
)
def test_the_portal_shows_the_first_response_promise_only(
    night_server: str, new_page: Any, email: str, lang: str, promise: str
) -> None:
    page = new_page("zh-CN" if lang == "zh-CN" else "en-US")
    sign_in(page, night_server, "portal", email, lang=lang)
    page.goto(f"{night_server}/portal/tickets/new")
    subject = f"Promise check {lang}: camera stays black after rejoining"
    page.fill("#new-ticket-form input[name=subject]", subject)
    page.fill("#new-ticket-form textarea[name=body]", "After a rejoin the local camera is black.")
    page.click("#new-ticket-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text(subject)
    expect(page.locator("#sla-promise")).to_contain_text(promise)
    # Internal clocks stay in the console: no clocks box, no resolution target, no breach.
    expect(page.locator("#ticket-sla")).to_have_count(0)
    expect(page.locator("table.clocks")).to_have_count(0)
    body = page.locator("main, body").first
    for internal in ("Resolution", "Next reply", "over by", "超出", "超时"):
        expect(body).not_to_contain_text(internal)
