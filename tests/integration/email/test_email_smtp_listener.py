"""The inbound SMTP listener: our addresses only, 250 only after the commit, once per mail."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from pathlib import Path

import dovecot
import pytest
from sqlalchemy import func, select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.schemas import OrganizationCreate
from rtcdesk.accounts.service import create_organization
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email import service
from rtcdesk.channels.email.listener import controller
from rtcdesk.channels.email.models import QuarantinedMail, UnknownSenderPolicy
from rtcdesk.channels.email.schemas import MailboxCreate
from rtcdesk.tickets.models import Ticket

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "email"


@pytest.fixture
def smtp_port(live: Container) -> Iterator[int]:
    """A listener on a free loopback port for support@rtcdesk.example."""
    with live.uow() as uow:
        org = create_organization(uow, SYSTEM, OrganizationCreate(name="Mail customers"))
        service.create_mailbox(
            uow,
            SYSTEM,
            MailboxCreate(
                address="support@rtcdesk.example",
                name="Support",
                unknown_sender_policy=UnknownSenderPolicy.CREATE,
                unknown_organization_id=org.id,
            ),
        )
        uow.commit()
    port = dovecot.free_port()
    server = controller(live, "127.0.0.1", port)
    server.start()
    yield port
    server.stop()


def _count(container: Container, model: type[object]) -> int:
    with container.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_mail_for_a_support_address_becomes_a_ticket_once(live: Container, smtp_port: int) -> None:
    raw = (CORPUS / "netease163_gbk_reply.eml").read_bytes()
    for _ in range(2):
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
            refused = client.sendmail(
                "zhaoqiang_rtc@163.com", ["support@rtcdesk.example", "Support@RTCdesk.example"], raw
            )
            assert refused == {}
    assert _count(live, Ticket) == 1
    with live.uow(write=False) as uow:
        subject = uow.session.scalar(select(Ticket.subject))
    assert subject == "Re:[#1234] 视频通话卡顿"


def test_other_recipients_are_refused(live: Container, smtp_port: int) -> None:
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        client.sendmail("a@example.org", ["someone@elsewhere.example"], b"Subject: x\r\n\r\nx")
    assert refused.value.recipients["someone@elsewhere.example"][0] == 550
    assert _count(live, Ticket) == 0


def test_hostile_mail_is_accepted_into_the_quarantine(live: Container, smtp_port: int) -> None:
    raw = (CORPUS / "hostile_header_injection.eml").read_bytes()
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client:
        client.sendmail("attacker@evil.example", ["support@rtcdesk.example"], raw)
    assert _count(live, Ticket) == 0
    assert _count(live, QuarantinedMail) == 1
