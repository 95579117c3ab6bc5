"""Who may read which notifications: the only place it is decided.

An inbox belongs to one agent: they read and mark only their own notifications (someone
else's answers 404, as if it did not exist). Customers have no inbox. The delivery log is
for administrators.
"""

from __future__ import annotations

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import NotFound, PermissionDenied
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.notifications.models import Notification


def require_inbox(actor: Actor) -> int:
    """The id of the agent whose inbox this is; anyone else (customers, rtcdesk) has none."""
    if actor.kind is not ActorKind.AGENT or actor.id is None:
        raise PermissionDenied("notifications are for support staff signed in as themselves")
    return actor.id


def get_own_notification(uow: UnitOfWork, actor: Actor, notification_id: int) -> Notification:
    """One notification of the actor's own inbox."""
    agent_id = require_inbox(actor)
    found = uow.session.get(Notification, notification_id)
    if found is None or found.agent_id != agent_id or not found.in_app:
        raise NotFound(
            "notification {notification_id} not found",
            params={"notification_id": notification_id},
        )
    return found


def require_delivery_log(actor: Actor) -> None:
    """Only administrators read the delivery log (it names every recipient)."""
    account_access.require_admin(actor)
