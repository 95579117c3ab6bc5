"""JSON API for routing: rules (admins), agents' loads, availability, decisions, re-route."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, JSONBody

from rtcdesk.accounts import service as accounts_service
from rtcdesk.accounts.schemas import AvailabilityIn
from rtcdesk.routing import queries, service
from rtcdesk.routing.schemas import (
    AgentLoadOut,
    AvailabilityOut,
    DecisionOut,
    RerouteOut,
    RuleCreate,
    RuleOut,
    RuleUpdate,
)
from rtcdesk.tickets.output import ticket_out
from rtcdesk.web.context import api_context


class AvailabilityController(Controller):
    """Whether the calling agent takes new tickets now."""

    path = "/api/v1/me/availability"
    tags = ("routing",)

    @get("/", sync_to_thread=True)
    def get_availability(self, request: Request[Any, Any, Any]) -> AvailabilityOut:
        """Your availability, open load and capacity (agents)."""
        with api_context(request) as ctx:
            return queries.availability(ctx.uow, ctx.actor)

    @put("/", sync_to_thread=True)
    def set_availability(
        self, request: Request[Any, Any, Any], data: JSONBody[AvailabilityIn]
    ) -> AvailabilityOut:
        """Mark yourself "available" or "away"; routing gives no new tickets to agents away."""
        with api_context(request, write=True) as ctx:
            accounts_service.set_availability(ctx.uow, ctx.actor, data.availability)
            ctx.uow.commit()
            return queries.availability(ctx.uow, ctx.actor)


class RuleController(Controller):
    """Routing rules, tried in order; the first that matches decides."""

    path = "/api/v1/routing/rules"
    tags = ("routing",)

    @get("/", sync_to_thread=True)
    def list_rules(self, request: Request[Any, Any, Any]) -> list[RuleOut]:
        """Every rule, first tried first (staff)."""
        with api_context(request) as ctx:
            return [queries.rule_out(r) for r in queries.rules(ctx.uow, ctx.actor)]

    @post("/", sync_to_thread=True)
    def create_rule(self, request: Request[Any, Any, Any], data: JSONBody[RuleCreate]) -> RuleOut:
        """Add a rule (admins); without `position` it is tried last."""
        with api_context(request, write=True) as ctx:
            rule = service.create_rule(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.rule_out(rule)

    @get("/{rule_id:int}", sync_to_thread=True)
    def get_rule(self, request: Request[Any, Any, Any], rule_id: FromPath[int]) -> RuleOut:
        """One rule (staff)."""
        with api_context(request) as ctx:
            return queries.rule_out(queries.get_rule(ctx.uow, ctx.actor, rule_id))

    @patch("/{rule_id:int}", sync_to_thread=True)
    def update_rule(
        self, request: Request[Any, Any, Any], rule_id: FromPath[int], data: JSONBody[RuleUpdate]
    ) -> RuleOut:
        """Change a rule (admins); `position` moves it."""
        with api_context(request, write=True) as ctx:
            rule = service.update_rule(ctx.uow, ctx.actor, rule_id, data)
            ctx.uow.commit()
            return queries.rule_out(rule)

    @delete("/{rule_id:int}", sync_to_thread=True, status_code=204)
    def delete_rule(self, request: Request[Any, Any, Any], rule_id: FromPath[int]) -> None:
        """Remove a rule (admins)."""
        with api_context(request, write=True) as ctx:
            service.delete_rule(ctx.uow, ctx.actor, rule_id)
            ctx.uow.commit()


@get("/api/v1/routing/agents", sync_to_thread=True, tags=["routing"])
def agent_loads(request: Request[Any, Any, Any]) -> list[AgentLoadOut]:
    """Active agents with availability, open load and capacity (staff)."""
    with api_context(request) as ctx:
        return queries.agent_loads(ctx.uow, ctx.actor)


@get("/api/v1/tickets/{ticket_id:int}/routing", sync_to_thread=True, tags=["routing"])
def ticket_decisions(
    request: Request[Any, Any, Any], ticket_id: FromPath[int]
) -> list[DecisionOut]:
    """The routing decisions recorded on a ticket, with their reasons (staff)."""
    with api_context(request) as ctx:
        return queries.decisions(ctx.uow, ctx.actor, ticket_id)


@post("/api/v1/tickets/{ticket_id:int}/reroute", sync_to_thread=True, tags=["routing"])
def reroute(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> RerouteOut:
    """Route a ticket again by the current rules, loads and availability (agents)."""
    with api_context(request, write=True) as ctx:
        ticket, _decision = service.reroute(ctx.uow, ctx.actor, ticket_id)
        ctx.uow.commit()
        latest = queries.decisions(ctx.uow, ctx.actor, ticket.id)[-1]
        return RerouteOut(ticket=ticket_out(ticket), decision=latest)


ROUTES: list[type[Controller] | HTTPRouteHandler] = [
    AvailabilityController,
    RuleController,
    agent_loads,
    ticket_decisions,
    reroute,
]
