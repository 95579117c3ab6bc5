"""Saved views: named ticket-list filters an agent keeps, optionally shared with everyone."""

from __future__ import annotations

from sqlalchemy import or_, select

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import NotFound, PermissionDenied
from rtcdesk.core.validation import require_text
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets.models import SavedView
from rtcdesk.tickets.schemas import SavedViewCreate, SavedViewOut


def saved_view_out(view: SavedView) -> SavedViewOut:
    """The API shape of a saved view."""
    return SavedViewOut(
        id=view.id, agent_id=view.agent_id, name=view.name, filters=view.filters, shared=view.shared
    )


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


def create_saved_view(uow: UnitOfWork, actor: Actor, data: SavedViewCreate) -> SavedView:
    """Save a ticket-list filter for the calling agent."""
    account_access.require_agent(actor)
    if actor.id is None:
        raise PermissionDenied("only a signed-in agent can save views")
    view = SavedView(
        agent_id=actor.id,
        name=require_text(data.name, "name", max_length=120),
        filters={k: v for k, v in data.filters.items() if v},
        shared=data.shared,
        created_at=uow.clock.now(),
    )
    uow.session.add(view)
    uow.flush()
    return view


def delete_saved_view(uow: UnitOfWork, actor: Actor, view_id: int) -> None:
    """Delete one of the calling agent's saved views (admins may delete any)."""
    account_access.require_agent(actor)
    view = uow.session.get(SavedView, view_id)
    if view is None or (view.agent_id != actor.id and not view.shared):
        raise NotFound("saved view {view_id} not found", params={"view_id": view_id})
    if view.agent_id != actor.id:
        account_access.require_admin(actor)
    uow.session.delete(view)
