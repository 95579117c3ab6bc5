"""Per-request context: open the unit of work, find out who is calling, check CSRF.

Every route handler starts with ``with api_context(request) as ctx`` (JSON API) or
``with page_context(request, "console") as ctx`` (HTML pages); that is the only way a
route gets a database session and an actor.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, cast
from urllib.parse import quote

from litestar import Request
from litestar.response import Redirect

from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind, WebSession
from rtcdesk.bootstrap import Container
from rtcdesk.core.errors import NotAuthenticated, PermissionDenied
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.launches import queries as launch_queries
from rtcdesk.launches.queries import ActiveLaunch
from rtcdesk.notifications import queries as notification_queries
from rtcdesk.web.i18n import from_accept_language, normalize_language

SESSION_COOKIE = "rtcdesk_session"
LANG_COOKIE = "rtcdesk_lang"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "_csrf"
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
READER_SCOPE_KEY = "rtcdesk.reader"
BELL_SCOPE_KEY = "rtcdesk.bell"
LAUNCHES_SCOPE_KEY = "rtcdesk.launches"
BANNER_SCOPE_KEY = "rtcdesk.launch_banner"

Area = Literal["console", "portal"]


@dataclass
class RequestContext:
    """What a handler works with: one unit of work and the authenticated actor."""

    container: Container
    uow: UnitOfWork
    actor: Actor
    web_session: WebSession | None
    language: str
    token_id: int | None = None

    @property
    def csrf_token(self) -> str:
        """The CSRF token forms must echo back."""
        return self.web_session.csrf_token if self.web_session else ""


@dataclass(frozen=True)
class Reader:
    """Who is looking at a page, as far as the session cookie tells: for pages that must show
    without a signed-in person too (error pages, the API docs)."""

    actor: Actor | None
    csrf_token: str
    language: str

    def signed_in_to(self, area: Area | None) -> bool:
        """Whether the reader may use ``area`` (agents the console, contacts the portal)."""
        if self.actor is None or area is None:
            return False
        if area == "console":
            return self.actor.kind is ActorKind.AGENT
        return self.actor.kind is ActorKind.CONTACT


@dataclass(frozen=True)
class Bell:
    """The console header's notification bell: the unread count when the page was made, and
    how often the page's script asks again."""

    unread: int
    poll_seconds: int


def bell_of(request: Request[Any, Any, Any]) -> Bell | None:
    """The bell of this request's console page, if it has one."""
    bell = _scope(request).get(BELL_SCOPE_KEY)
    return bell if isinstance(bell, Bell) else None


def active_launches_of(request: Request[Any, Any, Any]) -> list[ActiveLaunch]:
    """The launches active when this console page was made (its strip and banners)."""
    found = _scope(request).get(LAUNCHES_SCOPE_KEY)
    return list(found) if isinstance(found, list) else []


def launch_banner_of(request: Request[Any, Any, Any]) -> ActiveLaunch | None:
    """The portal reader's organization's active launch, if this page has one."""
    found = _scope(request).get(BANNER_SCOPE_KEY)
    return found if isinstance(found, ActiveLaunch) else None


def _scope(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The ASGI scope as the plain dict it is, for rtcdesk's own per-request keys."""
    return cast(dict[str, Any], request.scope)


def container_of(request: Request[Any, Any, Any]) -> Container:
    """The application container."""
    container: Container = request.app.state.container
    return container


def forwarded_https(
    scheme: str, peer: str | None, forwarded_proto: str | None, trusted: list[str]
) -> bool:
    """Whether a request came over HTTPS: directly, or through a trusted proxy saying so."""
    if scheme in ("https", "wss"):
        return True
    if not forwarded_proto or not peer:
        return False
    # The proxy nearest to us appends last; with one trusted proxy the first value is its.
    if forwarded_proto.split(",")[0].strip().lower() != "https":
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    for entry in trusted:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def cookie_secure(request: Request[Any, Any, Any]) -> bool:
    """Whether cookies set on this response get the Secure flag."""
    settings = container_of(request).settings
    if settings.cookie_secure:
        return True
    return forwarded_https(
        request.url.scheme,
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-proto"),
        settings.trusted_proxies,
    )


def _bearer(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if header:
        raise NotAuthenticated("use 'Authorization: Bearer <token>'")
    return None


def pick_language(request: Request[Any, Any, Any], actor: Actor | None) -> str:
    """Cookie choice first, then the person's own setting, then the browser's."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen:
        return normalize_language(chosen)
    if actor is not None and actor.kind is not ActorKind.SYSTEM:
        return normalize_language(actor.language)
    accepted = from_accept_language(request.headers.get("accept-language"))
    return accepted or container_of(request).settings.default_language


def _authenticate(
    request: Request[Any, Any, Any], uow: UnitOfWork, container: Container
) -> tuple[Actor, WebSession | None, int | None]:
    secret = _bearer(request)
    if secret is not None:
        actor, token = accounts.actor_for_token(uow, secret)
        now = uow.clock.now()
        if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
            if uow.write:
                # Same transaction: a second writer here would wait on our own lock.
                accounts.touch_token(uow, token.id)
            else:
                with container.uow() as touch:
                    accounts.touch_token(touch, token.id)
                    touch.commit()
        return actor, None, token.id
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        actor, web_session = accounts.actor_for_web_session(uow, cookie)
        return actor, web_session, None
    raise NotAuthenticated("sign in, or send an API token as 'Authorization: Bearer <token>'")


def check_csrf(web_session: WebSession | None, presented: str | None) -> None:
    """Refuse a cookie-authenticated write without the session's CSRF token."""
    if web_session is None:
        return
    if not presented or not hmac.compare_digest(presented, web_session.csrf_token):
        raise PermissionDenied("the form has expired or was not sent by rtcdesk; reload the page")


@contextmanager
def api_context(
    request: Request[Any, Any, Any], *, write: bool = False
) -> Iterator[RequestContext]:
    """Unit of work + actor for a JSON API call (bearer token or console session + CSRF)."""
    container = container_of(request)
    with container.uow(write=write) as uow:
        actor, web_session, token_id = _authenticate(request, uow, container)
        if write:
            check_csrf(web_session, request.headers.get(CSRF_HEADER))
        language = pick_language(request, actor)
        yield RequestContext(container, uow, actor, web_session, language, token_id)


@contextmanager
def page_context(
    request: Request[Any, Any, Any], area: Area, *, write: bool = False
) -> Iterator[RequestContext]:
    """Unit of work + actor for an HTML page; the actor must belong to ``area``."""
    container = container_of(request)
    with container.uow(write=write) as uow:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise NotAuthenticated("please sign in")
        actor, web_session = accounts.actor_for_web_session(uow, cookie)
        if area == "console" and not actor.is_agent:
            raise NotAuthenticated("the console is for support staff; please sign in")
        if area == "portal" and actor.kind is not ActorKind.CONTACT:
            raise NotAuthenticated("the portal is for customers; please sign in")
        language = pick_language(request, actor)
        # Kept for an error page of this request, so it needs no second look-up.
        _scope(request)[READER_SCOPE_KEY] = Reader(actor, web_session.csrf_token, language)
        if area == "console" and not write and actor.kind is ActorKind.AGENT:
            # One indexed COUNT per console page; a form post redirects and needs none.
            _scope(request)[BELL_SCOPE_KEY] = Bell(
                notification_queries.unread_count(uow, actor),
                container.settings.notifications_poll_seconds,
            )
            # The console-wide strip of active launches and the organizations' banners.
            _scope(request)[LAUNCHES_SCOPE_KEY] = launch_queries.active_summaries(uow, actor)
        if (
            area == "portal"
            and not write
            and actor.kind is ActorKind.CONTACT
            and actor.organization_id is not None
        ):
            _scope(request)[BANNER_SCOPE_KEY] = launch_queries.customer_banner(
                uow, actor.organization_id
            )
        yield RequestContext(container, uow, actor, web_session, language)


def reader_of(request: Request[Any, Any, Any]) -> Reader:
    """The person behind the session cookie, if any, and their language; never raises."""
    known = _scope(request).get(READER_SCOPE_KEY)
    if isinstance(known, Reader):
        return known
    actor: Actor | None = None
    csrf_token = ""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            with container_of(request).uow(write=False) as uow:
                actor, web_session = accounts.actor_for_web_session(uow, cookie)
                csrf_token = web_session.csrf_token
        except Exception:  # signed out, expired, or the database is what failed
            actor, csrf_token = None, ""
    try:
        language = pick_language(request, actor)
    except Exception:  # the container itself may be what failed
        language = normalize_language(request.cookies.get(LANG_COOKIE))
    reader = Reader(actor, csrf_token, language)
    _scope(request)[READER_SCOPE_KEY] = reader
    return reader


def area_of(path: str) -> Area | None:
    """The part of the site an address belongs to."""
    if path == "/console" or path.startswith("/console/"):
        return "console"
    if path == "/portal" or path.startswith("/portal/"):
        return "portal"
    return None


def anonymous_context(request: Request[Any, Any, Any]) -> tuple[Container, str]:
    """Container and language for pages shown before sign-in."""
    return container_of(request), pick_language(request, None)


def login_redirect(request: Request[Any, Any, Any]) -> Redirect:
    """Send a browser to the right sign-in page, coming back here afterwards."""
    path = request.url.path
    area = "console" if path.startswith("/console") else "portal"
    target = path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"/{area}/login?next={quote(target, safe='')}", status_code=303)


def safe_next(value: str | None, default: str) -> str:
    """Only allow redirects to our own paths (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default
