"""A dump that cannot be read is named in the message, the same way through the API, the
portal (in the reader's language) and the ticket diagnosis job."""

from __future__ import annotations

from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.worker import Worker

Client = TestClient  # type: ignore[type-arg]


def _contact(client: Client, container: Container) -> dict[str, str]:
    org = fa.organization(container)
    token, csrf = fa.contact_session(container, fa.contact(container, org))
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", token)
    return {"X-CSRF-Token": csrf}


def test_api_names_an_empty_upload(client: Client, container: Container) -> None:
    headers = _contact(client, container)
    empty = client.post(
        "/api/v1/diagnostics?filename=webrtc_dump.txt", content=b"", headers=headers
    )
    assert empty.status_code == 400
    assert empty.json()["detail"] == "webrtc_dump.txt is empty."


def test_api_diagnosis_of_a_non_dump_fails_naming_the_file(
    client: Client, container: Container
) -> None:
    headers = _contact(client, container)
    created = client.post(
        "/api/v1/diagnostics?filename=webrtc_dump.txt", content=b"hello there", headers=headers
    )
    assert created.status_code == 202, created.text
    Worker(container, listen=False).run_pending()
    done = client.get(f"/api/v1/diagnostics/{created.json()['id']}").json()
    assert done["status"] == "failed"
    assert done["error"].startswith("webrtc_dump.txt is not a WebRTC dump we can read.")


def test_ticket_job_stores_the_named_error(client: Client, container: Container) -> None:
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.json",
        content=b'{"UserAgent": "x", "getUserMedia": []}',
        headers=agent_h,
    )
    Worker(container, listen=False).run_pending()
    (row,) = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=agent_h).json()
    assert row["status"] == "failed"
    assert row["error"] == (
        "webrtc_internals_dump.json is not a webrtc-internals dump: "
        "it has no 'PeerConnections' object."
    )


def test_portal_names_the_file_in_chinese(client: Client, container: Container) -> None:
    headers = _contact(client, container)
    client.cookies.set("rtcdesk_lang", "zh-CN")
    response = client.post(
        "/portal/diagnose",
        data={"_csrf": headers["X-CSRF-Token"]},
        files={"file": ("webrtc_dump.txt", b"")},
        follow_redirects=False,
    )
    assert response.status_code == 400  # the form comes back with the message
    assert "webrtc_dump.txt 是空文件。" in response.text


def test_portal_shows_a_failed_diagnosis_in_chinese(client: Client, container: Container) -> None:
    headers = _contact(client, container)
    created = client.post(
        "/api/v1/diagnostics?filename=webrtc_dump.txt",
        content=b'{"PeerConnections": 7}',
        headers=headers,
    )
    Worker(container, listen=False).run_pending()
    client.cookies.set("rtcdesk_lang", "zh-CN")
    page = client.get(f"/portal/diagnostics/{created.json()['id']}")
    assert (
        "webrtc_dump.txt 不是 webrtc-internals 导出：缺少 &#39;PeerConnections&#39; 对象。"
        in page.text
    )
    listing = client.get("/portal/diagnose")
    assert "webrtc_dump.txt 不是 webrtc-internals 导出" in listing.text
    client.cookies.set("rtcdesk_lang", "en")
    page = client.get(f"/portal/diagnostics/{created.json()['id']}")
    assert "webrtc_dump.txt is not a webrtc-internals dump" in page.text
