"""Console and portal pages for signing in, organizations and contacts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from rtcdesk.accounts import queries, service
from rtcdesk.accounts.models import PLATFORMS, Language, PlanTier
from rtcdesk.accounts.resets import RESET_LINK_HOURS
from rtcdesk.accounts.schemas import (
    AgentUpdate,
    ContactCreate,
    ContactUpdate,
    OrganizationCreate,
    OrganizationUpdate,
)
from rtcdesk.accounts.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from rtcdesk.core.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from rtcdesk.core.validation import parse_id, validated
from rtcdesk.tickets import queries as ticket_queries
from rtcdesk.web.context import (
    SESSION_COOKIE,
    Area,
    RequestContext,
    anonymous_context,
    check_csrf,
    container_of,
    cookie_secure,
    page_context,
    safe_next,
)
from rtcdesk.web.forms import FormData, form_action, in_thread, keep_form, read_form, with_flash
from rtcdesk.web.i18n import translator
from rtcdesk.web.templating import render_page


def _login_page(
    request: Request[Any, Any, Any],
    area: Area,
    error: str | None = None,
    *,
    status_code: int | None = None,
    form: FormData | None = None,
) -> Response[str]:
    _container, language = anonymous_context(request)
    # A failed sign-in shows the form again with the email (never the password) and `next`.
    wanted = form.get("next") if form is not None else request.query_params.get("next")
    return render_page(
        request,
        "login.html",
        language=language,
        area=area,
        kept_form=keep_form(f"/{area}/login", form, error, None) if form and error else None,
        next=safe_next(wanted, f"/{area}/"),
        status_code=status_code or (401 if error else 200),
    )


@get("/console/login", sync_to_thread=False, include_in_schema=False)
def console_login_form(request: Request[Any, Any, Any]) -> Response[str]:
    """Sign-in form for support staff."""
    return _login_page(request, "console")


@get("/portal/login", sync_to_thread=False, include_in_schema=False)
def portal_login_form(request: Request[Any, Any, Any]) -> Response[str]:
    """Sign-in form for customers."""
    return _login_page(request, "portal")


async def _login(request: Request[Any, Any, Any], area: Area) -> Response[Any]:
    form = await read_form(request)
    email, password = form.get("email"), form.values.get("password", "")
    target = safe_next(form.get("next"), f"/{area}/")
    container = container_of(request)

    def reserve() -> None:
        # Committed on its own before the password is checked: parallel guesses see it.
        with container.uow() as uow:
            service.reserve_sign_in_attempt(uow, email)
            uow.commit()

    def sign_in() -> str:
        with container.uow() as uow:
            if area == "console":
                agent = service.authenticate_agent(uow, email, password)
                cookie, _ = service.start_web_session(
                    uow, agent=agent, days=container.settings.session_days
                )
            else:
                contact = service.authenticate_contact(uow, email, password)
                cookie, _ = service.start_web_session(
                    uow, contact=contact, days=container.settings.session_days
                )
            uow.commit()
            return cookie

    gettext = translator(anonymous_context(request)[1])
    try:
        await anyio.to_thread.run_sync(reserve)
        cookie = await anyio.to_thread.run_sync(sign_in)
    except NotAuthenticated:
        return _login_page(request, area, gettext("Wrong email or password."), form=form)
    except TooManyAttempts:
        message = gettext("Too many failed sign-ins. Wait 15 minutes and try again.")
        return _login_page(request, area, message, status_code=429, form=form)
    response: Response[Any] = Redirect(path=target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=container.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
    )
    return response


@post("/console/login", include_in_schema=False)
async def console_login(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check an agent's credentials and start a session."""
    return await _login(request, "console")


@post("/portal/login", include_in_schema=False)
async def portal_login(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check a contact's credentials and start a session."""
    return await _login(request, "portal")


@post("/logout", include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    """End the session (console or portal)."""
    form = await read_form(request)
    container = container_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    area = "console" if form.get("area") == "console" else "portal"

    def end() -> None:
        if not cookie:
            return
        with container.uow() as uow:
            try:
                _actor, web_session = service.actor_for_web_session(uow, cookie)
            except NotAuthenticated:
                return
            check_csrf(web_session, form.csrf)
            service.end_web_session(uow, cookie)
            uow.commit()

    await anyio.to_thread.run_sync(end)
    response: Response[Any] = Redirect(path=f"/{area}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@get("/console/organizations", include_in_schema=False)
async def organization_list(request: Request[Any, Any, Any]) -> Response[Any]:
    """All customer organizations with their plan, TAM and open tickets."""
    return await in_thread(_organization_list, request)


def _organization_list(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        return render_page(
            request,
            "console/organizations.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            organizations=queries.organizations(ctx.uow, ctx.actor),
            open_counts=queries.open_ticket_counts(ctx.uow),
            agents=queries.agents(ctx.uow, ctx.actor, active_only=True),
            tiers=list(PlanTier),
            languages_enum=list(Language),
            platforms=PLATFORMS,
        )


@get("/console/organizations/{org_id:int}", include_in_schema=False)
async def organization_page(
    request: Request[Any, Any, Any], org_id: FromPath[int]
) -> Response[Any]:
    """One organization: properties, contacts, recent tickets."""
    return await in_thread(_organization_page, request, org_id)


def _organization_page(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Response[str]:
    with page_context(request, "console") as ctx:
        org = queries.organization(ctx.uow, ctx.actor, org_id)
        tickets, _cursor = ticket_queries.list_tickets(
            ctx.uow,
            ctx.actor,
            ticket_queries.TicketFilters(organization_id=org.id),
            sort="-updated_at",
            limit=50,
        )
        return render_page(
            request,
            "console/organization.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            org=org,
            contacts=queries.contacts(ctx.uow, ctx.actor, org.id),
            tickets=tickets,
            agents=queries.agents(ctx.uow, ctx.actor, active_only=True),
            tiers=list(PlanTier),
            languages_enum=list(Language),
            platforms=PLATFORMS,
        )


def _organization_fields(form: FormData) -> dict[str, Any]:
    """The fields the create and edit forms of an organization share."""
    try:
        tam = form.get("tam_agent_id")
        return {
            "plan_tier": PlanTier(form.get("plan_tier") or "free"),
            "timezone": form.get("timezone") or "UTC",
            "language": Language(form.get("language") or "en"),
            "tam_agent_id": parse_id(tam, "TAM", field="tam_agent_id") if tam else None,
            "sdk_platforms": form.get_list("sdk_platforms"),
            "app_ids": [
                p.strip() for p in form.get("app_ids").replace("\n", ",").split(",") if p.strip()
            ],
            "share_tickets": form.get("share_tickets") == "on",
        }
    except ValueError as exc:
        raise InvalidInput("the form has an invalid value: {exc}", params={"exc": exc}) from exc


@post("/console/organizations", include_in_schema=False)
async def organization_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Create an organization from the console form."""

    def create(ctx: RequestContext, form: FormData) -> str:
        data = validated(OrganizationCreate(name=form.get("name"), **_organization_fields(form)))
        org = service.create_organization(ctx.uow, ctx.actor, data)
        return f"/console/organizations/{org.id}"

    return await form_action(request, "console", create, back="/console/organizations")


@post("/console/organizations/{org_id:int}", include_in_schema=False)
async def organization_update(
    request: Request[Any, Any, Any], org_id: FromPath[int]
) -> Response[Any]:
    """Save an organization's properties from the console form."""
    path = f"/console/organizations/{org_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        data = validated(
            OrganizationUpdate(notes=form.values.get("notes", ""), **_organization_fields(form))
        )
        service.update_organization(ctx.uow, ctx.actor, org_id, data)
        return with_flash(path, "saved")

    return await form_action(request, "console", save, back=path)


@post("/console/contacts", include_in_schema=False)
async def contact_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Add a contact to an organization from the console."""

    def create(ctx: RequestContext, form: FormData) -> str:
        try:
            data = ContactCreate(
                organization_id=parse_id(
                    form.get("organization_id"), "organization", field="organization_id"
                ),
                email=form.get("email"),
                name=form.get("name"),
                language=Language(form.get("language") or "en"),
                password=form.values.get("password") or None,
            )
        except ValueError as exc:
            raise InvalidInput("the form has an invalid value: {exc}", params={"exc": exc}) from exc
        if data.password is not None and len(data.password) < 8:
            raise InvalidInput("the password needs at least 8 characters", field="password")
        contact = service.create_contact(ctx.uow, ctx.actor, validated(data))
        return f"/console/contacts/{contact.id}"

    def back(form: FormData) -> str:
        return f"/console/organizations/{form.get('organization_id')}"

    return await form_action(request, "console", create, back=back)


@get("/console/contacts", sync_to_thread=True, include_in_schema=False)
def contact_list(request: Request[Any, Any, Any]) -> Response[str]:
    """Every contact of every organization, searchable, a page at a time."""
    q = (request.query_params.get("q") or "").strip()
    with page_context(request, "console") as ctx:
        contacts, next_cursor = queries.contact_directory(
            ctx.uow, ctx.actor, q=q, cursor=request.query_params.get("cursor") or None, limit=50
        )
        query = {"q": q} if q else {}
        return render_page(
            request,
            "console/contacts.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            contacts=contacts,
            open_counts=queries.open_tickets_by_contact(ctx.uow, [c.id for c in contacts]),
            q=q,
            first_url=(
                "/console/contacts?" + urlencode(query)
                if request.query_params.get("cursor")
                else None
            ),
            next_url=(
                "/console/contacts?" + urlencode({**query, "cursor": next_cursor})
                if next_cursor
                else None
            ),
        )


@get("/console/contacts/{contact_id:int}", sync_to_thread=True, include_in_schema=False)
def contact_page(request: Request[Any, Any, Any], contact_id: FromPath[int]) -> Response[str]:
    """One contact and the tickets they opened."""
    with page_context(request, "console") as ctx:
        contact = queries.contact(ctx.uow, ctx.actor, contact_id)
        tickets, _cursor = ticket_queries.list_tickets(
            ctx.uow,
            ctx.actor,
            ticket_queries.TicketFilters(requester_id=contact.id),
            sort="-updated_at",
            limit=100,
        )
        return render_page(
            request,
            "console/contact.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            contact=contact,
            tickets=tickets,
        )


def _new_password(form: FormData) -> str:
    """The new password of the change form, checked before anything else happens."""
    new = form.values.get("new_password", "")
    if not MIN_PASSWORD_LENGTH <= len(new) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "the password needs {min} to {max} characters",
            params={"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH},
            field="new_password",
        )
    if form.values.get("new_password_again", "") != new:
        raise InvalidInput("the two new passwords differ", field="new_password_again")
    return new


def _password_page(request: Request[Any, Any, Any], area: Area) -> Response[str]:
    with page_context(request, area) as ctx:
        return render_page(
            request,
            "password.html",
            language=ctx.language,
            area=area,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
        )


@get("/console/password", include_in_schema=False)
async def console_password_form(request: Request[Any, Any, Any]) -> Response[Any]:
    """The form an agent changes their own password with."""
    return await in_thread(_password_page, request, "console")


@get("/portal/password", include_in_schema=False)
async def portal_password_form(request: Request[Any, Any, Any]) -> Response[Any]:
    """The form a contact changes their own password with."""
    return await in_thread(_password_page, request, "portal")


async def _change_password(request: Request[Any, Any, Any], area: Area) -> Response[Any]:
    def change(ctx: RequestContext, form: FormData) -> str:
        new = _new_password(form)
        if ctx.actor.id is None:
            raise NotAuthenticated("please sign in")
        # Counted like a sign-in, in this one transaction: the UPDATE holds the email's
        # throttle row (SQLite: the write lock) until the check is over.
        service.reserve_password_check(ctx.uow, ctx.actor)
        current = form.values.get("current_password", "")
        keep = service.Keep(web_session_id=ctx.web_session.id if ctx.web_session else None)
        try:
            if area == "console":
                update = AgentUpdate(password=new, current_password=current)
                service.update_agent(ctx.uow, ctx.actor, ctx.actor.id, update, keep=keep)
            else:
                changed = ContactUpdate(password=new, current_password=current)
                service.update_contact(ctx.uow, ctx.actor, ctx.actor.id, changed, keep=keep)
        except InvalidInput as exc:
            if exc.field == "current_password":
                # Nothing changed but the count of failed checks, which must stay.
                ctx.uow.commit()
            raise
        return with_flash(f"/{area}/password", "saved")

    return await form_action(request, area, change, back=f"/{area}/password")


@post("/console/password", include_in_schema=False)
async def console_password_change(request: Request[Any, Any, Any]) -> Response[Any]:
    """Change the signed-in agent's password; their other sessions and tokens end."""
    return await _change_password(request, "console")


@post("/portal/password", include_in_schema=False)
async def portal_password_change(request: Request[Any, Any, Any]) -> Response[Any]:
    """Change the signed-in contact's password; their other sessions end."""
    return await _change_password(request, "portal")


@get("/console/audit", sync_to_thread=True, include_in_schema=False)
def audit_log(request: Request[Any, Any, Any]) -> Response[str]:
    """The audit log: passwords set by someone else (admins only)."""
    with page_context(request, "console") as ctx:
        return render_page(
            request,
            "console/audit.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            entries=queries.audit_entries(ctx.uow, ctx.actor),
            limit=queries.AUDIT_PAGE,
            reset_hours=RESET_LINK_HOURS,
        )


ROUTES = [
    audit_log,
    console_password_form,
    portal_password_form,
    console_password_change,
    portal_password_change,
    console_login_form,
    portal_login_form,
    console_login,
    portal_login,
    logout,
    organization_list,
    organization_page,
    organization_create,
    organization_update,
    contact_create,
    contact_list,
    contact_page,
]
