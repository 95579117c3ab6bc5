"""JSON API: the caller's notifications and preferences, and the delivery log (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from rtcdesk.core.pagination import MAX_CURSOR_CHARS, MAX_LIMIT
from rtcdesk.notifications import queries, service
from rtcdesk.notifications.schemas import (
    DeliveryOut,
    DeliveryPage,
    KindPreferences,
    MarkedRead,
    NotificationOut,
    NotificationPage,
    PreferencesUpdate,
    UnreadCount,
)
from rtcdesk.web.context import api_context

Limit = Annotated[int | None, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=MAX_CURSOR_CHARS)]
Status = Annotated[str | None, QueryParameter(max_length=20)]


class MyNotificationsController(Controller):
    """The caller's inbox (support staff)."""

    path = "/api/v1/me/notifications"
    tags = ("notifications",)

    @get("/", sync_to_thread=True)
    def list_notifications(
        self,
        request: Request[Any, Any, Any],
        unread: FromQuery[bool] = False,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> NotificationPage:
        """Your notifications, newest first, in your language; ``unread=true`` for the unread
        ones only. Paginate with limit and cursor."""
        with api_context(request) as ctx:
            return queries.inbox(
                ctx.uow,
                ctx.actor,
                ctx.container.notifications,
                ctx.language,
                unread_only=unread,
                cursor=cursor,
                limit=limit,
            )

    @get("/unread-count", sync_to_thread=True)
    def unread_count(self, request: Request[Any, Any, Any]) -> UnreadCount:
        """How many of your notifications are unread (what the console's bell polls)."""
        with api_context(request) as ctx:
            return UnreadCount(unread=queries.unread_count(ctx.uow, ctx.actor))

    @post("/{notification_id:int}/read", sync_to_thread=True, status_code=200)
    def mark_read(
        self, request: Request[Any, Any, Any], notification_id: FromPath[int]
    ) -> NotificationOut:
        """Mark one of your notifications read."""
        with api_context(request, write=True) as ctx:
            notification = service.mark_read(ctx.uow, ctx.actor, notification_id)
            ctx.uow.commit()
            return queries.notification_out(notification, ctx.container.notifications, ctx.language)

    @post("/read-all", sync_to_thread=True, status_code=200)
    def mark_all_read(self, request: Request[Any, Any, Any]) -> MarkedRead:
        """Mark every one of your notifications read."""
        with api_context(request, write=True) as ctx:
            marked = service.mark_all_read(ctx.uow, ctx.actor)
            ctx.uow.commit()
            return MarkedRead(marked=marked, unread=queries.unread_count(ctx.uow, ctx.actor))


class MyPreferencesController(Controller):
    """Which notifications reach the caller on which channel."""

    path = "/api/v1/me/notification-preferences"
    tags = ("notifications",)

    @get("/", sync_to_thread=True)
    def get_preferences(self, request: Request[Any, Any, Any]) -> list[KindPreferences]:
        """Every kind of notification and whether each channel reaches you."""
        with api_context(request) as ctx:
            return queries.preferences(
                ctx.uow, ctx.actor, ctx.container.notifications, ctx.language
            )

    @put("/", sync_to_thread=True)
    def put_preferences(
        self, request: Request[Any, Any, Any], data: JSONBody[PreferencesUpdate]
    ) -> list[KindPreferences]:
        """Switch channels on or off per kind, e.g. ``{"preferences": {"ticket.assigned":
        {"email": false}}}``; kinds and channels not named keep their setting."""
        with api_context(request, write=True) as ctx:
            registry = ctx.container.notifications
            service.set_preferences(ctx.uow, ctx.actor, registry, data.preferences)
            ctx.uow.commit()
            return queries.preferences(ctx.uow, ctx.actor, registry, ctx.language)


class DeliveryLogController(Controller):
    """Every notification delivery and how it went (administrators)."""

    path = "/api/v1/notification-deliveries"
    tags = ("notifications",)

    @get("/", sync_to_thread=True)
    def list_deliveries(
        self,
        request: Request[Any, Any, Any],
        status: Status = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> DeliveryPage:
        """The delivery log, newest first; filter by status (queued, retrying, sent, failed,
        skipped)."""
        with api_context(request) as ctx:
            return queries.deliveries(
                ctx.uow,
                ctx.actor,
                ctx.container.notifications,
                ctx.language,
                status=status,
                cursor=cursor,
                limit=limit,
            )

    @post("/{delivery_id:int}/retry", sync_to_thread=True, status_code=200)
    def retry(self, request: Request[Any, Any, Any], delivery_id: FromPath[int]) -> DeliveryOut:
        """Queue a failed or skipped delivery again."""
        with api_context(request, write=True) as ctx:
            service.retry_delivery(ctx.uow, ctx.actor, delivery_id)
            ctx.uow.commit()
            return queries.delivery(
                ctx.uow, ctx.actor, ctx.container.notifications, ctx.language, delivery_id
            )


ROUTES = [MyNotificationsController, MyPreferencesController, DeliveryLogController]
