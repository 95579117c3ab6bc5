"""The only write path of notifications: notify people, mark read, preferences, deliveries.

``notify`` is the interface every domain uses (see ``docs/notifications.md``). It runs in
the caller's unit of work and never commits: the notifications, their inbox entries and
their delivery jobs exist if and only if the caller's change commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.notifications import access
from rtcdesk.notifications.kinds import IN_APP, Kind, NotificationRegistry, channels_for
from rtcdesk.notifications.models import Delivery, DeliveryStatus, Notification, Preference
from rtcdesk.notifications.recipients import Excluding, Recipients, resolve

DELIVER_JOB = "notifications.deliver"
MAX_KEY_LENGTH = 200
MAX_LINK_LENGTH = 500
MAX_PARAMS_BYTES = 8 * 1024
ParamValue = str | int | float | bool | None


@dataclass(frozen=True)
class Notified:
    """What one ``notify`` call did: new notifications and deliveries (repeats add none)."""

    notification_ids: tuple[int, ...]
    deliveries: int


def _insert_ignoring_duplicates(uow: UnitOfWork, table: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING on either backend (a repeat inserts nothing)."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table)


def _check_call(key: str, params: Mapping[str, ParamValue], link: str | None) -> dict[str, Any]:
    if not key or len(key) > MAX_KEY_LENGTH or key != key.strip():
        raise ValueError(f"notification key must be 1-{MAX_KEY_LENGTH} characters, trimmed")
    if link is not None and (
        not link.startswith("/") or link.startswith("//") or len(link) > MAX_LINK_LENGTH
    ):
        raise ValueError("a notification link is a path on this site, like /console/tickets/7")
    plain = dict(params)
    for name, value in plain.items():
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise ValueError(f"notification field {name!r} must be plain text or a number")
    if len(json.dumps(plain)) > MAX_PARAMS_BYTES:
        raise ValueError("notification fields are ids and short texts, not documents")
    return plain


def notify(
    uow: UnitOfWork,
    *,
    kind: Kind,
    key: str,
    recipients: Recipients | Excluding,
    params: Mapping[str, ParamValue],
    link: str | None = None,
    ticket_id: int | None = None,
) -> Notified:
    """Notify ``recipients`` of ``kind`` once per ``key``: in the inbox now, on every other
    channel they get for this kind through one delivery job each, in ``uow``'s transaction.

    ``key`` names the event (``"ticket.assigned:42:1337"``): calling again with the same
    key reaches nobody twice on any channel. ``params`` fill the kind's texts, rendered in
    each reader's language when read or sent. ``link`` is a console path.
    """
    plain = _check_call(key, params, link)
    agents = resolve(uow, recipients)
    if not agents:
        return Notified((), 0)
    choices = _choices(uow, [a.id for a in agents], kind.name)
    available = tuple(dict.fromkeys((*kind.default_channels, *_chosen_channels(choices))))
    now = uow.clock.now()
    created: list[int] = []
    deliveries = 0
    for agent in agents:
        channels = channels_for(kind, available, choices.get(agent.id, {}))
        if not channels:
            continue
        stmt = _insert_ignoring_duplicates(uow, Notification).values(
            agent_id=agent.id,
            kind=kind.name,
            key=key,
            params=plain,
            link=link,
            ticket_id=ticket_id,
            in_app=IN_APP in channels,
            created_at=now,
        )
        stmt = stmt.on_conflict_do_nothing(index_elements=["key", "agent_id"])
        notification_id = uow.session.execute(stmt.returning(Notification.id)).scalar()
        if notification_id is None:
            continue  # notified of this event before: once per key
        created.append(notification_id)
        _add_deliveries(uow, notification_id, channels)
        deliveries += len(channels)
    return Notified(tuple(created), deliveries)


def _add_deliveries(uow: UnitOfWork, notification_id: int, channels: list[str]) -> None:
    """The inbox delivery is done on arrival; every other channel gets its job."""
    now = uow.clock.now()
    rows = [
        Delivery(
            notification_id=notification_id,
            channel=channel,
            status=DeliveryStatus.SENT if channel == IN_APP else DeliveryStatus.QUEUED,
            attempts=1 if channel == IN_APP else 0,
            created_at=now,
            updated_at=now,
            sent_at=now if channel == IN_APP else None,
        )
        for channel in channels
    ]
    uow.session.add_all(rows)
    uow.flush()
    for delivery in rows:
        if delivery.channel != IN_APP:
            delivery.job_id = jobs.enqueue(uow, DELIVER_JOB, {"delivery_id": delivery.id})


def _choices(uow: UnitOfWork, agent_ids: list[int], kind: str) -> dict[int, dict[str, bool]]:
    rows = uow.session.scalars(
        select(Preference).where(Preference.agent_id.in_(agent_ids), Preference.kind == kind)
    )
    out: dict[int, dict[str, bool]] = {}
    for row in rows:
        out.setdefault(row.agent_id, {})[row.channel] = row.enabled
    return out


def _chosen_channels(choices: dict[int, dict[str, bool]]) -> list[str]:
    return sorted({c for per_agent in choices.values() for c, on in per_agent.items() if on})


def mark_read(uow: UnitOfWork, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (again: no change)."""
    notification = access.get_own_notification(uow, actor, notification_id)
    if notification.read_at is None:
        notification.read_at = uow.clock.now()
    return notification


def mark_all_read(uow: UnitOfWork, actor: Actor) -> int:
    """Mark every unread notification in the actor's inbox read; return how many."""
    agent_id = access.require_inbox(actor)
    result = uow.session.execute(
        update(Notification)
        .where(
            Notification.agent_id == agent_id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
        .values(read_at=uow.clock.now())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def set_preferences(
    uow: UnitOfWork,
    actor: Actor,
    registry: NotificationRegistry,
    choices: Mapping[str, Mapping[str, bool]],
) -> None:
    """Set the actor's channels per kind (``{"ticket.assigned": {"email": False}}``); kinds
    and channels not named keep what they had. A required channel cannot be switched off."""
    agent_id = access.require_inbox(actor)
    for kind_name, per_channel in choices.items():
        kind = registry.kind(kind_name)
        if kind is None:
            raise InvalidInput(
                "there is no notification kind {kind}", params={"kind": kind_name}, field="kind"
            )
        for channel, enabled in per_channel.items():
            if channel not in registry.channels:
                raise InvalidInput(
                    "there is no notification channel {channel}",
                    params={"channel": channel},
                    field="channel",
                )
            if not enabled and channel in kind.required_channels:
                raise InvalidInput(
                    "{kind} always reaches the {channel} channel; it cannot be switched off",
                    params={"kind": kind_name, "channel": channel},
                    field="channel",
                )
            row = uow.session.get(Preference, (agent_id, kind_name, channel))
            if row is None:
                uow.session.add(
                    Preference(agent_id=agent_id, kind=kind_name, channel=channel, enabled=enabled)
                )
            else:
                row.enabled = enabled
    uow.flush()


def record_outcome(
    uow: UnitOfWork,
    delivery_id: int,
    status: DeliveryStatus,
    *,
    error: str | None = None,
    attempted: bool = True,
) -> None:
    """Write what a delivery attempt did (from the delivery job)."""
    delivery = uow.session.get(Delivery, delivery_id)
    if delivery is None:
        return
    now = uow.clock.now()
    delivery.status = status
    delivery.error = error[:2000] if error else None
    delivery.updated_at = now
    if attempted:
        delivery.attempts += 1
    if status is DeliveryStatus.SENT:
        delivery.sent_at = now


def retry_delivery(uow: UnitOfWork, actor: Actor, delivery_id: int) -> Delivery:
    """Queue a failed or skipped delivery again, with a fresh job (administrators)."""
    account_access.require_admin(actor)
    delivery = uow.session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("delivery {delivery_id} not found", params={"delivery_id": delivery_id})
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.SKIPPED):
        raise Conflict(
            "only a failed or skipped delivery can be retried; this one is {status}",
            params={"status": delivery.status.value},
        )
    delivery.status = DeliveryStatus.QUEUED
    delivery.updated_at = uow.clock.now()
    delivery.job_id = jobs.enqueue(uow, DELIVER_JOB, {"delivery_id": delivery.id})
    return delivery
