"""Forged pagination cursors answer 400 with a readable message on every list, never a 500."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]

SORTS = ("-updated_at", "updated_at", "-created_at", "priority", "-priority", "id", "-id", "name")
PAGES = ("/console/tickets", "/console/contacts", "/portal/")


def forge(payload: Any) -> str:
    """A well-formed base64 cursor around any JSON value."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


SHAPES: list[Any] = [
    None,
    {},
    {"a": 1},
    [],
    [None, None, None],
    ["-updated_at"],
    ["-updated_at", None, 1],
    ["-updated_at", {"dt": "2026-01-01T00:00:00"}, 1],  # naive
    ["-updated_at", {"dt": "2026-01-01T00:00:00+00:00"}, 2**64],
    ["-updated_at", {"dt": "2026-01-01T00:00:00+00:00"}, 2**31],
    ["-updated_at", {"dt": "2026-01-01T00:00:00+00:00"}, 0],
    ["-updated_at", {"dt": "2026-01-01T00:00:00+00:00"}, True],
    ["-updated_at", {"dt": "2026-01-01T00:00:00+00:00"}, "1"],
    ["-updated_at", {"dt": 5}, 1],
    ["-updated_at", {"dt": "x", "y": 1}, 1],
    ["-updated_at", [1, 2], 1],
    ["-updated_at", "2026-01-01", 1],
    ["-id", 2**70, 1],
    ["-id", None, 2**63],
    ["id", "1", 1],
    ["priority", 7, 1],
    ["priority", "P9", 1],
    ["name", None, 1],
    ["name", {"dt": "2026-01-01T00:00:00+00:00"}, 1],
    ["name", "a\x00b", 1],
    ["name", "x" * 5000, 1],
    [{"x": 1}, 1, 1],
    [["-updated_at"], 1, 1],
]


@pytest.fixture
def lists(container: Container) -> dict[str, Any]:
    """An agent's and a contact's ways in, and a ticket so lists are not empty. The agent is
    an administrator, who may read every list (the delivery log is for administrators)."""
    org = fa.organization(container)
    dev = fa.contact(container, org)
    agent = fa.agent(container, role="admin")
    ft.ticket(container, dev)
    return {
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "agent_cookie": fa.agent_session(container, agent)[0],
        "dev_cookie": fa.contact_session(container, dev)[0],
    }


def api_list_paths(client: Client) -> list[str]:
    """Every GET operation of the OpenAPI document that answers a page with a next cursor."""
    doc = client.get("/api/schema/openapi.json").json()
    paged = {
        f"#/components/schemas/{name}"
        for name, schema in doc["components"]["schemas"].items()
        if "next_cursor" in schema.get("properties", {})
    }
    found = []
    for path, item in doc["paths"].items():
        content = item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
        # A plain $ref, or a oneOf of audience-specific pages: every $ref the schema names.
        refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(content)))
        if refs & paged:
            found.append(path)
    return found


def get_list(client: Client, lists: dict[str, Any], path: str, cursor: str, sort: str) -> Any:
    """GET ``path`` with ``cursor`` as whoever may read that list."""
    client.cookies.clear()
    params = {"cursor": cursor, "sort": sort}
    if path.startswith("/api/"):
        return client.get(path, params=params, headers=lists["agent_h"])
    cookie = lists["dev_cookie"] if path.startswith("/portal") else lists["agent_cookie"]
    client.cookies.set("rtcdesk_session", cookie)
    return client.get(path, params=params, follow_redirects=False)


def assert_refused(response: Any) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "cursor" in response.text


def test_the_openapi_document_has_list_endpoints(client: Client) -> None:
    assert "/api/v1/tickets" in api_list_paths(client)


def test_every_list_refuses_every_forged_shape(client: Client, lists: dict[str, Any]) -> None:
    for path in [*api_list_paths(client), *PAGES]:
        for shape in SHAPES:
            sort = (
                shape[0] if isinstance(shape, list) and shape and isinstance(shape[0], str) else ""
            )
            for sort_param in {sort, "-updated_at"} - {"", "name"}:
                response = get_list(client, lists, path, forge(shape), sort_param)
                assert_refused(response)
        for junk in ("!!!", "bm9wZQ", "A" * 5000, "é", "W1"):
            assert_refused(get_list(client, lists, path, junk, "-updated_at"))


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=JSON,
    row_id=JSON,
    sort=st.sampled_from(["-updated_at", "created_at", "-priority", "-id"]),
)
def test_any_decoded_value_answers_400_or_a_page(
    client: Client, lists: dict[str, Any], value: Any, row_id: Any, sort: str
) -> None:
    for path in ("/api/v1/tickets", "/console/tickets"):
        response = get_list(client, lists, path, forge([sort, value, row_id]), sort)
        assert response.status_code in (200, 400), (response.status_code, response.text[:300])
