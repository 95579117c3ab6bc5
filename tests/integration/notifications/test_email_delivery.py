"""Email notifications through a real SMTP server on loopback: the message as received
(headers, UTF-8, Chinese, the link back), TLS modes with AUTH, retries through the job's
backoff into a clear failed state, refusals for good, and no relay configured at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.worker import Worker
from rtcdesk.notifications.jobs import MAX_ATTEMPTS
from rtcdesk.notifications.kinds import EMAIL
from rtcdesk.notifications.models import Delivery, DeliveryStatus

Client = TestClient  # type: ignore[type-arg]
Relay = Any  # tests/integration/notifications/conftest.py: what the relay received
Configure = Callable[..., None]


def run_jobs(container: Container) -> int:
    return Worker(container, listen=False).run_pending()


def email_delivery(container: Container) -> Delivery:
    with container.uow(write=False) as uow:
        found = uow.session.scalars(select(Delivery).where(Delivery.channel == EMAIL)).one()
        uow.session.expunge_all()
        return found


def assign(client: Client, container: Container, *, language: str = "zh-CN") -> dict[str, Any]:
    """A ticket assigned by a manager to an engineer (who reads ``language``)."""
    org = fa.organization(container, name="星海直播")
    ticket = ft.ticket(container, fa.contact(container, org), subject="直播推流卡顿")
    manager = fa.agent(container, role="manager", name="韩梅梅")
    engineer = fa.agent(container, name="李雷", languages=[language])
    headers = fa.bearer(fa.agent_token(container, manager))
    moved = client.patch(
        f"/api/v1/tickets/{ticket.id}", json={"assignee_id": engineer.id}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    return {"ticket": ticket, "engineer": engineer, "manager": manager}


def test_an_assignment_arrives_as_utf8_email_in_chinese(
    client: Client, container: Container, smtp_relay: Callable[..., Relay], point_at: Configure
) -> None:
    relay = smtp_relay()
    point_at(
        smtp_host="127.0.0.1",
        smtp_port=relay.port,
        smtp_tls="none",
        smtp_from="rtcdesk 支持台 <support@desk.example.com>",
    )
    world = assign(client, container)
    assert run_jobs(container) >= 1
    [(mail_from, rcpt_tos, message)] = relay.received
    engineer, ticket = world["engineer"], world["ticket"]
    assert mail_from == "support@desk.example.com"
    assert rcpt_tos == [engineer.email]
    assert message["Subject"] == f"工单 #{ticket.id} 已分配给你"
    assert message["To"].addresses[0].display_name == "李雷"
    assert message["To"].addresses[0].addr_spec == engineer.email
    assert message["From"].addresses[0].display_name == "rtcdesk 支持台"
    delivery = email_delivery(container)
    assert message["Message-ID"] == f"<notification-{delivery.id}@desk.example.com>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "zh-CN"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert isinstance(text, EmailMessage)
    assert isinstance(html, EmailMessage)
    assert text.get_content_charset() == "utf-8"
    plain = text.get_content()
    assert "韩梅梅 把来自 星海直播 的工单“直播推流卡顿”分配给了你。" in plain
    assert f"在 rtcdesk 中打开：https://desk.example.com/console/tickets/{ticket.id}" in plain
    assert "https://desk.example.com/console/settings/notifications" in plain
    assert f'href="https://desk.example.com/console/tickets/{ticket.id}"' in html.get_content()
    # The delivery log says so, and the job is done.
    assert delivery.status is DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at == container.clock.now()
    assert delivery.error is None
    assert run_jobs(container) == 0
    assert len(relay.received) == 1


def test_english_readers_get_english_mail(
    client: Client, container: Container, smtp_relay: Callable[..., Relay], point_at: Configure
) -> None:
    relay = smtp_relay()
    point_at(smtp_host="127.0.0.1", smtp_port=relay.port, smtp_tls="none")
    world = assign(client, container, language="en")
    run_jobs(container)
    [(_from, _to, message)] = relay.received
    assert message["Subject"] == f"Ticket #{world['ticket'].id} was assigned to you"
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    assert "韩梅梅 assigned you “直播推流卡顿” from 星海直播." in body.get_content()


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_modes_with_a_private_ca_and_auth(
    client: Client,
    container: Container,
    smtp_relay: Callable[..., Relay],
    certificate: tuple[Path, Path],
    point_at: Configure,
    relay_login: tuple[str, str],
    mode: str,
) -> None:
    user, password = relay_login
    cert, key = certificate
    relay = smtp_relay(tls=(mode, cert, key))
    point_at(
        smtp_host="127.0.0.1",
        smtp_port=relay.port,
        smtp_tls=mode,
        smtp_user=user,
        smtp_password=SecretStr(password),
        smtp_ca_file=str(cert),
    )
    assign(client, container)
    run_jobs(container)
    assert relay.logins == [user]
    assert len(relay.received) == 1
    assert email_delivery(container).status is DeliveryStatus.SENT


def test_an_untrusted_certificate_is_never_sent_to(
    client: Client,
    container: Container,
    smtp_relay: Callable[..., Relay],
    certificate: tuple[Path, Path],
    point_at: Configure,
) -> None:
    cert, key = certificate
    relay = smtp_relay(tls=("ssl", cert, key))
    point_at(smtp_host="127.0.0.1", smtp_port=relay.port, smtp_tls="ssl")
    assign(client, container)
    run_jobs(container)
    delivery = email_delivery(container)
    assert delivery.status is DeliveryStatus.RETRYING
    assert "CERTIFICATE_VERIFY_FAILED" in (delivery.error or "")
    assert relay.received == []


def run_until_settled(container: Container, clock: FrozenClock) -> int:
    """Run the delivery job through every retry, moving the clock past each backoff."""
    runs = 0
    for _ in range(MAX_ATTEMPTS + 2):
        runs += Worker(container, listen=False).run_pending()
        clock.advance(timedelta(hours=2))
    return runs


def test_a_relay_that_stays_down_ends_in_a_clear_failed_state(
    client: Client, container: Container, clock: FrozenClock, closed_port: int, point_at: Configure
) -> None:
    point_at(smtp_host="127.0.0.1", smtp_port=closed_port, smtp_tls="none")
    assign(client, container)
    Worker(container, listen=False).run_pending()
    first = email_delivery(container)
    assert first.status is DeliveryStatus.RETRYING
    assert first.attempts == 1
    assert "attempt 1: ConnectionRefusedError" in (first.error or "")
    run_until_settled(container, clock)
    delivery = email_delivery(container)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert f"attempt {MAX_ATTEMPTS}: ConnectionRefusedError" in (delivery.error or "")
    assert delivery.sent_at is None
    with container.uow(write=False) as uow:
        job = uow.session.get(Job, delivery.job_id)
        assert job is not None
        assert job.state is JobState.FAILED


def test_a_temporary_refusal_is_retried_until_it_goes_through(
    client: Client,
    container: Container,
    clock: FrozenClock,
    smtp_relay: Callable[..., Relay],
    point_at: Configure,
) -> None:
    relay = smtp_relay()
    relay.rcpt_answer = "451 4.3.0 Mailbox temporarily unavailable"
    point_at(smtp_host="127.0.0.1", smtp_port=relay.port, smtp_tls="none")
    assign(client, container)
    Worker(container, listen=False).run_pending()
    assert email_delivery(container).status is DeliveryStatus.RETRYING
    assert "451" in (email_delivery(container).error or "")
    relay.rcpt_answer = None
    run_until_settled(container, clock)
    delivery = email_delivery(container)
    assert delivery.status is DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert len(relay.received) == 1


def test_a_refusal_for_good_fails_at_once_and_an_admin_can_retry_it(
    client: Client,
    container: Container,
    clock: FrozenClock,
    smtp_relay: Callable[..., Relay],
    point_at: Configure,
) -> None:
    relay = smtp_relay()
    relay.rcpt_answer = "550 5.1.1 No such user"
    point_at(smtp_host="127.0.0.1", smtp_port=relay.port, smtp_tls="none")
    assign(client, container)
    run_until_settled(container, clock)
    delivery = email_delivery(container)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts == 1  # not retried: the relay said no for good
    assert "550" in (delivery.error or "")
    relay.rcpt_answer = None
    admin_h = fa.bearer(fa.agent_token(container, fa.agent(container, role="admin")))
    retried = client.post(f"/api/v1/notification-deliveries/{delivery.id}/retry", headers=admin_h)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "queued"
    run_jobs(container)
    assert email_delivery(container).status is DeliveryStatus.SENT
    assert len(relay.received) == 1


def test_without_a_relay_email_is_skipped_with_the_reason(
    client: Client, container: Container, point_at: Configure
) -> None:
    point_at(smtp_host="")
    assign(client, container)
    run_jobs(container)
    delivery = email_delivery(container)
    assert delivery.status is DeliveryStatus.SKIPPED
    assert delivery.error == "no SMTP relay is configured (set RTCDESK_SMTP_HOST)"
    assert delivery.attempts == 0
    with container.uow(write=False) as uow:
        job = uow.session.get(Job, delivery.job_id)
        assert job is not None
        assert job.state is JobState.SUCCEEDED
