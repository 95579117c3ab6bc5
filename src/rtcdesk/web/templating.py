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
from rtcdesk.core.platforms import PLATFORM_NAMES, platform_name
from rtcdesk.diagnostics.labels import SEVERITY
from rtcdesk.diagnostics.labels import label as diagnosis_label
from rtcdesk.web.context import active_launches_of, bell_of, launch_banner_of
from rtcdesk.web.flash import Flash, flash_of_code
from rtcdesk.web.forms import NO_FORM, KeptForm, kept_form_of
from rtcdesk.web.i18n import LANGUAGES, stored_message, translator
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


def _span(seconds: float | int | None) -> str:
    """A duration as days, hours and minutes (``1d 2h``, ``3h 05m``, ``12m``), sign dropped."""
    if seconds is None:
        return ""
    total = abs(int(seconds)) // 60
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
    return f"{minutes}m"


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
    env.filters["span"] = _span
    env.globals["languages"] = LANGUAGES
    env.globals["severity_name"] = lambda severity, lang: diagnosis_label(SEVERITY, severity, lang)
    env.globals["stored_message"] = stored_message
    env.globals["version"] = __version__
    return env


def render_page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    language: str,
    status_code: int = 200,
    kept_form: KeptForm | None = None,
    **data: Any,
) -> Response[str]:
    """Render ``template`` for ``language`` as an HTML response.

    Templates fill their forms through ``kept(action)``: a form that was posted and came
    back with a mistake (``kept_form``, or the one ``web.forms`` attached to this request)
    gets what the person typed; every other form its own defaults.
    """
    gettext = translator(language)
    failed = kept_form if kept_form is not None else kept_form_of(request)

    def kept(action: str) -> KeptForm:
        return failed if failed.action == action else NO_FORM

    def label(value: object) -> str:
        raw = str(getattr(value, "value", value))
        if raw in PLATFORM_NAMES:
            return platform_name(raw, language)
        return gettext(LABELS[raw]) if raw in LABELS else raw

    data.setdefault("actor", None)
    data.setdefault("csrf", "")
    data.setdefault("bell", bell_of(request))
    data.setdefault("active_launches", active_launches_of(request))
    data.setdefault("launch_banner", launch_banner_of(request))
    launches_by_org = {a.organization_id: a for a in reversed(data["active_launches"])}
    data.setdefault("flash", flash_of_code(request.query_params.get("flash"), gettext))

    def render() -> str:
        return (
            environment()
            .get_template(template)
            .render(
                _=gettext,
                label=label,
                kept=kept,
                launch_of=launches_by_org.get,
                lang=language,
                path=request.url.path,
                query=request.url.query,
                **data,
            )
        )

    html = render()
    if failed.active and failed.unshown():
        # The page no longer holds that form: the message goes where flashes go.
        data["flash"] = Flash(failed.unshown(), ok=False)
        html = render()
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
    """An error page (never a stack trace) in the reader's language: inside the console or
    portal layout when the reader is signed in to the part of the site the address is in
    (their own part for addresses outside both), a plain page with a sign-in link otherwise.
    """
    from rtcdesk.web.context import area_of, reader_of

    reader = reader_of(request)
    area = area_of(request.url.path)
    if area is None and reader.actor is not None:
        area = "console" if reader.signed_in_to("console") else "portal"
    signed_in = reader.signed_in_to(area)
    gettext = translator(reader.language)
    detail = detail.translated(gettext) if isinstance(detail, RtcdeskError) else gettext(detail)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return render_page(
        request,
        "error.html",
        language=reader.language,
        status_code=status_code,
        kept_form=NO_FORM,
        base=f"{area}/base.html" if signed_in else "layout.html",
        actor=reader.actor if signed_in else None,
        csrf=reader.csrf_token if signed_in else "",
        home={"console": "/console/tickets", "portal": "/portal/"}.get(area or "", "/")
        if signed_in
        else "/",
        sign_in=not signed_in,
        sign_in_area=area,
        sign_in_next=here if request.method == "GET" else "",
        title=title,
        detail=detail,
        status=status_code,
    )
