"""Inbound mail into tickets through the ingestion service, on both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

import factories.accounts as fa
import factories.email as fe
import factories.tickets as ft
from rtcdesk.accounts.models import Contact
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email.ingest import Ingested, Relaxed, ingest
from rtcdesk.channels.email.models import (
    BouncedAddress,
    InboundMessage,
    Mailbox,
    Outcome,
    QuarantinedMail,
    QuarantineKind,
)
from rtcdesk.core.clock import FrozenClock
from rtcdesk.tickets.models import Attachment, Channel, Message, Status, Ticket

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "email"


def _in(container: Container, mailbox: Mailbox, raw: bytes, **kw: object) -> Ingested:
    with container.uow() as uow:
        box = uow.session.get(Mailbox, mailbox.id)
        assert box is not None
        result = ingest(uow, container.files, box, raw, **kw)  # type: ignore[arg-type]
        uow.commit()
        return result


def _messages(container: Container, ticket_id: int) -> list[Message]:
    with container.uow(write=False) as uow:
        rows = list(
            uow.session.scalars(
                select(Message).where(Message.ticket_id == ticket_id).order_by(Message.id)
            )
        )
        uow.session.expunge_all()  # keep what was loaded once the unit of work ends
        return rows


def _count(container: Container, model: type[object]) -> int:
    with container.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_known_contact_opens_a_ticket_in_the_mailbox_group(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    team = fa.group(container, "Mail team")
    box = fe.mailbox(container, group_id=team.id)
    raw = fe.raw_mail(person.email, attachments=(("webrtc_internals_dump.txt", b"{}"),))
    result = _in(container, box, raw)
    assert result.outcome is Outcome.CREATED
    assert result.ticket_id is not None
    with container.uow(write=False) as uow:
        ticket = uow.session.get(Ticket, result.ticket_id)
        assert ticket is not None
        assert ticket.organization_id == org.id
        assert ticket.requester_id == person.id
        assert ticket.channel is Channel.EMAIL
        assert ticket.group_id == team.id
        assert ticket.subject == "视频通话卡顿 video stalls"
        files = list(
            uow.session.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id))
        )
        assert [f.filename for f in files] == ["webrtc_internals_dump.txt"]
    (first,) = _messages(container, result.ticket_id)
    assert first.body_text == "您好，Android 端视频卡顿。"
    assert first.author_contact_id == person.id
    assert first.channel is Channel.EMAIL


def test_the_same_message_id_twice_is_one_message(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    box = fe.mailbox(container)
    raw = fe.raw_mail(person.email, message_id="<once@client.example>")
    first = _in(container, box, raw)
    again = _in(container, box, raw)
    assert again.duplicate
    assert again.ticket_id == first.ticket_id
    assert _count(container, Ticket) == 1
    assert _count(container, InboundMessage) == 1


def test_a_reply_threads_by_in_reply_to_then_by_subject_reference(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    box = fe.mailbox(container)
    opened = _in(container, box, fe.raw_mail(person.email, message_id="<start@c.example>"))
    assert opened.ticket_id is not None
    reply = fe.raw_mail(
        person.email, subject="Re: other words", body="补充日志", in_reply_to="<start@c.example>"
    )
    assert _in(container, box, reply).ticket_id == opened.ticket_id
    by_ref = fe.raw_mail(person.email, subject=f"回复：[#{opened.ticket_id}] 视频", body="再补充")
    result = _in(container, box, by_ref)
    assert result.outcome is Outcome.APPENDED
    assert result.ticket_id == opened.ticket_id
    assert [m.body_text for m in _messages(container, opened.ticket_id)] == [
        "您好，Android 端视频卡顿。",
        "补充日志",
        "再补充",
    ]


def test_the_same_subject_alone_never_threads(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    box = fe.mailbox(container)
    first = _in(container, box, fe.raw_mail(person.email, subject="Help"))
    second = _in(container, box, fe.raw_mail(person.email, subject="Re: Help"))
    assert second.outcome is Outcome.CREATED
    assert second.ticket_id != first.ticket_id


def test_a_reply_from_outside_the_organization_is_held(container: Container) -> None:
    org, other = fa.organization(container), fa.organization(container)
    person, stranger = fa.contact(container, org), fa.contact(container, other)
    ticket = ft.ticket(container, person)
    box = fe.mailbox(container)
    forged = fe.raw_mail(stranger.email, subject=f"Re: [#{ticket.id}] forged", body="hijack")
    result = _in(container, box, forged)
    assert result.outcome is Outcome.HELD
    assert len(_messages(container, ticket.id)) == 1
    with container.uow(write=False) as uow:
        held = uow.session.get(QuarantinedMail, result.quarantine_id)
        assert held is not None
        assert (held.kind, held.reason, held.ticket_id) == (
            QuarantineKind.HELD,
            "foreign_reply",
            ticket.id,
        )
        assert container.files.path_for(held.raw_sha256).read_bytes() == forged


def test_a_foreign_reply_starts_a_new_ticket_under_that_policy(container: Container) -> None:
    org, other = fa.organization(container), fa.organization(container)
    person, stranger = fa.contact(container, org), fa.contact(container, other)
    ticket = ft.ticket(container, person)
    box = fe.mailbox(container, foreign="new_ticket")
    result = _in(container, box, fe.raw_mail(stranger.email, subject=f"Re: [#{ticket.id}] x"))
    assert result.outcome is Outcome.CREATED
    assert result.ticket_id != ticket.id
    with container.uow(write=False) as uow:
        created = uow.session.get(Ticket, result.ticket_id)
        assert created is not None
        assert created.organization_id == other.id


def test_an_unknown_sender_at_a_known_domain_becomes_a_contact(container: Container) -> None:
    org = fa.organization(container)
    fe.domain(container, org, "acme-video.cn")
    box = fe.mailbox(container)
    raw = fe.raw_mail("new.dev@ACME-video.cn", name="新同事")
    result = _in(container, box, raw)
    assert result.outcome is Outcome.CREATED
    with container.uow(write=False) as uow:
        contact = uow.session.scalar(
            select(Contact).where(Contact.email == "new.dev@acme-video.cn")
        )
        assert contact is not None
        assert (contact.organization_id, contact.name, contact.language.value) == (
            org.id,
            "新同事",
            "zh-CN",
        )


def test_unknown_senders_are_held_or_get_the_mailbox_organization(container: Container) -> None:
    fallback = fa.organization(container, name="Unsorted mail")
    holding = fe.mailbox(container)
    creating = fe.mailbox(
        container, address="hello@rtcdesk.example", unknown="create", unknown_org=fallback
    )
    held = _in(container, holding, fe.raw_mail("who@nowhere.example"))
    assert held.outcome is Outcome.HELD
    created = _in(container, creating, fe.raw_mail("who2@nowhere.example"))
    assert created.outcome is Outcome.CREATED
    with container.uow(write=False) as uow:
        ticket = uow.session.get(Ticket, created.ticket_id)
        assert ticket is not None
        assert ticket.organization_id == fallback.id


def test_releasing_held_mail_creates_its_ticket_once(container: Container) -> None:
    org = fa.organization(container)
    box = fe.mailbox(container)
    raw = fe.raw_mail("who@nowhere.example", message_id="<held@nowhere.example>")
    assert _in(container, box, raw).outcome is Outcome.HELD
    released = _in(container, box, raw, relaxed=Relaxed(organization_id=org.id))
    assert released.outcome is Outcome.CREATED
    assert _in(container, box, raw).duplicate
    assert _count(container, Ticket) == 1
    assert _count(container, InboundMessage) == 1


def test_loops_never_create_tickets(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    box = fe.mailbox(container)
    own = fe.raw_mail("support@rtcdesk.example", subject="loop")
    auto = (CORPUS / "autoreply_auto_submitted.eml").read_bytes()
    vacation = fe.raw_mail(person.email, subject="自动回复：我正在休假")
    outcomes = [_in(container, box, raw).outcome for raw in (own, auto, vacation)]
    assert outcomes == [Outcome.OWN_ADDRESS, Outcome.AUTO_REPLY, Outcome.AUTO_REPLY]
    assert _count(container, Ticket) == 0


def test_a_bounce_marks_the_contact(container: Container) -> None:
    org = fa.organization(container)
    box = fe.mailbox(container)
    with container.uow() as uow:
        from rtcdesk.accounts import service as accounts
        from rtcdesk.accounts.access import SYSTEM
        from rtcdesk.accounts.schemas import ContactCreate

        person = accounts.create_contact(
            uow,
            SYSTEM,
            ContactCreate(organization_id=org.id, email="nobody@acme-video.cn", name="Nobody"),
        )
        uow.commit()
    result = _in(container, box, (CORPUS / "dsn_bounce.eml").read_bytes())
    assert result.outcome is Outcome.BOUNCE
    assert _count(container, Ticket) == 0
    with container.uow(write=False) as uow:
        bounced = uow.session.scalar(select(BouncedAddress))
        assert bounced is not None
        assert (bounced.email, bounced.contact_id, bounced.status, bounced.permanent) == (
            "nobody@acme-video.cn",
            person.id,
            "5.1.1",
            True,
        )


def test_a_sender_over_the_hourly_limit_is_held(container: Container, clock: FrozenClock) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    box = fe.mailbox(container, per_hour=3)
    outcomes = [_in(container, box, fe.raw_mail(person.email)).outcome for _ in range(4)]
    assert outcomes == [Outcome.CREATED] * 3 + [Outcome.HELD]
    clock.advance(timedelta(minutes=61))
    assert _in(container, box, fe.raw_mail(person.email)).outcome is Outcome.CREATED


def test_unreadable_mail_is_quarantined_raw_once(container: Container) -> None:
    box = fe.mailbox(container)
    raw = (CORPUS / "hostile_header_injection.eml").read_bytes()
    first = _in(container, box, raw)
    again = _in(container, box, raw)
    assert first.outcome is Outcome.QUARANTINED
    assert again.duplicate
    assert again.quarantine_id == first.quarantine_id
    with container.uow(write=False) as uow:
        row = uow.session.get(QuarantinedMail, first.quarantine_id)
        assert row is not None
        assert (row.kind, row.reason) == (QuarantineKind.UNREADABLE, "header_injection")
        assert "Subject" in row.detail
        assert container.files.path_for(row.raw_sha256).read_bytes() == raw


def test_a_reply_to_a_closed_ticket_opens_a_new_one(container: Container) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    ticket = ft.ticket(container, person)
    with container.uow() as uow:
        row = uow.session.get(Ticket, ticket.id)
        assert row is not None
        row.status = Status.CLOSED
        uow.commit()
    box = fe.mailbox(container)
    result = _in(container, box, fe.raw_mail(person.email, subject=f"Re: [#{ticket.id}]"))
    assert result.outcome is Outcome.CREATED
    assert result.ticket_id != ticket.id


def test_an_agent_answering_from_their_mail_client_adds_an_agent_reply(
    container: Container,
) -> None:
    org = fa.organization(container)
    person = fa.contact(container, org)
    agent = fa.agent(container)
    ticket = ft.ticket(container, person)
    box = fe.mailbox(container)
    result = _in(
        container, box, fe.raw_mail(agent.email, subject=f"Re: [#{ticket.id}] x", body="已修复")
    )
    assert result.outcome is Outcome.APPENDED
    last = _messages(container, ticket.id)[-1]
    assert (last.author_agent_id, last.body_text) == (agent.id, "已修复")


def test_corpus_mail_from_chinese_clients_becomes_tickets(container: Container) -> None:
    org = fa.organization(container)
    fe.domain(container, org, "acme-video.cn")
    box = fe.mailbox(container)
    raw = (CORPUS / "foxmail_gb2312_reply.eml").read_bytes()
    result = _in(container, box, raw)
    assert result.outcome is Outcome.CREATED
    (first,) = _messages(container, result.ticket_id or 0)
    assert first.body_text.startswith("您好：")
    assert "原始邮件" not in first.body_text
