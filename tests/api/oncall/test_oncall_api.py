"""The on-call API on both backends: who reads, who edits, who overrides; clear refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import oncall as fo
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

Client = TestClient  # type: ignore[type-arg]
BASE = "/api/v1/oncall/schedules"


def _people(container: Container) -> dict[str, Any]:
    admin = fa.agent(container, role="admin", name="Ada Admin")
    manager = fa.agent(container, role="manager", name="Max Manager")
    a = fa.agent(container, name="Alice")
    b = fa.agent(container, name="Bob")
    c = fa.agent(container, name="Carol")
    row = fo.schedule(container, [[a, b], [c]], manager=manager, name="RTC test 7x24")
    return {"admin": admin, "manager": manager, "a": a, "b": b, "c": c, "schedule": row}


def test_who_is_on_call_now_and_at_t(client: Client, container: Container) -> None:
    p = _people(container)
    token = fa.bearer(fa.agent_token(container, p["a"]))
    listed = client.get(BASE + "/", headers=token)
    assert listed.status_code == 200
    (entry,) = [s for s in listed.json() if s["name"] == "RTC test 7x24"]
    # The clock fixture is Monday 2026-03-02 09:00 UTC = 17:00 in Shanghai: week 1 runs.
    assert [layer["agent"]["name"] for layer in entry["on_call"]["layers"]] == ["Alice", "Carol"]
    sid = p["schedule"].id
    later = client.get(
        f"{BASE}/{sid}/on-call", params={"at": "2026-03-10T12:00:00+08:00"}, headers=token
    )
    assert later.status_code == 200
    body = later.json()
    assert body["covered"] is True
    assert [r["agent"]["name"] for r in body["escalation"]] == ["Bob", "Carol", "Max Manager"]
    assert [r["layer_id"] is None for r in body["escalation"]] == [False, False, True]
    assert body["layers"][0]["shift_start"] == "2026-03-09T01:00:00Z"
    assert body["layers"][0]["shift_end"] == "2026-03-16T01:00:00Z"
    before = client.get(
        f"{BASE}/{sid}/on-call", params={"at": "2026-03-01T00:00:00Z"}, headers=token
    )
    assert before.json()["covered"] is False
    assert [r["agent"]["name"] for r in before.json()["escalation"]] == ["Max Manager"]


def test_shifts_in_a_window(client: Client, container: Container) -> None:
    p = _people(container)
    token = fa.bearer(fa.agent_token(container, p["a"]))
    sid = p["schedule"].id
    found = client.get(f"{BASE}/{sid}/shifts", params={"days": 14}, headers=token)
    assert found.status_code == 200
    layer1 = [s for s in found.json() if s["layer_id"] == p["schedule"].layers[0].id]
    assert [s["agent"]["name"] for s in layer1] == ["Alice", "Bob", "Alice"]
    assert layer1[0]["start"] == "2026-03-02T09:00:00Z"
    assert layer1[-1]["end"] == "2026-03-16T09:00:00Z"
    bad = client.get(f"{BASE}/{sid}/shifts", params={"start": "yesterday"}, headers=token)
    assert bad.status_code == 400
    assert "ISO 8601" in bad.json()["detail"]
    naive = client.get(f"{BASE}/{sid}/on-call", params={"at": "2026-03-05T10:00"}, headers=token)
    assert naive.status_code == 400
    assert "time zone" in naive.json()["detail"]
    backwards = client.get(
        f"{BASE}/{sid}/shifts",
        params={"start": "2026-03-05T00:00:00Z", "end": "2026-03-04T00:00:00Z"},
        headers=token,
    )
    assert backwards.status_code == 400
    too_long = client.get(f"{BASE}/{sid}/shifts", params={"days": 401}, headers=token)
    assert too_long.status_code == 400


def test_admins_edit_schedules_and_layers(client: Client, container: Container) -> None:
    p = _people(container)
    admin = fa.bearer(fa.agent_token(container, p["admin"]))
    created = client.post(
        BASE + "/",
        json={"name": "Night desk", "timezone": "America/Los_Angeles"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    layer = client.post(
        f"{BASE}/{sid}/layers",
        json={
            "name": "Nights",
            "starts_on": "2026-03-01",
            "participant_ids": [p["a"].id, p["b"].id],
            "handover": "daily",
            "handover_time": "19:00",
            "restriction": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "19:00", "end": "07:00"},
        },
        headers=admin,
    )
    assert layer.status_code == 201, layer.text
    assert layer.json()["restriction"] == {
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "start": "19:00",
        "end": "07:00",
    }
    lid = layer.json()["id"]
    moved = client.patch(
        f"{BASE}/{sid}/layers/{lid}",
        json={"participant_ids": [p["c"].id], "handover": "custom", "length_days": 3},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    assert [x["name"] for x in moved.json()["participants"]] == ["Carol"]
    assert moved.json()["length_days"] == 3
    # 09:00 UTC is 01:00 in Los Angeles: inside the night window.
    now = client.get(f"{BASE}/{sid}/on-call", headers=admin).json()
    assert now["layers"][0]["agent"]["name"] == "Carol"
    day = client.get(
        f"{BASE}/{sid}/on-call", params={"at": "2026-03-02T12:00:00-08:00"}, headers=admin
    ).json()
    assert day["covered"] is False
    assert client.delete(f"{BASE}/{sid}/layers/{lid}", headers=admin).status_code == 204
    assert client.delete(f"{BASE}/{sid}", headers=admin).status_code == 204
    assert client.get(f"{BASE}/{sid}", headers=admin).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"name": "X", "timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        ({"name": "X", "timezone": "UTC", "manager_agent_id": 999999}, "manager", "active agent"),
        ({"name": "X", "timezone": "UTC", "group_id": 999999}, "group", "does not exist"),
        ({"name": "   ", "timezone": "UTC"}, "name", "must not be empty"),
    ],
)
def test_schedule_input_is_checked(
    client: Client, container: Container, body: dict[str, Any], field: str, words: str
) -> None:
    admin = fa.bearer(fa.agent_token(container, fa.agent(container, role="admin")))
    answer = client.post(BASE + "/", json=body, headers=admin)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["detail"]


def test_duplicate_names_and_bad_layers(client: Client, container: Container) -> None:
    p = _people(container)
    admin = fa.bearer(fa.agent_token(container, p["admin"]))
    dup = client.post(BASE + "/", json={"name": "RTC test 7x24", "timezone": "UTC"}, headers=admin)
    assert dup.status_code == 409
    sid = p["schedule"].id
    for layer, words in [
        ({"name": "L", "starts_on": "2026-03-01", "participant_ids": [999999]}, "active agent"),
        ({"name": "L", "starts_on": "2026-03-01", "handover_time": "25:00"}, "time of day"),
        ({"name": "L", "starts_on": "2026-03-01", "length_days": 0}, "length_days"),
        ({"name": "L", "starts_on": "not a date"}, "starts_on"),
    ]:
        answer = client.post(f"{BASE}/{sid}/layers", json=layer, headers=admin)
        assert answer.status_code == 400, answer.text
        assert words in answer.text


def test_overrides_who_may_add_and_remove(
    client: Client, container: Container, clock: FrozenClock
) -> None:
    p = _people(container)
    sid = p["schedule"].id
    layer1 = p["schedule"].layers[0].id
    bob = fa.bearer(fa.agent_token(container, p["b"]))
    carol = fa.bearer(fa.agent_token(container, p["c"]))
    manager = fa.bearer(fa.agent_token(container, p["manager"]))
    span = {"starts_at": "2026-03-03T00:00:00+08:00", "ends_at": "2026-03-04T00:00:00+08:00"}
    # Bob covers Alice's Tuesday himself: allowed.
    own = client.post(
        f"{BASE}/{sid}/overrides",
        json={"agent_id": p["b"].id, "layer_id": layer1, "reason": "swap", **span},
        headers=bob,
    )
    assert own.status_code == 201, own.text
    assert own.json()["created_by"]["name"] == "Bob"
    at = {"at": "2026-03-03T12:00:00+08:00"}
    assert (
        client.get(f"{BASE}/{sid}/on-call", params=at, headers=bob).json()["layers"][0]["agent"][
            "name"
        ]
        == "Bob"
    )
    # Bob may not put Carol on call; a manager may.
    other = {"agent_id": p["c"].id, **span}
    refused = client.post(f"{BASE}/{sid}/overrides", json=other, headers=bob)
    assert refused.status_code == 403
    placed = client.post(f"{BASE}/{sid}/overrides", json=other, headers=manager)
    assert placed.status_code == 201
    # Carol may not remove Bob's cover; Bob may while it lasts.
    own_id = own.json()["id"]
    assert client.delete(f"{BASE}/{sid}/overrides/{own_id}", headers=carol).status_code == 403
    listed = client.get(f"{BASE}/{sid}/overrides", headers=carol).json()
    assert [o["id"] for o in listed] == [own_id, placed.json()["id"]]
    clock.advance(timedelta(days=5))
    assert client.delete(f"{BASE}/{sid}/overrides/{own_id}", headers=bob).status_code == 403
    assert client.delete(f"{BASE}/{sid}/overrides/{own_id}", headers=manager).status_code == 204
    assert client.delete(f"{BASE}/{sid}/overrides/{own_id}", headers=manager).status_code == 404


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"ends_at": "2026-03-03T00:00:00+08:00"}, "end after it starts"),
        ({"ends_at": "2026-07-03T00:00:00+08:00"}, "at most 90 days"),
        ({"agent_id": 999999}, "active agent"),
        ({"layer_id": 999999}, "not part of schedule"),
        ({"starts_at": "2026-03-03T00:00:00"}, "time zone"),
    ],
)
def test_override_input_is_checked(
    client: Client, container: Container, change: dict[str, Any], words: str
) -> None:
    p = _people(container)
    manager = fa.bearer(fa.agent_token(container, p["manager"]))
    body = {
        "agent_id": p["a"].id,
        "starts_at": "2026-03-03T00:00:00+08:00",
        "ends_at": "2026-03-04T00:00:00+08:00",
        **change,
    }
    answer = client.post(f"{BASE}/{p['schedule'].id}/overrides", json=body, headers=manager)
    assert answer.status_code in (400, 404), answer.text
    assert words in answer.json()["detail"]


def test_agents_cannot_edit_and_customers_see_nothing(client: Client, container: Container) -> None:
    p = _people(container)
    sid = p["schedule"].id
    agent = fa.bearer(fa.agent_token(container, p["a"]))
    assert (
        client.post(BASE + "/", json={"name": "Y", "timezone": "UTC"}, headers=agent).status_code
        == 403
    )
    assert client.patch(f"{BASE}/{sid}", json={"name": "Z"}, headers=agent).status_code == 403
    assert client.delete(f"{BASE}/{sid}", headers=agent).status_code == 403
    org = fa.organization(container)
    person = fa.contact(container, org, password=fa.PASSWORD)
    cookie, _ = fa.contact_session(container, person)
    for headers, cookies in [
        (fa.bearer(fa.org_token(container, org)), {}),
        ({}, {"rtcdesk_session": cookie}),
    ]:
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies.set(name, value)
        for path in (
            BASE + "/",
            f"{BASE}/{sid}",
            f"{BASE}/{sid}/on-call",
            f"{BASE}/{sid}/shifts",
            f"{BASE}/{sid}/overrides",
        ):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 403, (path, answer.status_code)
            assert "Carol" not in answer.text
