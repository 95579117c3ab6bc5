"""The launches API on both backends: agents register and tick; bad input named by field;
a customer sees only their own organization's banner, never another's launch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from factories import accounts as fa
from factories import launches as fl
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

Client = TestClient  # type: ignore[type-arg]
BASE = "/api/v1/launches"


def _body(org_id: int, engineer_id: int, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization_id": org_id,
        "title": "Live rooms 3.0",
        "starts_at": "2026-03-03T20:00:00+08:00",
        "ends_at": "2026-03-04T02:00:00+08:00",
        "timezone": "Asia/Shanghai",
        "engineer_id": engineer_id,
        "peak_concurrency": 50000,
        "platforms": [{"platform": "android", "sdk_version": "4.3.0"}],
    }
    body.update(kw)
    return body


def test_register_edit_and_tick_a_launch(client: Client, container: Container) -> None:
    org = fa.organization(container)
    agent = fa.agent(container, name="Wang Lei")
    admin = fa.agent(container, role="admin")
    token = fa.bearer(fa.agent_token(container, agent))
    admin_token = fa.bearer(fa.agent_token(container, admin))
    put = client.put(
        BASE + "/settings",
        json={"checklist_template": ["SDK version verified"], "p1_categories": ["troubleshooting"]},
        headers=admin_token,
    )
    assert put.status_code == 200, put.text
    assert client.put(BASE + "/settings", json={}, headers=token).status_code == 403
    created = client.post(BASE + "/", json=_body(org.id, agent.id), headers=token)
    assert created.status_code == 201, created.text
    launch = created.json()
    assert launch["state"] == "upcoming"
    assert launch["engineer_name"] == "Wang Lei"
    assert [i["title"] for i in launch["items"]] == ["SDK version verified"]
    item = client.post(
        f"{BASE}/{launch['id']}/items",
        json={"title": "TURN capacity confirmed", "due_on": "2026-03-01", "owner_id": agent.id},
        headers=token,
    )
    assert item.status_code == 201, item.text
    assert item.json()["overdue"] is True  # due yesterday, not done
    ticked = client.patch(
        f"{BASE}/{launch['id']}/items/{item.json()['id']}", json={"done": True}, headers=token
    )
    assert ticked.json()["overdue"] is False
    moved = client.patch(f"{BASE}/{launch['id']}", json={"title": "Live rooms 3.1"}, headers=token)
    assert moved.json()["title"] == "Live rooms 3.1"
    cancelled = client.post(f"{BASE}/{launch['id']}/cancel", headers=token)
    assert cancelled.json()["state"] == "cancelled"


def test_bad_input_is_named(client: Client, container: Container) -> None:
    org = fa.organization(container)
    agent = fa.agent(container)
    token = fa.bearer(fa.agent_token(container, agent))
    cases = [
        ({"ends_at": "2026-03-03T19:00:00+08:00"}, "must end after it starts"),
        ({"timezone": "Nowhere/Land"}, "unknown time zone"),
        ({"platforms": [{"platform": "symbian"}]}, "unknown platform"),
        ({"backup_id": agent.id}, "someone other than the on-call engineer"),
    ]
    for change, message in cases:
        answer = client.post(BASE + "/", json=_body(org.id, agent.id, **change), headers=token)
        assert answer.status_code == 400, answer.text
        assert message in answer.json()["detail"]


def test_customers_see_their_own_banner_and_no_launch(
    client: Client, container: Container, clock: FrozenClock
) -> None:
    org = fa.organization(container)
    other = fa.organization(container)
    engineer = fa.agent(container, name="Wang Lei")
    launch = fl.launch(
        container,
        org,
        engineer,
        starts_at=clock.now() + timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=5),
    )
    mine = fa.bearer(fa.org_token(container, org))
    theirs = fa.bearer(fa.org_token(container, other))
    assert client.get(BASE + "/banner", headers=mine).json() == {
        "active": False,
        "title": None,
        "ends_at": None,
        "engineer_name": None,
    }
    clock.advance(timedelta(hours=2))
    banner = client.get(BASE + "/banner", headers=mine).json()
    assert (banner["active"], banner["engineer_name"]) == (True, "Wang Lei")
    assert client.get(BASE + "/banner", headers=theirs).json()["active"] is False
    for token in (mine, theirs):
        assert client.get(BASE + "/", headers=token).status_code == 403
        assert client.get(f"{BASE}/{launch.id}", headers=token).status_code in (403, 404)
        assert client.post(f"{BASE}/{launch.id}/cancel", headers=token).status_code in (403, 404)
