"""Password reset links: an admin issues one in the console and sees it once; the person
opens it signed out, sets a new password, and every session and token of theirs ends. The
link works once and expires; both steps are in the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.accounts.models import AuditEntry, PasswordReset
from rtcdesk.accounts.resets import RESET_LINK_HOURS
from rtcdesk.accounts.security import token_digest
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

Client = TestClient  # type: ignore[type-arg]
NEW = "a-brand-new-secret"


def _console(client: Client, container: Container, role: str = "admin") -> str:
    cookie, csrf = fa.agent_session(container, fa.agent(container, role=role))
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    return csrf


def _issue(client: Client, csrf: str, email: str) -> str:
    answer = client.post(
        "/console/reset-links", data={"_csrf": csrf, "email": email, "back": "/console/audit"}
    )
    assert answer.status_code == 200, answer.text[:800]
    assert answer.headers["cache-control"] == "no-store"
    match = re.search(r'id="reset-link"[^>]*value="([^"]+)"', answer.text)
    if match is None:
        match = re.search(r'value="([^"]+)"[^>]*id="reset-link"', answer.text)
    assert match, answer.text
    return match.group(1).removeprefix("http://127.0.0.1:8000")


def _set(client: Client, link: str, password: str = NEW, again: str | None = None) -> object:
    client.cookies.clear()
    return client.post(
        link,
        data={"new_password": password, "new_password_again": again or password},
        follow_redirects=False,
    )


def test_a_contact_sets_a_new_password_through_the_link_once(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org, password=fa.PASSWORD)
    old_cookie, _ = fa.contact_session(container, dev)
    link = _issue(client, _console(client, container), dev.email)
    assert link.startswith("/reset-password/rtd_reset_")
    with container.uow() as uow:
        stored = uow.session.query(PasswordReset).one()
        assert stored.token_hash == token_digest(link.rsplit("/", 1)[1])
        assert stored.expires_at - stored.created_at == timedelta(hours=RESET_LINK_HOURS)

    client.cookies.clear()
    page = client.get(link)
    assert page.status_code == 200
    assert dev.email in page.text
    assert page.headers["referrer-policy"] == "no-referrer"

    done = _set(client, link)
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == "/portal/login?flash=password_reset"  # type: ignore[attr-defined]
    signed_in = client.post(
        "/portal/login", data={"email": dev.email, "password": NEW}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    client.cookies.clear()
    assert (
        client.post("/portal/login", data={"email": dev.email, "password": fa.PASSWORD}).status_code
        == 401
    )
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", old_cookie)
    old = client.get("/portal/", follow_redirects=False)
    assert old.status_code == 303  # the old session ended: to the sign-in page

    client.cookies.clear()
    assert client.get(link).status_code == 404
    again = _set(client, link, "yet-another-one")
    assert again.status_code == 404  # type: ignore[attr-defined]
    with container.uow() as uow:
        actions = [e.action for e in uow.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-2:] == ["password.reset_link", "password.reset"]


def test_an_agent_link_revokes_their_tokens_and_leads_to_the_console(
    client: Client, container: Container
) -> None:
    engineer = fa.agent(container, role="agent")
    token = fa.agent_token(container, engineer)
    assert client.get("/api/v1/me", headers=fa.bearer(token)).status_code == 200
    link = _issue(client, _console(client, container), engineer.email)
    done = _set(client, link)
    assert done.headers["location"] == "/console/login?flash=password_reset"  # type: ignore[attr-defined]
    assert client.get("/api/v1/me", headers=fa.bearer(token)).status_code == 401


def test_links_expire_and_a_newer_link_replaces_an_older_one(
    client: Client, container: Container, clock: FrozenClock
) -> None:
    dev = fa.contact(container, fa.organization(container))
    csrf = _console(client, container)
    first = _issue(client, csrf, dev.email)
    second = _issue(client, csrf, dev.email)
    client.cookies.clear()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    clock.advance(timedelta(hours=RESET_LINK_HOURS, seconds=1))
    assert client.get(second).status_code == 404
    assert _set(client, second).status_code == 404  # type: ignore[attr-defined]


def test_mistakes_on_the_link_page_are_shown_in_the_readers_language(
    client: Client, container: Container
) -> None:
    dev = fa.contact(container, fa.organization(container))
    link = _issue(client, _console(client, container), dev.email)
    client.cookies.clear()
    client.cookies.set("rtcdesk_lang", "zh-CN")
    differ = client.post(link, data={"new_password": NEW, "new_password_again": NEW + "x"})
    assert differ.status_code == 400
    assert "设置新密码" in differ.text
    short = client.post(link, data={"new_password": "short", "new_password_again": "short"})
    assert short.status_code == 400
    assert client.get(link).status_code == 200  # mistakes do not use the link up
    assert client.get("/reset-password/rtd_reset_forged").status_code == 404


@pytest.mark.parametrize("role", ["manager", "agent", "tam"])
def test_only_admins_issue_links(client: Client, container: Container, role: str) -> None:
    dev = fa.contact(container, fa.organization(container))
    csrf = _console(client, container, role=role)
    answer = client.post("/console/reset-links", data={"_csrf": csrf, "email": dev.email})
    assert answer.status_code == 403
    with container.uow() as uow:
        assert uow.session.query(PasswordReset).count() == 0


def test_the_console_offers_the_action_to_admins(client: Client, container: Container) -> None:
    dev = fa.contact(container, fa.organization(container))
    csrf = _console(client, container)
    assert 'action="/console/reset-links"' in client.get(f"/console/contacts/{dev.id}").text
    assert 'id="reset-link-form"' in client.get("/console/audit").text
    unknown = client.post(
        "/console/reset-links",
        data={"_csrf": csrf, "email": "nobody@example.com", "back": "/console/audit"},
    )
    assert unknown.status_code == 404
    assert "no agent or contact has the email nobody@example.com" in unknown.text
    assert 'value="nobody@example.com"' in unknown.text  # the typed email is kept
    _console(client, container, role="manager")
    assert 'action="/console/reset-links"' not in client.get(f"/console/contacts/{dev.id}").text
