"""Routing through HTTP: rules (admins, clear errors), availability, routing on creation with
its recorded reason, re-route, and what customers never see."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    """A premium customer, a Video L2 group with two agents, an L1 agent and an admin."""
    org = fa.organization(container, name="VoiceParty", language="zh-CN")
    dev = fa.contact(container, org, language="zh-CN")
    video = fa.group(container, "Video L2")
    ana = fa.agent(
        container,
        name="Ana",
        level="L2",
        skills=("video", "android"),
        languages=("zh-CN", "en"),
        group_ids=(video.id,),
    )
    bo = fa.agent(
        container,
        name="Bo",
        level="L2",
        skills=("video",),
        languages=("zh-CN",),
        group_ids=(video.id,),
    )
    junior = fa.agent(container, name="Junior", level="L1", skills=("video",))
    admin = fa.agent(container, role="admin", name="Admin")
    return {
        "org": org,
        "dev": dev,
        "video": video,
        "ana": ana,
        "bo": bo,
        "junior": junior,
        "ana_h": fa.bearer(fa.agent_token(container, ana)),
        "bo_h": fa.bearer(fa.agent_token(container, bo)),
        "admin_h": fa.bearer(fa.agent_token(container, admin)),
        "org_h": fa.bearer(fa.org_token(container, org)),
    }


def video_rule(client: Client, world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Video quality",
        "categories": ["troubleshooting"],
        "skills": ["video"],
        "languages": ["zh-CN"],
        "group_id": world["video"].id,
        "min_level": "L2",
        **extra,
    }
    response = client.post("/api/v1/routing/rules", json=body, headers=world["admin_h"])
    assert response.status_code == 201, response.text
    rule: dict[str, Any] = response.json()
    return rule


def open_ticket(client: Client, world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {
        "subject": "直播间视频卡顿",
        "body": "观众端画面每隔几秒卡住",
        "category": "troubleshooting",
        "platform": "android",
        **extra,
    }
    response = client.post("/api/v1/tickets", json=body, headers=world["org_h"])
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def staff_view(client: Client, world: dict[str, Any], ticket_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/tickets/{ticket_id}", headers=world["admin_h"])
    assert response.status_code == 200
    ticket: dict[str, Any] = response.json()
    return ticket


def decisions(client: Client, world: dict[str, Any], ticket_id: int) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/tickets/{ticket_id}/routing", headers=world["admin_h"])
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_new_ticket_is_routed_by_the_first_matching_rule_and_says_why(
    client: Client, world: dict[str, Any]
) -> None:
    rule = video_rule(client, world)
    created = open_ticket(client, world)
    ticket = staff_view(client, world, created["id"])
    assert ticket["group_id"] == world["video"].id
    assert ticket["assignee_id"] in (world["ana"].id, world["bo"].id)
    [decision] = decisions(client, world, created["id"])
    assert decision["rule_id"] == rule["id"]
    assert decision["agent_id"] == ticket["assignee_id"]
    assert decision["trigger"] == "created"
    assert {"kind": "skill", "value": "video"} in decision["parts"]
    assert {"kind": "language", "value": "zh-CN"} in decision["parts"]
    assert {"kind": "load", "value": "0/8"} in decision["parts"]
    assert decision["text"].startswith("Routed to Video L2 · ")
    assert "skill video, language zh-CN" in decision["text"]
    # The history keeps data, not a sentence.
    history = client.get(f"/api/v1/tickets/{created['id']}/history", headers=world["admin_h"])
    [entry] = [c for c in history.json() if c["field"] == "routing"]
    stored = json.loads(entry["new_value"])
    assert stored["rule_id"] == rule["id"]
    assert stored["agent_id"] == ticket["assignee_id"]


def test_the_create_response_already_shows_the_routed_assignee(
    client: Client, world: dict[str, Any]
) -> None:
    video_rule(client, world)
    response = client.post(
        "/api/v1/tickets",
        json={
            "organization_id": world["org"].id,
            "subject": "Video freezes on Android",
            "body": "Remote video freezes",
            "category": "troubleshooting",
        },
        headers=world["ana_h"],
    )
    assert response.status_code == 201
    assert response.json()["group_id"] == world["video"].id
    assert response.json()["assignee_id"] in (world["ana"].id, world["bo"].id)


def test_round_robin_takes_turns_and_load_counts(client: Client, world: dict[str, Any]) -> None:
    video_rule(client, world)
    first = staff_view(client, world, open_ticket(client, world)["id"])["assignee_id"]
    second = staff_view(client, world, open_ticket(client, world)["id"])["assignee_id"]
    assert {first, second} == {world["ana"].id, world["bo"].id}
    third = open_ticket(client, world)["id"]
    assert staff_view(client, world, third)["assignee_id"] in (world["ana"].id, world["bo"].id)
    loads = {
        a["name"]: a["load"]
        for a in client.get("/api/v1/routing/agents", headers=world["ana_h"]).json()
    }
    assert sorted([loads["Ana"], loads["Bo"]]) == [1, 2]


def test_an_agent_away_or_at_capacity_gets_no_new_tickets(
    client: Client, world: dict[str, Any]
) -> None:
    video_rule(client, world)
    away = client.put(
        "/api/v1/me/availability", json={"availability": "away"}, headers=world["bo_h"]
    )
    assert away.status_code == 200
    assert away.json() == {"availability": "away", "load": 0, "max_load": 8}
    for _ in range(3):
        ticket = open_ticket(client, world)
        assert staff_view(client, world, ticket["id"])["assignee_id"] == world["ana"].id
    client.patch(
        f"/api/v1/agents/{world['ana'].id}", json={"max_load": 3}, headers=world["admin_h"]
    )
    queued = open_ticket(client, world)
    ticket = staff_view(client, world, queued["id"])
    assert (ticket["group_id"], ticket["assignee_id"]) == (world["video"].id, None)
    [decision] = decisions(client, world, queued["id"])
    assert decision["parts"][-1]["kind"] == "no_agent"
    back = client.put(
        "/api/v1/me/availability", json={"availability": "available"}, headers=world["bo_h"]
    )
    assert back.json()["availability"] == "available"
    assert staff_view(client, world, open_ticket(client, world)["id"])["assignee_id"] == (
        world["bo"].id
    )


def test_the_creators_choice_is_kept(client: Client, world: dict[str, Any]) -> None:
    video_rule(client, world)
    response = client.post(
        "/api/v1/tickets",
        json={
            "organization_id": world["org"].id,
            "subject": "Video freezes",
            "body": "Remote video freezes",
            "category": "troubleshooting",
            "assignee_id": world["junior"].id,
        },
        headers=world["ana_h"],
    )
    assert response.json()["assignee_id"] == world["junior"].id
    assert response.json()["group_id"] is None
    assert decisions(client, world, response.json()["id"]) == []


def test_no_rule_falls_back_to_round_robin(client: Client, world: dict[str, Any]) -> None:
    created = open_ticket(client, world, subject="Token expired", body="401 on join")
    [decision] = decisions(client, world, created["id"])
    assert decision["parts"][0] == {"kind": "fallback", "value": ""}
    assert decision["group_id"] is None
    assert decision["agent_id"] is not None  # every routable agent is a candidate


def test_large_accounts_go_to_their_tam(
    client: Client, world: dict[str, Any], container: Container
) -> None:
    video_rule(client, world)
    tam = fa.agent(container, role="tam", name="TAM", level="L1", skills=())
    big = client.post(
        "/api/v1/organizations",
        json={
            "name": "Xinghai",
            "plan_tier": "strategic",
            "language": "zh-CN",
            "tam_agent_id": tam.id,
        },
        headers=world["admin_h"],
    ).json()
    token = client.post(
        "/api/v1/tokens",
        json={"kind": "organization", "name": "it", "organization_id": big["id"]},
        headers=world["admin_h"],
    ).json()["token"]
    org_h = fa.bearer(token)
    response = client.post(
        "/api/v1/tickets",
        json={"subject": "视频卡顿", "body": "画面卡住", "category": "troubleshooting"},
        headers=org_h,
    )
    ticket = staff_view(client, world, response.json()["id"])
    assert (ticket["assignee_id"], ticket["group_id"]) == (tam.id, world["video"].id)
    [decision] = decisions(client, world, ticket["id"])
    assert {"kind": "tier", "value": "strategic"} in decision["parts"]
    assert {"kind": "tam", "value": "TAM"} in decision["parts"]


def test_reroute_records_who_asked(client: Client, world: dict[str, Any]) -> None:
    created = open_ticket(client, world)
    assert decisions(client, world, created["id"])[0]["group_id"] is None
    video_rule(client, world)
    response = client.post(f"/api/v1/tickets/{created['id']}/reroute", headers=world["ana_h"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["ticket"]["group_id"] == world["video"].id
    assert body["decision"]["trigger"] == "reroute"
    assert body["decision"]["actor_name"] == "Ana"
    assert body["decision"]["text"].startswith("Re-routed to Video L2")
    assert len(decisions(client, world, created["id"])) == 2


def test_rules_are_admin_only_and_ordered(client: Client, world: dict[str, Any]) -> None:
    body = {"name": "Anything", "group_id": world["video"].id}
    assert client.post("/api/v1/routing/rules", json=body, headers=world["ana_h"]).status_code == (
        403
    )
    assert client.post("/api/v1/routing/rules", json=body, headers=world["org_h"]).status_code == (
        403
    )
    first = video_rule(client, world)
    second = video_rule(client, world, name="Second", position=1)
    listed = client.get("/api/v1/routing/rules", headers=world["ana_h"]).json()
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    moved = client.patch(
        f"/api/v1/routing/rules/{second['id']}", json={"position": 2}, headers=world["admin_h"]
    )
    assert moved.json()["position"] == 2
    listed = client.get("/api/v1/routing/rules", headers=world["ana_h"]).json()
    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    assert (
        client.get(f"/api/v1/routing/rules/{first['id']}", headers=world["ana_h"]).status_code
        == 200
    )
    assert (
        client.delete(f"/api/v1/routing/rules/{first['id']}", headers=world["ana_h"]).status_code
        == 403
    )
    assert (
        client.delete(f"/api/v1/routing/rules/{first['id']}", headers=world["admin_h"]).status_code
        == 204
    )
    listed = client.get("/api/v1/routing/rules", headers=world["ana_h"]).json()
    assert [(r["id"], r["position"]) for r in listed] == [(second["id"], 1)]
    assert (
        client.get(f"/api/v1/routing/rules/{first['id']}", headers=world["ana_h"]).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"name": "x", "skills": ["juggling"]}, "unknown skill: juggling"),
        ({"name": "x", "languages": ["xx"]}, "unknown language: xx"),
        ({"name": "x", "group_id": 999999}, "group 999999 does not exist"),
        ({"name": "x", "organization_ids": [999999]}, "unknown organization"),
        ({"name": "x", "assign": False}, "needs a group"),
        ({"name": "   "}, "name must not be empty"),
    ],
)
def test_rule_validation_is_readable(
    client: Client, world: dict[str, Any], body: dict[str, Any], words: str
) -> None:
    response = client.post("/api/v1/routing/rules", json=body, headers=world["admin_h"])
    assert response.status_code == 400
    problem = response.json()
    assert words in problem["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "categories": ["gardening"]},
        {"name": "x", "min_level": "L9"},
        {"name": "x", "plan_tiers": ["gold"]},
        {"name": "x", "position": 0},
        {"name": "x", "surprise": True},
    ],
)
def test_malformed_rules_are_refused_at_the_edge(
    client: Client, world: dict[str, Any], body: dict[str, Any]
) -> None:
    response = client.post("/api/v1/routing/rules", json=body, headers=world["admin_h"])
    assert response.status_code == 400
    assert response.json()["detail"]


def test_availability_is_for_agents_with_readable_errors(
    client: Client, world: dict[str, Any]
) -> None:
    bad = client.put(
        "/api/v1/me/availability", json={"availability": "asleep"}, headers=world["ana_h"]
    )
    assert bad.status_code == 400
    customer = client.put(
        "/api/v1/me/availability", json={"availability": "away"}, headers=world["org_h"]
    )
    assert customer.status_code == 403
    assert client.get("/api/v1/me/availability", headers=world["ana_h"]).json() == {
        "availability": "available",
        "load": 0,
        "max_load": 8,
    }


def test_only_admins_set_capacity(client: Client, world: dict[str, Any]) -> None:
    own = client.patch(
        f"/api/v1/agents/{world['ana'].id}", json={"max_load": 50}, headers=world["ana_h"]
    )
    assert own.status_code == 403
    bad = client.patch(
        f"/api/v1/agents/{world['ana'].id}", json={"max_load": -1}, headers=world["admin_h"]
    )
    assert bad.status_code == 400
    ok = client.patch(
        f"/api/v1/agents/{world['ana'].id}", json={"max_load": 12}, headers=world["admin_h"]
    )
    assert ok.json()["max_load"] == 12


def test_customers_never_see_routing(client: Client, world: dict[str, Any]) -> None:
    video_rule(client, world)
    created = open_ticket(client, world)
    assert "assignee_id" not in created
    assert "group_id" not in created
    seen = client.get(f"/api/v1/tickets/{created['id']}", headers=world["org_h"]).json()
    assert not {"assignee_id", "group_id"} & set(seen)
    history = client.get(f"/api/v1/tickets/{created['id']}/history", headers=world["org_h"])
    assert history.status_code == 200
    assert all(c["field"] != "routing" for c in history.json())
    assert "Video L2" not in history.text
    for path in (
        f"/api/v1/tickets/{created['id']}/routing",
        "/api/v1/routing/rules",
        "/api/v1/routing/agents",
    ):
        assert client.get(path, headers=world["org_h"]).status_code == 403
    reroute = client.post(f"/api/v1/tickets/{created['id']}/reroute", headers=world["org_h"])
    assert reroute.status_code == 403
