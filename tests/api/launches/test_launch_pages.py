"""The console's launch pages through the real app, without JavaScript, on both backends: the
form registers a launch with its checklist (times read in the launch's zone), mistakes come
back with what was typed, items are ticked, edit and cancel; the banners on the console's
ticket, organization and ticket list pages and in the portal; the Markdown report route."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import launches as fl
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.worker import Worker
from rtcdesk.launches.models import LaunchWindow

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def desk(client: Client, container: Container) -> dict[str, Any]:
    """An agent signed in to the console, an organization, an engineer and a backup."""
    agent = fa.agent(container, name="Ada Agent")
    cookie, csrf = fa.agent_session(container, agent)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    org = fa.organization(container, name="星海直播 Starsea")
    return {
        "agent": agent,
        "csrf": csrf,
        "org": org,
        "engineer": fa.agent(container, name="Wang Lei"),
        "backup": fa.agent(container, name="Li Na"),
    }


def _form(desk: dict[str, Any], clock: FrozenClock, **kw: str) -> dict[str, str]:
    start = (clock.now() + timedelta(hours=8, days=1)).strftime("%Y-%m-%dT%H:%M")  # Beijing
    end = (clock.now() + timedelta(hours=8 + 6, days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "_csrf": desk["csrf"],
        "organization_id": str(desk["org"].id),
        "title": "Live rooms 3.0",
        "description": "New live-room SDK",
        "starts_at": start,
        "ends_at": end,
        "timezone": "Asia/Shanghai",
        "engineer_id": str(desk["engineer"].id),
        "backup_id": str(desk["backup"].id),
        "peak_concurrency": "200000",
        "platform_0": "android",
        "sdk_version_0": "4.3.0",
        "platform_1": "ios",
        "sdk_version_1": "4.3.1",
        "item_slots": "3",
        "item_title_0": "SDK version verified",
        "item_owner_0": str(desk["engineer"].id),
        "item_due_0": clock.now().date().isoformat(),
        "item_title_1": "TURN capacity confirmed",
        "item_title_2": "",
    }
    data.update(kw)
    return data


def test_register_a_launch_in_the_console_tick_edit_and_cancel(
    client: Client, container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    assert client.get("/console/launches/new").status_code == 200
    created = client.post("/console/launches", data=_form(desk, clock), follow_redirects=False)
    assert created.status_code == 303, created.text
    path = created.headers["location"].split("?")[0]
    launch_id = int(path.rsplit("/", 1)[1])
    with container.uow() as uow:
        row = uow.session.get(LaunchWindow, launch_id)
        assert row is not None
        assert row.starts_at == clock.now() + timedelta(days=1)  # typed in Beijing time
        assert row.ends_at - row.starts_at == timedelta(hours=6)
        assert row.platforms == [
            {"platform": "android", "sdk_version": "4.3.0"},
            {"platform": "ios", "sdk_version": "4.3.1"},
        ]
        items = [(i.id, i.title, i.owner_id, i.due_on) for i in row.items]
    assert [(t, o) for _, t, o, _ in items] == [
        ("SDK version verified", desk["engineer"].id),
        ("TURN capacity confirmed", None),
    ]
    page = client.get(path)
    assert page.status_code == 200
    assert "Live rooms 3.0" in page.text
    assert 'data-state="upcoming"' in page.text
    assert "0/2" in page.text
    listed = client.get("/console/launches").text
    upcoming = listed.split('id="launches-upcoming"')[1].split("</table>")[0]
    assert f'data-launch="{launch_id}"' in upcoming

    ticked = client.post(
        f"{path}/items/{items[1][0]}",
        data={"_csrf": desk["csrf"], "done": "1", "owner_id": str(desk["backup"].id)},
        follow_redirects=False,
    )
    assert ticked.status_code == 303, ticked.text
    assert "1/2" in client.get(path).text
    with container.uow() as uow:
        row = uow.session.get(LaunchWindow, launch_id)
        assert row is not None
        assert [(i.done, i.owner_id) for i in row.items][1] == (True, desk["backup"].id)

    edited = client.post(
        path, data=_form(desk, clock, title="Live rooms 3.1"), follow_redirects=False
    )
    assert edited.status_code == 303, edited.text
    assert "Live rooms 3.1" in client.get(path).text
    cancelled = client.post(f"{path}/cancel", data={"_csrf": desk["csrf"]}, follow_redirects=False)
    assert cancelled.status_code == 303
    assert 'data-state="cancelled"' in client.get(path).text
    again = client.post(f"{path}/cancel", data={"_csrf": desk["csrf"]})
    assert again.status_code == 409
    assert "can no longer be changed" in again.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "2020-01-01T00:00"}, "must end after it starts"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"starts_at": "tomorrow"}, "give a date and time"),
        ({"engineer_id": ""}, "choose the on-call engineer"),
        ({"backup_id": "0"}, ""),
        ({"peak_concurrency": "lots"}, "whole number"),
        ({"title": "x" * 201}, "200 characters"),
        ({"item_title_1": "y" * 201}, "200 characters"),
        ({"item_due_0": "31/12"}, "is not a date"),
        ({"organization_id": ""}, "choose the organization"),
    ],
)
def test_mistakes_come_back_with_what_was_typed(
    client: Client,
    clock: FrozenClock,
    desk: dict[str, Any],
    change: dict[str, str],
    message: str,
) -> None:
    answer = client.post("/console/launches", data=_form(desk, clock, **change))
    assert answer.status_code == 400, answer.text
    assert message in answer.text
    assert 'value="New live-room SDK"' in answer.text or "New live-room SDK</textarea>" in (
        answer.text
    )


def test_banners_during_the_window_in_the_console_and_the_portal(
    client: Client, container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    fl.launch(
        container,
        desk["org"],
        desk["engineer"],
        backup=desk["backup"],
        starts_at=clock.now() + timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=5),
    )
    contact = fa.contact(container, desk["org"], password=fa.PASSWORD)
    ticket = ft.ticket(container, contact)
    pages = (
        f"/console/tickets/{ticket.id}",
        f"/console/organizations/{desk['org'].id}",
        "/console/tickets",
    )
    for path in pages:
        assert 'id="launch-banner"' not in client.get(path).text
    assert 'id="launch-strip"' not in client.get("/console/tickets").text
    clock.advance(timedelta(hours=2))
    until = (clock.now() + timedelta(hours=3 + 8)).strftime("%Y-%m-%d %H:%M")
    for path in pages[:2]:
        html = client.get(path).text
        assert 'id="launch-banner"' in html, path
        assert f"Launch support active until {until} (Asia/Shanghai)" in html
        assert "on-call: Wang Lei" in html
        assert "backup: Li Na" in html
    strip = client.get("/console/tickets").text
    assert 'id="launch-strip"' in strip
    assert "星海直播 Starsea" in strip.split('id="launch-strip"')[1].split("</div>")[0]
    client.cookies.set("rtcdesk_lang", "zh-CN")
    zh = client.get(pages[0]).text
    assert f"重保支持进行中，至 {until}（Asia/Shanghai）" in zh
    assert "值班：Wang Lei" in zh

    # The portal: the organization's contacts see it; another organization's do not.
    cookie, _ = fa.contact_session(container, contact)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    portal = client.get("/portal/").text
    assert 'id="launch-banner"' in portal
    assert "on-call: Wang Lei" in portal
    client.cookies.set("rtcdesk_lang", "zh-CN")
    assert "值班：Wang Lei" in client.get(f"/portal/tickets/{ticket.id}").text
    stranger = fa.contact(container, fa.organization(container), password=fa.PASSWORD)
    cookie, _ = fa.contact_session(container, stranger)
    client.cookies.set("rtcdesk_session", cookie)
    assert 'id="launch-banner"' not in client.get("/portal/").text
    for path in ("/console/launches", "/console/launches/new"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401, 403)

    # After the window: no banner.
    clock.advance(timedelta(hours=4))
    cookie, _ = fa.contact_session(container, contact)
    client.cookies.set("rtcdesk_session", cookie)
    assert 'id="launch-banner"' not in client.get("/portal/").text


def _ticket_links(html: str) -> list[str]:
    return re.findall(r'href="/console/tickets/(\d+)"', html)


def test_the_report_page_and_its_markdown_download(
    client: Client, container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    launch = fl.launch(
        container,
        desk["org"],
        desk["engineer"],
        starts_at=clock.now() + timedelta(minutes=10),
        ends_at=clock.now() + timedelta(hours=2),
    )
    path = f"/console/launches/{launch.id}"
    early = client.get(path + "/report.md")
    assert early.status_code == 409
    assert "no report yet" in early.text
    contact = fa.contact(container, desk["org"])
    clock.advance(timedelta(minutes=30))
    ticket = ft.ticket(container, contact, subject="推流失败 publish fails")
    assert str(ticket.id) in _ticket_links(client.get(path).text)
    clock.advance(timedelta(hours=2))
    Worker(container, listen=False).run_pending()
    page = client.get(path).text
    assert 'id="launch-report"' in page
    assert "Tickets opened: 1" in page
    md = client.get(path + "/report.md")
    assert md.status_code == 200
    assert md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("# Launch report: Live-streaming app 2.0")
    assert f"- #{ticket.id} " in md.text
    assert "## Pages" in md.text
    client.cookies.set("rtcdesk_lang", "zh-CN")
    assert client.get(path + "/report.md").text.startswith("# 重保报告")
    assert client.get("/console/launches/999999").status_code == 404
