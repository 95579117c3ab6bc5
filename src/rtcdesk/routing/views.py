"""Console pages for routing: the rules page (admins edit), availability, re-route."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts import queries as account_queries
from rtcdesk.accounts import service as accounts_service
from rtcdesk.accounts.models import SKILLS, AgentLevel, Availability, PlanTier
from rtcdesk.accounts.schemas import AgentUpdate
from rtcdesk.accounts.service import LANGUAGE_CODES
from rtcdesk.core.errors import InvalidInput
from rtcdesk.routing import queries, service
from rtcdesk.routing.decide import TIER_FLOORS
from rtcdesk.routing.schemas import RuleCreate, RuleUpdate
from rtcdesk.tickets.forms import enum_value, optional_int
from rtcdesk.tickets.models import Category
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, with_flash
from rtcdesk.web.templating import render_page

PAGE = "/console/routing"


@get(PAGE, sync_to_thread=True, include_in_schema=False)
def routing_page(request: Request[Any, Any, Any]) -> Response[str]:
    """Rules in the order they are tried, the built-ins, and every agent's load."""
    with page_context(request, "console") as ctx:
        groups = account_queries.groups(ctx.uow, ctx.actor)
        return render_page(
            request,
            "console/routing.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            rules=queries.rules(ctx.uow, ctx.actor),
            agents=queries.agent_loads(ctx.uow, ctx.actor),
            groups={g.id: g for g in groups},
            organizations={o.id: o for o in account_queries.organizations(ctx.uow, ctx.actor)},
            categories=list(Category),
            skills=SKILLS,
            language_codes=LANGUAGE_CODES,
            plan_tiers=list(PlanTier),
            levels=list(AgentLevel),
            tier_floors=TIER_FLOORS,
        )


def _ids(form: FormData, key: str, what: str) -> list[int]:
    found = []
    for raw in form.get_list(key):
        value = optional_int(raw, what, field=key)
        if value is not None:
            found.append(value)
    return found


def _rule_from_form(form: FormData) -> RuleCreate:
    categories = [enum_value(Category, c, "categories") for c in form.get_list("categories")]
    tiers = [enum_value(PlanTier, t, "plan_tiers") for t in form.get_list("plan_tiers")]
    level = enum_value(AgentLevel, form.get("min_level") or "L1", "min_level")
    return RuleCreate(
        name=form.get("name"),
        categories=[c for c in categories if c is not None],
        skills=form.get_list("skills"),
        languages=form.get_list("languages"),
        plan_tiers=[t for t in tiers if t is not None],
        organization_ids=_ids(form, "organization_ids", "organization"),
        group_id=optional_int(form.get("group_id"), "group", field="group_id"),
        min_level=level or AgentLevel.L1,
        assign=form.get("action") != "queue",
        position=optional_int(form.get("position"), "position", field="position"),
    )


@post(PAGE + "/rules", include_in_schema=False)
async def rule_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Add a rule from the form on the routing page (admins)."""

    def create(ctx: RequestContext, form: FormData) -> str:
        service.create_rule(ctx.uow, ctx.actor, _rule_from_form(form))
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", create, back=PAGE)


@post(PAGE + "/rules/{rule_id:int}", include_in_schema=False)
async def rule_change(request: Request[Any, Any, Any], rule_id: FromPath[int]) -> Response[Any]:
    """Move a rule up or down, switch it on or off, or delete it (admins)."""

    def change(ctx: RequestContext, form: FormData) -> str:
        action = form.get("do")
        rule = queries.get_rule(ctx.uow, ctx.actor, rule_id)
        if action == "delete":
            service.delete_rule(ctx.uow, ctx.actor, rule_id)
        elif action in ("up", "down"):
            step = -1 if action == "up" else 1
            position = max(rule.position + step, 1)
            service.update_rule(ctx.uow, ctx.actor, rule_id, RuleUpdate(position=position))
        elif action == "toggle":
            service.update_rule(ctx.uow, ctx.actor, rule_id, RuleUpdate(enabled=not rule.enabled))
        else:
            raise InvalidInput("unknown action {action!r}", params={"action": action})
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", change, back=PAGE)


@post(PAGE + "/agents/{agent_id:int}", include_in_schema=False)
async def agent_capacity(request: Request[Any, Any, Any], agent_id: FromPath[int]) -> Response[Any]:
    """Set how many open tickets routing may give an agent (admins)."""

    def save(ctx: RequestContext, form: FormData) -> str:
        raw = form.get("max_load").strip()
        if not raw.isdigit() or int(raw) > 200:
            raise InvalidInput("capacity must be a whole number from 0 to 200", field="max_load")
        accounts_service.update_agent(ctx.uow, ctx.actor, agent_id, AgentUpdate(max_load=int(raw)))
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", save, back=PAGE)


def _back_to(form: FormData) -> str:
    """The console page a header form was sent from (never an address elsewhere)."""
    target = form.get("next")
    if target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/tickets"


@post("/console/availability", include_in_schema=False)
async def availability(request: Request[Any, Any, Any]) -> Response[Any]:
    """The header switch: available for new tickets, or away."""

    def switch(ctx: RequestContext, form: FormData) -> str:
        state = enum_value(Availability, form.get("availability"), "availability")
        if state is None:
            raise InvalidInput("choose available or away", field="availability")
        accounts_service.set_availability(ctx.uow, ctx.actor, state)
        return _back_to(form)

    return await form_action(request, "console", switch, back=_back_to)


@post("/console/tickets/{ticket_id:int}/reroute", include_in_schema=False)
async def ticket_reroute(
    request: Request[Any, Any, Any], ticket_id: FromPath[int]
) -> Response[Any]:
    """Route the ticket again by today's rules, loads and availability."""
    path = f"/console/tickets/{ticket_id}"

    def run(ctx: RequestContext, form: FormData) -> str:
        service.reroute(ctx.uow, ctx.actor, ticket_id)
        return with_flash(path, "saved") + "#routing"

    return await form_action(request, "console", run, back=path)


ROUTES = [routing_page, rule_create, rule_change, agent_capacity, availability, ticket_reroute]
