"""Readable at the sizes people use: the portal on a phone (390 px) and the console on a
1024 px screen, in English and Chinese. Structure is measured in Chromium, never timed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.pages import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "zhou.xm@xinghai.example"
AGENT = "li.wei@rtcdesk.example"
PHONE = {"width": 390, "height": 844}
SMALL_DESKTOP = {"width": 1024, "height": 768}

# For each visible element matching a selector: its text, box, the number of lines its
# text occupies and a few computed styles.
MEASURE = """
(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.getClientRects().length > 0 && el.innerText.trim() !== "")
  .map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    // Boxes that overlap vertically sit on the same line (badges are taller than text).
    const rects = Array.from(range.getClientRects())
      .filter((r) => r.width > 0 && r.height > 0)
      .sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; }
      else { bottom = Math.max(bottom, r.bottom); }
    }
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      text: el.innerText.trim(), width: box.width, height: box.height, lines,
      whiteSpace: style.whiteSpace, lineHeight: parseFloat(style.lineHeight),
      clamp: style.webkitLineClamp, overflow: style.overflow,
    };
  })
"""


def sign_in_at(
    page: Any, base: str, area: str, email: str, lang: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    sign_in(page, base, area, email, lang=lang)
    assert page.locator("html").get_attribute("lang") == lang


def measure(page: Any, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(MEASURE, selector)
    return found


def assert_no_page_scroll(page: Any) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def assert_cells_readable(page: Any, table: str, min_width: float) -> None:
    cells = measure(page, f"{table} tbody td")
    assert cells, f"no cells in {table}"
    for cell in cells:
        # A cell may be narrow only if its text fits on one line.
        assert cell["lines"] == 1 or cell["width"] >= min_width, cell
        # No column so narrow that its text stands a character or two per line.
        per_line = len(cell["text"]) / cell["lines"]
        assert cell["lines"] <= 3 or per_line >= 6, cell


def assert_single_line(page: Any, selector: str) -> None:
    items = measure(page, selector)
    assert items, selector
    for item in items:
        assert item["lines"] == 1, item


def assert_subjects_clamped(page: Any, table: str) -> None:
    subjects = measure(page, f"{table} a.subject")
    assert subjects
    for subject in subjects:
        assert subject["clamp"] == "2", subject
        assert subject["overflow"] == "hidden", subject
        assert subject["height"] <= 2 * subject["lineHeight"] + 1, subject


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_portal_on_a_phone(live_server: str, new_page: Any, lang: str) -> None:
    page = new_page(lang)
    sign_in_at(page, live_server, "portal", CUSTOMER, lang, PHONE)
    assert_no_page_scroll(page)
    # The menu is folded behind its toggle, and opens without any script.
    toggle = page.locator("label.menu-toggle-label")
    expect(toggle).to_be_visible()
    expect(page.locator("nav.mainnav")).to_be_hidden()
    expect(page.locator(".langswitch")).to_be_visible()
    toggle.click()
    expect(page.locator("nav.mainnav a[href='/portal/tickets/new']")).to_be_visible()
    assert_single_line(page, "nav.mainnav a")
    assert_no_page_scroll(page)
    toggle.click()
    expect(page.locator("nav.mainnav")).to_be_hidden()
    # Each ticket is a card: the subject on its own full-width line, at most two lines.
    assert page.locator("#my-tickets tbody tr").count() > 0
    assert_cells_readable(page, "#my-tickets", 60)
    assert_subjects_clamped(page, "#my-tickets")
    assert_single_line(page, "#my-tickets .badge")
    row_width = page.locator("#my-tickets tbody tr").first.bounding_box()["width"]
    subject_width = page.locator("#my-tickets td.col-subject").first.bounding_box()["width"]
    assert subject_width >= 0.8 * row_width
    # The ticket page fits the phone too.
    page.click("#my-tickets a.subject >> nth=0")
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+$"))
    page.wait_for_load_state()
    assert_no_page_scroll(page)
    assert_single_line(page, ".badge")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_console_list_at_1024(live_server: str, new_page: Any, lang: str) -> None:
    page = new_page(lang)
    sign_in_at(page, live_server, "console", AGENT, lang, SMALL_DESKTOP)
    page.goto(f"{live_server}/console/tickets?status=unsolved")
    assert_no_page_scroll(page)
    # At 1024 px the menu is still a row of links.
    expect(page.locator("nav.mainnav")).to_be_visible()
    expect(page.locator("label.menu-toggle-label")).to_be_hidden()
    assert_single_line(page, "nav.mainnav a")
    expect(page.locator("nav.mainnav a[href='/console/contacts']")).to_be_visible()
    # Headers and badges never break, cells are never a character wide.
    assert_single_line(page, "#ticket-table th")
    assert_single_line(page, "#ticket-table .badge")
    assert_cells_readable(page, "#ticket-table", 60)
    assert_subjects_clamped(page, "#ticket-table")
    table = page.locator("#ticket-table").bounding_box()
    wrap = page.evaluate(
        "(() => { const w = document.querySelector('.table-wrap');"
        " return [w.scrollWidth, w.clientWidth]; })()"
    )
    assert wrap[0] <= wrap[1], f"the ticket table needs sideways scrolling: {wrap}"
    subject = page.locator("#ticket-table td.col-subject").first.bounding_box()
    assert subject["width"] >= 0.25 * table["width"]
    # A requester links to their contact page.
    requester = page.locator("#ticket-table a.requester").first
    expect(requester).to_be_visible()
    # Every view shows its count.
    links = page.locator(".sidebar .views a")
    assert links.count() >= 7
    for i in range(links.count()):
        assert links.nth(i).locator(".count").inner_text().replace(",", "").isdigit()
    requester.click()
    expect(page).to_have_url(re.compile(r"/console/contacts/\d+$"))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_contacts_at_1024(live_server: str, new_page: Any, lang: str) -> None:
    page = new_page(lang)
    sign_in_at(page, live_server, "console", AGENT, lang, SMALL_DESKTOP)
    page.click("nav.mainnav a[href='/console/contacts']")
    expect(page).to_have_url(re.compile(r"/console/contacts$"))
    expect(page.locator("nav.mainnav a.active")).to_have_attribute("href", "/console/contacts")
    assert_no_page_scroll(page)
    assert_single_line(page, "#contact-table th")
    assert_single_line(page, "#contact-table .badge")
    assert_cells_readable(page, "#contact-table", 60)
    total = page.locator("#contact-table tbody tr").count()
    page.fill("#contact-search input[name=q]", "xinghai")
    page.click("#contact-search button[type=submit]")
    expect(page).to_have_url(re.compile(r"q=xinghai"))
    expect(page.locator("#contact-search input[name=q]")).to_have_value("xinghai")
    found = page.locator("#contact-table tbody tr").count()
    assert 0 < found < total
