"""Log analysis in the product: a log attached to a ticket is analysed by a background job
that posts an internal note (after the dump diagnosis found it is no dump, so each file is
analysed once); self-service through the API and the portal; the dump's finding windows on
the log's timeline."""

from __future__ import annotations

import json
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
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LOGS = FIXTURES / "logs"
LAB = FIXTURES / "lab"


def run_jobs(container: Container) -> int:
    return Worker(container, listen=False).run_pending()


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    org = fa.organization(container, name="云课堂")
    dev = fa.contact(container, org)
    stranger = fa.contact(container, fa.organization(container))
    agent = fa.agent(container)
    return {
        "ticket": ft.ticket(container, dev),
        "agent_h": fa.bearer(fa.agent_token(container, agent)),
        "org_h": fa.bearer(fa.org_token(container, org)),
        "dev_session": fa.contact_session(container, dev),
        "stranger_session": fa.contact_session(container, stranger),
    }


def job_names(container: Container) -> list[str]:
    with container.uow(write=False) as uow:
        return [j.name for j in uow.session.scalars(select(Job).order_by(Job.id))]


def notes(client: Client, ticket_id: int, headers: dict[str, str]) -> list[dict[str, Any]]:
    messages = client.get(f"/api/v1/tickets/{ticket_id}/messages", headers=headers).json()
    items = messages["items"] if isinstance(messages, dict) else messages
    return [m for m in items if m["kind"] == "internal"]


def test_log_attached_to_a_ticket_gets_an_internal_note(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    log = (LOGS / "android_permission.logcat.txt").read_bytes()
    uploaded = client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=logcat.txt",
        content=log,
        headers=world["org_h"],
    )
    assert uploaded.status_code == 201
    assert job_names(container).count("diagnostics.run") == 1
    run_jobs(container)
    # the dump diagnosis ran once, found no dump, and handed the file to the log analysis
    assert job_names(container).count("logs.run") == 1
    (row,) = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]).json()
    assert row["kind"] == "log"
    assert row["status"] == "done", row
    assert row["dump_format"] == "logcat-threadtime"
    assert row["top_findings"][0]["code"] == "permission.denied_android"
    assert row["report_urls"]["html:zh-CN"].startswith(f"/api/v1/logs/{row['id']}/report")
    (note,) = notes(client, ticket.id, world["agent_h"])
    assert "Automatic log analysis of `logcat.txt`" in note["body_text"]
    assert "Camera or microphone permission missing on Android" in note["body_text"]
    assert f"/console/diagnostics/{row['id']}" in note["body_text"]
    # running the worker again posts nothing twice
    run_jobs(container)
    assert len(notes(client, ticket.id, world["agent_h"])) == 1
    html = client.get(row["report_urls"]["html:zh-CN"], headers=world["agent_h"])
    assert html.status_code == 200
    assert "Android 上缺少摄像头或麦克风权限" in html.text
    assert "sandbox" in html.headers["content-security-policy"]


def test_a_dump_is_not_analysed_as_a_log(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.txt.gz",
        content=(LAB / "downlink-loss.dump.json.gz").read_bytes(),
        headers=world["org_h"],
    )
    run_jobs(container)
    assert "logs.run" not in job_names(container)
    (row,) = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]).json()
    assert (row["kind"], row["status"]) == ("dump", "done")


def test_text_that_is_neither_stays_not_a_dump(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=notes.txt",
        content="我们的用户说听不到声音\nplease help\n".encode(),
        headers=world["org_h"],
    )
    run_jobs(container)
    (row,) = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]).json()
    assert row["status"] == "not_a_dump"
    assert notes(client, ticket.id, world["agent_h"]) == []


def test_dump_and_log_of_a_ticket_share_the_time_axis(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.txt.gz",
        content=(LAB / "downlink-loss.dump.json.gz").read_bytes(),
        headers=world["org_h"],
    )
    run_jobs(container)
    (dump,) = client.get(
        f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]
    ).json()
    dump_json = client.get(
        f"/api/v1/diagnostics/{dump['id']}/report?format=json", headers=world["agent_h"]
    ).json()
    window = next(w for f in dump_json["findings"] for w in f["windows"])
    # the customer's SDK log of the same call, written in UTC+8 with explicit offsets
    start = window["start_ms"] / 1000 - 5

    def stamp(offset_s: float) -> str:
        from datetime import datetime, timedelta, timezone

        cst = timezone(timedelta(hours=8))
        return datetime.fromtimestamp(start + offset_s, cst).isoformat(timespec="milliseconds")

    log = (
        f"{stamp(0)} I [engine] initialize(appId=1)\n"
        f"{stamp(1)} I [api] joinChannel(channel=c)\n"
        f"{stamp(2)} I [engine] event=joined channel=c\n"
        f"{stamp(8)} W [perf] cpu_usage=97% overuse detected\n"
    )
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=sdk.log",
        content=log.encode(),
        headers=world["org_h"],
    )
    run_jobs(container)
    rows = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]).json()
    log_row = next(r for r in rows if r["kind"] == "log")
    data = client.get(
        f"/api/v1/logs/{log_row['id']}/report?format=json", headers=world["agent_h"]
    ).json()
    assert data["dump_windows"]
    first = data["dump_windows"][0]
    assert first["start_ms"] == window["start_ms"]
    assert data["start_ms"] == pytest.approx(window["start_ms"] - 5000)
    html = client.get(f"/api/v1/logs/{log_row['id']}/report", headers=world["agent_h"]).text
    assert "WebRTC dump" in html


def test_a_dump_diagnosed_after_the_log_is_drawn_on_its_timeline(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    ticket = world["ticket"]
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=chromium.log",
        content=(LOGS / "chromium_ice_dtls.log").read_bytes(),
        headers=world["org_h"],
    )
    run_jobs(container)
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.txt.gz",
        content=(LAB / "downlink-loss.dump.json.gz").read_bytes(),
        headers=world["org_h"],
    )
    run_jobs(container)
    rows = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=world["agent_h"]).json()
    log_row = next(r for r in rows if r["kind"] == "log")
    data = client.get(
        f"/api/v1/logs/{log_row['id']}/report?format=json", headers=world["agent_h"]
    ).json()
    assert data["dump_windows"]
    # one note per file: the log's and the dump's, none for the re-rendering
    assert len(notes(client, ticket.id, world["agent_h"])) == 2


def test_self_service_api(client: Client, container: Container, world: dict[str, Any]) -> None:
    sent = client.post(
        "/api/v1/logs?filename=console.json",
        content=(LOGS / "web_device_busy.console.json").read_bytes(),
        headers=world["org_h"],
    )
    assert sent.status_code == 202, sent.text
    body = sent.json()
    assert (body["kind"], body["status"]) == ("log", "pending")
    run_jobs(container)
    done = client.get(f"/api/v1/logs/{body['id']}", headers=world["org_h"]).json()
    assert done["status"] == "done"
    assert done["top_findings"][0]["code"] == "device.busy"
    listed = client.get("/api/v1/logs", headers=world["org_h"]).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get("/api/v1/diagnostics", headers=world["org_h"]).json() == []
    md = client.get(
        f"/api/v1/logs/{body['id']}/report?format=md&lang=zh-CN", headers=world["org_h"]
    )
    assert "摄像头或麦克风被占用" in md.text
    report = json.loads(
        client.get(f"/api/v1/logs/{body['id']}/report?format=json", headers=world["org_h"]).text
    )
    assert report["kind"] == "log"


def test_self_service_errors(client: Client, container: Container, world: dict[str, Any]) -> None:
    empty = client.post("/api/v1/logs?filename=a.log", content=b"", headers=world["org_h"])
    assert empty.status_code == 400
    assert empty.json()["detail"] == "a.log is empty."
    sent = client.post(
        "/api/v1/logs?filename=photo.log",
        content=bytes(range(256)) * 50,
        headers=world["org_h"],
    ).json()
    run_jobs(container)
    failed = client.get(f"/api/v1/logs/{sent['id']}", headers=world["org_h"]).json()
    assert failed["status"] == "failed"
    assert failed["error"].startswith("photo.log is a binary file")
    bad = client.get(f"/api/v1/logs/{sent['id']}/report?format=pdf", headers=world["org_h"])
    assert bad.status_code == 400


def test_tenants_and_kinds_stay_apart(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    sent = client.post(
        "/api/v1/logs?filename=x.log",
        content=(LOGS / "chromium_clean.log").read_bytes(),
        headers=world["org_h"],
    ).json()
    client.cookies.set("rtcdesk_session", world["stranger_session"][0])
    assert client.get(f"/api/v1/logs/{sent['id']}").status_code == 404
    client.cookies.clear()
    dump = client.post(
        "/api/v1/diagnostics?filename=d.json.gz",
        content=(LAB / "downlink-loss.dump.json.gz").read_bytes(),
        headers=world["org_h"],
    ).json()
    assert client.get(f"/api/v1/logs/{dump['id']}", headers=world["org_h"]).status_code == 404


def test_portal_self_service_page(
    client: Client, container: Container, world: dict[str, Any]
) -> None:
    client.cookies.set("rtcdesk_session", world["dev_session"][0])
    client.cookies.set("rtcdesk_lang", "zh-CN")
    page = client.get("/portal/logs")
    assert page.status_code == 200
    assert "分析 SDK 或应用日志" in page.text
    sent = client.post(
        "/portal/logs",
        files={"file": ("unified.txt", (LOGS / "macos_permission.unified.txt").read_bytes())},
        data={"_csrf": world["dev_session"][1]},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert target.startswith("/portal/diagnostics/")
    run_jobs(container)
    result = client.get(target)
    assert "iOS/macOS 上摄像头或麦克风权限被拒绝" in result.text
    assert "unified.txt" in client.get("/portal/logs").text
    missing = client.post("/portal/logs", data={"_csrf": world["dev_session"][1]})
    assert missing.status_code == 400
    assert "请选择要上传的日志文件" in missing.text
