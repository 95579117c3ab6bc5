"""What people read on a ticket page: the automatic diagnosis note in the reader's language
(not the ticket's), and the portal page telling customers what they submitted, what the
diagnosis of their own files found, and the status in words that fit who acted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from markupsafe import escape

from factories import accounts as fa
from rtcdesk.accounts.models import Contact
from rtcdesk.accounts.service import contact_actor
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.worker import Worker
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Category, Channel, Impact, Ticket, Urgency
from rtcdesk.tickets.schemas import TicketCreate
from rtcdesk.web.i18n import translator
from rtcdesk.web.labels import LABELS

Client = TestClient  # type: ignore[type-arg]
LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"
DUMP = "downlink-loss.dump.json.gz"


def open_ticket(container: Container, person: Contact, **fields: Any) -> Ticket:
    """A ticket the contact opens in the portal, with the fields they fill in."""
    with container.uow() as uow:
        requester = uow.session.get(Contact, person.id)
        assert requester is not None
        ticket = service.create_ticket(
            uow,
            contact_actor(requester),
            TicketCreate(subject="没有声音 no audio", body="Nobody hears us.", **fields),
            channel=Channel.PORTAL,
        )
        uow.commit()
        return ticket


def attach_dump(client: Client, ticket_id: int, headers: dict[str, str], **query: str) -> None:
    params = "&".join(f"{k}={v}" for k, v in {"filename": DUMP, **query}.items())
    response = client.post(
        f"/api/v1/tickets/{ticket_id}/attachments?{params}",
        content=(LAB / DUMP).read_bytes(),
        headers=headers,
    )
    assert response.status_code == 201, response.text


def diagnose(container: Container) -> None:
    Worker(container, listen=False).run_pending()


def sign_in(client: Client, cookie: str, lang: str) -> None:
    client.cookies.clear()
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", lang)


def note_article(page: str) -> str:
    """The conversation entry that is the diagnosis note."""
    match = re.search(r'<article class="message internal from-system".*?</article>', page, re.S)
    assert match, "no diagnosis note on the page"
    return match.group(0)


@pytest.mark.parametrize(("ticket_lang", "reader_lang"), [("zh-CN", "en"), ("en", "zh-CN")])
def test_diagnosis_note_is_rendered_in_the_readers_language(
    client: Client, container: Container, ticket_lang: str, reader_lang: str
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org, language=ticket_lang)
    ticket = open_ticket(container, dev)
    assert ticket.language == ticket_lang
    attach_dump(client, ticket.id, fa.bearer(fa.org_token(container, org)))
    diagnose(container)
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    (report,) = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=agent_h).json()
    assert report["status"] == "done"
    assert report["suggested_category"] == "troubleshooting"

    sign_in(client, fa.agent_session(container, fa.agent(container))[0], reader_lang)
    page = client.get(f"/console/tickets/{ticket.id}")
    assert page.status_code == 200
    note = note_article(page.text)
    _ = translator(reader_lang)
    other = "zh-CN" if reader_lang == "en" else "en"

    assert str(escape(report["summary"][reader_lang])) in note
    assert str(escape(report["summary"][other])) not in note
    for finding in report["top_findings"]:
        assert str(escape(finding["title"][reader_lang])) in note
        badge = f'<span class="badge sev-{finding["severity"]}">{_(LABELS[finding["severity"]])}'
        assert badge in note
        assert f"[{finding['severity']}]" not in note
    assert _(LABELS["troubleshooting"]) in note
    assert "troubleshooting" not in note.replace("sev-", "")
    # Written by the system, not by "API".
    header = note.split("</header>")[0]
    assert _("rtcdesk diagnostics") in header
    assert _(LABELS["system"]) in header
    assert ">API<" not in header
    assert " API " not in header
    if reader_lang == "en":
        assert "Automatic diagnosis of" in note
        assert "自动诊断" not in note
        assert ">Error<" in note or ">Warning<" in note or ">Critical<" in note
        assert "Troubleshooting" in note
    else:
        assert "自动诊断" in note
        assert "Automatic diagnosis" not in note
        assert "系统" in header
        assert "问题排查" in note


def test_portal_ticket_page_shows_what_the_customer_submitted(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    ticket = open_ticket(
        container,
        dev,
        category=Category.INTEGRATION,
        urgency=Urgency.HIGH,
        impact=Impact.LOW,
        platform="react-native",
        sdk_version="4.3.1",
        app_id="app-7f3a",
    )
    cookie, _csrf = fa.contact_session(container, dev)
    expected = {
        "en": {
            "category": "Integration",
            "platform": "React Native",
            "urgency": "High",
            "impact": "Low",
        },
        "zh-CN": {
            "category": "基础集成",
            "platform": "React Native",
            "urgency": "高",
            "impact": "低",
        },
    }
    for lang, fields in expected.items():
        sign_in(client, cookie, lang)
        page = client.get(f"/portal/tickets/{ticket.id}").text
        assert ("What you told us" if lang == "en" else "您提交的信息") in page
        for name, shown in {**fields, "sdk_version": "4.3.1", "app_id": "app-7f3a"}.items():
            assert f'<dd data-field="{name}">{shown}</dd>' in page, (lang, name)
        assert "react-native" not in page

    ios = open_ticket(container, dev, platform="ios")
    sign_in(client, cookie, "en")
    assert '<dd data-field="platform">iOS</dd>' in client.get(f"/portal/tickets/{ios.id}").text


def status_help(page: str) -> str:
    match = re.search(r'<p class="status-help">(.*?)</p>', page, re.S)
    assert match
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_portal_status_is_worded_by_who_acted(
    client: Client, container: Container, lang: str
) -> None:
    org = fa.organization(container, share=True)
    dev = fa.contact(container, org)
    colleague = fa.contact(container, org)
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    dev_cookie, dev_csrf = fa.contact_session(container, dev)
    colleague_cookie, _c = fa.contact_session(container, colleague)
    zh = lang == "zh-CN"

    mine = open_ticket(container, dev)
    sign_in(client, dev_cookie, lang)
    solved = client.post(
        f"/portal/tickets/{mine.id}/solve", data={"_csrf": dev_csrf}, follow_redirects=False
    )
    assert solved.status_code == 303
    words = status_help(client.get(f"/portal/tickets/{mine.id}").text)
    assert ("您已将此工单标记为已解决" if zh else "You marked this solved.") in words
    sign_in(client, colleague_cookie, lang)
    words = status_help(client.get(f"/portal/tickets/{mine.id}").text)
    assert ("您的同事已将此工单标记为已解决" if zh else "A colleague of yours marked this") in words

    by_us = open_ticket(container, dev)
    response = client.patch(
        f"/api/v1/tickets/{by_us.id}", json={"status": "solved"}, headers=agent_h
    )
    assert response.status_code == 200, response.text
    sign_in(client, dev_cookie, lang)
    words = status_help(client.get(f"/portal/tickets/{by_us.id}").text)
    assert ("已由我们的支持团队解决" if zh else "Solved by our support team.") in words
    assert ("您已将" if zh else "You marked") not in words

    waiting = open_ticket(container, dev)
    response = client.post(
        f"/api/v1/tickets/{waiting.id}/messages",
        json={"body": "Which SDK build?", "status": "pending_customer"},
        headers=agent_h,
    )
    assert response.status_code == 201, response.text
    words = status_help(client.get(f"/portal/tickets/{waiting.id}").text)
    assert ("等待您的回复" if zh else "Waiting for your reply") in words


def test_portal_shows_only_the_customers_own_diagnosis_summary(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org)
    ticket = open_ticket(container, dev)
    attach_dump(client, ticket.id, fa.bearer(fa.org_token(container, org)))
    agent_h = fa.bearer(fa.agent_token(container, fa.agent(container)))
    # An agent's internal file on the same ticket, and another organization's ticket.
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=agent_repro.dump.json&internal=true",
        content=(LAB / DUMP).read_bytes(),
        headers=agent_h,
    )
    other_org = fa.organization(container)
    other_dev = fa.contact(container, other_org)
    other = open_ticket(container, other_dev)
    attach_dump(client, other.id, fa.bearer(fa.org_token(container, other_org)))
    diagnose(container)
    reports = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=agent_h).json()
    assert {r["status"] for r in reports} == {"done"}
    assert len(reports) == 2
    mine = next(r for r in reports if r["filename"] == DUMP)

    sign_in(client, fa.contact_session(container, dev)[0], "en")
    page = client.get(f"/portal/tickets/{ticket.id}").text
    section = page.split('id="ticket-diagnoses"')[1].split("</section>")[0]
    assert section.count('class="diagnosis-summary"') == 1
    assert f'data-report="{mine["id"]}"' in section
    assert str(escape(mine["summary"]["en"])) in section
    assert str(escape(mine["top_findings"][0]["title"]["en"])) in section
    assert "What to do:" in section
    # Never the internal note, the agent's file or the support team's links.
    assert "agent_repro" not in page
    assert "Automatic diagnosis" not in page
    assert "/console/diagnostics" not in page
    # The report itself stays support material; the other organization sees only its own.
    assert client.get(f"/portal/diagnostics/{mine['id']}").status_code == 404
    sign_in(client, fa.contact_session(container, other_dev)[0], "en")
    assert client.get(f"/portal/tickets/{ticket.id}").status_code == 404
    theirs = client.get(f"/portal/tickets/{other.id}").text
    assert f'data-report="{mine["id"]}"' not in theirs
    assert theirs.count('class="diagnosis-summary"') == 1


def test_failed_diagnosis_note_is_worded_for_the_reader(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org, language="en")
    ticket = open_ticket(container, dev)
    client.post(
        f"/api/v1/tickets/{ticket.id}/attachments?filename=webrtc_internals_dump.json",
        content=b'{"PeerConnections": {"1-1": {"stats": {"x-y": ',
        headers=fa.bearer(fa.org_token(container, org)),
    )
    diagnose(container)
    sign_in(client, fa.agent_session(container, fa.agent(container))[0], "zh-CN")
    note = note_article(client.get(f"/console/tickets/{ticket.id}").text)
    assert "自动诊断 webrtc_internals_dump.json 失败：" in note
    assert "Automatic diagnosis" not in note
    # Customers see nothing of a file that could not be read.
    sign_in(client, fa.contact_session(container, dev)[0], "en")
    page = client.get(f"/portal/tickets/{ticket.id}")
    assert page.status_code == 200
    assert 'id="ticket-diagnoses"' not in page.text
