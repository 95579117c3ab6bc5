"""Launch guard paging over the HTTP API on both backends: a launch registered with its own
checklist; a P1 opened through the API in the window pages the named engineer (at 10:00 on a
working day, when the after-hours rule would page nobody); the engineer acknowledges through
the API; after the end the launch's JSON report has the page with its time to acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import TestClient

from factories import accounts as fa
from factories import oncall as fo
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.worker import Worker
from rtcdesk.oncall.schemas import ScheduleUpdate
from rtcdesk.oncall.service import update_schedule

Client = TestClient[Any]
TUESDAY_10 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def test_a_p1_in_the_window_pages_the_engineer_and_the_report_counts_the_ack(
    client: Client, container: Container, clock: FrozenClock
) -> None:
    clock.set(TUESDAY_10 - timedelta(hours=1))
    l1 = fa.agent(container, name="Zhang Min")
    schedule = fo.schedule(container, [[l1]])
    with container.uow() as uow:
        update_schedule(uow, SYSTEM, schedule.id, ScheduleUpdate(is_default=True))
        uow.commit()
    org = fa.organization(container)
    engineer, backup = fa.agent(container, name="Wang Lei"), fa.agent(container, name="Li Na")
    staff = fa.bearer(fa.agent_token(container, fa.agent(container)))
    created = client.post(
        "/api/v1/launches/",
        json={
            "organization_id": org.id,
            "title": "Live rooms 3.0",
            "starts_at": "2026-03-03T09:30:00+08:00",
            "ends_at": "2026-03-03T12:00:00+08:00",
            "timezone": "Asia/Shanghai",
            "engineer_id": engineer.id,
            "backup_id": backup.id,
            "checklist": [
                {"title": "SDK version verified", "owner_id": engineer.id, "due_on": "2026-03-02"},
                {"title": "TURN capacity confirmed"},
            ],
        },
        headers=staff,
    )
    assert created.status_code == 201, created.text
    launch = created.json()
    assert [(i["title"], i["owner_id"]) for i in launch["items"]] == [
        ("SDK version verified", engineer.id),
        ("TURN capacity confirmed", None),
    ]
    bad = client.post(
        "/api/v1/launches/",
        json={**launch_body(org.id, engineer.id), "checklist": [{"title": ""}]},
        headers=staff,
    )
    assert bad.status_code == 400

    clock.set(TUESDAY_10)
    customer = fa.bearer(fa.org_token(container, org))
    ticket = client.post(
        "/api/v1/tickets",
        json={
            "subject": "全部用户无法加入房间 nobody can join",
            "body": "Since 09:58 every join fails with 110.",
            "category": "troubleshooting",
            "urgency": "critical",
            "impact": "critical",
        },
        headers=customer,
    )
    assert ticket.status_code == 201, ticket.text
    assert ticket.json()["priority"] == "P1"
    mine = fa.bearer(fa.agent_token(container, engineer))
    [page] = client.get("/api/v1/pages?open=true", headers=mine).json()
    assert (page["ticket_id"], page["reason"]) == (ticket.json()["id"], "launch_guard")
    assert [(s["agent_name"], s["role"]) for s in page["steps"]] == [("Wang Lei", "named")]
    clock.advance(timedelta(minutes=3, seconds=30))
    acked = client.post(f"/api/v1/pages/{page['id']}/ack", headers=mine)
    assert acked.status_code == 200, acked.text

    clock.set(TUESDAY_10 + timedelta(hours=2))
    Worker(container, listen=False).run_pending()
    figures = client.get(f"/api/v1/launches/{launch['id']}", headers=staff).json()["report"]
    assert figures["tickets"] == 1
    assert figures["by_priority"] == {"P1": 1}
    assert figures["pages"]["count"] == 1
    assert figures["pages"]["ack_minutes"] == {"count": 1, "median": 3.5, "max": 3.5}
    assert figures["pages"]["acked_by"] == {"Wang Lei": 1}


def launch_body(org_id: int, engineer_id: int) -> dict[str, Any]:
    return {
        "organization_id": org_id,
        "title": "Another",
        "starts_at": "2026-03-04T09:30:00+08:00",
        "ends_at": "2026-03-04T12:00:00+08:00",
        "timezone": "Asia/Shanghai",
        "engineer_id": engineer_id,
    }
