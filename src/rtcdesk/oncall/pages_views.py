"""Pages in HTML: the signed acknowledgement link (no session), the console's Pages list,
and the acknowledge button of the ticket page."""

from __future__ import annotations

from typing import Any

from litestar import HttpMethod, Request, Response, get, post, route
from litestar.params import FromPath

from rtcdesk.core.errors import Conflict
from rtcdesk.core.validation import parse_id
from rtcdesk.notifications import service as notifications
from rtcdesk.oncall import acks, page_queries
from rtcdesk.oncall.links import link_key
from rtcdesk.oncall.page_texts import reason_text
from rtcdesk.tickets.models import Ticket
from rtcdesk.web.context import RequestContext, container_of, page_context, pick_language
from rtcdesk.web.forms import FormData, form_action
from rtcdesk.web.i18n import normalize_language, translator
from rtcdesk.web.templating import render_page

STATUS = {"forged": 403, "expired": 410, "used": 410}


def _key(request: Request[Any, Any, Any]) -> bytes:
    settings = container_of(request).settings
    return link_key(settings.secret_key, settings.data_dir)


def _link_page(request: Request[Any, Any, Any], token: str, *, ack: bool) -> Response[str]:
    container = container_of(request)
    language = pick_language(request, None)
    data: dict[str, Any] = {"token": token, "problem": None, "done": False, "ticket": None}
    status = 200
    with container.uow(write=ack) as uow:
        try:
            step, agent = acks.step_of_link(uow, token, _key(request))
            language = normalize_language((agent.languages or [language])[0])
            page = acks.get_page(uow, step.page_id)
            ticket = uow.session.get(Ticket, page.ticket_id)
            subject = ticket.subject if ticket else ""
            data.update(agent=agent.name, ticket={"id": page.ticket_id, "subject": subject})
            data["reason"] = reason_text(page.reason, translator(language))
            if ack:
                acks.acknowledge_by_link(uow, token, _key(request))
                uow.commit()
                data["done"] = True
        except acks.LinkRefused as refused:
            data["problem"] = refused.translated(translator(language))
            status = STATUS[refused.problem]
        except Conflict as conflict:
            data["problem"] = conflict.translated(translator(language))
            status = 409
    return render_page(
        request, "oncall/page_ack.html", language=language, status_code=status, **data
    )


@route(
    "/pages/ack/{token:str}",
    http_method=[HttpMethod.GET, HttpMethod.POST],
    sync_to_thread=True,
    include_in_schema=False,
)
def ack_link(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[str]:
    """A signed link: GET shows what it acknowledges with the button (and changes nothing);
    POST acknowledges. The token is the credential: no session is needed."""
    return _link_page(request, token, ack=request.method == HttpMethod.POST)


@get("/console/pages", sync_to_thread=True, include_in_schema=False)
def pages_page(request: Request[Any, Any, Any]) -> Response[str]:
    """Open and recent pages with their chain and time to acknowledge."""
    with page_context(request, "console") as ctx:
        found = page_queries.pages(ctx.uow, ctx.actor, limit=100)
        return render_page(
            request,
            "oncall/pages.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            pages=found,
            subjects=page_queries.ticket_subjects(ctx.uow, ctx.actor, found),
            reason_text=reason_text,
        )


@post("/console/pages/{page_id:int}/ack", include_in_schema=False)
async def ack_in_console(request: Request[Any, Any, Any], page_id: FromPath[int]) -> Response[Any]:
    """Acknowledge a page from the console (ticket page or Pages list)."""

    def back(form: FormData) -> str:
        target = str(form.get("back") or "")
        return target if target.startswith("/console/") else "/console/pages"

    def ack(ctx: RequestContext, form: FormData) -> str:
        page = acks.acknowledge(ctx.uow, ctx.actor, page_id, via="console")
        notification = form.get("notification_id")
        if notification:  # acknowledged from the inbox: that notification is dealt with
            notifications.mark_read(
                ctx.uow, ctx.actor, parse_id(notification, "notification", field="notification_id")
            )
        target = back(form)
        return target if target != "/console/pages" else f"/console/tickets/{page.ticket_id}"

    return await form_action(request, "console", ack, back=back)


ROUTES = [ack_link, pages_page, ack_in_console]
