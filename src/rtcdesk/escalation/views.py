"""Console pages for escalation: the policies (admins edit) and the teams' leads."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts import queries as account_queries
from rtcdesk.accounts.models import PlanTier
from rtcdesk.core.errors import InvalidInput
from rtcdesk.escalation import queries, service, texts
from rtcdesk.escalation.schemas import PolicyCreate, PolicyUpdate, StepIn
from rtcdesk.escalation.steps import ACTIONS, AUDIENCES, MAX_STEPS, TARGETS
from rtcdesk.tickets.forms import optional_int
from rtcdesk.tickets.models import Priority
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

PAGE = "/console/escalation"
# Step rows the form shows (an empty "at" leaves a row out).
FORM_STEPS = 5
TIER_VALUES = frozenset(t.value for t in PlanTier)
PRIORITY_VALUES = frozenset(p.value for p in Priority)


@get(PAGE, include_in_schema=False)
async def escalation_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Every policy with its steps, the form to add or change one, and the teams' leads."""
    return await in_thread(_escalation_page, request)


def _escalation_page(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        policies = queries.policies(ctx.uow, ctx.actor)
        points = queries.sla_points(ctx.uow)
        raw_edit = request.query_params.get("edit", "")
        editing = next((p for p in policies if str(p.id) == raw_edit), None)
        return render_page(
            request,
            "console/escalation.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            policies=[(p, queries.unmatched(p, points)) for p in policies],
            editing=editing,
            steps=(editing.steps if editing else [])
            + [{} for _ in range(FORM_STEPS - len(editing.steps if editing else []))],
            known_points=sorted({p for fired in points.values() for p in fired}, key=float),
            tiers=list(PlanTier),
            priorities=list(Priority),
            targets=TARGETS,
            actions=ACTIONS,
            audiences=AUDIENCES,
            target_text=texts.target_text,
            action_label=texts.action_label,
            audience_label=texts.audience_label,
            groups=account_queries.groups(ctx.uow, ctx.actor),
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
        )


def _form_steps(form: FormData) -> list[StepIn]:
    steps = []
    for i in range(max(FORM_STEPS, MAX_STEPS)):
        at = form.get(f"step{i}_at")
        if not at:
            continue
        action = form.get(f"step{i}_action") or "warn"
        if action not in ACTIONS:
            raise InvalidInput("unknown action {action}", params={"action": action}, field="steps")
        notify = [n for n in form.get_list(f"step{i}_notify") if n in AUDIENCES]
        steps.append(StepIn(at=at[:16], action=action, notify=notify))  # type: ignore[arg-type]
    return steps


@post(PAGE, include_in_schema=False)
async def policy_save(request: Request[Any, Any, Any]) -> Response[Any]:
    """Add a policy, or change the one named by ``policy_id``."""

    def save(ctx: RequestContext, form: FormData) -> str:
        scope: dict[str, Any] = {
            "plan_tiers": [PlanTier(t) for t in form.get_list("plan_tiers") if t in TIER_VALUES],
            "priorities": [
                Priority(p) for p in form.get_list("priorities") if p in PRIORITY_VALUES
            ],
            "targets": [t for t in form.get_list("targets") if t in TARGETS],
            "is_default": bool(form.get("is_default")),
            "enabled": bool(form.get("enabled")),
        }
        name = form.get("name")
        steps = _form_steps(form)
        policy_id = optional_int(form.get("policy_id"), "policy", field="policy_id")
        if policy_id is None:
            service.create_policy(ctx.uow, ctx.actor, PolicyCreate(name=name, steps=steps, **scope))
        else:
            service.update_policy(
                ctx.uow, ctx.actor, policy_id, PolicyUpdate(name=name, steps=steps, **scope)
            )
        return with_flash(PAGE, "saved")

    def back(form: FormData) -> str:
        policy_id = form.get("policy_id")
        return f"{PAGE}?edit={policy_id}" if policy_id.isdigit() else PAGE

    return await form_action(request, "console", save, back=back)


@post(PAGE + "/{policy_id:int}/delete", include_in_schema=False)
async def policy_delete(request: Request[Any, Any, Any], policy_id: FromPath[int]) -> Response[Any]:
    """Remove a policy."""

    def drop(ctx: RequestContext, form: FormData) -> str:
        service.delete_policy(ctx.uow, ctx.actor, policy_id)
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", drop, back=PAGE)


@post(PAGE + "/leads", include_in_schema=False)
async def lead_save(request: Request[Any, Any, Any]) -> Response[Any]:
    """Name a team's lead (empty: the managers are notified instead)."""

    def save(ctx: RequestContext, form: FormData) -> str:
        group_id = optional_int(form.get("group_id"), "group", field="group_id")
        if group_id is None:
            raise InvalidInput("choose a team", field="group_id")
        agent_id = optional_int(form.get("lead_agent_id"), "agent", field="lead_agent_id")
        service.set_group_lead(ctx.uow, ctx.actor, group_id, agent_id)
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", save, back=PAGE)


ROUTES = [escalation_page, policy_save, policy_delete, lead_save]
