"""JSON API for organizations, contacts, agents, groups, tokens and the caller (/me)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import UNSET

from rtcdesk.accounts import queries, service
from rtcdesk.accounts.models import ActorKind
from rtcdesk.accounts.schemas import (
    AgentCreate,
    AgentOut,
    AgentUpdate,
    ContactCreate,
    ContactOut,
    ContactUpdate,
    GroupCreate,
    GroupOut,
    MeOut,
    OrganizationCreate,
    OrganizationOut,
    OrganizationUpdate,
    TokenCreate,
    TokenOut,
)
from rtcdesk.core.validation import MAX_ID
from rtcdesk.web.context import RequestContext, api_context

# An id in the query string, bounded like every id (core.validation.Id): else 400.
QueryId = Annotated[int | None, Parameter(ge=1, le=MAX_ID)]


class MeController(Controller):
    """Who am I."""

    path = "/api/v1/me"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def me(self, request: Request[Any, Any, Any]) -> MeOut:
        """The identity behind the token or session."""
        with api_context(request) as ctx:
            a = ctx.actor
            return MeOut(
                kind=a.kind.value,
                id=a.id,
                name=a.name,
                role=a.role.value if a.role else None,
                organization_id=a.organization_id,
            )


class OrganizationController(Controller):
    """Customer organizations."""

    path = "/api/v1/organizations"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def list_organizations(self, request: Request[Any, Any, Any]) -> list[OrganizationOut]:
        """Organizations the caller may see (customers: their own)."""
        with api_context(request) as ctx:
            return [
                queries.organization_out(o, ctx.actor)
                for o in queries.organizations(ctx.uow, ctx.actor)
            ]

    @post("/", sync_to_thread=True)
    def create_organization(
        self, request: Request[Any, Any, Any], data: JSONBody[OrganizationCreate]
    ) -> OrganizationOut:
        """Create an organization (managers, admins)."""
        with api_context(request, write=True) as ctx:
            org = service.create_organization(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.organization_out(org, ctx.actor)

    @get("/{org_id:int}", sync_to_thread=True)
    def get_organization(
        self, request: Request[Any, Any, Any], org_id: FromPath[int]
    ) -> OrganizationOut:
        """One organization."""
        with api_context(request) as ctx:
            return queries.organization_out(
                queries.organization(ctx.uow, ctx.actor, org_id), ctx.actor
            )

    @patch("/{org_id:int}", sync_to_thread=True)
    def update_organization(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[int],
        data: JSONBody[OrganizationUpdate],
    ) -> OrganizationOut:
        """Change an organization (managers, admins)."""
        with api_context(request, write=True) as ctx:
            org = service.update_organization(ctx.uow, ctx.actor, org_id, data)
            ctx.uow.commit()
            return queries.organization_out(org, ctx.actor)


class ContactController(Controller):
    """Developers at customer organizations."""

    path = "/api/v1/contacts"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def list_contacts(
        self, request: Request[Any, Any, Any], organization_id: QueryId = None
    ) -> list[ContactOut]:
        """Contacts the caller may see."""
        with api_context(request) as ctx:
            return [
                queries.contact_out(c)
                for c in queries.contacts(ctx.uow, ctx.actor, organization_id)
            ]

    @post("/", sync_to_thread=True)
    def create_contact(
        self, request: Request[Any, Any, Any], data: JSONBody[ContactCreate]
    ) -> ContactOut:
        """Add a contact (agents)."""
        with api_context(request, write=True) as ctx:
            contact = service.create_contact(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.contact_out(contact)

    @get("/{contact_id:int}", sync_to_thread=True)
    def get_contact(self, request: Request[Any, Any, Any], contact_id: FromPath[int]) -> ContactOut:
        """One contact."""
        with api_context(request) as ctx:
            return queries.contact_out(queries.contact(ctx.uow, ctx.actor, contact_id))

    @patch("/{contact_id:int}", sync_to_thread=True, opt={"errors": (429,)})
    def update_contact(
        self,
        request: Request[Any, Any, Any],
        contact_id: FromPath[int],
        data: JSONBody[ContactUpdate],
    ) -> ContactOut:
        """Change a contact (agents, or the contact themself; only admins set someone else's
        password, and one's own needs `current_password`). A new password ends every other
        session of the contact."""
        if data.password is not UNSET and data.current_password is not UNSET:
            _reserve_password_check(request, ActorKind.CONTACT, contact_id)
        with api_context(request, write=True) as ctx:
            queries.contact(ctx.uow, ctx.actor, contact_id)
            contact = service.update_contact(ctx.uow, ctx.actor, contact_id, data, keep=_keep(ctx))
            ctx.uow.commit()
            return queries.contact_out(contact)


def _keep(ctx: RequestContext) -> service.Keep:
    """The session or token of this request: a password change keeps it signed in."""
    return service.Keep(
        web_session_id=ctx.web_session.id if ctx.web_session else None, token_id=ctx.token_id
    )


def _reserve_password_check(
    request: Request[Any, Any, Any], kind: ActorKind, person_id: int
) -> None:
    """Count a check of one's own current password like a sign-in, committed before it."""
    with api_context(request, write=True) as ctx:
        if ctx.actor.kind is kind and ctx.actor.id == person_id:
            service.reserve_password_check(ctx.uow, ctx.actor)
            ctx.uow.commit()


class AgentController(Controller):
    """Support engineers."""

    path = "/api/v1/agents"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def list_agents(self, request: Request[Any, Any, Any]) -> list[AgentOut]:
        """All agents (agents only)."""
        with api_context(request) as ctx:
            return [queries.agent_out(a) for a in queries.agents(ctx.uow, ctx.actor)]

    @post("/", sync_to_thread=True)
    def create_agent(
        self, request: Request[Any, Any, Any], data: JSONBody[AgentCreate]
    ) -> AgentOut:
        """Add an agent (admins)."""
        with api_context(request, write=True) as ctx:
            agent = service.create_agent(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.agent_out(agent)

    @get("/{agent_id:int}", sync_to_thread=True)
    def get_agent(self, request: Request[Any, Any, Any], agent_id: FromPath[int]) -> AgentOut:
        """One agent."""
        with api_context(request) as ctx:
            return queries.agent_out(queries.agent(ctx.uow, ctx.actor, agent_id))

    @patch("/{agent_id:int}", sync_to_thread=True, opt={"errors": (429,)})
    def update_agent(
        self, request: Request[Any, Any, Any], agent_id: FromPath[int], data: JSONBody[AgentUpdate]
    ) -> AgentOut:
        """Change an agent (admins; agents their own name, languages, time zone, password).

        One's own password needs `current_password`; a new password ends every other session
        and revokes every other API token of the agent."""
        if data.password is not UNSET and data.current_password is not UNSET:
            _reserve_password_check(request, ActorKind.AGENT, agent_id)
        with api_context(request, write=True) as ctx:
            agent = service.update_agent(ctx.uow, ctx.actor, agent_id, data, keep=_keep(ctx))
            ctx.uow.commit()
            return queries.agent_out(agent)


class GroupController(Controller):
    """Teams of agents."""

    path = "/api/v1/groups"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def list_groups(self, request: Request[Any, Any, Any]) -> list[GroupOut]:
        """All groups (agents only)."""
        with api_context(request) as ctx:
            return [queries.group_out(g) for g in queries.groups(ctx.uow, ctx.actor)]

    @post("/", sync_to_thread=True)
    def create_group(
        self, request: Request[Any, Any, Any], data: JSONBody[GroupCreate]
    ) -> GroupOut:
        """Create a group (managers, admins)."""
        with api_context(request, write=True) as ctx:
            group = service.create_group(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.group_out(group)


class TokenController(Controller):
    """API tokens: agent-scoped or organization-scoped, revocable."""

    path = "/api/v1/tokens"
    tags = ("accounts",)

    @get("/", sync_to_thread=True)
    def list_tokens(self, request: Request[Any, Any, Any]) -> list[TokenOut]:
        """Tokens (managers and admins: all; agents: their own). Secrets are never shown."""
        with api_context(request) as ctx:
            return [queries.token_out(t) for t in queries.tokens(ctx.uow, ctx.actor)]

    @post("/", sync_to_thread=True)
    def create_token(
        self, request: Request[Any, Any, Any], data: JSONBody[TokenCreate]
    ) -> TokenOut:
        """Issue a token; the response holds the secret, shown this once."""
        with api_context(request, write=True) as ctx:
            token, secret = service.create_token(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.token_out(token, secret)

    @delete("/{token_id:int}", sync_to_thread=True, status_code=204)
    def revoke_token(self, request: Request[Any, Any, Any], token_id: FromPath[int]) -> None:
        """Revoke a token; it stops working at once."""
        with api_context(request, write=True) as ctx:
            service.revoke_token(ctx.uow, ctx.actor, token_id)
            ctx.uow.commit()


ROUTES = [
    MeController,
    OrganizationController,
    ContactController,
    AgentController,
    GroupController,
    TokenController,
]
