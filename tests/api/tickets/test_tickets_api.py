"""The ticket API through HTTP: create, read, filter, page, change, reply, attach, link, merge."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from factories.search import run_jobs
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    """Two organizations, a contact in each, an agent and an admin, with tokens."""
    org = fa.organization(container, name="星海直播")
    other = fa.organization(container, name="Other Co")
    dev = fa.contact(container, org, name="周晓明")
    stranger = fa.contact(container, other)
    agent = fa.agent(container, name="李伟 Li Wei")
    admin = fa.agent(container, role="admin")
    cookie, csrf = fa.contact_session(container, dev)
    return {
        "org": org,
        "other": other,
        "dev": dev,
        "stranger": stranger,
        "agent": agent,
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "admin_h": fa.bearer(fa.agent_token(container, admin)),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "dev_cookie": cookie,
        "dev_csrf": csrf,
    }


def dev_headers(world: dict[str, Any], client: Client) -> dict[str, str]:
    client.cookies.set("rtcdesk_session", world["dev_cookie"])
    return {"X-CSRF-Token": world["dev_csrf"]}


def test_contact_opens_ticket_and_priority_comes_from_the_matrix(
    client: Client, world: dict[str, Any]
) -> None:
    headers = dev_headers(world, client)
    response = client.post(
        "/api/v1/tickets",
        json={
            "subject": "直播间观众端视频卡顿严重",
            "body": "晚高峰 20% 观众卡顿，SDK 4.2.1",
            "category": "troubleshooting",
            "urgency": "high",
            "impact": "high",
            "platform": "android",
            "sdk_version": "4.2.1",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["priority"] == "P2"
    assert body["status"] == "new"
    assert body["channel"] == "api"
    assert body["organization_id"] == world["org"].id
    assert body["requester_id"] == world["dev"].id
    messages = client.get(f"/api/v1/tickets/{body['id']}/messages").json()
    assert messages[0]["body_text"].startswith("晚高峰")
    assert messages[0]["author_name"] == "周晓明"


def test_writes_with_a_session_cookie_need_the_csrf_header(
    client: Client, world: dict[str, Any]
) -> None:
    client.cookies.set("rtcdesk_session", world["dev_cookie"])
    response = client.post("/api/v1/tickets", json={"subject": "x", "body": "y"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "reload the page" in response.json()["detail"]


def test_agent_reply_sets_first_response_and_status(
    client: Client, container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    ticket = ft.ticket(container, world["dev"])
    from datetime import timedelta

    clock.advance(timedelta(minutes=17))
    response = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "请开启双流并打开 FEC。", "status": "pending_customer"},
        headers=world["agent_h"],
    )
    assert response.status_code == 201, response.text
    got = client.get(f"/api/v1/tickets/{ticket.id}", headers=world["agent_h"]).json()
    assert got["status"] == "pending_customer"
    assert got["first_response_at"] is not None
    history = client.get(f"/api/v1/tickets/{ticket.id}/history", headers=world["agent_h"]).json()
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history][-1] == (
        "status",
        "new",
        "pending_customer",
    )


def test_internal_notes_never_reach_customers(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    note = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "customer uses an old SDK, upsell", "kind": "internal"},
        headers=world["agent_h"],
    )
    assert note.status_code == 201
    as_agent = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=world["agent_h"])
    assert any(m["kind"] == "internal" for m in as_agent.json())
    for headers in (world["org_h"], dev_headers(world, client)):
        seen = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=headers).json()
        assert all(m["kind"] == "public" for m in seen)
    client.cookies.clear()
    denied = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "sneaky", "kind": "internal"},
        headers=world["org_h"],
    )
    assert denied.status_code == 403


def test_priority_override_needs_a_reason_and_is_recorded(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    url = f"/api/v1/tickets/{ticket.id}"
    missing = client.patch(url, json={"priority": "P1"}, headers=world["agent_h"])
    assert missing.status_code == 400
    assert "reason" in missing.json()["detail"]
    ok = client.patch(
        url,
        json={"priority": "P1", "priority_reason": "customer launch tomorrow"},
        headers=world["agent_h"],
    )
    assert ok.json()["priority"] == "P1"
    assert ok.json()["priority_override_reason"] == "customer launch tomorrow"
    # Changing urgency keeps the override; clearing the priority returns to the matrix.
    assert (
        client.patch(url, json={"urgency": "low"}, headers=world["agent_h"]).json()["priority"]
        == "P1"
    )
    back = client.patch(url, json={"priority": None}, headers=world["agent_h"]).json()
    assert back["priority"] == "P4"
    assert back["priority_override_reason"] is None


def test_illegal_transition_and_reopen_window(
    client: Client, container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    from datetime import timedelta

    ticket = ft.ticket(container, world["dev"])
    url = f"/api/v1/tickets/{ticket.id}"
    h = world["agent_h"]
    assert client.patch(url, json={"status": "solved"}, headers=h).status_code == 200
    assert client.patch(url, json={"status": "closed"}, headers=h).status_code == 200
    again = client.patch(url, json={"status": "open"}, headers=h)
    assert again.status_code == 409
    assert "closed" in again.json()["detail"]
    second = ft.ticket(container, world["dev"])
    url2 = f"/api/v1/tickets/{second.id}"
    client.patch(url2, json={"status": "solved"}, headers=h)
    clock.advance(timedelta(days=15))
    late = client.post(
        f"{url2}/messages", json={"body": "还是卡"}, headers=dev_headers(world, client)
    )
    assert late.status_code == 409
    assert "reopened" in late.json()["detail"]


def test_customer_reply_reopens_a_solved_ticket(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    client.patch(
        f"/api/v1/tickets/{ticket.id}", json={"status": "solved"}, headers=world["agent_h"]
    )
    reply = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "问题又出现了"},
        headers=dev_headers(world, client),
    )
    assert reply.status_code == 201
    client.cookies.clear()
    got = client.get(f"/api/v1/tickets/{ticket.id}", headers=world["agent_h"]).json()
    assert got["status"] == "open"


def test_list_filters_sort_and_cursor_pagination(
    client: Client, container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    from datetime import timedelta

    ids = []
    for i in range(7):
        clock.advance(timedelta(minutes=1))
        ids.append(ft.ticket(container, world["dev"], subject=f"回声问题 echo {i}").id)
    ft.ticket(container, world["stranger"], subject="other org")
    run_jobs(container)  # the search index behind q= is built by its job
    h = world["agent_h"]
    seen: list[int] = []
    url = "/api/v1/tickets?q=echo&sort=-created_at&limit=3"
    while url:
        page = client.get(url, headers=h).json()
        seen.extend(t["id"] for t in page["items"])
        url = (
            f"/api/v1/tickets?q=echo&sort=-created_at&limit=3&cursor={page['next_cursor']}"
            if page["next_cursor"]
            else ""
        )
    assert seen == list(reversed(ids))
    asc = client.get("/api/v1/tickets?q=回声&sort=created_at&limit=50", headers=h).json()
    assert [t["id"] for t in asc["items"]] == ids
    org_only = client.get(f"/api/v1/tickets?organization_id={world['other'].id}", headers=h).json()
    assert [t["subject"] for t in org_only["items"]] == ["other org"]
    client.patch(f"/api/v1/tickets/{ids[0]}", json={"tags": ["Echo", "web"]}, headers=h)
    tagged = client.get("/api/v1/tickets?tag=echo", headers=h).json()
    assert [t["id"] for t in tagged["items"]] == [ids[0]]
    assert tagged["items"][0]["tags"] == ["echo", "web"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("status=bogus", "status='bogus' is not one of"),
        ("sort=nope", "cannot sort by"),
        ("limit=1000", "limit must be between"),
        ("limit=abc", "whole number"),
        ("cursor=%%%", "cursor"),
        ("created_after=yesterday", "ISO 8601"),
        ("created_after=2026-01-01T00:00:00", "time zone"),
        ("assignee=bob", "must be a number from 1 to"),
    ],
)
def test_bad_list_parameters_get_a_clear_400(
    client: Client, world: dict[str, Any], query: str, fragment: str
) -> None:
    response = client.get(f"/api/v1/tickets?{query}", headers=world["agent_h"])
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"subject": "x", "body": ', "not valid JSON"),
        (b'{"subject": 5, "body": "y", "organization_id": 1}', "Expected `str`"),
        (b'{"subject": "x", "body": "y", "urgency": "whenever"}', "Invalid enum value"),
        (b'{"subject": "x", "body": "y", "colour": "red"}', "unknown field"),
        (b"[1, 2, 3]", "Expected `object`"),
        (b'{"subject": "", "body": "y"}', "length"),
    ],
)
def test_malformed_bodies_get_a_clear_400(
    client: Client, world: dict[str, Any], raw: bytes, fragment: str
) -> None:
    response = client.post(
        "/api/v1/tickets",
        content=raw,
        headers={**world["agent_h"], "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert fragment.lower() in problem["detail"].lower()
    assert problem["status"] == 400


def test_oversized_json_body_is_413(client: Client, world: dict[str, Any]) -> None:
    huge = b'{"subject": "x", "body": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/tickets",
        content=huge,
        headers={**world["agent_h"], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["title"] == "Too large"


def test_unknown_route_and_method_are_problem_json(client: Client, world: dict[str, Any]) -> None:
    assert client.get("/api/v1/nothing-here").json()["status"] == 404
    wrong = client.put("/api/v1/tickets", headers=world["agent_h"])
    assert wrong.status_code == 405
    assert client.get("/api/v1/tickets").status_code == 401
    bad_token = client.get("/api/v1/tickets", headers=fa.bearer("rtd_ag_nope"))
    assert bad_token.status_code == 401
    assert "unknown or revoked" in bad_token.json()["detail"]


def test_attachments_upload_sniff_download(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    url = f"/api/v1/tickets/{ticket.id}/attachments"
    dump = b'{"PeerConnections": {}, "UserAgent": "Chrome"}'
    multipart = client.post(
        url,
        files={"file": ("webrtc_internals_dump.txt", dump, "text/html")},
        headers=world["org_h"],
    )
    assert multipart.status_code == 201, multipart.text
    meta = multipart.json()
    assert meta["content_type"] == "application/json"
    assert meta["size"] == len(dump)
    raw = client.post(
        f"{url}?filename=日志.log",
        content="2026-01-01 音频 卡顿".encode(),
        headers={**world["agent_h"], "Content-Type": "application/octet-stream"},
    )
    assert raw.status_code == 201
    assert raw.json()["content_type"] == "text/plain"
    html = client.post(
        f"{url}?filename=evil.html",
        content=b"<html><script>alert(1)</script></html>",
        headers={**world["agent_h"], "Content-Type": "text/html"},
    ).json()
    download = client.get(html["download_url"], headers=world["agent_h"])
    assert download.status_code == 200
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"]
    assert download.content == b"<html><script>alert(1)</script></html>"
    names = [a["filename"] for a in client.get(url, headers=world["agent_h"]).json()]
    assert names == ["webrtc_internals_dump.txt", "日志.log", "evil.html"]
    # The reply can claim uploaded files.
    reply = client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "see attached log", "attachment_ids": [raw.json()["id"]]},
        headers=world["agent_h"],
    )
    assert [a["filename"] for a in reply.json()["attachments"]] == ["日志.log"]


def test_empty_and_oversized_files_are_refused(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    container.files.max_bytes = 1024
    ticket = ft.ticket(container, world["dev"])
    url = f"/api/v1/tickets/{ticket.id}/attachments"
    empty = client.post(f"{url}?filename=a.txt", content=b"", headers=world["agent_h"])
    assert empty.status_code == 400
    big = client.post(f"{url}?filename=a.bin", content=b"x" * 5000, headers=world["agent_h"])
    assert big.status_code == 413
    assert "larger than the limit" in big.json()["detail"]
    assert client.get(url, headers=world["agent_h"]).json() == []
    nameless = client.post(url, content=b"abc", headers=world["agent_h"])
    assert nameless.status_code == 400


def test_link_and_merge(client: Client, container: Container, world: dict[str, Any]) -> None:
    first = ft.ticket(container, world["dev"], subject="黑屏 A")
    dup = ft.ticket(container, world["dev"], subject="黑屏 B")
    other_org = ft.ticket(container, world["stranger"], subject="elsewhere")
    h = world["agent_h"]
    link = client.post(
        f"/api/v1/tickets/{first.id}/links", json={"target_id": other_org.id}, headers=h
    )
    assert link.status_code == 201
    again = client.post(
        f"/api/v1/tickets/{other_org.id}/links", json={"target_id": first.id}, headers=h
    )
    assert again.status_code == 409
    cross = client.post(
        f"/api/v1/tickets/{dup.id}/merge", json={"target_id": other_org.id}, headers=h
    )
    assert cross.status_code == 400
    merged = client.post(f"/api/v1/tickets/{dup.id}/merge", json={"target_id": first.id}, headers=h)
    assert merged.status_code == 201, merged.text
    bodies = [
        m["body_text"] for m in client.get(f"/api/v1/tickets/{first.id}/messages", headers=h).json()
    ]
    assert len(bodies) == 2
    source = client.get(f"/api/v1/tickets/{dup.id}", headers=h).json()
    assert source["merged_into_id"] == first.id
    assert source["status"] == "closed"
    fields = [c["field"] for c in client.get(f"/api/v1/tickets/{dup.id}/history", headers=h).json()]
    assert "merged_into" in fields
    assert (
        client.post(
            f"/api/v1/tickets/{dup.id}/messages", json={"body": "late"}, headers=h
        ).status_code
        == 409
    )
    links = client.get(f"/api/v1/tickets/{first.id}/links", headers=h).json()
    assert {lnk["kind"] for lnk in links} == {"related", "duplicate"}
    customers_view = client.get(f"/api/v1/tickets/{first.id}/links", headers=world["org_h"]).json()
    assert {lnk["kind"] for lnk in customers_view} == {"duplicate"}


def test_saved_views(client: Client, world: dict[str, Any]) -> None:
    h = world["agent_h"]
    created = client.post(
        "/api/v1/views", json={"name": "我的 P1", "filters": {"priority": "P1"}}, headers=h
    )
    assert created.status_code == 201
    assert [v["name"] for v in client.get("/api/v1/views", headers=h).json()] == ["我的 P1"]
    assert client.get("/api/v1/views", headers=world["admin_h"]).json() == []
    assert client.delete(f"/api/v1/views/{created.json()['id']}", headers=h).status_code == 204
    assert (
        client.post(
            "/api/v1/views", json={"name": "x", "filters": {}}, headers=world["org_h"]
        ).status_code
        == 403
    )


def test_openapi_and_docs_page_are_served(client: Client) -> None:
    schema = client.get("/api/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/tickets" in schema.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/v1/tickets/{ticket_id}" in docs.text
