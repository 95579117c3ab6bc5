"""Every JSON body goes through one edge: too deep or missing answers a readable 400."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import MAX_JSON_DEPTH, check_json_depth

Client = TestClient  # type: ignore[type-arg]


def json_operations(client: Client) -> list[tuple[str, str]]:
    """(method, path) of every operation whose request body is JSON, ids filled with 1."""
    doc = client.get("/api/schema/openapi.json").json()
    found = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}) if isinstance(op, dict) else {}
            if "application/json" in content:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return found


@pytest.fixture
def admin_h(container: Container) -> dict[str, str]:
    """An admin's bearer token: the widest reach, so no route refuses before its body."""
    return fa.bearer(fa.agent_token(container, fa.agent(container, role="admin")))


def send(client: Client, method: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
    return client.request(
        method, path, content=body, headers={**headers, "content-type": "application/json"}
    )


def test_there_are_json_operations(client: Client) -> None:
    assert ("POST", "/api/v1/tickets") in json_operations(client)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b"{" + b'"a":{' * 500 + b"}" * 501,
        b'{"subject": ' + b"[" * 40 + b"]" * 40 + b"}",
        b"[" * 100_000,  # unterminated
    ],
)
def test_every_json_body_refuses_deep_nesting(
    client: Client, admin_h: dict[str, str], body: bytes
) -> None:
    for method, path in json_operations(client):
        response = send(client, method, path, body, admin_h)
        assert response.status_code == 400, (method, path, response.text[:300])
        assert "deeper than 32 levels" in response.json()["detail"]


def test_every_json_body_says_when_it_is_missing(client: Client, admin_h: dict[str, str]) -> None:
    for method, path in json_operations(client):
        response = send(client, method, path, b"", admin_h)
        assert response.status_code == 400, (method, path, response.text[:300])
        assert response.json()["detail"] == "this request needs a JSON body", (method, path)


def test_nesting_within_the_limit_is_decoded(client: Client, admin_h: dict[str, str]) -> None:
    body = b'{"name": "Deep Co", "x": ' + b"[" * 30 + b"]" * 30 + b"}"
    response = send(client, "POST", "/api/v1/organizations", body, admin_h)
    assert response.status_code == 400
    assert "unknown field" in response.json()["detail"]  # got past the depth check


@settings(deadline=None, max_examples=200)
@given(st.recursive(st.just([]), lambda inner: st.lists(inner, max_size=2), max_leaves=60))
def test_the_byte_scan_agrees_with_the_real_depth(value: Any) -> None:
    import json

    def depth(v: Any) -> int:
        return 1 + max((depth(x) for x in v), default=0) if isinstance(v, list) else 0

    raw = json.dumps({"s": '[[[[\\"{{', "v": value}).encode()
    real = depth(value) + 1
    for limit in (1, 3, 8):
        if real > limit:
            with pytest.raises(InvalidInput):
                check_json_depth(raw, max_depth=limit)
        else:
            check_json_depth(raw, max_depth=limit)


def test_brackets_inside_strings_do_not_count() -> None:
    check_json_depth(b'{"a": "' + b"[" * 1000 + b'\\"' + b"{" * 1000 + b'"}')
    assert MAX_JSON_DEPTH == 32
