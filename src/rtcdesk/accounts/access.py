"""Who is acting, and the account-level permission checks.

Every route resolves an :class:`Actor` first (from a session cookie or an API token) and
passes it to services and queries, which call the checks here. Ticket-level checks live
in ``tickets/access.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.accounts.models import ACTOR_NAME_MAX, ActorKind, AgentRole
from rtcdesk.core.errors import NotFound, PermissionDenied
from rtcdesk.core.validation import fit


@dataclass(frozen=True, slots=True)
class Actor:
    """The identity a request, job or command acts as."""

    kind: ActorKind
    id: int | None
    name: str
    role: AgentRole | None = None
    organization_id: int | None = None
    share_tickets: bool = False
    language: str = "en"
    # Agents only: "available" or "away" (shown in the console header).
    availability: str | None = None

    def __post_init__(self) -> None:
        # Copied into sized columns (message authors, history, audit log): a name derived
        # from longer parts (an organization and a token name) is cut to fit, never refused.
        if len(self.name) > ACTOR_NAME_MAX:
            object.__setattr__(self, "name", fit(self.name, ACTOR_NAME_MAX))

    @property
    def is_agent(self) -> bool:
        """Support staff of the vendor (any role)."""
        return self.kind is ActorKind.AGENT or self.kind is ActorKind.SYSTEM

    @property
    def is_customer(self) -> bool:
        """A contact or an organization's API token."""
        return self.kind in (ActorKind.CONTACT, ActorKind.ORGANIZATION_TOKEN)


SYSTEM = Actor(kind=ActorKind.SYSTEM, id=None, name="rtcdesk", role=AgentRole.ADMIN)

MANAGERS = frozenset({AgentRole.ADMIN, AgentRole.MANAGER})


def require_agent(actor: Actor) -> None:
    """Only support staff may do this."""
    if not actor.is_agent:
        raise PermissionDenied("only support staff can do this")


def require_role(actor: Actor, roles: frozenset[AgentRole]) -> None:
    """Only agents with one of ``roles`` may do this."""
    require_agent(actor)
    if actor.role not in roles:
        names = ", ".join(sorted(r.value for r in roles))
        raise PermissionDenied("this needs one of the roles: {names}", params={"names": names})


def require_admin(actor: Actor) -> None:
    """Only administrators may do this."""
    require_role(actor, frozenset({AgentRole.ADMIN}))


def check_organization_visible(actor: Actor, organization_id: int) -> None:
    """Agents see every organization; customers only their own (others do not exist)."""
    if actor.is_agent:
        return
    if actor.organization_id != organization_id:
        raise NotFound(
            "organization {organization_id} not found", params={"organization_id": organization_id}
        )


def check_contact_visible(actor: Actor, contact_id: int, contact_org_id: int) -> None:
    """Customers see only their own organization's contacts."""
    if actor.is_agent:
        return
    if actor.organization_id != contact_org_id:
        raise NotFound("contact {contact_id} not found", params={"contact_id": contact_id})
