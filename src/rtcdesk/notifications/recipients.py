"""Whom a notification is for: agents by id, everyone with a role, the members of a group.

Resolved when ``notify`` is called, so "all admins" means the admins of that moment. People
a caller knows by its own rules (a group's lead, a schedule's manager, the on-call engineer)
are passed as agent ids: ``Recipients.agents(lead_id) | Recipients.role(AgentRole.ADMIN)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select

from rtcdesk.accounts.models import Agent, AgentRole, agent_groups
from rtcdesk.db.uow import UnitOfWork


@dataclass(frozen=True)
class Recipients:
    """A set of people, by id, role and group; combine with ``|``."""

    agent_ids: frozenset[int] = frozenset()
    roles: frozenset[AgentRole] = frozenset()
    group_ids: frozenset[int] = frozenset()

    @classmethod
    def agents(cls, *agent_ids: int | None) -> Recipients:
        """These agents (``None`` entries are ignored: an unassigned ticket has no one)."""
        return cls(agent_ids=frozenset(i for i in agent_ids if i is not None))

    @classmethod
    def role(cls, *roles: AgentRole) -> Recipients:
        """Every active agent with one of ``roles``."""
        return cls(roles=frozenset(roles))

    @classmethod
    def group(cls, *group_ids: int) -> Recipients:
        """Every active member of these groups."""
        return cls(group_ids=frozenset(group_ids))

    def __or__(self, other: Recipients) -> Recipients:
        return Recipients(
            self.agent_ids | other.agent_ids,
            self.roles | other.roles,
            self.group_ids | other.group_ids,
        )

    def without(self, *agent_ids: int | None) -> Excluding:
        """The same people except these (the one who did it needs no notice of it)."""
        return Excluding(self, frozenset(i for i in agent_ids if i is not None))

    @property
    def empty(self) -> bool:
        """Whether nobody can match."""
        return not (self.agent_ids or self.roles or self.group_ids)


@dataclass(frozen=True)
class Excluding:
    """Recipients minus some agents."""

    base: Recipients
    excluded: frozenset[int]


def resolve(uow: UnitOfWork, recipients: Recipients | Excluding) -> list[Agent]:
    """The active agents ``recipients`` means now, each once, by id."""
    excluded: Iterable[int] = ()
    if isinstance(recipients, Excluding):
        excluded = recipients.excluded
        recipients = recipients.base
    if recipients.empty:
        return []
    conditions = []
    if recipients.agent_ids:
        conditions.append(Agent.id.in_(sorted(recipients.agent_ids)))
    if recipients.roles:
        conditions.append(Agent.role.in_(sorted(recipients.roles)))
    if recipients.group_ids:
        members = select(agent_groups.c.agent_id).where(
            agent_groups.c.group_id.in_(sorted(recipients.group_ids))
        )
        conditions.append(Agent.id.in_(members))
    stmt = select(Agent).where(Agent.active.is_(True), or_(*conditions)).order_by(Agent.id)
    skip = set(excluded)
    return [agent for agent in uow.session.scalars(stmt) if agent.id not in skip]
