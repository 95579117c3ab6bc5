"""The delivery job: one notification on one channel, rendered in its recipient's language.

Reading and recording happen in two short transactions around the channel's ``send``, so
a slow relay never holds the database (SQLite's write lock above all). A delivery already
sent, skipped or failed for good is not sent again when its job runs again (at least once:
a worker dying between the relay's answer and the record may send twice; the message
carries the same Message-ID each time).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from rtcdesk.accounts.models import Agent
from rtcdesk.core.i18n import normalize_language
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.notifications import service
from rtcdesk.notifications.kinds import (
    NotificationRegistry,
    Outgoing,
    PermanentFailure,
    Skipped,
    render,
)
from rtcdesk.notifications.models import Delivery, DeliveryStatus, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # with the default backoff: about 17 minutes of retrying, then failed
OPEN = (DeliveryStatus.QUEUED, DeliveryStatus.RETRYING)


def recipient_language(agent: Agent) -> str:
    """The language an agent reads (their first language)."""
    return normalize_language((agent.languages or ["en"])[0])


def outgoing(
    uow: UnitOfWork, registry: NotificationRegistry, base_url: str, delivery_id: int
) -> Outgoing | None:
    """The delivery, rendered for its recipient, while it still waits to be sent."""
    row = uow.session.execute(
        select(Delivery, Notification, Agent)
        .join(Notification, Notification.id == Delivery.notification_id)
        .join(Agent, Agent.id == Notification.agent_id)
        .where(Delivery.id == delivery_id)
    ).first()
    if row is None:
        return None
    delivery, notification, agent = row
    if delivery.status not in OPEN:
        return None
    lang = recipient_language(agent)
    text = render(registry.kind(notification.kind), notification.kind, notification.params, lang)
    return Outgoing(
        delivery_id=delivery.id,
        notification_id=notification.id,
        kind=notification.kind,
        recipient_id=agent.id,
        recipient_name=agent.name,
        recipient_email=agent.email,
        language=lang,
        title=text.title,
        body=text.body,
        url=base_url.rstrip("/") + notification.link if notification.link else None,
    )


def deliver(ctx: JobContext) -> None:
    """Send one delivery through its channel and record the outcome in the delivery log."""
    container = ctx.container
    delivery_id = int(ctx.payload["delivery_id"])
    with container.uow(write=False) as uow:
        out = outgoing(uow, container.notifications, container.settings.base_url, delivery_id)
        channel_name = uow.session.scalar(
            select(Delivery.channel).where(Delivery.id == delivery_id)
        )
    if out is None:
        return  # gone, or already done
    channel = container.notifications.channels.get(channel_name or "")
    outcome, error = DeliveryStatus.SENT, None
    retry = False
    if channel is None or channel.send is None:
        outcome, error = DeliveryStatus.FAILED, f"no channel {channel_name!r} is registered"
    else:
        try:
            channel.send(container, out)
        except Skipped as exc:
            outcome, error = DeliveryStatus.SKIPPED, str(exc)
        except PermanentFailure as exc:
            outcome, error = DeliveryStatus.FAILED, str(exc)
        except Exception as exc:
            spec = container.jobs.get(ctx.name)
            last = spec is None or ctx.attempt >= spec.max_attempts
            outcome = DeliveryStatus.FAILED if last else DeliveryStatus.RETRYING
            error = f"attempt {ctx.attempt}: {type(exc).__name__}: {exc}"
            retry = True
            log.warning("delivery %s on %s failed: %s", delivery_id, channel_name, error)
    with container.uow() as uow:
        service.record_outcome(
            uow, delivery_id, outcome, error=error, attempted=outcome is not DeliveryStatus.SKIPPED
        )
        uow.commit()
    if retry:
        raise RuntimeError(error)  # the job's backoff schedules the next attempt


def register(registry: JobRegistry) -> None:
    """Register the delivery job."""
    registry.job(service.DELIVER_JOB, max_attempts=MAX_ATTEMPTS, timeout=timedelta(minutes=2))(
        deliver
    )
