"""Ids out of the database's range answer 404 in a path and 400 in a body, filter or form."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts import schemas as account_schemas
from rtcdesk.bootstrap import Container
from rtcdesk.core.validation import MAX_ID
from rtcdesk.tickets import schemas as ticket_schemas
from rtcdesk.web.context import CSRF_FIELD

Client = TestClient  # type: ignore[type-arg]
TOO_BIG = (MAX_ID + 1, 2**63, 10**30)


@pytest.fixture
def desk(container: Container) -> dict[str, Any]:
    """An admin with a token and a session, and one ticket."""
    org = fa.organization(container)
    admin = fa.agent(container, role="admin")
    cookie, csrf = fa.agent_session(container, admin)
    return {
        "org": org,
        "ticket": ft.ticket(container, fa.contact(container, org)),
        "h": fa.bearer(fa.agent_token(container, admin)),
        "cookie": cookie,
        "csrf": csrf,
    }


def operations(client: Client) -> list[tuple[str, str]]:
    """(method, path template) of every operation with a path parameter."""
    doc = client.get("/api/schema/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if "{" in path and method in ("get", "post", "patch", "put", "delete")
    ]


@pytest.mark.parametrize("number", TOO_BIG)
def test_path_ids_out_of_range_name_nothing(
    client: Client, desk: dict[str, Any], number: int
) -> None:
    for method, template in operations(client):
        path = re.sub(r"\{[^}]+\}", str(number), template)
        response = client.request(method, path, headers=desk["h"], json={})
        assert response.status_code == 404, (method, path, response.text[:300])
    client.cookies.set("rtcdesk_session", desk["cookie"])
    for page in (f"/console/tickets/{number}", f"/portal/tickets/{number}"):
        assert client.get(page).status_code == 404, page


def input_structs() -> list[type[msgspec.Struct]]:
    """Every msgspec Struct the API decodes from a client (they forbid unknown fields)."""
    found = []
    for module in (account_schemas, ticket_schemas):
        for value in vars(module).values():
            is_struct = isinstance(value, type) and issubclass(value, msgspec.Struct)
            if is_struct and value.__struct_config__.forbid_unknown_fields:
                found.append(value)
    return found


def _ints(t: msgspec.inspect.Type) -> list[msgspec.inspect.IntType]:
    if isinstance(t, msgspec.inspect.IntType):
        return [t]
    if isinstance(t, msgspec.inspect.UnionType):
        return [i for sub in t.types for i in _ints(sub)]
    if isinstance(t, msgspec.inspect.ListType):
        return _ints(t.item_type)
    return []


def test_every_id_a_client_sends_is_bounded_to_the_database_range() -> None:
    checked = 0
    for struct in input_structs():
        info = msgspec.inspect.type_info(struct)
        assert isinstance(info, msgspec.inspect.StructType)
        for f in info.fields:
            if f.name == "id" or f.name.endswith(("_id", "_ids")):
                ints = _ints(f.type)  # app_ids are names, not numbers
                for i in ints:
                    assert (i.ge, i.le) == (1, MAX_ID), (struct.__name__, f.name)
                checked += bool(ints)
    assert checked >= 10


@pytest.mark.parametrize("number", [0, -1, *TOO_BIG])
def test_json_bodies_refuse_ids_out_of_range(
    client: Client, desk: dict[str, Any], number: int
) -> None:
    ticket = desk["ticket"].id
    bodies = [
        ("POST", "/api/v1/tickets", {"subject": "s", "body": "b", "organization_id": number}),
        ("POST", "/api/v1/tickets", {"subject": "s", "body": "b", "requester_id": number}),
        ("PATCH", f"/api/v1/tickets/{ticket}", {"assignee_id": number}),
        ("PATCH", f"/api/v1/tickets/{ticket}", {"group_id": number}),
        ("POST", f"/api/v1/tickets/{ticket}/links", {"target_id": number, "kind": "related"}),
        ("POST", f"/api/v1/tickets/{ticket}/merge", {"target_id": number}),
        ("POST", f"/api/v1/tickets/{ticket}/messages", {"body": "b", "attachment_ids": [number]}),
        ("POST", "/api/v1/contacts", {"organization_id": number, "email": "a@b.cn", "name": "n"}),
        ("POST", "/api/v1/agents", {"email": "x@y.cn", "name": "n", "group_ids": [number]}),
        ("POST", "/api/v1/tokens", {"name": "t", "organization_id": number}),
        ("PATCH", f"/api/v1/organizations/{desk['org'].id}", {"tam_agent_id": number}),
    ]
    for method, path, body in bodies:
        response = client.request(method, path, json=body, headers=desk["h"])
        assert response.status_code == 400, (method, path, response.text[:300])


@pytest.mark.parametrize("raw", ["0", "-1", "٣", *map(str, TOO_BIG), "9" * 5000])
def test_query_filters_refuse_ids_out_of_range(
    client: Client, desk: dict[str, Any], raw: str
) -> None:
    for key in ("group_id", "organization_id", "requester_id", "assignee"):
        response = client.get("/api/v1/tickets", params={key: raw}, headers=desk["h"])
        assert response.status_code == 400, (key, raw, response.text[:300])
        assert "must be a number from 1 to 2147483647" in response.json()["detail"]
    contacts = client.get("/api/v1/contacts", params={"organization_id": raw}, headers=desk["h"])
    assert contacts.status_code == 400, contacts.text
    client.cookies.set("rtcdesk_session", desk["cookie"])
    assert client.get("/console/tickets", params={"group_id": raw}).status_code == 400
    assert client.get("/console/tickets", params={"view": raw}).status_code == 400


@pytest.mark.parametrize("raw", ["0", *map(str, TOO_BIG)])
def test_form_fields_refuse_ids_out_of_range(
    client: Client, desk: dict[str, Any], raw: str
) -> None:
    client.cookies.set("rtcdesk_session", desk["cookie"])
    # A refused contact form shows the organization page it names again: none has that id.
    contact = {"organization_id": raw, "email": "a@b.cn", "name": "n"}
    response = client.post("/console/contacts", data={CSRF_FIELD: desk["csrf"], **contact})
    assert response.status_code in (400, 404), response.status_code
    forms = [
        ("/console/organizations", {"name": "Big Co", "tam_agent_id": raw}),
        (f"/console/tickets/{desk['ticket'].id}/link", {"target_id": f"#{raw}", "kind": "related"}),
    ]
    for path, form in forms:
        response = client.post(path, data={CSRF_FIELD: desk["csrf"], **form})
        assert response.status_code == 400, (path, raw, response.status_code)
        assert "must be a number from 1 to 2147483647" in response.text
