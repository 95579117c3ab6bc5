"""Reads of saved views for the console and the API."""

from __future__ import annotations

from sqlalchemy import or_, select

from rtcdesk.accounts.access import Actor
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets.models import SavedView


def saved_views(uow: UnitOfWork, actor: Actor) -> list[SavedView]:
    """The actor's own views, then views others shared."""
    if not actor.is_agent or actor.id is None:
        return []
    stmt = (
        select(SavedView)
        .where(or_(SavedView.agent_id == actor.id, SavedView.shared.is_(True)))
        .order_by(SavedView.agent_id != actor.id, SavedView.name)
    )
    return list(uow.session.scalars(stmt))
