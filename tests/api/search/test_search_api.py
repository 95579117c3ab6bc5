"""GET /api/v1/search and the ticket list's q= over the index, through the real app."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]


def as_contact(client: Client, container: Container, person: Any) -> None:
    client.cookies.clear()
    cookie, _csrf = fa.contact_session(container, person)
    client.cookies.set("rtcdesk_session", cookie)


def test_staff_search_ranks_and_highlights(
    client: Client, container: Container, corpus: dict[str, Any]
) -> None:
    h = fa.bearer(fa.agent_token(container, corpus["agent"]))
    got = client.get("/api/v1/search", params={"q": "stutter", "types": "ticket"}, headers=h)
    assert got.status_code == 200
    body = got.json()
    assert body["query"] == "stutter"
    first = body["items"][0]
    assert first["id"] == corpus["tickets"]["stutter_zh"].id
    assert first["kind"] == "ticket"
    assert [first["title"][a:b] for a, b in first["title_highlights"]] == ["卡顿"]
    assert [first["snippet"][a:b] for a, b in first["highlights"]] == ["卡住"]


def test_customers_search_their_tickets_without_internal_notes(
    client: Client, container: Container, corpus: dict[str, Any]
) -> None:
    t = corpus["tickets"]
    as_contact(client, container, corpus["dev"])
    echo = client.get("/api/v1/search", params={"q": "echo"}).json()["items"]
    assert [hit["id"] for hit in echo] == [t["echo_en"].id]
    assert echo[0]["url"] == f"/portal/tickets/{t['echo_en'].id}"
    assert client.get("/api/v1/search", params={"q": "secretword"}).json()["items"] == []
    assert client.get("/api/v1/search", params={"q": "packet loss"}).json()["items"] == []
    token = fa.bearer(fa.org_token(container, corpus["acme"]))
    client.cookies.clear()
    org_wide = client.get("/api/v1/search", params={"q": "黑屏"}, headers=token).json()
    assert [hit["id"] for hit in org_wide["items"]] == [t["black_zh"].id]


def test_bad_requests_get_clear_problems(
    client: Client, container: Container, corpus: dict[str, Any]
) -> None:
    h = fa.bearer(fa.agent_token(container, corpus["agent"]))
    for params, fragment in (
        ({}, "q (the search text) is required"),
        ({"q": "!!!"}, "no words to search for"),
        ({"q": "卡" * 201}, "longer than 200 characters"),
        ({"q": "echo", "limit": "99"}, "limit must be a number from 1 to 50"),
        ({"q": "echo", "types": "x"}, "types='x' is not one of"),
    ):
        answer = client.get("/api/v1/search", params=params, headers=h)
        assert answer.status_code == 400, params
        assert fragment in answer.json()["detail"], params
    client.cookies.clear()
    assert client.get("/api/v1/search", params={"q": "echo"}).status_code == 401


def test_the_ticket_list_searches_messages_by_audience(
    client: Client, container: Container, corpus: dict[str, Any]
) -> None:
    t = corpus["tickets"]
    h = fa.bearer(fa.agent_token(container, corpus["agent"]))
    staff = client.get("/api/v1/tickets", params={"q": "secretword"}, headers=h).json()
    assert [item["id"] for item in staff["items"]] == [t["echo_en"].id]
    by_message = client.get("/api/v1/tickets", params={"q": "弱网"}, headers=h).json()
    assert [item["id"] for item in by_message["items"]] == [t["stutter_zh"].id]
    as_contact(client, container, corpus["dev"])
    mine = client.get("/api/v1/tickets", params={"q": "secretword"}).json()
    assert mine["items"] == []
    assert [
        i["id"] for i in client.get("/api/v1/tickets", params={"q": "回声"}).json()["items"]
    ] == [t["echo_en"].id]
