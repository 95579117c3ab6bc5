"""Jinja2 rendering for the console and the portal, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from markupsafe import Markup

from rtcdesk import __version__
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.web.i18n import LANGUAGES, translator
from rtcdesk.web.labels import LABELS

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _dt(value: datetime | None) -> Markup:
    """A <time> element; app.js shows it in the reader's local time zone."""
    if value is None:
        return Markup("")
    iso = value.isoformat()
    return Markup('<time datetime="{0}">{1}</time>').format(
        iso, value.strftime("%Y-%m-%d %H:%M UTC")
    )


def _size(value: int) -> str:
    """Bytes in a human unit."""
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


@cache
def environment() -> Environment:
    """The shared Jinja2 environment (templates are read once)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = _dt
    env.filters["size"] = _size
    env.globals["languages"] = LANGUAGES
    env.globals["version"] = __version__
    return env


def render_page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    language: str,
    status_code: int = 200,
    **data: Any,
) -> Response[str]:
    """Render ``template`` for ``language`` as an HTML response."""
    gettext = translator(language)

    def label(value: object) -> str:
        raw = str(getattr(value, "value", value))
        return gettext(LABELS[raw]) if raw in LABELS else raw

    data.setdefault("actor", None)
    data.setdefault("csrf", "")
    data.setdefault("flash", request.query_params.get("flash"))
    html = (
        environment()
        .get_template(template)
        .render(
            _=gettext,
            label=label,
            lang=language,
            path=request.url.path,
            query=request.url.query,
            **data,
        )
    )
    return Response(
        content=html,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                "script-src 'self'; frame-ancestors 'none'; form-action 'self'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        },
    )


def render_error(
    request: Request[Any, Any, Any], status_code: int, title: str, detail: str | RtcdeskError
) -> Response[str]:
    """An error page in the reader's language (never a stack trace)."""
    from rtcdesk.web.context import pick_language

    try:
        language = pick_language(request, None)
    except Exception:  # the container itself may be what failed
        language = "en"
    if isinstance(detail, RtcdeskError):
        detail = detail.translated(translator(language))
    return render_page(
        request,
        "error.html",
        language=language,
        status_code=status_code,
        title=title,
        detail=detail,
        status=status_code,
    )
