"""Diagnosis in the product: a dump attached to a ticket through any channel is diagnosed
by a background job that posts an internal note; customers self-diagnose through the API
and the portal; reports are tenant-scoped and served inert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.models import Job
from rtcdesk.jobs.worker import Worker

Client = TestClient  # type: ignore[type-arg]
LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"


def run_jobs(container: Container) -> int:
    return Worker(container, listen=False).run_pending()


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    org = fa.organization(container, name="星海直播")
    dev = fa.contact(container, org)
    colleague = fa.contact(container, org)
    stranger = fa.contact(container, fa.organization(container))
    agent = fa.agent(container)
    return {
        "org": org,
        "dev": dev,
        "ticket": ft.ticket(container, dev),
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "dev_session": fa.contact_session(container, dev),
        "colleague_session": fa.contact_session(container, colleague),
        "stranger_session": fa.contact_session(container, stranger),
    }


def as_contact(client: Client, session: tuple[str, str]) -> dict[str, str]:
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", session[0])
    return {"X-CSRF-Token": session[1]}


def test_dump_attached_to_a_ticket_is_diagnosed_with_an_internal_note(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    dump = (LAB / "downlink-loss.dump.json.gz").read_bytes()
    uploaded = client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.txt.gz",
        content=dump,
        headers=world["org_h"],
    )
    assert uploaded.status_code == 201
    # The job was committed with the attachment.
    with container.uow(write=False) as uow:
        names = [j.name for j in uow.session.scalars(select(Job))]
    assert "diagnostics.run" in names
    assert run_jobs(container) >= 1
    diagnoses = client.get(
        f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]
    ).json()
    assert len(diagnoses) == 1
    diagnosis = diagnoses[0]
    assert diagnosis["status"] == "done", diagnosis
    codes = [f["code"] for f in diagnosis["top_findings"]]
    assert "network.downlink_loss" in codes
    assert diagnosis["summary"]["zh-CN"]
    notes = [
        m
        for m in client.get(
            f"/api/v1/tickets/{ticket.id}/messages", headers=world["agent_h"]
        ).json()
        if m["kind"] == "internal"
    ]
    assert len(notes) == 1
    # The stored text is a Markdown fallback in the ticket's language (for search and mail);
    # pages render the note from the report row in the reader's language.
    assert notes[0]["channel"] == "system"
    assert notes[0]["author_name"] == "rtcdesk diagnostics"
    assert "Automatic diagnosis of `webrtc_internals_dump.txt.gz`" in notes[0]["body_text"]
    assert f"/console/diagnostics/{diagnosis['id']}" in notes[0]["body_text"]
    assert "<code>webrtc_internals_dump.txt.gz</code>" in notes[0]["body_html"]
    assert "<li><strong>" in notes[0]["body_html"]
    # Severities and the category read as words, not codes.
    assert "**warning**" not in notes[0]["body_text"]
    assert "**error**" not in notes[0]["body_text"]
    assert "category troubleshooting" not in notes[0]["body_text"]
    # Running the queue again changes nothing (idempotent).
    run_jobs(container)
    again = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=world["agent_h"]).json()
    assert len([m for m in again if m["kind"] == "internal"]) == 1
    # The customer sees no trace of the internal diagnosis.
    customer_view = client.get(f"/api/v1/diagnostics/{diagnosis['id']}", headers=world["org_h"])
    assert customer_view.status_code == 404
    html = client.get(diagnosis["report_urls"]["html:en"], headers=world["agent_h"])
    assert html.status_code == 200
    assert "sandbox" in html.headers["content-security-policy"]
    assert "<svg" in html.text
    # Self-contained: nothing is loaded from anywhere.
    assert 'src="http' not in html.text
    assert '<link rel="stylesheet"' not in html.text


def test_non_dump_and_broken_dump_attachments(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    url = f"/api/v1/tickets/{ticket.id}/attachments"
    client.post(
        f"{url}?filename=sdk.log", content=b"12:00:01 I join ok\n", headers=world["agent_h"]
    )
    client.post(
        f"{url}?filename=screenshot.png",
        content=b"\x89PNG\r\n\x1a\n" + b"0" * 40,
        headers=world["agent_h"],
    )
    client.post(
        f"{url}?filename=webrtc_internals_dump.json",
        content=b'{"PeerConnections": {"1-1": {"stats": {"x-y": ',
        headers=world["agent_h"],
    )
    run_jobs(container)
    diagnoses = client.get(
        f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]
    ).json()
    by_name = {d["filename"]: d for d in diagnoses}
    assert "screenshot.png" not in by_name  # never queued
    assert by_name["sdk.log"]["status"] == "not_a_dump"
    broken = by_name["webrtc_internals_dump.json"]
    assert broken["status"] == "failed"
    assert broken["error"]
    notes = [
        m["body_text"]
        for m in client.get(
            f"/api/v1/tickets/{ticket.id}/messages", headers=world["agent_h"]
        ).json()
        if m["kind"] == "internal"
    ]
    assert len(notes) == 1
    assert "failed" in notes[0]


def test_self_service_diagnosis_is_private_to_the_customer(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    headers = as_contact(client, world["dev_session"])
    created = client.post(
        "/api/v1/diagnostics?filename=call.json.gz",
        content=(LAB / "uplink-loss.dump.json.gz").read_bytes(),
        headers=headers,
    )
    assert created.status_code == 202, created.text
    report_id = created.json()["id"]
    assert created.json()["status"] == "pending"
    run_jobs(container)
    done = client.get(f"/api/v1/diagnostics/{report_id}").json()
    assert done["status"] == "done"
    assert "network.uplink_loss" in [f["code"] for f in done["top_findings"]]
    md = client.get(f"/api/v1/diagnostics/{report_id}/report?format=md&lang=zh-CN")
    assert md.status_code == 200
    assert md.headers["content-type"].startswith("text/markdown")
    assert [d["id"] for d in client.get("/api/v1/diagnostics").json()] == [report_id]
    for other in ("colleague_session", "stranger_session"):
        as_contact(client, world[other])
        assert client.get(f"/api/v1/diagnostics/{report_id}").status_code == 404
        assert client.get("/api/v1/diagnostics").json() == []
    client.cookies.clear()
    assert (
        client.get(f"/api/v1/diagnostics/{report_id}", headers=world["agent_h"]).status_code == 200
    )


def test_bad_uploads_are_refused_clearly(client: Client, world: dict[str, Any]) -> None:
    headers = as_contact(client, world["dev_session"])
    assert client.post("/api/v1/diagnostics", content=b"x", headers=headers).status_code == 400
    empty = client.post("/api/v1/diagnostics?filename=a.json", content=b"", headers=headers)
    assert empty.status_code == 400
    assert "empty" in empty.json()["detail"]


def test_portal_self_service_pages(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    headers = as_contact(client, world["dev_session"])
    page = client.get("/portal/diagnose")
    assert page.status_code == 200
    response = client.post(
        "/portal/diagnose",
        data={"_csrf": headers["X-CSRF-Token"]},
        files={"file": ("clean.json.gz", (LAB / "clean.dump.json.gz").read_bytes())},
        follow_redirects=False,
    )
    assert response.status_code == 303
    target = response.headers["location"]
    pending = client.get(target)
    assert 'http-equiv="refresh"' in pending.text
    run_jobs(container)
    done = client.get(target)
    assert "diagnosis-summary" in done.text
    report = client.get(target + "/report")
    assert report.status_code == 200
    assert "<svg" in report.text
