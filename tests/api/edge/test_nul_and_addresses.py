"""NUL characters are refused at the edge in every kind of input; odd addresses never 500."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container

from .test_json_bodies import json_operations, send

Client = TestClient  # type: ignore[type-arg]
NUL = "text may not contain NUL characters"
PAGES = ("/console/tickets", "/console/contacts", "/portal/", "/console/login", "/")


@pytest.fixture
def admin_h(container: Container) -> dict[str, str]:
    """An admin's bearer token."""
    return fa.bearer(fa.agent_token(container, fa.agent(container, role="admin")))


def get_paths(client: Client) -> list[str]:
    """Every GET path of the OpenAPI document, ids filled with 1."""
    doc = client.get("/api/schema/openapi.json").json()
    return [re.sub(r"\{[^}]+\}", "1", p) for p, item in doc["paths"].items() if "get" in item]


@pytest.mark.parametrize(
    "body",
    [b'{"name": "a\\u0000b"}', b'{"subject": "x", "tags": ["\\\\\\u0000"]}', b'["\\u0000"]'],
)
def test_every_json_body_refuses_nul(client: Client, admin_h: dict[str, str], body: bytes) -> None:
    for method, path in json_operations(client):
        response = send(client, method, path, body, admin_h)
        assert response.status_code == 400, (method, path, response.text[:300])
        assert response.json()["detail"] == NUL


def test_an_escaped_backslash_before_u0000_is_not_a_nul(
    client: Client, admin_h: dict[str, str]
) -> None:
    body = b'{"name": "C:\\\\u0000 Co"}'  # the text is C:\u0000 Co, no NUL in it
    response = send(client, "POST", "/api/v1/organizations", body, admin_h)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("query", ["q=a%00b", "status=%00", "cursor=%00", "x=%00"])
def test_every_query_refuses_nul(client: Client, admin_h: dict[str, str], query: str) -> None:
    for path in [*get_paths(client), *PAGES]:
        response = client.get(f"{path}?{query}", headers=admin_h, follow_redirects=False)
        assert response.status_code == 400, (path, response.status_code, response.text[:300])
        assert NUL in response.text


def test_form_fields_refuse_nul(client: Client, container: Container) -> None:
    agent = fa.agent(container)
    cookie, csrf = fa.agent_session(container, agent)
    client.cookies.set("rtcdesk_session", cookie)
    form = {"csrf_token": csrf, "subject": "a\x00b", "body": "x"}
    for path in ("/console/login", "/console/tickets/new", "/portal/tickets/new"):
        response = client.post(path, data=form, follow_redirects=False)
        assert response.status_code == 400, (path, response.status_code)
        assert NUL in response.text
    upload = client.post(
        "/console/tickets/new", data=form, files={"f": ("a.txt", b"\x00\x01", "text/plain")}
    )
    assert upload.status_code == 400
    assert NUL in upload.text


@pytest.mark.parametrize(
    "path", ["/static/..%00/x", "/static/%00", "/api/v1/tickets/%00", "/console/%00", "/%00"]
)
def test_a_nul_in_the_path_names_nothing(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/api/v1/tickets"), ("DELETE", "/console/tickets")]
)
def test_wrong_method_says_which_are_allowed(client: Client, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
