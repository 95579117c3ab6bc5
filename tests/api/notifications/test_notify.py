"""``notify`` on both backends: recipients resolved at call time, one notification and one
delivery job per (event key, recipient, channel) however often it is called, preferences
honoured, nothing without the caller's commit; and the ticket kinds, fired durably from
the tickets' own transactions."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import AgentRole
from rtcdesk.accounts.schemas import AgentUpdate, GroupCreate
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.models import Job
from rtcdesk.notifications import service
from rtcdesk.notifications.handlers import CUSTOMER_REPLIED, TICKET_ASSIGNED
from rtcdesk.notifications.kinds import EMAIL, IN_APP, Kind
from rtcdesk.notifications.models import Delivery, DeliveryStatus, Notification
from rtcdesk.notifications.recipients import Recipients

Client = TestClient  # type: ignore[type-arg]
PAGE = Kind(
    "test.page",
    "Page #{ticket_id}",
    "Wake up",
    default_channels=(IN_APP, EMAIL),
    required_channels=(IN_APP,),
)


def rows(container: Container, model: Any, *where: Any) -> list[Any]:
    with container.uow(write=False) as uow:
        found = list(uow.session.scalars(select(model).where(*where).order_by(model.id)))
        uow.session.expunge_all()  # keep the loaded values after the unit of work closes
        return found


def delivery_jobs(container: Container) -> int:
    with container.uow(write=False) as uow:
        count = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.name == service.DELIVER_JOB)
        )
        return int(count or 0)


def notify(
    container: Container, recipients: Recipients, *, key: str = "e:1", kind: Kind = PAGE
) -> Any:
    with container.uow() as uow:
        done = service.notify(
            uow,
            kind=kind,
            key=key,
            recipients=recipients,
            params={"ticket_id": 9},
            link="/console/tickets/9",
        )
        uow.commit()
        return done


def test_notify_twice_with_the_same_key_delivers_once(container: Container) -> None:
    agent = fa.agent(container)
    first = notify(container, Recipients.agents(agent.id))
    again = notify(container, Recipients.agents(agent.id))
    assert len(first.notification_ids) == 1
    assert first.deliveries == 2
    assert again.notification_ids == ()
    assert again.deliveries == 0
    [note] = rows(container, Notification, Notification.agent_id == agent.id)
    assert note.in_app
    assert note.read_at is None
    assert note.params == {"ticket_id": 9}
    deliveries = rows(container, Delivery, Delivery.notification_id == note.id)
    assert {(d.channel, d.status) for d in deliveries} == {
        (IN_APP, DeliveryStatus.SENT),  # the inbox is written in the notifying transaction
        (EMAIL, DeliveryStatus.QUEUED),  # every other channel by a job
    }
    assert delivery_jobs(container) == 1
    # A new event key is a new notification.
    assert len(notify(container, Recipients.agents(agent.id), key="e:2").notification_ids) == 1


def test_nothing_exists_without_the_callers_commit(container: Container) -> None:
    agent = fa.agent(container)
    with container.uow() as uow:
        service.notify(
            uow, kind=PAGE, key="lost", recipients=Recipients.agents(agent.id), params={}
        )
        uow.rollback()
    assert rows(container, Notification, Notification.agent_id == agent.id) == []
    assert delivery_jobs(container) == 0


def test_recipients_by_role_group_and_id_are_resolved_once_each(container: Container) -> None:
    admin = fa.agent(container, role="admin")
    other_admin = fa.agent(container, role="admin")
    with container.uow() as uow:
        group = accounts.create_group(uow, SYSTEM, GroupCreate(name="Video L2"))
        uow.commit()
    member = fa.agent(container, group_ids=[group.id])
    lead = fa.agent(container)
    bystander = fa.agent(container)
    gone = fa.agent(container, role="admin")
    with container.uow() as uow:
        accounts.update_agent(uow, SYSTEM, gone.id, AgentUpdate(active=False))
        uow.commit()
    # A group's lead is passed by the caller as an agent id; the actor is left out.
    recipients = (
        Recipients.role(AgentRole.ADMIN)
        | Recipients.group(group.id)
        | Recipients.agents(lead.id, admin.id, None)
    ).without(other_admin.id)
    done = notify(container, recipients)
    notified = {n.agent_id for n in rows(container, Notification, Notification.key == "e:1")}
    assert admin.id in notified
    assert member.id in notified
    assert lead.id in notified
    assert other_admin.id not in notified
    assert bystander.id not in notified
    assert gone.id not in notified
    assert len(done.notification_ids) == len(notified)
    assert notify(container, Recipients()).notification_ids == ()


def test_preferences_choose_channels_and_required_ones_stay(container: Container) -> None:
    agent = fa.agent(container)
    registry = container.notifications
    actor = accounts.agent_actor(agent)
    with container.uow() as uow:
        service.set_preferences(
            uow, actor, registry, {TICKET_ASSIGNED.name: {IN_APP: False, EMAIL: False}}
        )
        uow.commit()
    notify(container, Recipients.agents(agent.id), kind=TICKET_ASSIGNED)
    assert rows(container, Notification, Notification.agent_id == agent.id) == []
    with container.uow() as uow:
        service.set_preferences(uow, actor, registry, {TICKET_ASSIGNED.name: {EMAIL: True}})
        uow.commit()
    notify(container, Recipients.agents(agent.id), kind=TICKET_ASSIGNED, key="e:2")
    [note] = rows(container, Notification, Notification.agent_id == agent.id)
    assert note.in_app is False  # only by email: not in the inbox
    assert [d.channel for d in rows(container, Delivery, Delivery.notification_id == note.id)] == [
        EMAIL
    ]


@pytest.mark.parametrize(
    ("key", "link", "params"),
    [
        ("", None, {}),
        (" padded", None, {}),
        ("k", "https://evil.example/", {}),
        ("k", "//evil.example/", {}),
        ("k", None, {"nested": {"a": 1}}),
    ],
)
def test_a_misused_call_is_refused_before_anything_is_written(
    container: Container, key: str, link: str | None, params: dict[str, Any]
) -> None:
    agent = fa.agent(container)
    with container.uow() as uow, pytest.raises(ValueError, match="notification"):
        service.notify(
            uow,
            kind=PAGE,
            key=key,
            recipients=Recipients.agents(agent.id),
            params=params,
            link=link,
        )


def test_assigning_a_ticket_notifies_the_new_assignee_once(
    client: Client, container: Container
) -> None:
    org = fa.organization(container, name="星海直播")
    ticket = ft.ticket(container, fa.contact(container, org), subject="Echo on Android")
    lead = fa.agent(container, role="manager", name="Han Meimei")
    engineer = fa.agent(container, name="Li Lei", languages=["zh-CN"])
    headers = fa.bearer(fa.agent_token(container, lead))
    moved = client.patch(
        f"/api/v1/tickets/{ticket.id}", json={"assignee_id": engineer.id}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    [note] = rows(container, Notification, Notification.agent_id == engineer.id)
    assert note.kind == TICKET_ASSIGNED.name
    assert note.ticket_id == ticket.id
    assert note.link == f"/console/tickets/{ticket.id}"
    assert note.params == {
        "ticket_id": ticket.id,
        "subject": "Echo on Android",
        "organization": "星海直播",
        "by": "Han Meimei",
    }
    # Unrelated changes do not notify again; a reassignment away and back is a new event.
    client.patch(f"/api/v1/tickets/{ticket.id}", json={"tags": ["echo"]}, headers=headers)
    assert len(rows(container, Notification, Notification.agent_id == engineer.id)) == 1
    client.patch(f"/api/v1/tickets/{ticket.id}", json={"assignee_id": lead.id}, headers=headers)
    client.patch(f"/api/v1/tickets/{ticket.id}", json={"assignee_id": engineer.id}, headers=headers)
    assert len(rows(container, Notification, Notification.agent_id == engineer.id)) == 2
    # Taking a ticket yourself needs no notice.
    assert rows(container, Notification, Notification.agent_id == lead.id) == []


def test_a_customer_reply_notifies_the_assignee_and_agent_replies_do_not(
    client: Client, container: Container
) -> None:
    org = fa.organization(container)
    dev = fa.contact(container, org, name="Wang Fang")
    ticket = ft.ticket(container, dev)
    engineer = fa.agent(container)
    agent_h = fa.bearer(fa.agent_token(container, engineer))
    client.patch(f"/api/v1/tickets/{ticket.id}", json={"assignee_id": engineer.id}, headers=agent_h)
    before = len(
        rows(container, Notification, Notification.agent_id == engineer.id)
    )  # self-assigned
    assert before == 0
    dev_h = fa.bearer(fa.org_token(container, org))
    body = "还是有回声 " + "x" * 400
    reply = client.post(f"/api/v1/tickets/{ticket.id}/messages", json={"body": body}, headers=dev_h)
    assert reply.status_code in (200, 201), reply.text
    client.post(f"/api/v1/tickets/{ticket.id}/messages", json={"body": "On it"}, headers=agent_h)
    client.post(
        f"/api/v1/tickets/{ticket.id}/messages",
        json={"body": "note", "kind": "internal"},
        headers=agent_h,
    )
    [note] = rows(container, Notification, Notification.agent_id == engineer.id)
    assert note.kind == CUSTOMER_REPLIED.name
    assert note.params["excerpt"].startswith("还是有回声 x")
    assert len(note.params["excerpt"]) == 280
    assert note.params["ticket_id"] == ticket.id


def test_a_ticket_routed_on_creation_notifies_the_agent_routing_chose(
    container: Container,
) -> None:
    org = fa.organization(container, name="星海直播")
    ft.ticket(container, fa.contact(container, org))  # no agent yet: routed to nobody
    assert rows(container, Notification) == []
    engineer = fa.agent(container)
    routed = ft.ticket(container, fa.contact(container, org), subject="Echo")
    assert routed.assignee_id == engineer.id  # the only available agent
    [note] = rows(container, Notification, Notification.agent_id == engineer.id)
    assert note.kind == TICKET_ASSIGNED.name
    assert note.params["by"] == "rtcdesk"  # routing decided, not the customer
    assert note.params["subject"] == "Echo"
    assert note.key.startswith(f"ticket.assigned:{routed.id}:")
