"""JSON API for on-call: schedules, layers, overrides, who is on call at T, shifts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from rtcdesk.core.errors import InvalidInput
from rtcdesk.oncall import output, queries, service
from rtcdesk.oncall.rotation import MAX_WINDOW
from rtcdesk.oncall.schemas import (
    LayerCreate,
    LayerOut,
    LayerUpdate,
    OnCallOut,
    OverrideCreate,
    OverrideOut,
    ScheduleCreate,
    ScheduleOut,
    ScheduleSummaryOut,
    ScheduleUpdate,
    ShiftOut,
)
from rtcdesk.web.context import RequestContext, api_context

Days = Annotated[int | None, QueryParameter(ge=1, le=MAX_WINDOW.days)]


def _at(ctx: RequestContext, text: str | None) -> datetime:
    return service.parse_instant(text, "at") if text else ctx.uow.clock.now()


class ScheduleController(Controller):
    """On-call schedules (support staff read; admins edit)."""

    path = "/api/v1/oncall/schedules"
    tags = ("oncall",)

    @get("/", sync_to_thread=True)
    def list_schedules(self, request: Request[Any, Any, Any]) -> list[ScheduleSummaryOut]:
        """Every schedule with who is on call now."""
        with api_context(request) as ctx:
            now = ctx.uow.clock.now()
            return [
                ScheduleSummaryOut(
                    id=row.id,
                    name=row.name,
                    timezone=row.timezone,
                    group_id=row.group_id,
                    on_call=output.on_call_out(queries.on_call(ctx.uow, ctx.actor, row, now)),
                )
                for row in queries.schedules(ctx.uow, ctx.actor)
            ]

    @post("/", sync_to_thread=True)
    def create_schedule(
        self, request: Request[Any, Any, Any], data: JSONBody[ScheduleCreate]
    ) -> ScheduleOut:
        """Create a schedule (admins); add layers next."""
        with api_context(request, write=True) as ctx:
            row = service.create_schedule(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return output.schedule_out(ctx.uow, row)

    @get("/{schedule_id:int}", sync_to_thread=True)
    def get_schedule(
        self, request: Request[Any, Any, Any], schedule_id: FromPath[int]
    ) -> ScheduleOut:
        """One schedule with its layers."""
        with api_context(request) as ctx:
            return output.schedule_out(ctx.uow, queries.schedule(ctx.uow, ctx.actor, schedule_id))

    @patch("/{schedule_id:int}", sync_to_thread=True)
    def update_schedule(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        data: JSONBody[ScheduleUpdate],
    ) -> ScheduleOut:
        """Change a schedule (admins)."""
        with api_context(request, write=True) as ctx:
            row = service.update_schedule(ctx.uow, ctx.actor, schedule_id, data)
            ctx.uow.commit()
            return output.schedule_out(ctx.uow, row)

    @delete("/{schedule_id:int}", sync_to_thread=True, status_code=204)
    def delete_schedule(self, request: Request[Any, Any, Any], schedule_id: FromPath[int]) -> None:
        """Delete a schedule with its layers and overrides (admins)."""
        with api_context(request, write=True) as ctx:
            service.delete_schedule(ctx.uow, ctx.actor, schedule_id)
            ctx.uow.commit()

    @get("/{schedule_id:int}/on-call", sync_to_thread=True)
    def on_call(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        at: FromQuery[str | None] = None,
    ) -> OnCallOut:
        """Who is on call at ``at`` (ISO 8601 with a zone; default now), per layer and in
        escalation order (layers, then the manager)."""
        with api_context(request) as ctx:
            row = queries.schedule(ctx.uow, ctx.actor, schedule_id)
            return output.on_call_out(queries.on_call(ctx.uow, ctx.actor, row, _at(ctx, at)))

    @get("/{schedule_id:int}/shifts", sync_to_thread=True)
    def shifts(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        start: FromQuery[str | None] = None,
        end: FromQuery[str | None] = None,
        days: Days = None,
    ) -> list[ShiftOut]:
        """The final shifts (overrides applied) from ``start`` (default now) until ``end``
        or for ``days`` days (default 14), by layer then time."""
        with api_context(request) as ctx:
            row = queries.schedule(ctx.uow, ctx.actor, schedule_id)
            begin = service.parse_instant(start, "start") if start else ctx.uow.clock.now()
            if end and days:
                raise InvalidInput("give either end or days, not both", field="days")
            finish = (
                service.parse_instant(end, "end") if end else begin + timedelta(days=days or 14)
            )
            if finish <= begin:
                raise InvalidInput("end must be after start", field="end")
            if finish - begin > MAX_WINDOW:
                raise InvalidInput(
                    "a shift window is at most {days} days",
                    params={"days": MAX_WINDOW.days},
                    field="end",
                )
            found, agents = queries.shift_list(ctx.uow, ctx.actor, row, begin, finish)
            return [output.shift_out(s, agents) for s in found]

    @post("/{schedule_id:int}/layers", sync_to_thread=True)
    def add_layer(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        data: JSONBody[LayerCreate],
    ) -> LayerOut:
        """Add a layer at the end of the escalation order (admins)."""
        with api_context(request, write=True) as ctx:
            layer = service.add_layer(ctx.uow, ctx.actor, schedule_id, data)
            ctx.uow.commit()
            agents = queries.agents_by_id(ctx.uow, (p.agent_id for p in layer.participants))
            return output.layer_out(layer, agents)

    @patch("/{schedule_id:int}/layers/{layer_id:int}", sync_to_thread=True)
    def update_layer(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        layer_id: FromPath[int],
        data: JSONBody[LayerUpdate],
    ) -> LayerOut:
        """Change a layer (admins)."""
        with api_context(request, write=True) as ctx:
            layer = service.update_layer(ctx.uow, ctx.actor, schedule_id, layer_id, data)
            ctx.uow.commit()
            agents = queries.agents_by_id(ctx.uow, (p.agent_id for p in layer.participants))
            return output.layer_out(layer, agents)

    @delete("/{schedule_id:int}/layers/{layer_id:int}", sync_to_thread=True, status_code=204)
    def remove_layer(
        self, request: Request[Any, Any, Any], schedule_id: FromPath[int], layer_id: FromPath[int]
    ) -> None:
        """Remove a layer (admins)."""
        with api_context(request, write=True) as ctx:
            service.remove_layer(ctx.uow, ctx.actor, schedule_id, layer_id)
            ctx.uow.commit()

    @get("/{schedule_id:int}/overrides", sync_to_thread=True)
    def list_overrides(
        self, request: Request[Any, Any, Any], schedule_id: FromPath[int]
    ) -> list[OverrideOut]:
        """Overrides that have not ended yet, oldest first."""
        with api_context(request) as ctx:
            row = queries.schedule(ctx.uow, ctx.actor, schedule_id)
            now = ctx.uow.clock.now()
            found = queries.overrides(ctx.uow, row.id, now, now + MAX_WINDOW)
            ids = [o.agent_id for o in found] + [o.created_by_agent_id for o in found]
            agents = queries.agents_by_id(ctx.uow, ids)
            return [output.override_out(o, agents) for o in found]

    @post("/{schedule_id:int}/overrides", sync_to_thread=True)
    def add_override(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        data: JSONBody[OverrideCreate],
    ) -> OverrideOut:
        """Cover whoever is on call for a span (managers: anyone; agents: themselves)."""
        with api_context(request, write=True) as ctx:
            row = service.add_override(ctx.uow, ctx.actor, schedule_id, data)
            ctx.uow.commit()
            agents = queries.agents_by_id(ctx.uow, (row.agent_id, row.created_by_agent_id))
            return output.override_out(row, agents)

    @delete("/{schedule_id:int}/overrides/{override_id:int}", sync_to_thread=True, status_code=204)
    def remove_override(
        self,
        request: Request[Any, Any, Any],
        schedule_id: FromPath[int],
        override_id: FromPath[int],
    ) -> None:
        """Remove an override (managers: any; agents: their own cover until it ends)."""
        with api_context(request, write=True) as ctx:
            service.remove_override(ctx.uow, ctx.actor, schedule_id, override_id)
            ctx.uow.commit()


ROUTES = [ScheduleController]
