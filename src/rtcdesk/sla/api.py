"""JSON API for SLA settings under /api/v1/sla: calendars and policy versions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody

from rtcdesk.sla import queries, service
from rtcdesk.sla.schemas import CalendarIn, CalendarOut, PolicyIn, PolicyVersionOut
from rtcdesk.web.context import api_context


class SlaController(Controller):
    """Business calendars and versioned SLA policies (read: staff; write: admins)."""

    path = "/api/v1/sla"
    tags = ("sla",)

    @get("/calendars", sync_to_thread=True)
    def list_calendars(self, request: Request[Any, Any, Any]) -> list[CalendarOut]:
        """Every business calendar, with the official years it knows (null: needs none)."""
        with api_context(request) as ctx:
            return [queries.calendar_out(r) for r in queries.calendars(ctx.uow, ctx.actor)]

    @post("/calendars", sync_to_thread=True)
    def create_calendar(
        self, request: Request[Any, Any, Any], data: JSONBody[CalendarIn]
    ) -> CalendarOut:
        """Add a calendar: weekly hours in a zone, holidays, make-up days, closures."""
        with api_context(request, write=True) as ctx:
            row = service.create_calendar(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.calendar_out(row)

    @put("/calendars/{calendar_id:int}", sync_to_thread=True)
    def update_calendar(
        self,
        request: Request[Any, Any, Any],
        calendar_id: FromPath[int],
        data: JSONBody[CalendarIn],
    ) -> CalendarOut:
        """Replace a calendar; the open tickets measured on it are recomputed by a job."""
        with api_context(request, write=True) as ctx:
            row = service.update_calendar(ctx.uow, ctx.actor, calendar_id, data)
            ctx.uow.commit()
            return queries.calendar_out(row)

    @get("/policies", sync_to_thread=True)
    def list_policies(self, request: Request[Any, Any, Any]) -> list[PolicyVersionOut]:
        """Every version of every plan tier x priority policy, newest first."""
        with api_context(request) as ctx:
            return queries.policy_versions(ctx.uow, ctx.actor)

    @post("/policies", sync_to_thread=True)
    def save_policy(
        self, request: Request[Any, Any, Any], data: JSONBody[PolicyIn]
    ) -> PolicyVersionOut:
        """Save targets for a plan tier x priority as that policy's next version."""
        with api_context(request, write=True) as ctx:
            version = service.save_policy(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            found = queries.versions_by_id(ctx.uow, [version.id])
            return found[version.id]


ROUTES = [SlaController]
