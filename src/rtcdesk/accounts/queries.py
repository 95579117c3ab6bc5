"""Reads of organizations, contacts, agents, groups and tokens for the API and pages."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import (
    Agent,
    ApiToken,
    AuditEntry,
    Contact,
    Group,
    Organization,
    TokenKind,
)
from rtcdesk.accounts.schemas import (
    AgentOut,
    ContactOut,
    GroupOut,
    OrganizationOut,
    TokenOut,
)
from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.core.pagination import clamp_limit, decode_cursor, encode_cursor
from rtcdesk.core.validation import contains_pattern
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets.models import Ticket
from rtcdesk.tickets.workflow import OPEN_STATUSES


def organization_out(org: Organization, actor: Actor) -> OrganizationOut:
    """API shape; internal notes are for agents only."""
    return OrganizationOut(
        id=org.id,
        name=org.name,
        plan_tier=org.plan_tier,
        timezone=org.timezone,
        language=org.language,
        tam_agent_id=org.tam_agent_id,
        sdk_platforms=list(org.sdk_platforms),
        app_ids=list(org.app_ids),
        share_tickets=org.share_tickets,
        notes=org.notes if actor.is_agent else None,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


def contact_out(contact: Contact) -> ContactOut:
    """API shape of a contact."""
    return ContactOut(
        id=contact.id,
        organization_id=contact.organization_id,
        email=contact.email,
        name=contact.name,
        language=contact.language,
        active=contact.active,
        created_at=contact.created_at,
    )


def agent_out(agent: Agent) -> AgentOut:
    """API shape of an agent."""
    return AgentOut(
        id=agent.id,
        email=agent.email,
        name=agent.name,
        role=agent.role,
        level=agent.level,
        skills=list(agent.skills),
        languages=list(agent.languages),
        timezone=agent.timezone,
        active=agent.active,
        group_ids=[g.id for g in agent.groups],
        availability=agent.availability,
        max_load=agent.max_load,
    )


def token_out(token: ApiToken, secret: str | None = None) -> TokenOut:
    """API shape of a token (the secret only right after creation)."""
    return TokenOut(
        id=token.id,
        kind=token.kind,
        name=token.name,
        prefix=token.prefix,
        agent_id=token.agent_id,
        organization_id=token.organization_id,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        token=secret,
    )


def organizations(uow: UnitOfWork, actor: Actor) -> list[Organization]:
    """Organizations the actor may see, by name."""
    stmt = select(Organization).options(selectinload(Organization.tam)).order_by(Organization.name)
    if not actor.is_agent:
        stmt = stmt.where(Organization.id == actor.organization_id)
    return list(uow.session.scalars(stmt))


def organization(uow: UnitOfWork, actor: Actor, org_id: int) -> Organization:
    """One organization the actor may see."""
    access.check_organization_visible(actor, org_id)
    org = uow.session.get(Organization, org_id)
    if org is None:
        raise NotFound("organization {org_id} not found", params={"org_id": org_id})
    return org


def open_ticket_counts(uow: UnitOfWork) -> dict[int, int]:
    """Unsolved tickets per organization (for the console's list)."""
    stmt = (
        select(Ticket.organization_id, func.count())
        .where(Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.organization_id)
    )
    return {row[0]: row[1] for row in uow.session.execute(stmt)}


def contacts(uow: UnitOfWork, actor: Actor, organization_id: int | None = None) -> list[Contact]:
    """Contacts the actor may see, optionally of one organization."""
    stmt = select(Contact).order_by(Contact.name)
    if not actor.is_agent:
        stmt = stmt.where(Contact.organization_id == actor.organization_id)
    if organization_id is not None:
        stmt = stmt.where(Contact.organization_id == organization_id)
    return list(uow.session.scalars(stmt))


def contact_directory(
    uow: UnitOfWork,
    actor: Actor,
    *,
    q: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> tuple[list[Contact], str | None]:
    """One page of the contacts the actor may see, by name, matching ``q`` if given.

    ``q`` matches the name, the email or the organization's name. Keyset pagination on
    (name, id), so a page costs the same on the first page and the thousandth.
    """
    page_size = clamp_limit(limit)
    stmt = select(Contact)
    if not actor.is_agent:
        stmt = stmt.where(Contact.organization_id == actor.organization_id)
    text = (q or "").strip()
    if len(text) > 200:
        raise InvalidInput("the search text is longer than 200 characters")
    if text:
        pattern = contains_pattern(text)
        stmt = stmt.where(
            or_(
                Contact.name.ilike(pattern, escape="\\"),
                Contact.email.ilike(pattern, escape="\\"),
                Contact.organization_id.in_(
                    select(Organization.id).where(Organization.name.ilike(pattern, escape="\\"))
                ),
            )
        )
    if cursor:
        name, last_id = decode_cursor(cursor, "name", "text")
        stmt = stmt.where(
            or_(Contact.name > name, and_(Contact.name == name, Contact.id > last_id))
        )
    rows = list(uow.session.scalars(stmt.order_by(Contact.name, Contact.id).limit(page_size + 1)))
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    return rows, encode_cursor("name", rows[-1].name, rows[-1].id)


def open_tickets_by_contact(uow: UnitOfWork, contact_ids: list[int]) -> dict[int, int]:
    """Unsolved tickets each of ``contact_ids`` asked for (one grouped query)."""
    if not contact_ids:
        return {}
    stmt = (
        select(Ticket.requester_id, func.count())
        .where(Ticket.requester_id.in_(contact_ids), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.requester_id)
    )
    return {row[0]: row[1] for row in uow.session.execute(stmt) if row[0] is not None}


def contact(uow: UnitOfWork, actor: Actor, contact_id: int) -> Contact:
    """One contact the actor may see."""
    found = uow.session.get(Contact, contact_id)
    if found is None:
        raise NotFound("contact {contact_id} not found", params={"contact_id": contact_id})
    access.check_contact_visible(actor, contact_id, found.organization_id)
    return found


def agents(uow: UnitOfWork, actor: Actor, *, active_only: bool = False) -> list[Agent]:
    """Support staff (visible to agents only)."""
    access.require_agent(actor)
    stmt = select(Agent).options(selectinload(Agent.groups)).order_by(Agent.name)
    if active_only:
        stmt = stmt.where(Agent.active.is_(True))
    return list(uow.session.scalars(stmt))


def agent(uow: UnitOfWork, actor: Actor, agent_id: int) -> Agent:
    """One agent."""
    access.require_agent(actor)
    found = uow.session.get(Agent, agent_id)
    if found is None:
        raise NotFound("agent {agent_id} not found", params={"agent_id": agent_id})
    return found


def groups(uow: UnitOfWork, actor: Actor) -> list[Group]:
    """Teams (agents only)."""
    access.require_agent(actor)
    return list(uow.session.scalars(select(Group).order_by(Group.name)))


def group_out(group: Group) -> GroupOut:
    """API shape of a group."""
    return GroupOut(id=group.id, name=group.name, description=group.description)


def tokens(uow: UnitOfWork, actor: Actor) -> list[ApiToken]:
    """Tokens: admins see all, other agents their own."""
    access.require_agent(actor)
    stmt = select(ApiToken).order_by(ApiToken.id)
    if actor.role not in access.MANAGERS:
        stmt = stmt.where(ApiToken.kind == TokenKind.AGENT, ApiToken.agent_id == actor.id)
    return list(uow.session.scalars(stmt))


AUDIT_PAGE = 200


def audit_entries(uow: UnitOfWork, actor: Actor, *, limit: int = AUDIT_PAGE) -> list[AuditEntry]:
    """The newest audit log entries (admins only)."""
    access.require_admin(actor)
    return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
