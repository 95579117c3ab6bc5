"""Every page renders for the people it is for, in both languages, and refuses the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

Client = TestClient  # type: ignore[type-arg]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_console_pages_render(client: Client, container: Container, lang: str) -> None:
    org = fa.organization(container, name="语聊派对")
    dev = fa.contact(container, org, name="何俊")
    ticket = ft.ticket(container, dev)
    agent = fa.agent(container, role="admin")
    cookie, _csrf = fa.agent_session(container, agent)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", lang)
    pages = [
        "/console/tickets",
        "/console/tickets?status=solved&priority=P1&sort=priority",
        "/console/tickets/new",
        f"/console/tickets/new?organization_id={org.id}",
        f"/console/tickets/{ticket.id}",
        "/console/organizations",
        f"/console/organizations/{org.id}",
        f"/console/contacts/{dev.id}",
        "/api/docs",
        "/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert "text/html" in response.headers["content-type"]
        if lang == "zh-CN" and path.startswith("/console"):
            assert "工单" in response.text, path


def test_portal_pages_render(client: Client, container: Container) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    ticket = ft.ticket(container, dev)
    cookie, _csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    for path in (
        "/portal/",
        "/portal/?status=unsolved",
        "/portal/tickets/new",
        f"/portal/tickets/{ticket.id}",
    ):
        assert client.get(path).status_code == 200, path
    # The console is not for customers; other people's tickets do not exist.
    assert client.get("/console/tickets", follow_redirects=False).status_code == 303
    stranger_ticket = ft.ticket(container, fa.contact(container, fa.organization(container)))
    assert client.get(f"/portal/tickets/{stranger_ticket.id}").status_code == 404


def test_pages_redirect_to_sign_in(client: Client) -> None:
    response = client.get("/console/tickets?status=new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Ftickets%3Fstatus%3Dnew"
    assert (
        client.get("/portal/", follow_redirects=False)
        .headers["location"]
        .startswith("/portal/login")
    )


def test_forms_need_the_csrf_token(client: Client, container: Container) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    cookie, csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    form = {"subject": "no csrf", "body": "x"}
    refused = client.post("/portal/tickets/new", data=form, follow_redirects=False)
    # Refused, but the form comes back with what was typed and a fresh token.
    assert refused.status_code == 403
    assert "the form has expired" in refused.text
    assert 'value="no csrf"' in refused.text
    assert f'name="_csrf" value="{csrf}"' in refused.text
    accepted = client.post(
        "/portal/tickets/new", data={**form, "_csrf": csrf}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/portal/tickets/")


def test_login_logout_cycle(client: Client, container: Container) -> None:
    agent = fa.agent(container, password=fa.PASSWORD)
    bad = client.post("/console/login", data={"email": agent.email, "password": "wrong-pass"})
    assert bad.status_code == 401
    ok = client.post(
        "/console/login",
        data={"email": agent.email.upper(), "password": fa.PASSWORD, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert ok.headers["location"] == "/console/"
    page = client.get("/console/tickets")
    assert page.status_code == 200
    csrf = page.text.split('name="_csrf" value="')[1].split('"')[0]
    out = client.post("/logout", data={"_csrf": csrf, "area": "console"}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/console/tickets", follow_redirects=False).status_code == 303


def test_password_guessing_is_slowed_down(
    client: Client, container: Container, clock: FrozenClock
) -> None:
    agent = fa.agent(container, password=fa.PASSWORD)
    for _ in range(8):
        wrong = client.post("/console/login", data={"email": agent.email, "password": "guess-1234"})
        assert wrong.status_code == 401
    blocked = client.post(
        "/console/login",
        data={"email": agent.email, "password": fa.PASSWORD},
        follow_redirects=False,
    )
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    clock.advance(timedelta(minutes=16))
    allowed = client.post(
        "/console/login",
        data={"email": agent.email, "password": fa.PASSWORD},
        follow_redirects=False,
    )
    assert allowed.status_code == 303


def test_mistakes_are_explained_in_the_readers_language(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    ticket = ft.ticket(container, dev)
    cookie, csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "zh-CN")
    empty = client.post(
        f"/portal/tickets/{ticket.id}/reply",
        data={"_csrf": csrf, "body": ""},
        follow_redirects=True,
    )
    assert "消息是空的" in empty.text
    missing = client.get("/portal/tickets/999999")
    assert missing.status_code == 404
    assert "未找到工单 999999" in missing.text
    client.cookies.set("rtcdesk_lang", "en")
    assert "ticket 999999 not found" in client.get("/portal/tickets/999999").text
