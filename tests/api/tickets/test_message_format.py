"""Every write path stores Markdown and renders it the same way: API, console and portal
forms, and notes rtcdesk writes itself (lab runs)."""

from __future__ import annotations

import re
from pathlib import Path

from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.cli.lab import attach_results

Client = TestClient  # type: ignore[type-arg]

REPLY = (
    "Please set the audio session before joining:\n\n"
    "```swift\ntry session.setCategory(.playAndRecord)\n```\n\n"
    "| build | result |\n|---|---|\n| 4.3.1 | ok |\n\n"
    "<script>alert(1)</script>"
)


def test_api_bodies_are_markdown(client: Client, container: Container) -> None:
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    created = client.post(
        f"/api/v1/tickets/{ticket.id}/messages", json={"body": REPLY}, headers=agent_h
    )
    assert created.status_code == 201, created.text
    message = created.json()
    assert message["body_text"] == REPLY  # the source is kept as written
    html = message["body_html"]
    assert '<pre class="highlight"><code><span class="k">try</span>' in html
    assert "<table>" in html
    assert "<td>4.3.1</td>" in html
    assert "<script" not in html
    assert "&lt;script&gt;" in html

    opened = client.post(
        "/api/v1/tickets",
        json={
            "subject": "Echo",
            "body": "Line one\nline two\n- a\n- b",
            "category": "troubleshooting",
        },
        headers=fa.bearer(fa.org_token(container, org)),
    )
    assert opened.status_code == 201, opened.text
    first = client.get(f"/api/v1/tickets/{opened.json()['id']}/messages", headers=agent_h).json()
    assert first[0]["body_html"].startswith("<p>Line one<br>\nline two</p>\n<ul>")


def test_older_body_html_field_is_still_accepted_and_sanitised(
    client: Client, container: Container
) -> None:
    ticket = ft.ticket(container, fa.contact(container, fa.organization(container)))
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    created = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={
            "body": "Restart the app",
            "body_html": '<p onclick="x()">Restart <b>the app</b><script>alert(1)</script></p>',
        },
        headers=agent_h,
    )
    assert created.status_code == 201, created.text
    assert created.json()["body_html"] == "<p>Restart <b>the app</b></p>"
    assert created.json()["body_text"] == "Restart the app"


def test_console_and_portal_replies_render_the_same(client: Client, container: Container) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    ticket = ft.ticket(container, dev)
    agent_cookie, agent_csrf = fa.agent_session(container, fa.agent(container))
    client.cookies.set("rtcdesk_session", agent_cookie)
    sent = client.post(
        f"/console/tickets/{ticket.id}/reply",
        data={"_csrf": agent_csrf, "body": REPLY, "kind": "public", "status": ""},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    dev_cookie, dev_csrf = fa.contact_session(container, dev)
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", dev_cookie)
    sent = client.post(
        f"/portal/tickets/{ticket.id}/reply",
        data={"_csrf": dev_csrf, "body": "Still broken:\n```\nE/rtc ICE failed\n```"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    page = client.get(f"/portal/tickets/{ticket.id}").text
    assert '<pre class="highlight"><code><span class="k">try</span>' in page
    assert "<pre><code>E/rtc ICE failed" in page
    assert "<script>alert" not in page
    assert '<link rel="stylesheet" href="/static/content.css">' in page
    css = client.get("/static/content.css")
    assert css.status_code == 200
    assert ".highlight .k " in css.text


def test_lab_note_renders_headings_and_tables_and_comes_from_the_system(
    client: Client, container: Container, tmp_path: Path
) -> None:
    ticket = ft.ticket(container, fa.contact(container, fa.organization(container)))
    summary = (
        "# Lab run: burst-loss\n\n- call: 30 s\n\n## Per phase (customer side)\n\n"
        "| phase | in loss % |\n|---|---|\n| 0-10 s | 0.0 |\n| 10-20 s | 12.5 |\n"
    )
    path = tmp_path / "burst-loss.summary.md"
    path.write_text(summary)
    note_id = attach_results(
        container, ticket.id, scenario="burst-loss", files=[path], summary_text=summary
    )
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    messages = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=agent_h).json()
    note = next(m for m in messages if m["id"] == note_id)
    assert note["channel"] == "system"
    assert "<h1>Lab run: burst-loss</h1>" in note["body_html"]
    assert "<h2>Per phase (customer side)</h2>" in note["body_html"]
    assert len(re.findall("<tr>", note["body_html"])) == 3
    assert "|---|" not in note["body_html"]


def test_nobody_opens_a_ticket_as_the_system(client: Client, container: Container) -> None:
    org = fa.organization(container)
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    body = {"subject": "Forged", "body": "x", "organization_id": org.id, "channel": "system"}
    answer = client.post("/api/v1/tickets", json=body, headers=agent_h)
    assert answer.status_code == 400
    assert "reserved" in answer.json()["detail"]
