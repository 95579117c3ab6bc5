"""Console pages for agents: the ticket list with saved views, the ticket page, actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from rtcdesk.accounts import queries as account_queries
from rtcdesk.accounts.models import PLATFORMS, Contact, Organization
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import validated
from rtcdesk.diagnostics import queries as diagnostics_queries
from rtcdesk.escalation import texts as escalation_texts
from rtcdesk.oncall import page_queries
from rtcdesk.oncall import page_texts as paging_texts
from rtcdesk.oncall.page_texts import reason_text
from rtcdesk.routing import queries as routing_queries
from rtcdesk.routing.reasons import describe as describe_routing
from rtcdesk.sla import queries as sla_queries
from rtcdesk.tickets import access, links, queries, saved_views, service
from rtcdesk.tickets.forms import (
    attach_files,
    enum_value,
    optional_int,
    reply_from_form,
    ticket_from_form,
)
from rtcdesk.tickets.models import (
    Category,
    Channel,
    Impact,
    Priority,
    SavedView,
    Status,
    Urgency,
)
from rtcdesk.tickets.schemas import LinkCreate, SavedViewCreate, TicketUpdate
from rtcdesk.tickets.workflow import TRANSITIONS
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

CHOICES: dict[str, Any] = {
    "statuses": list(Status),
    "priorities": list(Priority),
    "categories": list(Category),
    "urgencies": list(Urgency),
    "impacts": list(Impact),
    "channels": [c for c in Channel if c not in (Channel.CONSOLE, Channel.SYSTEM)],
    "platforms": PLATFORMS,
}


@get("/console", sync_to_thread=False, include_in_schema=False)
def console_root() -> Redirect:
    """The console opens on the ticket list."""
    return Redirect(path="/console/tickets", status_code=303)


# The console's built-in views: (key, filters). The sidebar links to exactly these filters
# and counts them with the same conditions, so a count always matches its list.
BUILTIN_VIEWS: list[tuple[str, dict[str, str]]] = [
    ("unsolved", {"status": "unsolved"}),
    ("mine", {"status": "unsolved", "assignee": "me"}),
    ("unassigned", {"status": "new,open", "assignee": "none"}),
    ("new", {"status": "new"}),
    ("waiting", {"status": "pending_customer"}),
    ("p1", {"priority": "P1", "status": "unsolved"}),
    ("breaching", {"status": "unsolved", "sla": "soon", "within": "4"}),
    ("breached", {"status": "unsolved", "sla": "breached"}),
    ("solved", {"status": "solved,closed"}),
]
DEFAULT_FILTERS = {"status": "unsolved"}
# Parameters that change the order or the page of a list, not which tickets it holds.
NOT_FILTERS = ("sort", "cursor", "view")


def _view_filters(view: SavedView) -> dict[str, str]:
    """The filters a saved view's link opens (the default list when it saved none)."""
    return dict(view.filters) or dict(DEFAULT_FILTERS)


def _view_counts(
    ctx: RequestContext, views: list[SavedView]
) -> tuple[dict[str, int], dict[int, int]]:
    """Ticket counts of the built-in views and of the saved views, in one query."""
    now = ctx.uow.clock.now()
    wanted: dict[str, queries.TicketFilters] = {
        key: queries.TicketFilters.from_params(params, now=now) for key, params in BUILTIN_VIEWS
    }
    room = queries.MAX_COUNTED_VIEWS - len(wanted)
    for view in views[:room]:
        params = {k: v for k, v in _view_filters(view).items() if k not in NOT_FILTERS}
        try:
            wanted[f"saved-{view.id}"] = queries.TicketFilters.from_params(params, now=now)
        except InvalidInput:
            continue  # a view saved with a filter that no longer parses shows no count
    counts = queries.count_views(ctx.uow, ctx.actor, wanted)
    builtin = {key: counts[key] for key, _params in BUILTIN_VIEWS}
    saved = {v.id: counts[f"saved-{v.id}"] for v in views if f"saved-{v.id}" in counts}
    return builtin, saved


@get("/console/tickets", sync_to_thread=True, include_in_schema=False)
def ticket_list(request: Request[Any, Any, Any]) -> Response[str]:
    """Filterable, sortable ticket list with built-in and saved views and their counts."""
    params = {k: v for k, v in request.query_params.items() if v}
    with page_context(request, "console") as ctx:
        views = saved_views.saved_views(ctx.uow, ctx.actor)
        view_id = optional_int(params.pop("view", ""), "view")
        active_view = next((v for v in views if v.id == view_id), None)
        if active_view is not None:
            params = {**_view_filters(active_view), **params}
        if not params:
            params = dict(DEFAULT_FILTERS)
        filters = queries.TicketFilters.from_params(params, now=ctx.uow.clock.now())
        # A list narrowed by SLA reads best most urgent first.
        sort = params.get("sort") or ("sla_due_at" if filters.sla else None)
        rows, next_cursor = queries.list_tickets(
            ctx.uow,
            ctx.actor,
            filters,
            sort=sort,
            cursor=params.get("cursor"),
            limit=50,
            with_requester=True,
        )
        orgs = {o.id: o for o in account_queries.organizations(ctx.uow, ctx.actor)}
        agents = account_queries.agents(ctx.uow, ctx.actor)
        filter_params = {k: v for k, v in params.items() if k not in ("cursor",)}
        shown = {k: v for k, v in params.items() if k not in NOT_FILTERS}
        builtin_counts, saved_counts = _view_counts(ctx, views)
        return render_page(
            request,
            "console/tickets.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            tickets=rows,
            params=params,
            sort=sort or "-updated_at",
            now=ctx.uow.clock.now(),
            next_url=(
                "/console/tickets?" + urlencode({**filter_params, "cursor": next_cursor})
                if next_cursor
                else None
            ),
            builtin_views=[
                {
                    "key": key,
                    "url": "/console/tickets?" + urlencode(view_params),
                    "count": builtin_counts[key],
                    "active": active_view is None and shown == view_params,
                }
                for key, view_params in BUILTIN_VIEWS
            ],
            views=views,
            view_counts=saved_counts,
            active_view=active_view,
            orgs=orgs,
            agents={a.id: a for a in agents},
            groups=account_queries.groups(ctx.uow, ctx.actor),
            filter_query=urlencode(filter_params),
            **CHOICES,
        )


@post("/console/views", include_in_schema=False)
async def view_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Save the current filters as a named view."""

    def save(ctx: RequestContext, form: FormData) -> str:
        filters = dict(parse_qsl(form.get("filters")))
        filters.pop("cursor", None)
        filters.pop("view", None)
        view = saved_views.create_saved_view(
            ctx.uow,
            ctx.actor,
            validated(
                SavedViewCreate(
                    name=form.get("name") or "View",
                    filters=filters,
                    shared=bool(form.get("shared")),
                )
            ),
        )
        return f"/console/tickets?view={view.id}"

    def back(form: FormData) -> str:
        return "/console/tickets?" + form.get("filters")  # the list the form was on

    return await form_action(request, "console", save, back=back)


@post("/console/views/{view_id:int}/delete", include_in_schema=False)
async def view_delete(request: Request[Any, Any, Any], view_id: FromPath[int]) -> Response[Any]:
    """Delete a saved view."""

    def drop(ctx: RequestContext, form: FormData) -> str:
        saved_views.delete_saved_view(ctx.uow, ctx.actor, view_id)
        return "/console/tickets"

    return await form_action(request, "console", drop, back="/console/tickets")


@get("/console/tickets/{ticket_id:int}", sync_to_thread=True, include_in_schema=False)
def ticket_page(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[str]:
    """Conversation, notes, properties, history, attachments and links of a ticket."""
    with page_context(request, "console") as ctx:
        ticket = access.get_ticket(ctx.uow, ctx.actor, ticket_id)
        org = ctx.uow.session.get(Organization, ticket.organization_id)
        requester = (
            ctx.uow.session.get(Contact, ticket.requester_id) if ticket.requester_id else None
        )
        diagnoses = diagnostics_queries.for_ticket(ctx.uow, ctx.actor, ticket.id)
        history = queries.history(ctx.uow, ctx.actor, ticket.id)
        routing_reasons = routing_queries.reasons_in(history)
        sla = sla_queries.sla_for(ctx.uow, [ticket.id]).get(ticket.id)
        return render_page(
            request,
            "console/ticket.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            ticket=ticket,
            org=org,
            requester=requester,
            messages=queries.messages(ctx.uow, ctx.actor, ticket.id),
            history=history,
            routing_reasons=routing_reasons,
            latest_routing=list(routing_reasons.values())[-1] if routing_reasons else None,
            describe_routing=describe_routing,
            pages=page_queries.pages_for_ticket(ctx.uow, ctx.actor, ticket.id),
            paging_entries={
                c.id: entry
                for c in history
                if c.field == paging_texts.HISTORY_FIELD
                and (entry := paging_texts.decode(c.new_value))
            },
            describe_paging=paging_texts.describe,
            escalation_entries={
                c.id: escalated
                for c in history
                if c.field == escalation_texts.HISTORY_FIELD
                and (escalated := escalation_texts.decode(c.new_value))
            },
            describe_escalation=escalation_texts.describe,
            reason_text=reason_text,
            attachments=queries.attachments(ctx.uow, ctx.actor, ticket.id),
            links=queries.links(ctx.uow, ctx.actor, ticket.id),
            diagnoses=diagnoses,
            diagnosis_notes={d.note_message_id: d for d in diagnoses if d.note_message_id},
            sla=sla,
            sla_versions=sla_queries.versions_by_id(
                ctx.uow, [v.policy_version_id for v in sla.versions] if sla else []
            ),
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
            groups=account_queries.groups(ctx.uow, ctx.actor),
            next_statuses=sorted(TRANSITIONS[ticket.status] | {ticket.status}),
            **CHOICES,
        )


@post("/console/tickets/{ticket_id:int}/reply", include_in_schema=False)
async def ticket_reply(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[Any]:
    """Post a public reply or an internal note, with files."""
    path = f"/console/tickets/{ticket_id}"

    def reply(ctx: RequestContext, form: FormData) -> str:
        reply_from_form(
            ctx.uow,
            ctx.actor,
            ctx.container.files,
            ticket_id,
            form,
            channel=Channel.CONSOLE,
            reopen_window=ctx.container.settings.reopen_window,
        )
        return path + "#latest"

    return await form_action(request, "console", reply, back=path)


@post("/console/tickets/{ticket_id:int}/properties", include_in_schema=False)
async def ticket_properties(
    request: Request[Any, Any, Any], ticket_id: FromPath[int]
) -> Response[Any]:
    """Save status, priority, assignee, group, category, platform, SDK version and tags."""
    path = f"/console/tickets/{ticket_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        ticket = access.get_ticket(ctx.uow, ctx.actor, ticket_id)
        data = TicketUpdate(
            status=enum_value(Status, form.get("status"), "status"),
            category=enum_value(Category, form.get("category"), "category"),
            urgency=enum_value(Urgency, form.get("urgency"), "urgency"),
            impact=enum_value(Impact, form.get("impact"), "impact"),
            assignee_id=optional_int(form.get("assignee_id"), "assignee", field="assignee_id"),
            group_id=optional_int(form.get("group_id"), "group", field="group_id"),
            platform=form.get("platform") or None,
            sdk_version=form.get("sdk_version") or None,
            tags=[t for t in form.get("tags").replace(",", " ").split() if t],
        )
        chosen = form.get("priority")
        if chosen == "auto":
            if ticket.priority_override_reason is not None:
                data.priority = None
        elif chosen and (chosen != ticket.priority.value or form.get("priority_reason")):
            data.priority = enum_value(Priority, chosen, "priority")
            data.priority_reason = form.get("priority_reason") or (
                ticket.priority_override_reason or ""
            )
        service.update_ticket(
            ctx.uow,
            ctx.actor,
            ticket_id,
            validated(data),
            reopen_window=ctx.container.settings.reopen_window,
        )
        return with_flash(path, "saved")

    return await form_action(request, "console", save, back=path)


@post("/console/tickets/{ticket_id:int}/link", include_in_schema=False)
async def ticket_link(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[Any]:
    """Link to another ticket, or merge this one into it."""
    path = f"/console/tickets/{ticket_id}"

    def act(ctx: RequestContext, form: FormData) -> str:
        target = optional_int(form.get("target_id").lstrip("#"), "ticket number", field="target_id")
        if target is None:
            raise InvalidInput("give the number of the other ticket", field="target_id")
        if form.get("action") == "merge":
            links.merge_ticket(ctx.uow, ctx.actor, ticket_id, target)
            return with_flash(f"/console/tickets/{target}", "merged")
        links.link_tickets(ctx.uow, ctx.actor, ticket_id, LinkCreate(target_id=target))
        return with_flash(path, "linked")

    return await form_action(request, "console", act, back=path)


@get("/console/tickets/new", include_in_schema=False)
async def ticket_new_form(request: Request[Any, Any, Any]) -> Response[Any]:
    """Open a ticket on a customer's behalf (phone call, chat, meeting)."""
    return await in_thread(_ticket_new_form, request)


def _ticket_new_form(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        org_id = optional_int(request.query_params.get("organization_id", ""), "organization")
        return render_page(
            request,
            "console/ticket_new.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            organizations=account_queries.organizations(ctx.uow, ctx.actor),
            contacts=account_queries.contacts(ctx.uow, ctx.actor, org_id) if org_id else [],
            selected_org=org_id,
            **CHOICES,
        )


@post("/console/tickets/new", include_in_schema=False)
async def ticket_new(request: Request[Any, Any, Any]) -> Response[Any]:
    """Create the ticket from the console form."""

    def create(ctx: RequestContext, form: FormData) -> str:
        data = ticket_from_form(form, for_agent=True)
        ticket = service.create_ticket(ctx.uow, ctx.actor, data, channel=Channel.PHONE)
        attach_files(
            ctx.uow,
            ctx.actor,
            ctx.container.files,
            ticket.id,
            form,
            message_id=queries.first_message_id(ctx.uow, ticket.id),
        )
        return f"/console/tickets/{ticket.id}"

    def back(form: FormData) -> str:
        return f"/console/tickets/new?organization_id={form.get('organization_id')}"

    return await form_action(request, "console", create, back=back)


ROUTES = [
    console_root,
    ticket_list,
    view_create,
    view_delete,
    ticket_page,
    ticket_reply,
    ticket_properties,
    ticket_link,
    ticket_new_form,
    ticket_new,
]
