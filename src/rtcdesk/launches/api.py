"""JSON API for launch windows, their checklists and settings; customers read their banner."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, JSONBody

from rtcdesk.accounts.access import check_organization_visible, require_agent
from rtcdesk.core.errors import PermissionDenied
from rtcdesk.launches import queries, service
from rtcdesk.launches.schemas import (
    BannerOut,
    ItemCreate,
    ItemOut,
    ItemUpdate,
    LaunchCreate,
    LaunchOut,
    LaunchUpdate,
    SettingsIn,
    SettingsOut,
)
from rtcdesk.web.context import api_context


def _item_out(out: LaunchOut, item_id: int) -> ItemOut:
    return next(i for i in out.items if i.id == item_id)


class LaunchController(Controller):
    """Launch windows (support staff)."""

    path = "/api/v1/launches"
    tags = ("launches",)

    @get("/", sync_to_thread=True)
    def list_launches(self, request: Request[Any, Any, Any]) -> list[LaunchOut]:
        """Every launch, newest first."""
        with api_context(request) as ctx:
            return [
                queries.launch_out(ctx.uow, row) for row in queries.launches(ctx.uow, ctx.actor)
            ]

    @post("/", sync_to_thread=True)
    def create_launch(
        self, request: Request[Any, Any, Any], data: JSONBody[LaunchCreate]
    ) -> LaunchOut:
        """Register a launch window (its checklist starts from the template)."""
        with api_context(request, write=True) as ctx:
            row = service.create_launch(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.launch_out(ctx.uow, row)

    @get("/settings", sync_to_thread=True)
    def get_settings(self, request: Request[Any, Any, Any]) -> SettingsOut:
        """The launch policies per priority, P1 categories and checklist template."""
        with api_context(request) as ctx:
            return queries.settings_out(ctx.uow, ctx.actor)

    @put("/settings", sync_to_thread=True)
    def put_settings(
        self, request: Request[Any, Any, Any], data: JSONBody[SettingsIn]
    ) -> SettingsOut:
        """Replace the launch-guard settings (admins)."""
        with api_context(request, write=True) as ctx:
            service.configure(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return queries.settings_out(ctx.uow, ctx.actor)

    @get("/banner", sync_to_thread=True)
    def banner(self, request: Request[Any, Any, Any]) -> BannerOut:
        """A customer's own organization's launch support right now."""
        with api_context(request) as ctx:
            org_id = ctx.actor.organization_id
            if not ctx.actor.is_customer or org_id is None:
                raise PermissionDenied("the banner is for customers; agents list /launches")
            check_organization_visible(ctx.actor, org_id)
            found = queries.banner_for(ctx.uow, org_id)
            if found is None:
                return BannerOut(active=False)
            launch, engineer, _ = found
            return BannerOut(
                active=True, title=launch.title, ends_at=launch.ends_at, engineer_name=engineer
            )

    @get("/{launch_id:int}", sync_to_thread=True)
    def get_launch(self, request: Request[Any, Any, Any], launch_id: FromPath[int]) -> LaunchOut:
        """One launch with its checklist and, once ended, its report."""
        with api_context(request) as ctx:
            return queries.launch_out(ctx.uow, queries.launch(ctx.uow, ctx.actor, launch_id))

    @patch("/{launch_id:int}", sync_to_thread=True)
    def update_launch(
        self,
        request: Request[Any, Any, Any],
        launch_id: FromPath[int],
        data: JSONBody[LaunchUpdate],
    ) -> LaunchOut:
        """Change a launch that has not ended."""
        with api_context(request, write=True) as ctx:
            row = service.update_launch(ctx.uow, ctx.actor, launch_id, data)
            ctx.uow.commit()
            return queries.launch_out(ctx.uow, row)

    @post("/{launch_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel_launch(self, request: Request[Any, Any, Any], launch_id: FromPath[int]) -> LaunchOut:
        """Cancel a launch that has not ended (an active guard is lifted)."""
        with api_context(request, write=True) as ctx:
            row = service.cancel_launch(ctx.uow, ctx.actor, launch_id)
            ctx.uow.commit()
            return queries.launch_out(ctx.uow, row)

    @post("/{launch_id:int}/items", sync_to_thread=True)
    def add_item(
        self, request: Request[Any, Any, Any], launch_id: FromPath[int], data: JSONBody[ItemCreate]
    ) -> ItemOut:
        """Add a readiness item."""
        with api_context(request, write=True) as ctx:
            require_agent(ctx.actor)
            item = service.add_item(ctx.uow, ctx.actor, launch_id, data)
            ctx.uow.commit()
            out = queries.launch_out(ctx.uow, queries.launch(ctx.uow, ctx.actor, launch_id))
            return _item_out(out, item.id)

    @patch("/{launch_id:int}/items/{item_id:int}", sync_to_thread=True)
    def update_item(
        self,
        request: Request[Any, Any, Any],
        launch_id: FromPath[int],
        item_id: FromPath[int],
        data: JSONBody[ItemUpdate],
    ) -> ItemOut:
        """Tick, assign, re-date or annotate a readiness item."""
        with api_context(request, write=True) as ctx:
            service.update_item(ctx.uow, ctx.actor, launch_id, item_id, data)
            ctx.uow.commit()
            out = queries.launch_out(ctx.uow, queries.launch(ctx.uow, ctx.actor, launch_id))
            return _item_out(out, item_id)


ROUTES = [LaunchController]
