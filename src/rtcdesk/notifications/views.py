"""Console pages: the inbox (the bell's page), your notification settings, the delivery log.

Every page works without JavaScript: opening a notification, marking it read and saving
settings are plain form posts.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.core.errors import InvalidInput
from rtcdesk.notifications import access, queries, service
from rtcdesk.notifications.models import DeliveryStatus
from rtcdesk.web.context import RequestContext, page_context, safe_next
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

INBOX = "/console/notifications"
SETTINGS = "/console/settings/notifications"
LOG = "/console/notifications/deliveries"


def _query(request: Request[Any, Any, Any], name: str, limit: int = 200) -> str | None:
    value = (request.query_params.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput("the {name} parameter is too long", params={"name": name}, field=name)
    return value or None


@get(INBOX, include_in_schema=False)
async def inbox_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Your notifications, newest first (all, or unread only)."""
    return await in_thread(_inbox_page, request)


def _inbox_page(request: Request[Any, Any, Any]) -> Response[str]:
    unread_only = request.query_params.get("show") == "unread"
    with page_context(request, "console") as ctx:
        page = queries.inbox(
            ctx.uow,
            ctx.actor,
            ctx.container.notifications,
            ctx.language,
            unread_only=unread_only,
            cursor=_query(request, "cursor", 2048),
        )
        return render_page(
            request,
            "console/notifications.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            page=page,
            actions=ctx.container.inbox_actions.find(ctx.uow, ctx.actor, page.items),
            unread_only=unread_only,
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        )


@post(f"{INBOX}/{{notification_id:int}}/open", include_in_schema=False)
async def open_notification(
    request: Request[Any, Any, Any], notification_id: FromPath[int]
) -> Response[Any]:
    """Mark a notification read and go where it points."""

    def run(ctx: RequestContext, form: FormData) -> str:
        notification = service.mark_read(ctx.uow, ctx.actor, notification_id)
        return safe_next(notification.link, INBOX)

    return await form_action(request, "console", run, back=INBOX)


@post(f"{INBOX}/{{notification_id:int}}/read", include_in_schema=False)
async def read_notification(
    request: Request[Any, Any, Any], notification_id: FromPath[int]
) -> Response[Any]:
    """Mark one notification read and stay on the list."""

    def run(ctx: RequestContext, form: FormData) -> str:
        service.mark_read(ctx.uow, ctx.actor, notification_id)
        return safe_next(form.get("next"), INBOX)

    return await form_action(request, "console", run, back=INBOX)


@post(f"{INBOX}/read-all", include_in_schema=False)
async def read_all(request: Request[Any, Any, Any]) -> Response[Any]:
    """Mark every notification read."""

    def run(ctx: RequestContext, form: FormData) -> str:
        service.mark_all_read(ctx.uow, ctx.actor)
        return with_flash(INBOX, "saved")

    return await form_action(request, "console", run, back=INBOX)


@get(SETTINGS, include_in_schema=False)
async def settings_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Which notifications reach you on which channel."""
    return await in_thread(_settings_page, request)


def _settings_page(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        registry = ctx.container.notifications
        return render_page(
            request,
            "console/notification_settings.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            kinds=queries.preferences(ctx.uow, ctx.actor, registry, ctx.language),
        )


@post(SETTINGS, include_in_schema=False)
async def save_settings(request: Request[Any, Any, Any]) -> Response[Any]:
    """Save the checkboxes: a channel shown and not ticked is switched off."""

    def run(ctx: RequestContext, form: FormData) -> str:
        registry = ctx.container.notifications
        ticked = set(form.get_list("on"))
        choices: dict[str, dict[str, bool]] = {}
        for kind in queries.preferences(ctx.uow, ctx.actor, registry, ctx.language):
            for channel in kind.channels:
                if not channel.locked:
                    on = f"{kind.kind}:{channel.channel}" in ticked
                    choices.setdefault(kind.kind, {})[channel.channel] = on
        service.set_preferences(ctx.uow, ctx.actor, registry, choices)
        return with_flash(SETTINGS, "saved")

    return await form_action(request, "console", run, back=SETTINGS)


@get(LOG, include_in_schema=False)
async def log_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Every delivery and how it went (administrators)."""
    return await in_thread(_log_page, request)


def _log_page(request: Request[Any, Any, Any]) -> Response[str]:
    status = _query(request, "status", 20)
    with page_context(request, "console") as ctx:
        access.require_delivery_log(ctx.actor)
        page = queries.deliveries(
            ctx.uow,
            ctx.actor,
            ctx.container.notifications,
            ctx.language,
            status=status,
            cursor=_query(request, "cursor", 2048),
        )
        return render_page(
            request,
            "console/notification_deliveries.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            page=page,
            status=status or "",
            statuses=[s.value for s in DeliveryStatus],
            retryable=(DeliveryStatus.FAILED.value, DeliveryStatus.SKIPPED.value),
        )


@post(f"{LOG}/{{delivery_id:int}}/retry", include_in_schema=False)
async def retry_delivery(
    request: Request[Any, Any, Any], delivery_id: FromPath[int]
) -> Response[Any]:
    """Queue a failed or skipped delivery again."""

    def run(ctx: RequestContext, form: FormData) -> str:
        service.retry_delivery(ctx.uow, ctx.actor, delivery_id)
        return with_flash(LOG, "saved")

    return await form_action(request, "console", run, back=LOG)


ROUTES = [
    inbox_page,
    open_notification,
    read_notification,
    read_all,
    settings_page,
    save_settings,
    log_page,
    retry_delivery,
]
