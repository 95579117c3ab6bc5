"""The console's mail quarantine: admins list, view, download, release and delete."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import select

import factories.accounts as fa
import factories.email as fe
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email.ingest import Ingested, ingest
from rtcdesk.channels.email.models import Mailbox, QuarantinedMail
from rtcdesk.tickets.models import Ticket

Client = TestClient  # type: ignore[type-arg]
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "email"


def _in(container: Container, mailbox: Mailbox, raw: bytes) -> Ingested:
    with container.uow() as uow:
        box = uow.session.get(Mailbox, mailbox.id)
        assert box is not None
        result = ingest(uow, container.files, box, raw)
        uow.commit()
        return result


def _admin(client: Client, container: Container, language: str = "en") -> str:
    admin = fa.agent(container, role="admin", languages=(language,))
    cookie, csrf = fa.agent_session(container, admin)
    client.cookies.set("rtcdesk_session", cookie)
    return csrf


def test_admins_see_held_and_unreadable_mail(client: Client, container: Container) -> None:
    box = fe.mailbox(container)
    held = _in(container, box, fe.raw_mail("who@nowhere.example", subject="求助：推流失败"))
    bad = _in(container, box, (CORPUS / "hostile_header_injection.eml").read_bytes())
    _admin(client, container, "zh-CN")
    listing = client.get("/console/email/quarantine")
    assert listing.status_code == 200
    assert "求助：推流失败" in listing.text
    assert "未知发件人" in listing.text
    assert "邮件头注入" in listing.text
    entry = client.get(f"/console/email/quarantine/{held.quarantine_id}")
    assert entry.status_code == 200
    assert "您好，Android 端视频卡顿。" in entry.text
    unreadable = client.get(f"/console/email/quarantine/{bad.quarantine_id}")
    assert unreadable.status_code == 200
    assert "Injected." in unreadable.text
    assert 'id="release-form"' not in unreadable.text
    raw = client.get(f"/console/email/quarantine/{bad.quarantine_id}/raw")
    assert raw.status_code == 200
    assert raw.content == (CORPUS / "hostile_header_injection.eml").read_bytes()
    assert raw.headers["content-disposition"].startswith("attachment")
    assert raw.headers["x-content-type-options"] == "nosniff"


def test_the_quarantine_is_for_admins(client: Client, container: Container) -> None:
    box = fe.mailbox(container)
    held = _in(container, box, fe.raw_mail("who@nowhere.example"))
    cookie, _ = fa.agent_session(container, fa.agent(container, role="manager"))
    client.cookies.set("rtcdesk_session", cookie)
    assert client.get("/console/email/quarantine").status_code == 403
    assert client.get(f"/console/email/quarantine/{held.quarantine_id}").status_code == 403
    assert client.get(f"/console/email/quarantine/{held.quarantine_id}/raw").status_code == 403


def test_release_needs_an_organization_for_an_unknown_sender(
    client: Client, container: Container
) -> None:
    org = fa.organization(container, name="Acme Video")
    box = fe.mailbox(container)
    held = _in(container, box, fe.raw_mail("who@nowhere.example", subject="Black screen"))
    csrf = _admin(client, container)
    path = f"/console/email/quarantine/{held.quarantine_id}/release"
    refused = client.post(path, data={"_csrf": csrf, "organization_id": ""})
    assert refused.status_code == 400
    assert "choose the organization the sender belongs to" in refused.text
    released = client.post(
        path, data={"_csrf": csrf, "organization_id": str(org.id)}, follow_redirects=False
    )
    assert released.status_code == 303
    with container.uow(write=False) as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.subject == "Black screen"))
        assert ticket is not None
        assert ticket.organization_id == org.id
        assert released.headers["location"].startswith(f"/console/tickets/{ticket.id}")
        assert uow.session.get(QuarantinedMail, held.quarantine_id) is None


def test_unreadable_mail_is_deleted_not_released(client: Client, container: Container) -> None:
    box = fe.mailbox(container)
    bad = _in(container, box, (CORPUS / "hostile_no_sender.eml").read_bytes())
    csrf = _admin(client, container)
    base = f"/console/email/quarantine/{bad.quarantine_id}"
    refused = client.post(base + "/release", data={"_csrf": csrf})
    assert refused.status_code == 409
    deleted = client.post(base + "/delete", data={"_csrf": csrf}, follow_redirects=False)
    assert deleted.status_code == 303
    assert client.get(base).status_code == 404
