"""Reads of the email channel for the console: the quarantine, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.channels.email.models import QuarantinedMail
from rtcdesk.db.uow import UnitOfWork

PAGE_SIZE = 50


def quarantine(
    uow: UnitOfWork, actor: Actor, *, before: int | None = None, limit: int = PAGE_SIZE
) -> Sequence[QuarantinedMail]:
    """Quarantine entries newest first; ``before`` (an id) continues a page (keyset)."""
    access.require_admin(actor)
    query = select(QuarantinedMail).order_by(QuarantinedMail.id.desc()).limit(limit)
    if before is not None:
        query = query.where(QuarantinedMail.id < before)
    return uow.session.scalars(query).all()


def quarantine_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many mails wait in the quarantine."""
    access.require_admin(actor)
    return int(uow.session.scalar(select(func.count(QuarantinedMail.id))) or 0)
