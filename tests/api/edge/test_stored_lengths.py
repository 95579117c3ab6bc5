"""Lengths the database cannot hold never reach it: derived names are cut to fit, and text
from forms meets the same limits as the API's (a readable 400, nothing stored).

The column-by-column comparison of schemas and tables is tests/unit/test_stored_lengths.py;
these go through the interfaces, on both backends (PostgreSQL refuses an over-long value,
SQLite would store it).
"""

from __future__ import annotations

from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts import service
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import ACTOR_NAME_MAX, TokenKind
from rtcdesk.accounts.schemas import TokenCreate
from rtcdesk.bootstrap import Container
from rtcdesk.tickets.models import Ticket

Client = TestClient  # type: ignore[type-arg]


def test_a_token_with_the_longest_names_writes_like_any_other(
    client: Client, container: Container
) -> None:
    org = fa.organization(container, name="星" * 200)
    with container.uow() as uow:
        _row, secret = service.create_token(
            uow,
            SYSTEM,
            TokenCreate(kind=TokenKind.ORGANIZATION, name="t" * 120, organization_id=org.id),
        )
        uow.commit()
    h = fa.bearer(secret)
    created = client.post("/api/v1/tickets", json={"subject": "s", "body": "b"}, headers=h)
    assert created.status_code == 201, created.text
    url = f"/api/v1/tickets/{created.json()['id']}"
    assert client.post(f"{url}/messages", json={"body": "more"}, headers=h).status_code == 201
    assert client.patch(url, json={"urgency": "high"}, headers=h).status_code == 200
    names = {m["author_name"] for m in client.get(f"{url}/messages", headers=h).json()}
    names |= {c["actor_name"] for c in client.get(f"{url}/history", headers=h).json()}
    assert len(names) == 1
    name = names.pop()
    assert len(name) == ACTOR_NAME_MAX
    assert name.startswith("星星星")
    assert "…" in name
    assert name.endswith(" API (" + "t" * 59 + "…)")


def test_short_derived_names_are_kept_whole(client: Client, container: Container) -> None:
    org = fa.organization(container, name="Acme")
    h = fa.bearer(fa.org_token(container, org))
    created = client.post("/api/v1/tickets", json={"subject": "s", "body": "b"}, headers=h)
    url = f"/api/v1/tickets/{created.json()['id']}/messages"
    assert client.get(url, headers=h).json()[0]["author_name"] == "Acme API (tests)"


def test_console_form_text_longer_than_its_column_is_refused(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    cookie, csrf = fa.agent_session(container, fa.agent(container, role="manager"))
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    answer = client.post(
        f"/console/tickets/{ticket.id}/properties",
        data={
            "_csrf": csrf,
            "status": "open",
            "category": "troubleshooting",
            "urgency": "medium",
            "impact": "medium",
            "priority": "auto",
            "sdk_version": "4." * 40,
        },
    )
    assert answer.status_code == 400, answer.text[:500]
    assert "sdk_version is longer than 64 characters" in answer.text
    with container.uow() as uow:
        stored = uow.session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.sdk_version != "4." * 40


def test_portal_form_text_longer_than_its_column_is_refused_in_chinese(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    cookie, csrf = fa.contact_session(container, fa.contact(container, org))
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "zh-CN")
    answer = client.post(
        "/portal/tickets/new",
        data={"_csrf": csrf, "subject": "卡顿", "body": "详情", "app_id": "a" * 129},
    )
    assert answer.status_code == 400, answer.text[:500]
    assert "app_id 超过 128 个字符" in answer.text
