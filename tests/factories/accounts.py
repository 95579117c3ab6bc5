"""Organizations, contacts, agents and tokens for tests, created through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rtcdesk.accounts import service
from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import (
    Agent,
    AgentLevel,
    AgentRole,
    Contact,
    Group,
    Language,
    Organization,
    PlanTier,
    TokenKind,
)
from rtcdesk.accounts.schemas import (
    AgentCreate,
    ContactCreate,
    GroupCreate,
    OrganizationCreate,
    TokenCreate,
)
from rtcdesk.bootstrap import Container

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def organization(
    container: Container,
    *,
    name: str | None = None,
    tier: str = "premium",
    share: bool = False,
    language: str = "en",
) -> Organization:
    """A committed organization."""
    with container.uow() as uow:
        org = service.create_organization(
            uow,
            SYSTEM,
            OrganizationCreate(
                name=name or f"Org {next(_seq)}",
                plan_tier=PlanTier(tier),
                timezone="Asia/Shanghai",
                language=Language(language),
                share_tickets=share,
            ),
        )
        uow.commit()
        return org


def contact(
    container: Container,
    org: Organization,
    *,
    name: str | None = None,
    password: str | None = None,
    language: str = "en",
) -> Contact:
    """A committed contact (who can sign in if given a password)."""
    n = next(_seq)
    with container.uow() as uow:
        created = service.create_contact(
            uow,
            SYSTEM,
            ContactCreate(
                organization_id=org.id,
                email=f"dev{n}@customer{org.id}.example",
                name=name or f"Developer {n}",
                password=password,
                language=Language(language),
            ),
        )
        uow.commit()
        return created


def agent(
    container: Container,
    *,
    role: str = "agent",
    name: str | None = None,
    password: str | None = None,
    level: str = "L1",
    skills: tuple[str, ...] = ("audio", "web"),
    languages: tuple[str, ...] = ("en",),
    group_ids: tuple[int, ...] = (),
    max_load: int = 8,
) -> Agent:
    """A committed agent (who can sign in if given a password)."""
    n = next(_seq)
    with container.uow() as uow:
        created = service.create_agent(
            uow,
            SYSTEM,
            AgentCreate(
                email=f"agent{n}@vendor.example",
                name=name or f"Agent {n}",
                role=AgentRole(role),
                level=AgentLevel(level),
                skills=list(skills),
                languages=list(languages),
                group_ids=list(group_ids),
                max_load=max_load,
                password=password,
            ),
        )
        uow.commit()
        return created


def group(container: Container, name: str) -> Group:
    """A committed group of agents."""
    with container.uow() as uow:
        created = service.create_group(uow, SYSTEM, GroupCreate(name=name))
        uow.commit()
        return created


def agent_token(container: Container, agent_row: Agent) -> str:
    """A bearer token for an agent."""
    with container.uow() as uow:
        _row, secret = service.create_token(
            uow, SYSTEM, TokenCreate(kind=TokenKind.AGENT, name="tests", agent_id=agent_row.id)
        )
        uow.commit()
        return secret


def org_token(container: Container, org: Organization) -> str:
    """A bearer token for an organization's integration."""
    with container.uow() as uow:
        _row, secret = service.create_token(
            uow,
            SYSTEM,
            TokenCreate(kind=TokenKind.ORGANIZATION, name="tests", organization_id=org.id),
        )
        uow.commit()
        return secret


def contact_session(container: Container, person: Contact) -> tuple[str, str]:
    """(cookie, csrf) of a signed-in portal session."""
    with container.uow() as uow:
        cookie, web_session = service.start_web_session(uow, contact=person, days=30)
        uow.commit()
        return cookie, web_session.csrf_token


def agent_session(container: Container, person: Agent) -> tuple[str, str]:
    """(cookie, csrf) of a signed-in console session."""
    with container.uow() as uow:
        cookie, web_session = service.start_web_session(uow, agent=person, days=30)
        uow.commit()
        return cookie, web_session.csrf_token


@dataclass
class Principal:
    """Someone a test acts as: headers to send and the actor behind them."""

    label: str
    headers: dict[str, str]
    actor: Actor | None = None


def bearer(secret: str) -> dict[str, str]:
    """Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}
