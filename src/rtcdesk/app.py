"""create_app(settings) -> the ASGI application: API, console, portal, static files."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.config.response_cache import ResponseCacheConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from rtcdesk import __version__
from rtcdesk.accounts.api import ROUTES as ACCOUNT_ROUTES
from rtcdesk.accounts.reset_views import ROUTES as RESET_PAGES
from rtcdesk.accounts.views import ROUTES as ACCOUNT_PAGES
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.channels.email.views import ROUTES as EMAIL_PAGES
from rtcdesk.config import Settings
from rtcdesk.diagnostics.api import ROUTES as DIAGNOSTICS_ROUTES
from rtcdesk.diagnostics.views import ROUTES as DIAGNOSTICS_PAGES
from rtcdesk.escalation.api import ROUTES as ESCALATION_ROUTES
from rtcdesk.escalation.views import ROUTES as ESCALATION_PAGES
from rtcdesk.jobs.views import ROUTES as JOB_PAGES
from rtcdesk.launches.api import ROUTES as LAUNCH_ROUTES
from rtcdesk.launches.views import ROUTES as LAUNCH_PAGES
from rtcdesk.logs.api import ROUTES as LOGS_ROUTES
from rtcdesk.logs.views import ROUTES as LOGS_PAGES
from rtcdesk.notifications.api import ROUTES as NOTIFICATION_ROUTES
from rtcdesk.notifications.views import ROUTES as NOTIFICATION_PAGES
from rtcdesk.oncall.api import ROUTES as ONCALL_ROUTES
from rtcdesk.oncall.pages_api import ROUTES as PAGING_ROUTES
from rtcdesk.oncall.pages_views import ROUTES as PAGING_PAGES
from rtcdesk.oncall.views import ROUTES as ONCALL_PAGES
from rtcdesk.routing.api import ROUTES as ROUTING_ROUTES
from rtcdesk.routing.views import ROUTES as ROUTING_PAGES
from rtcdesk.search.api import ROUTES as SEARCH_ROUTES
from rtcdesk.sla.api import ROUTES as SLA_ROUTES
from rtcdesk.sla.views import ROUTES as SLA_PAGES
from rtcdesk.tickets.api import ROUTES as TICKET_ROUTES
from rtcdesk.tickets.portal_views import ROUTES as PORTAL_PAGES
from rtcdesk.tickets.views import ROUTES as TICKET_PAGES
from rtcdesk.web.body_limits import MULTIPART_ENVELOPE_BYTES, BodyLimitMiddleware
from rtcdesk.web.errors import EXCEPTION_HANDLERS
from rtcdesk.web.openapi import ApiJsonRenderPlugin, ApiYamlRenderPlugin
from rtcdesk.web.requests import EdgeRequest, refuse_unaddressable
from rtcdesk.web.views import ROUTES as SITE_ROUTES

STATIC_DIR = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> Litestar:
    """Build the ASGI application for ``settings`` (or an already built container)."""
    owns_container = container is None
    if container is None:
        container = build_container(settings or Settings())
    settings = container.settings
    return Litestar(
        route_handlers=[
            *ACCOUNT_ROUTES,
            *TICKET_ROUTES,
            *SITE_ROUTES,
            *ACCOUNT_PAGES,
            *RESET_PAGES,
            *TICKET_PAGES,
            *PORTAL_PAGES,
            *DIAGNOSTICS_ROUTES,
            *DIAGNOSTICS_PAGES,
            *LOGS_ROUTES,
            *LOGS_PAGES,
            *JOB_PAGES,
            *ONCALL_ROUTES,
            *LAUNCH_ROUTES,
            *LAUNCH_PAGES,
            *ONCALL_PAGES,
            *PAGING_ROUTES,
            *PAGING_PAGES,
            *ROUTING_ROUTES,
            *ROUTING_PAGES,
            *EMAIL_PAGES,
            *NOTIFICATION_ROUTES,
            *NOTIFICATION_PAGES,
            *SLA_ROUTES,
            *SEARCH_ROUTES,
            *SLA_PAGES,
            *ESCALATION_ROUTES,
            *ESCALATION_PAGES,
            create_static_files_router(path="/static", directories=[STATIC_DIR], name="static"),
        ],
        state=State({"container": container}),
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=EdgeRequest,
        # Body limits are counted on the bytes as they arrive (web/body_limits.py); Litestar's
        # own limit stays as a backstop above the largest upload. Addresses no route can
        # answer (a NUL, an id out of range) are refused before any of it.
        middleware=[
            refuse_unaddressable,
            DefineMiddleware(
                BodyLimitMiddleware,
                request_bytes=settings.max_request_bytes,
                upload_bytes=settings.max_upload_bytes,
            ),
        ],
        request_max_body_size=settings.max_upload_bytes + MULTIPART_ENVELOPE_BYTES,
        openapi_config=OpenAPIConfig(
            title="rtcdesk API",
            version=__version__,
            path="/api/schema",
            render_plugins=[ApiJsonRenderPlugin(), ApiYamlRenderPlugin()],
            use_handler_docstrings=True,
        ),
        response_cache_config=ResponseCacheConfig(),
        # Whoever built the container disposes of it; the app only does when it built it.
        on_shutdown=[container.dispose] if owns_container else [],
        debug=False,
    )


def create_default_app() -> Litestar:
    """Factory for ASGI servers: settings from the RTCDESK_* environment."""
    return create_app(Settings())
