"""Map every error to a response a person understands: problem+json for the API, a page otherwise.

This is the only place exceptions become HTTP responses. Nothing leaks a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from rtcdesk.core.errors import NotAuthenticated, RtcdeskError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def problem(status: int, title: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    """An RFC 9457 problem response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v})
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON)


MISSING_BODY = "this request needs a JSON body"
_JSON_SYNTAX_ERRORS = ("JSON is malformed", "Input data was truncated", "invalid character")


def _validation_detail(exc: ValidationException) -> tuple[str, list[dict[str, Any]]]:
    """Turn Litestar/msgspec validation output into one readable sentence plus details."""
    errors: list[dict[str, Any]] = []
    extra = exc.extra
    if isinstance(extra, list):
        errors = [e for e in extra if isinstance(e, dict)]
    messages = []
    for err in errors:
        msg = str(err.get("message", "")).strip()
        key = err.get("key")
        source = err.get("source")
        if key and source in ("query", "path", "header", "cookie"):
            msg = f"{source} parameter {key!r}: {msg}"
        elif source == "body" and key == "data" and msg == "'data'":
            # Litestar's way of saying the body was empty: the signature misses ``data``.
            msg = err["message"] = MISSING_BODY
        messages.append(msg)
    detail = "; ".join(m for m in messages if m) or str(exc.detail)
    if any(s in detail for s in _JSON_SYNTAX_ERRORS):
        detail = f"the request body is not valid JSON ({detail})"
    return detail, errors


def _page(
    request: Request[Any, Any, Any], status: int, title: str, detail: str | RtcdeskError
) -> Response[Any]:
    from rtcdesk.web.templating import render_error

    return render_error(request, status, title, detail)


def handle_rtcdesk_error(request: Request[Any, Any, Any], exc: RtcdeskError) -> Response[Any]:
    """Our own errors: their status, title and message."""
    if not _is_api(request):
        if isinstance(exc, NotAuthenticated):
            from rtcdesk.web.context import login_redirect

            return login_redirect(request)
        return _page(request, exc.status_code, exc.title, exc)
    return problem(exc.status_code, exc.title, exc.message, errors=exc.details or None)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """Framework errors (unknown route, bad method, validation, body too large)."""
    status = exc.status_code
    if isinstance(exc, ValidationException):
        detail, errors = _validation_detail(exc)
        title = "Invalid input"
    elif isinstance(exc, NotFoundException):
        detail, errors, title = "there is nothing at this address", [], "Not found"
    elif isinstance(exc, NotAuthorizedException):
        detail, errors, title = str(exc.detail), [], "Not signed in"
    elif status == 413:
        detail, errors, title = "the request body is larger than allowed", [], "Too large"
    elif status == 405:
        detail, errors, title = "this address does not accept that method", [], "Wrong method"
    else:
        detail, errors, title = str(exc.detail), [], "Request failed"
        if status == 400 and any(s in detail for s in _JSON_SYNTAX_ERRORS):
            detail, title = f"the request body is not valid JSON ({detail})", "Invalid input"
    response = (
        _page(request, status, title, detail)
        if not _is_api(request)
        else problem(status, title, detail, errors=errors or None)
    )
    if status == 405 and exc.headers and "allow" in {k.lower() for k in exc.headers}:
        allow = next(v for k, v in exc.headers.items() if k.lower() == "allow")
        response.headers["Allow"] = allow
    return response


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A bug: log it with its traceback, answer 500 without details."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    detail = "something went wrong on our side; the error has been logged"
    if not _is_api(request):
        return _page(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal error", detail)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "Internal error", detail)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RtcdeskError: handle_rtcdesk_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "MediaType", "problem"]
