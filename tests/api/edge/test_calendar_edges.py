"""Datetimes at the edge of the calendar answer 400 wherever a date arrives, never a 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]
EDGES = (
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59.999999-00:01",
)
FINE = ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "2026-01-31T08:00:00+08:00")


@pytest.fixture
def agent(container: Container) -> dict[str, Any]:
    """An agent's bearer token and session cookie."""
    person = fa.agent(container)
    return {
        "h": fa.bearer(fa.agent_token(container, person)),
        "cookie": fa.agent_session(container, person)[0],
    }


@pytest.mark.parametrize("key", ["created_after", "created_before"])
@pytest.mark.parametrize("value", EDGES)
def test_filters_refuse_instants_off_the_calendar(
    client: Client, agent: dict[str, Any], key: str, value: str
) -> None:
    api = client.get("/api/v1/tickets", params={key: value}, headers=agent["h"])
    assert api.status_code == 400, api.text
    assert "outside the years 1 to 9999" in api.json()["detail"]
    client.cookies.set("rtcdesk_session", agent["cookie"])
    page = client.get("/console/tickets", params={key: value})
    assert page.status_code == 400


@pytest.mark.parametrize("value", FINE)
def test_filters_keep_instants_on_the_calendar(
    client: Client, agent: dict[str, Any], value: str
) -> None:
    response = client.get("/api/v1/tickets", params={"created_after": value}, headers=agent["h"])
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("value", EDGES)
def test_cursors_refuse_instants_off_the_calendar(
    client: Client, agent: dict[str, Any], value: str
) -> None:
    raw = json.dumps(["-updated_at", {"dt": value}, 1]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = client.get("/api/v1/tickets", params={"cursor": cursor}, headers=agent["h"])
    assert response.status_code == 400, response.text
    assert "cursor" in response.json()["detail"]
