"""JSON API for escalation: policies (read: staff; write: admins) and a ticket's escalations."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, JSONBody

from rtcdesk.escalation import queries, service
from rtcdesk.escalation.schemas import EscalationOut, PolicyCreate, PolicyOut, PolicyUpdate
from rtcdesk.web.context import api_context


class PolicyController(Controller):
    """Escalation policies: what happens at a ticket's SLA warning points and breach."""

    path = "/api/v1/escalation/policies"
    tags = ("escalation",)

    @get("/", sync_to_thread=True)
    def list_policies(self, request: Request[Any, Any, Any]) -> list[PolicyOut]:
        """Every policy, the default first (staff)."""
        with api_context(request) as ctx:
            points = queries.sla_points(ctx.uow)
            return [queries.policy_out(p, points) for p in queries.policies(ctx.uow, ctx.actor)]

    @post("/", sync_to_thread=True)
    def create_policy(
        self, request: Request[Any, Any, Any], data: JSONBody[PolicyCreate]
    ) -> PolicyOut:
        """Add a policy (admins)."""
        with api_context(request, write=True) as ctx:
            policy = service.create_policy(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.policy_out(policy, queries.sla_points(ctx.uow))

    @get("/{policy_id:int}", sync_to_thread=True)
    def get_policy(self, request: Request[Any, Any, Any], policy_id: FromPath[int]) -> PolicyOut:
        """One policy (staff)."""
        with api_context(request) as ctx:
            policy = queries.get_policy(ctx.uow, ctx.actor, policy_id)
            return queries.policy_out(policy, queries.sla_points(ctx.uow))

    @patch("/{policy_id:int}", sync_to_thread=True)
    def update_policy(
        self,
        request: Request[Any, Any, Any],
        policy_id: FromPath[int],
        data: JSONBody[PolicyUpdate],
    ) -> PolicyOut:
        """Change a policy (admins); escalations already carried out stay as they were."""
        with api_context(request, write=True) as ctx:
            policy = service.update_policy(ctx.uow, ctx.actor, policy_id, data)
            ctx.uow.commit()
            return queries.policy_out(policy, queries.sla_points(ctx.uow))

    @delete("/{policy_id:int}", sync_to_thread=True, status_code=204)
    def delete_policy(self, request: Request[Any, Any, Any], policy_id: FromPath[int]) -> None:
        """Remove a policy (admins)."""
        with api_context(request, write=True) as ctx:
            service.delete_policy(ctx.uow, ctx.actor, policy_id)
            ctx.uow.commit()


@get("/api/v1/tickets/{ticket_id:int}/escalations", sync_to_thread=True, tags=["escalation"])
def ticket_escalations(
    request: Request[Any, Any, Any], ticket_id: FromPath[int]
) -> list[EscalationOut]:
    """The escalations carried out on a ticket, oldest first (staff)."""
    with api_context(request) as ctx:
        return queries.for_ticket(ctx.uow, ctx.actor, ticket_id)


ROUTES: list[type[Controller] | HTTPRouteHandler] = [PolicyController, ticket_escalations]
