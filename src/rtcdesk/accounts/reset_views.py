"""Pages of password reset links: an admin issues one in the console and sees it once; the
person it is for opens it (signed out) and sets a new password. See ``accounts/resets.py``.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from rtcdesk.accounts import resets
from rtcdesk.accounts.models import Agent, Contact
from rtcdesk.accounts.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.web.context import anonymous_context, check_csrf, page_context, safe_next
from rtcdesk.web.forms import (
    FormData,
    in_thread,
    keep_form,
    read_form,
    show_page_again,
    with_flash,
)
from rtcdesk.web.i18n import translator
from rtcdesk.web.templating import render_page

# The secret is in the address: no cache may keep the page, no link may pass it on.
_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _area_of(person: Agent | Contact) -> str:
    return "console" if isinstance(person, Agent) else "portal"


@post("/console/reset-links", include_in_schema=False)
async def issue_link(request: Request[Any, Any, Any]) -> Response[Any]:
    """Issue a reset link for the agent or contact with the posted email (admins); the page
    shows it this once."""
    form = await read_form(request)
    back = safe_next(form.get("back"), "/console/audit")

    def issue() -> Response[Any] | tuple[Any, int]:
        with page_context(request, "console", write=True) as ctx:
            try:
                check_csrf(ctx.web_session, form.csrf)
                person = resets.person_by_email(ctx.uow, form.get("email"))
                issued = resets.issue_reset_link(ctx.uow, ctx.actor, person)
            except RtcdeskError as exc:
                if exc.status_code == 401:
                    raise
                message = exc.translated(translator(ctx.language))
                return keep_form(request.url.path, form, message, exc.field), exc.status_code
            ctx.uow.commit()
            response = render_page(
                request,
                "console/reset_link.html",
                language=ctx.language,
                actor=ctx.actor,
                csrf=ctx.csrf_token,
                person=person,
                kind=_area_of(person),
                link=issued.url(ctx.container.settings.base_url),
                expires_at=issued.reset.expires_at,
                back=back,
            )
            response.headers.update(_PRIVATE)
            return response

    outcome = await anyio.to_thread.run_sync(issue)
    if isinstance(outcome, Response):
        return outcome
    kept, status_code = outcome
    return await show_page_again(request, back, kept, status_code)


def _holder_page(
    request: Request[Any, Any, Any],
    secret: str,
    *,
    form: FormData | None = None,
    error: InvalidInput | None = None,
) -> Response[str]:
    container, language = anonymous_context(request)
    with container.uow() as uow:
        person = resets.check_reset_link(uow, secret)
        area, email = _area_of(person), person.email
    kept = None
    if form is not None and error is not None:
        message = error.translated(translator(language))
        kept = keep_form(request.url.path, form, message, error.field)
    response = render_page(
        request,
        "reset_password.html",
        language=language,
        area=area,
        email=email,
        min_length=MIN_PASSWORD_LENGTH,
        kept_form=kept,
        status_code=error.status_code if error is not None else 200,
    )
    response.headers.update(_PRIVATE)
    return response


@get(resets.RESET_PATH + "{secret:str}", include_in_schema=False)
async def reset_form(request: Request[Any, Any, Any], secret: FromPath[str]) -> Response[Any]:
    """The page a reset link opens: a new password, twice (404 once used or expired)."""
    return await in_thread(_holder_page, request, secret)


@post(resets.RESET_PATH + "{secret:str}", include_in_schema=False)
async def reset_password(request: Request[Any, Any, Any], secret: FromPath[str]) -> Response[Any]:
    """Set the new password through the link, then send the person to sign in with it."""
    form = await read_form(request)
    container, _language = anonymous_context(request)

    def reset() -> str | Response[str]:
        new = form.values.get("new_password", "")
        try:
            if form.values.get("new_password_again", "") != new:
                raise InvalidInput("the two new passwords differ", field="new_password_again")
            if not MIN_PASSWORD_LENGTH <= len(new) <= MAX_PASSWORD_LENGTH:
                raise InvalidInput(
                    "the password needs {min} to {max} characters",
                    params={"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH},
                    field="new_password",
                )
            with container.uow(write=True) as uow:
                area = _area_of(resets.use_reset_link(uow, secret, new))
                uow.commit()
        except InvalidInput as exc:
            return _holder_page(request, secret, form=form, error=exc)
        return with_flash(f"/{area}/login", "password_reset")

    outcome = await anyio.to_thread.run_sync(reset)
    if isinstance(outcome, str):
        return Redirect(path=outcome, status_code=303)
    return outcome


ROUTES = [issue_link, reset_form, reset_password]
