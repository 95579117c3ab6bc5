"""Tenant isolation: every role x every endpoint x own / colleague's / other organization.

Customers (contacts and organization tokens) must never see or change another
organization's data; a contact sees colleagues' tickets only where the organization
allows it; internal notes and staff-only endpoints stay with the staff. Objects a caller
may not see answer 404 (their existence is not revealed); staff-only actions answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from factories.search import run_jobs
from rtcdesk.accounts import service as accounts_service
from rtcdesk.accounts.models import Contact
from rtcdesk.bootstrap import Container
from rtcdesk.tickets import service as tickets_service
from rtcdesk.tickets.models import MessageKind

Client = TestClient  # type: ignore[type-arg]

AGENT_ROLES = ("admin", "manager", "agent", "tam")
CUSTOMERS = ("contact", "contact_shared", "org_token")
PRINCIPALS = (*AGENT_ROLES, *CUSTOMERS, "anonymous")
TARGETS = ("own", "colleague", "other")


@dataclass(frozen=True)
class Endpoint:
    """One API operation and who may use it."""

    name: str
    method: str
    path: str  # {ticket} {attachment} {org} {contact} are filled per target
    body: Any = None
    raw: bytes | None = None
    staff_roles: tuple[str, ...] = AGENT_ROLES  # which agent roles may use it
    customers: str = "visible"  # "visible": if they can see the object; "never"; "self"


ENDPOINTS = (
    Endpoint("get ticket", "GET", "/api/v1/tickets/{ticket}"),
    Endpoint("update ticket", "PATCH", "/api/v1/tickets/{ticket}", body={"sdk_version": "4.3.1"}),
    Endpoint("list messages", "GET", "/api/v1/tickets/{ticket}/messages"),
    Endpoint("reply", "POST", "/api/v1/tickets/{ticket}/messages", body={"body": "还是卡顿"}),
    Endpoint(
        "internal note",
        "POST",
        "/api/v1/tickets/{ticket}/messages",
        body={"body": "note", "kind": "internal"},
        customers="never",
    ),
    Endpoint("list attachments", "GET", "/api/v1/tickets/{ticket}/attachments"),
    Endpoint(
        "upload", "POST", "/api/v1/tickets/{ticket}/attachments?filename=sdk.log", raw=b"log line"
    ),
    Endpoint("history", "GET", "/api/v1/tickets/{ticket}/history"),
    Endpoint("links", "GET", "/api/v1/tickets/{ticket}/links"),
    Endpoint("escalations", "GET", "/api/v1/tickets/{ticket}/escalations", customers="never"),
    Endpoint(
        "link", "POST", "/api/v1/tickets/{ticket}/links", body={"target_id": 0}, customers="never"
    ),
    Endpoint("attachment meta", "GET", "/api/v1/attachments/{attachment}"),
    Endpoint("download", "GET", "/api/v1/attachments/{attachment}/download"),
    Endpoint(
        "internal file",
        "GET",
        "/api/v1/attachments/{internal_attachment}/download",
        customers="never",
    ),
    Endpoint("get organization", "GET", "/api/v1/organizations/{org}"),
    Endpoint(
        "update organization",
        "PATCH",
        "/api/v1/organizations/{org}",
        body={"notes": "x"},
        staff_roles=("admin", "manager"),
        customers="never",
    ),
    Endpoint("get contact", "GET", "/api/v1/contacts/{contact}"),
    Endpoint(
        "update contact",
        "PATCH",
        "/api/v1/contacts/{contact}",
        body={"name": "N"},
        customers="self",
    ),
)


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    """Organization A (sharing off), its sibling B (sharing on), and another C."""
    org = fa.organization(container, name="A 星海", share=False)
    shared_org = fa.organization(container, name="B shared", share=True)
    other = fa.organization(container, name="C other")
    me = fa.contact(container, org)
    colleague = fa.contact(container, org)
    shared_me = fa.contact(container, shared_org)
    shared_colleague = fa.contact(container, shared_org)
    stranger = fa.contact(container, other)
    objects: dict[str, dict[str, dict[str, int]]] = {}

    def make_objects(requester: Contact) -> dict[str, int]:
        ticket = ft.ticket(container, requester)
        with container.uow() as uow:
            staff = accounts_service.agent_actor(fa.agent(container))
            import io

            att = tickets_service.add_attachment(
                uow, staff, container.files, ticket.id, filename="a.log", stream=io.BytesIO(b"x1")
            )
            internal = tickets_service.add_attachment(
                uow,
                staff,
                container.files,
                ticket.id,
                filename="n.log",
                stream=io.BytesIO(b"x2"),
                internal=True,
            )
            from rtcdesk.tickets.schemas import MessageCreate

            tickets_service.add_message(
                uow,
                staff,
                ticket.id,
                MessageCreate(body="secret", kind=MessageKind.INTERNAL),
                channel=tickets_service.Channel.API,
            )
            uow.commit()
        return {
            "ticket": ticket.id,
            "attachment": att.id,
            "internal_attachment": internal.id,
            "org": requester.organization_id,
            "contact": requester.id,
        }

    # For each customer principal: its own object, a colleague's, another organization's.
    objects["contact"] = {
        "own": make_objects(me),
        "colleague": make_objects(colleague),
        "other": make_objects(stranger),
    }
    objects["contact_shared"] = {
        "own": make_objects(shared_me),
        "colleague": make_objects(shared_colleague),
        "other": make_objects(stranger),
    }
    objects["org_token"] = objects["contact"]
    for role in (*AGENT_ROLES, "anonymous"):
        objects[role] = objects["contact"]
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in AGENT_ROLES:
        headers[role] = fa.bearer(fa.agent_token(container, fa.agent(container, role=role)))
    headers["org_token"] = fa.bearer(fa.org_token(container, org))
    sessions = {
        "contact": fa.contact_session(container, me),
        "contact_shared": fa.contact_session(container, shared_me),
    }
    run_jobs(container)  # index every ticket for the search checks
    return {"objects": objects, "headers": headers, "sessions": sessions}


def expected(principal: str, endpoint: Endpoint, target: str) -> int | tuple[int, ...]:
    """The status class a principal must get."""
    if principal == "anonymous":
        return 401
    if principal in AGENT_ROLES:
        return (200, 201, 204) if principal in endpoint.staff_roles else 403
    if endpoint.customers == "never":
        # Staff-only: refused, or invisible when it points at another tenant.
        return (403, 404)
    if endpoint.name in ("get organization",) or endpoint.name == "get contact":
        visible = target in ("own", "colleague")
    elif endpoint.customers == "self":
        visible = target == "own" and principal != "org_token"
    else:
        visible = target == "own" or (
            target == "colleague" and principal in ("contact_shared", "org_token")
        )
    return (200, 201, 204) if visible else 404


def call(
    client: Client, world: dict[str, Any], principal: str, endpoint: Endpoint, target: str
) -> int:
    ids = world["objects"][principal][target]
    path = endpoint.path.format(**ids)
    headers = dict(world["headers"].get(principal, {}))
    client.cookies.clear()
    if principal in world["sessions"]:
        cookie, csrf = world["sessions"][principal]
        client.cookies.set("rtcdesk_session", cookie)
        headers["X-CSRF-Token"] = csrf
    body = endpoint.body
    if endpoint.name == "link":
        # Distinct pairs: own -> colleague, colleague -> other, other -> own.
        partner = {"own": "colleague", "colleague": "other", "other": "own"}[target]
        body = {"target_id": world["objects"][principal][partner]["ticket"]}
    if endpoint.raw is not None:
        response = client.request(endpoint.method, path, content=endpoint.raw, headers=headers)
    else:
        response = client.request(endpoint.method, path, json=body, headers=headers)
    return response.status_code


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_endpoint_for_every_role_and_tenant(
    client: Client, world: dict[str, Any], principal: str
) -> None:
    failures = []
    for endpoint in ENDPOINTS:
        for target in TARGETS:
            want = expected(principal, endpoint, target)
            got = call(client, world, principal, endpoint, target)
            allowed = want if isinstance(want, tuple) else (want,)
            if got not in allowed:
                failures.append(f"{principal} {endpoint.name} [{target}]: got {got}, want {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("principal", CUSTOMERS)
def test_lists_only_show_the_callers_tenant(
    client: Client, world: dict[str, Any], principal: str
) -> None:
    objects = world["objects"][principal]
    headers = dict(world["headers"].get(principal, {}))
    client.cookies.clear()
    if principal in world["sessions"]:
        client.cookies.set("rtcdesk_session", world["sessions"][principal][0])
    tickets = {t["id"] for t in client.get("/api/v1/tickets", headers=headers).json()["items"]}
    allowed = {objects["own"]["ticket"]}
    if principal in ("contact_shared", "org_token"):
        allowed.add(objects["colleague"]["ticket"])
    assert tickets == allowed
    orgs = [o["id"] for o in client.get("/api/v1/organizations", headers=headers).json()]
    assert orgs == [objects["own"]["org"]]
    assert all(
        o.get("notes") is None for o in client.get("/api/v1/organizations", headers=headers).json()
    )
    contacts = {
        c["organization_id"] for c in client.get("/api/v1/contacts", headers=headers).json()
    }
    assert contacts == {objects["own"]["org"]}
    # Asking for another organization's contacts by filter yields nothing.
    other_org = objects["other"]["org"]
    assert client.get(f"/api/v1/contacts?organization_id={other_org}", headers=headers).json() == []
    assert (
        client.get(f"/api/v1/tickets?organization_id={other_org}", headers=headers).json()["items"]
        == []
    )
    # Search finds the same tickets and never an internal note ("secret").
    found = client.get("/api/v1/search", params={"q": "卡顿", "limit": "50"}, headers=headers)
    assert {hit["id"] for hit in found.json()["items"]} == allowed
    listed = client.get("/api/v1/tickets", params={"q": "stutter"}, headers=headers).json()
    assert {t["id"] for t in listed["items"]} == allowed
    assert client.get("/api/v1/search", params={"q": "secret"}, headers=headers).json() == {
        "query": "secret",
        "items": [],
    }
    for staff_only in ("/api/v1/agents", "/api/v1/groups", "/api/v1/tokens", "/api/v1/views"):
        status = client.get(staff_only, headers=headers).status_code
        assert status == 403 or client.get(staff_only, headers=headers).json() == [], staff_only


@pytest.mark.parametrize(
    ("role", "path", "body", "allowed"),
    [
        ("organization", "/api/v1/organizations", {"name": "New Co"}, {"admin", "manager"}),
        ("group", "/api/v1/groups", {"name": "Video L3"}, {"admin", "manager"}),
        ("agent", "/api/v1/agents", {"email": "n@v.example", "name": "N"}, {"admin"}),
        (
            "contact",
            "/api/v1/contacts",
            {"organization_id": 0, "email": "c@c.example", "name": "C"},
            {"admin", "manager", "agent", "tam"},
        ),
    ],
)
def test_creating_accounts_is_role_restricted(
    client: Client,
    world: dict[str, Any],
    role: str,
    path: str,
    body: dict[str, Any],
    allowed: set[str],
) -> None:
    org_id = world["objects"]["contact"]["own"]["org"]
    for n, principal in enumerate(PRINCIPALS):
        payload = dict(body)
        if "organization_id" in payload:
            payload["organization_id"] = org_id
        if "email" in payload:
            payload["email"] = f"{n}{payload['email']}"
        if "name" in payload and role in ("organization", "group"):
            payload["name"] = f"{payload['name']} {n}"
        headers = dict(world["headers"].get(principal, {}))
        client.cookies.clear()
        if principal in world["sessions"]:
            cookie, csrf = world["sessions"][principal]
            client.cookies.set("rtcdesk_session", cookie)
            headers["X-CSRF-Token"] = csrf
        status = client.post(path, json=payload, headers=headers).status_code
        if principal == "anonymous":
            assert status == 401
        elif principal in allowed:
            assert status == 201, (principal, role, status)
        else:
            assert status == 403, (principal, role, status)


def test_tokens_can_be_revoked(client: Client, container: Container) -> None:
    admin = fa.agent(container, role="admin")
    headers = fa.bearer(fa.agent_token(container, admin))
    org = fa.organization(container)
    made = client.post(
        "/api/v1/tokens",
        json={"kind": "organization", "name": "CI", "organization_id": org.id},
        headers=headers,
    ).json()
    token_headers = fa.bearer(made["token"])
    assert client.get("/api/v1/tickets", headers=token_headers).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/tickets", headers=token_headers).status_code == 401
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert all(t["token"] is None for t in listed)


@pytest.mark.parametrize("role", AGENT_ROLES)
def test_every_staff_role_searches_every_tenant_and_internal_notes(
    client: Client, world: dict[str, Any], role: str
) -> None:
    headers = world["headers"][role]
    client.cookies.clear()
    found = client.get("/api/v1/search", params={"q": "secret", "limit": "50"}, headers=headers)
    tickets = {
        objects[target]["ticket"]
        for objects in (world["objects"]["contact"], world["objects"]["contact_shared"])
        for target in TARGETS
    }
    assert {hit["id"] for hit in found.json()["items"]} == tickets
