"""Error pages speak the reader's language (cookie, then the person's own setting, then the
browser) and wear the console or portal navigation when the reader is signed in there."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Contact, Language
from rtcdesk.accounts.schemas import AgentUpdate, ContactUpdate
from rtcdesk.bootstrap import Container
from rtcdesk.tickets import queries

Client = TestClient  # type: ignore[type-arg]

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def chinese_contact(container: Container) -> Contact:
    """A portal user whose own language setting is Simplified Chinese."""
    dev = fa.contact(container, fa.organization(container))
    with container.uow() as uow:
        accounts.update_contact(uow, SYSTEM, dev.id, ContactUpdate(language=Language.ZH_CN))
        uow.commit()
    return dev


def chinese_agent(container: Container, role: str = "agent") -> Agent:
    """A support engineer whose first language is Simplified Chinese."""
    agent = fa.agent(container, role=role)
    with container.uow() as uow:
        accounts.update_agent(uow, SYSTEM, agent.id, AgentUpdate(languages=["zh-CN", "en"]))
        uow.commit()
    return agent


def test_a_signed_in_persons_language_beats_the_browser(
    client: Client, container: Container
) -> None:
    dev = chinese_contact(container)
    cookie, _csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    missing = client.get("/portal/tickets/999999", headers=ENGLISH_BROWSER)
    assert missing.status_code == 404
    assert '<html lang="zh-CN">' in missing.text
    assert "未找到工单 999999" in missing.text
    # The portal's own navigation and sign-out, not a bare page.
    assert 'href="/portal/tickets/new"' in missing.text
    assert "我的工单" in missing.text
    assert 'action="/logout"' in missing.text
    assert 'id="error-sign-in"' not in missing.text


def test_the_language_cookie_beats_the_persons_setting(
    client: Client, container: Container
) -> None:
    dev = chinese_contact(container)
    cookie, _csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    missing = client.get("/portal/tickets/999999", headers={"accept-language": "zh-CN"})
    assert missing.status_code == 404
    assert '<html lang="en">' in missing.text
    assert "ticket 999999 not found" in missing.text
    assert "My tickets" in missing.text


def test_a_signed_out_reader_gets_the_browsers_language_and_a_sign_in_link(
    client: Client,
) -> None:
    missing = client.get("/console/no-such-page", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert missing.status_code == 404
    assert '<html lang="zh-CN">' in missing.text
    assert "这个地址上没有内容" in missing.text
    assert 'id="error-sign-in"' in missing.text
    assert 'href="/console/login?next=/console/no-such-page"' in missing.text
    assert 'action="/logout"' not in missing.text
    assert 'href="/console/organizations"' not in missing.text  # no console navigation
    english = client.get("/portal/nothing-here", headers=ENGLISH_BROWSER)
    assert "there is nothing at this address" in english.text
    assert 'href="/portal/login?next=/portal/nothing-here"' in english.text


def test_unknown_console_address_shows_the_console_to_a_signed_in_agent(
    client: Client, container: Container
) -> None:
    cookie, _csrf = fa.agent_session(container, chinese_agent(container))
    client.cookies.set("rtcdesk_session", cookie)
    missing = client.get("/console/no-such-page", headers=ENGLISH_BROWSER)
    assert missing.status_code == 404
    assert "这个地址上没有内容" in missing.text
    assert 'href="/console/organizations"' in missing.text
    assert "客户组织" in missing.text


def test_an_agent_in_the_portal_is_not_signed_in_there(
    client: Client, container: Container
) -> None:
    cookie, _csrf = fa.agent_session(container, chinese_agent(container))
    client.cookies.set("rtcdesk_session", cookie)
    missing = client.get("/portal/no-such-page", headers=ENGLISH_BROWSER)
    assert missing.status_code == 404
    assert '<html lang="zh-CN">' in missing.text  # still their language
    assert 'href="/portal/login?next=/portal/no-such-page"' in missing.text
    assert 'href="/portal/tickets/new"' not in missing.text


def test_permission_denied_in_the_agents_language_with_the_console_around_it(
    client: Client, container: Container
) -> None:
    cookie, _csrf = fa.agent_session(container, chinese_agent(container, role="agent"))
    client.cookies.set("rtcdesk_session", cookie)
    denied = client.get("/console/jobs", headers=ENGLISH_BROWSER)
    assert denied.status_code == 403
    assert "没有权限" in denied.text
    assert 'href="/console/tickets/new"' in denied.text


def test_an_expired_form_page_is_in_the_persons_language(
    client: Client, container: Container
) -> None:
    dev = chinese_contact(container)
    cookie, _csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    expired = client.post(
        "/logout",
        data={"_csrf": "stale-token", "area": "portal"},
        headers=ENGLISH_BROWSER,
        follow_redirects=False,
    )
    assert expired.status_code == 403
    assert "表单已过期" in expired.text
    # /logout belongs to no area: the person's own (the portal) frames the page.
    assert 'href="/portal/tickets/new"' in expired.text
    # Still signed in.
    assert client.get("/portal/", follow_redirects=False).status_code == 200


@pytest.mark.parametrize(("who", "expected"), [("contact", "zh-CN"), ("nobody", "en")])
def test_api_docs_and_front_page_follow_the_signed_in_readers_language(
    client: Client, container: Container, who: str, expected: str
) -> None:
    if who == "contact":
        cookie, _csrf = fa.contact_session(container, chinese_contact(container))
        client.cookies.set("rtcdesk_session", cookie)
    docs = client.get("/api/docs", headers=ENGLISH_BROWSER)
    assert docs.status_code == 200
    assert f'<html lang="{expected}">' in docs.text
    assert ("API 参考" in docs.text) is (expected == "zh-CN")
    front = client.get("/", headers=ENGLISH_BROWSER)
    assert front.status_code == 200
    assert f'<html lang="{expected}">' in front.text


def test_error_pages_of_tickets_another_customer_owns_stay_not_found(
    client: Client, container: Container
) -> None:
    stranger = ft.ticket(container, fa.contact(container, fa.organization(container)))
    cookie, _csrf = fa.contact_session(container, chinese_contact(container))
    client.cookies.set("rtcdesk_session", cookie)
    hidden = client.get(f"/portal/tickets/{stranger.id}")
    assert hidden.status_code == 404
    assert stranger.subject not in hidden.text
    assert f"未找到工单 {stranger.id}" in hidden.text


def test_a_bug_shows_the_500_page_in_the_persons_language(
    client: Client, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in the ticket list")

    monkeypatch.setattr(queries, "list_tickets", broken)
    cookie, _csrf = fa.contact_session(container, chinese_contact(container))
    client.cookies.set("rtcdesk_session", cookie)
    failed = client.get("/portal/", headers=ENGLISH_BROWSER)
    assert failed.status_code == 500
    assert "内部错误" in failed.text
    assert "我们这边出了问题" in failed.text
    assert "a bug in the ticket list" not in failed.text
    assert 'href="/portal/tickets/new"' in failed.text
