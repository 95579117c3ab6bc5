"""Console pages for on-call: schedules with who is on now, a schedule's calendar of the next
weeks, and the forms that edit layers and add or remove overrides."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts import queries as account_queries
from rtcdesk.accounts.access import MANAGERS
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import parse_id, utc_instant, validated
from rtcdesk.oncall import queries, service
from rtcdesk.oncall.calendar import calendar_weeks, day_bounds, week_start
from rtcdesk.oncall.rotation import Handover
from rtcdesk.oncall.schemas import (
    LayerCreate,
    LayerUpdate,
    OverrideCreate,
    RestrictionIn,
    ScheduleCreate,
    ScheduleUpdate,
)
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

CALENDAR_WEEKS = 4
MAX_CALENDAR_WEEKS = 12
MAX_ESCALATE_MINUTES = 120
PARTICIPANT_SLOTS = 3  # empty participant pickers offered below the current ones


@get("/console/oncall", include_in_schema=False)
async def schedule_list(request: Request[Any, Any, Any]) -> Response[Any]:
    """Every on-call schedule with who is on call now."""
    return await in_thread(_schedule_list, request)


def _schedule_list(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        now = ctx.uow.clock.now()
        rows = queries.schedules(ctx.uow, ctx.actor)
        return render_page(
            request,
            "console/oncall_list.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            answers=[queries.on_call(ctx.uow, ctx.actor, row, now) for row in rows],
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
            groups=account_queries.groups(ctx.uow, ctx.actor),
        )


def _calendar_start(request: Request[Any, Any, Any], today: date) -> date:
    raw = (request.query_params.get("from") or "").strip()
    if not raw:
        return week_start(today)
    try:
        return week_start(date.fromisoformat(raw))
    except ValueError:
        raise InvalidInput(
            "{value!r} is not a date; use YYYY-MM-DD", params={"value": raw}, field="from"
        ) from None


@get("/console/oncall/{schedule_id:int}", include_in_schema=False)
async def schedule_page(
    request: Request[Any, Any, Any], schedule_id: FromPath[int]
) -> Response[Any]:
    """One schedule: on call now, a calendar of the next weeks, layers and overrides."""
    return await in_thread(_schedule_page, request, schedule_id)


def _schedule_page(request: Request[Any, Any, Any], schedule_id: int) -> Response[str]:
    with page_context(request, "console") as ctx:
        row = queries.schedule(ctx.uow, ctx.actor, schedule_id)
        now = ctx.uow.clock.now()
        today = now.astimezone(ZoneInfo(row.timezone)).date()
        first = _calendar_start(request, today)
        start, _ = day_bounds(first, row.timezone)
        _, end = day_bounds(first + timedelta(days=7 * CALENDAR_WEEKS - 1), row.timezone)
        found, agents = queries.shift_list(ctx.uow, ctx.actor, row, start, end)
        upcoming = queries.overrides(ctx.uow, row.id, now, now + timedelta(days=400))
        people = queries.agents_by_id(
            ctx.uow,
            [o.agent_id for o in upcoming]
            + [o.created_by_agent_id for o in upcoming]
            + [p.agent_id for layer in row.layers for p in layer.participants]
            + [row.manager_agent_id],
        )
        return render_page(
            request,
            "console/oncall_schedule.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            schedule=row,
            now_answer=queries.on_call(ctx.uow, ctx.actor, row, now),
            weeks=calendar_weeks(
                found,
                [layer.id for layer in row.layers],
                row.timezone,
                first,
                CALENDAR_WEEKS,
                today,
            ),
            names={
                **{i: a.name for i, a in people.items()},
                **{i: a.name for i, a in agents.items()},
            },
            layer_numbers={layer.id: layer.position + 1 for layer in row.layers},
            previous_from=(first - timedelta(days=7 * CALENDAR_WEEKS)).isoformat(),
            next_from=(first + timedelta(days=7 * CALENDAR_WEEKS)).isoformat(),
            overrides=upcoming,
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
            groups=account_queries.groups(ctx.uow, ctx.actor),
            handovers=list(Handover),
            slots=PARTICIPANT_SLOTS,
            time_text=queries.time_text,
            is_admin=ctx.actor.role is not None and ctx.actor.role.value == "admin",
            is_manager=ctx.actor.role in MANAGERS,
            today=today,
            now=now,
        )


def _optional_id(form: FormData, name: str, what: str) -> int | None:
    raw = form.get(name)
    return parse_id(raw, what, field=name) if raw else None


def _minutes(form: FormData) -> int:
    raw = form.get("escalate_after_minutes").strip() or "5"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ESCALATE_MINUTES:
        raise InvalidInput("pages escalate after 1 to 120 minutes", field="escalate_after_minutes")
    return int(raw)


def _schedule_fields(form: FormData) -> dict[str, Any]:
    return {
        "name": form.get("name"),
        "timezone": form.get("timezone") or "UTC",
        "description": form.values.get("description", ""),
        "group_id": _optional_id(form, "group_id", "group"),
        "manager_agent_id": _optional_id(form, "manager_agent_id", "manager"),
        "escalate_after_minutes": _minutes(form),
        "is_default": bool(form.get("is_default")),
    }


@post("/console/oncall", include_in_schema=False)
async def schedule_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Create a schedule from the console (admins)."""

    def create(ctx: RequestContext, form: FormData) -> str:
        row = service.create_schedule(
            ctx.uow, ctx.actor, validated(ScheduleCreate(**_schedule_fields(form)))
        )
        return f"/console/oncall/{row.id}"

    return await form_action(request, "console", create, back="/console/oncall")


@post("/console/oncall/{schedule_id:int}", include_in_schema=False)
async def schedule_update(
    request: Request[Any, Any, Any], schedule_id: FromPath[int]
) -> Response[Any]:
    """Save a schedule's settings (admins)."""
    page = f"/console/oncall/{schedule_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        service.update_schedule(
            ctx.uow, ctx.actor, schedule_id, validated(ScheduleUpdate(**_schedule_fields(form)))
        )
        return with_flash(page, "saved")

    return await form_action(request, "console", save, back=page)


@post("/console/oncall/{schedule_id:int}/delete", include_in_schema=False)
async def schedule_delete(
    request: Request[Any, Any, Any], schedule_id: FromPath[int]
) -> Response[Any]:
    """Delete a schedule (admins)."""

    def remove(ctx: RequestContext, form: FormData) -> str:
        service.delete_schedule(ctx.uow, ctx.actor, schedule_id)
        return with_flash("/console/oncall", "saved")

    return await form_action(request, "console", remove, back=f"/console/oncall/{schedule_id}")


def _layer_fields(form: FormData) -> dict[str, Any]:
    """The fields the add and edit forms of a layer share."""
    try:
        handover = Handover(form.get("handover") or "weekly")
    except ValueError:
        raise InvalidInput("choose how often the layer hands over", field="handover") from None
    length = form.get("length_days") or "7"
    if not length.isdigit() or not 1 <= int(length) <= 365:
        raise InvalidInput("the shift length is 1 to 365 days", field="length_days")
    try:
        starts_on = date.fromisoformat(form.get("starts_on"))
    except ValueError:
        raise InvalidInput("give the date the rotation starts", field="starts_on") from None
    participants = [
        parse_id(raw, "participant", field="participant_ids")
        for raw in form.get_list("participant_ids")
    ]
    restriction = None
    weekdays = form.get_list("restrict_weekdays")
    if weekdays:
        restriction = RestrictionIn(
            weekdays=[int(w) for w in weekdays if w.isdigit()],
            start=form.get("restrict_start") or "00:00",
            end=form.get("restrict_end") or "00:00",
        )
    return {
        "name": form.get("name"),
        "handover": handover,
        "length_days": int(length),
        "handover_time": form.get("handover_time") or "09:00",
        "starts_on": starts_on,
        "participant_ids": participants,
        "restriction": restriction,
    }


@post("/console/oncall/{schedule_id:int}/layers", include_in_schema=False)
async def layer_add(request: Request[Any, Any, Any], schedule_id: FromPath[int]) -> Response[Any]:
    """Add a layer (admins)."""
    page = f"/console/oncall/{schedule_id}"

    def add(ctx: RequestContext, form: FormData) -> str:
        service.add_layer(ctx.uow, ctx.actor, schedule_id, LayerCreate(**_layer_fields(form)))
        return with_flash(page + "#layers", "saved")

    return await form_action(request, "console", add, back=page)


@post("/console/oncall/{schedule_id:int}/layers/{layer_id:int}", include_in_schema=False)
async def layer_update(
    request: Request[Any, Any, Any], schedule_id: FromPath[int], layer_id: FromPath[int]
) -> Response[Any]:
    """Save a layer's rotation, participants and restriction (admins)."""
    page = f"/console/oncall/{schedule_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        fields = _layer_fields(form)
        service.update_layer(ctx.uow, ctx.actor, schedule_id, layer_id, LayerUpdate(**fields))
        return with_flash(page + "#layers", "saved")

    return await form_action(request, "console", save, back=page)


@post("/console/oncall/{schedule_id:int}/layers/{layer_id:int}/delete", include_in_schema=False)
async def layer_remove(
    request: Request[Any, Any, Any], schedule_id: FromPath[int], layer_id: FromPath[int]
) -> Response[Any]:
    """Remove a layer (admins)."""
    page = f"/console/oncall/{schedule_id}"

    def remove(ctx: RequestContext, form: FormData) -> str:
        service.remove_layer(ctx.uow, ctx.actor, schedule_id, layer_id)
        return with_flash(page + "#layers", "saved")

    return await form_action(request, "console", remove, back=page)


def _local_instant(raw: str, timezone: str, field: str) -> datetime:
    """A ``datetime-local`` field's value read in the schedule's zone."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput("give a date and time", field=field) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return utc_instant(value, field)


@post("/console/oncall/{schedule_id:int}/overrides", include_in_schema=False)
async def override_add(
    request: Request[Any, Any, Any], schedule_id: FromPath[int]
) -> Response[Any]:
    """Add an override: someone covers whoever is on call for a span."""
    page = f"/console/oncall/{schedule_id}"

    def add(ctx: RequestContext, form: FormData) -> str:
        row = queries.schedule(ctx.uow, ctx.actor, schedule_id)
        agent_id = _optional_id(form, "agent_id", "agent")
        if agent_id is None:
            raise InvalidInput("choose who covers the shift", field="agent_id")
        data = OverrideCreate(
            agent_id=agent_id,
            starts_at=_local_instant(form.get("starts_at"), row.timezone, "starts_at"),
            ends_at=_local_instant(form.get("ends_at"), row.timezone, "ends_at"),
            layer_id=_optional_id(form, "layer_id", "layer"),
            reason=form.get("reason")[:500],
        )
        service.add_override(ctx.uow, ctx.actor, schedule_id, data)
        return with_flash(page + "#overrides", "saved")

    return await form_action(request, "console", add, back=page)


@post(
    "/console/oncall/{schedule_id:int}/overrides/{override_id:int}/delete",
    include_in_schema=False,
)
async def override_remove(
    request: Request[Any, Any, Any], schedule_id: FromPath[int], override_id: FromPath[int]
) -> Response[Any]:
    """Remove an override."""
    page = f"/console/oncall/{schedule_id}"

    def remove(ctx: RequestContext, form: FormData) -> str:
        service.remove_override(ctx.uow, ctx.actor, schedule_id, override_id)
        return with_flash(page + "#overrides", "saved")

    return await form_action(request, "console", remove, back=page)


ROUTES = [
    schedule_list,
    schedule_page,
    schedule_create,
    schedule_update,
    schedule_delete,
    layer_add,
    layer_update,
    layer_remove,
    override_add,
    override_remove,
]
