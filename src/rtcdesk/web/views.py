"""Pages that belong to no domain: the front page, language switch and the API docs page."""

from __future__ import annotations

from typing import Any

from litestar import HttpMethod, Request, Response, get, route
from litestar.params import FromPath
from litestar.response import Redirect

from rtcdesk.web.context import LANG_COOKIE, cookie_secure, reader_of, safe_next
from rtcdesk.web.i18n import LANGUAGES
from rtcdesk.web.templating import render_page


@get("/", sync_to_thread=True, include_in_schema=False)
def home(request: Request[Any, Any, Any]) -> Response[str]:
    """Front page: where customers and support staff each sign in."""
    language = reader_of(request).language  # a signed-in reader's own setting counts
    return render_page(request, "home.html", language=language)


@get("/lang/{code:str}", sync_to_thread=False, include_in_schema=False)
def switch_language(request: Request[Any, Any, Any], code: FromPath[str]) -> Redirect:
    """Remember the chosen language in a cookie and go back."""
    target = safe_next(request.query_params.get("next"), "/")
    response = Redirect(path=target, status_code=303)
    if code in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 86400,
            samesite="lax",
            httponly=True,
            secure=cookie_secure(request),
        )
    return response


@get("/api/docs", sync_to_thread=True, include_in_schema=False)
def api_docs(request: Request[Any, Any, Any]) -> Response[str]:
    """Human-readable API reference, rendered from the app's own OpenAPI document."""
    language = reader_of(request).language  # a signed-in reader's own setting counts
    schema = request.app.openapi_schema.to_schema()
    operations = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method, op in item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or ["other"])[0],
                    "parameters": op.get("parameters", []),
                    "body": bool(op.get("requestBody")),
                }
            )
    return render_page(request, "api_docs.html", language=language, operations=operations)


@route(
    "/favicon.ico",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=False,
    include_in_schema=False,
)
def favicon() -> Redirect:
    """Browsers and tools ask for /favicon.ico; the icon is the SVG in the static files."""
    return Redirect(path="/static/favicon.svg", status_code=301)


@get("/healthz", sync_to_thread=True, include_in_schema=False)
def healthz(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Liveness and database check for load balancers."""
    from sqlalchemy import text

    container = request.app.state.container
    with container.uow(write=False) as uow:
        uow.session.execute(text("SELECT 1"))
    return {"status": "ok"}


ROUTES = [home, switch_language, api_docs, favicon, healthz]
