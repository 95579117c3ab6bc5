"""Console pages for launch windows: the list (active, upcoming, past), the form that registers
one, a launch's page (state, checklist ticking, the organization's tickets and pages in the
window, the report once it ended, edit and cancel) and the report as a Markdown download."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts import queries as account_queries
from rtcdesk.core.errors import Conflict, InvalidInput
from rtcdesk.core.i18n import N_
from rtcdesk.core.platforms import PLATFORM_NAMES
from rtcdesk.core.validation import check_timezone, parse_id, utc_instant, validated
from rtcdesk.launches import access, queries, report, service
from rtcdesk.launches.guard import settings, state_of
from rtcdesk.launches.schemas import ItemCreate, ItemUpdate, LaunchCreate, LaunchUpdate, PlatformIn
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

PLATFORM_SLOTS = 4
EXTRA_ITEM_SLOTS = 3
LIST = "/console/launches"
NEW = "/console/launches/new"


@get(LIST, include_in_schema=False)
async def launch_list(request: Request[Any, Any, Any]) -> Response[Any]:
    """Launches: active now, upcoming, past (ended or cancelled)."""
    return await in_thread(_launch_list, request)


def _launch_list(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        now = ctx.uow.clock.now()
        rows = [queries.launch_out(ctx.uow, row) for row in queries.launches(ctx.uow, ctx.actor)]
        groups: dict[str, list[Any]] = {"active": [], "upcoming": [], "past": []}
        for row in rows:
            groups[row.state if row.state in ("active", "upcoming") else "past"].append(row)
        groups["active"].sort(key=lambda r: r.ends_at)
        groups["upcoming"].sort(key=lambda r: r.starts_at)
        return render_page(
            request,
            "launches/list.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            groups=groups,
            local=queries.local_text,
            now=now,
        )


@get(NEW, include_in_schema=False)
async def launch_new(request: Request[Any, Any, Any]) -> Response[Any]:
    """The form that registers a launch (its checklist starts from the admin's template)."""
    return await in_thread(_launch_new, request)


def _launch_new(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        access.check_can_edit(ctx.actor)
        template = list(settings(ctx.uow).checklist_template)
        chosen = request.query_params.get("organization_id") or ""
        return render_page(
            request,
            "launches/new.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            organizations=account_queries.organizations(ctx.uow, ctx.actor),
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
            platforms=list(PLATFORM_NAMES),
            platform_slots=PLATFORM_SLOTS,
            template_items=template,
            item_slots=len(template) + EXTRA_ITEM_SLOTS,
            chosen_org=chosen if chosen.isdigit() else "",
        )


def _optional_id(form: FormData, name: str, what: str) -> int | None:
    raw = form.get(name).strip()
    return parse_id(raw, what, field=name) if raw else None


def _required_id(form: FormData, name: str, what: str, message: str) -> int:
    found = _optional_id(form, name, what)
    if found is None:
        raise InvalidInput(message, field=name)
    return found


def _local_instant(raw: str, timezone: str, field: str) -> datetime:
    """A ``datetime-local`` field read as wall-clock time in the launch's zone."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput("give a date and time", field=field) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return utc_instant(value, field)


def _date(raw: str, field: str) -> date | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "{value!r} is not a date; use YYYY-MM-DD", params={"value": text}, field=field
        ) from None


def _peak(raw: str) -> int | None:
    text = raw.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000_000:
        raise InvalidInput(
            "the expected peak is a whole number from 1 to 1000000000", field="peak_concurrency"
        )
    return int(text)


def _platforms(form: FormData) -> list[PlatformIn]:
    found: list[PlatformIn] = []
    for i in range(PLATFORM_SLOTS):
        code = form.get(f"platform_{i}").strip()
        if code:
            found.append(PlatformIn(platform=code, sdk_version=form.get(f"sdk_version_{i}")))
    return found


def _window_fields(form: FormData) -> dict[str, Any]:
    """The fields the new and edit forms share, read from the form."""
    timezone = check_timezone(form.get("timezone").strip() or "Asia/Shanghai")
    backup = _optional_id(form, "backup_id", "backup")
    return {
        "title": form.get("title"),
        "description": form.get("description"),
        "starts_at": _local_instant(form.get("starts_at"), timezone, "starts_at"),
        "ends_at": _local_instant(form.get("ends_at"), timezone, "ends_at"),
        "timezone": timezone,
        "engineer_id": _required_id(
            form, "engineer_id", "engineer", N_("choose the on-call engineer")
        ),
        "backup_id": backup,
        "peak_concurrency": _peak(form.get("peak_concurrency")),
        "platforms": _platforms(form),
    }


def _checklist(form: FormData) -> list[ItemCreate]:
    items: list[ItemCreate] = []
    slots = form.get("item_slots")
    for i in range(min(int(slots), service.MAX_ITEMS) if slots.isdigit() else 0):
        title = form.get(f"item_title_{i}").strip()
        if not title:
            continue
        items.append(
            ItemCreate(
                title=title,
                owner_id=_optional_id(form, f"item_owner_{i}", "owner"),
                due_on=_date(form.get(f"item_due_{i}"), f"item_due_{i}"),
            )
        )
    return items


@post(LIST, include_in_schema=False)
async def launch_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Register a launch from the console."""

    def create(ctx: RequestContext, form: FormData) -> str:
        data = LaunchCreate(
            organization_id=_required_id(
                form, "organization_id", "organization", N_("choose the organization")
            ),
            checklist=_checklist(form),
            **_window_fields(form),
        )
        row = service.create_launch(ctx.uow, ctx.actor, validated(data))
        return with_flash(f"{LIST}/{row.id}", "saved")

    return await form_action(request, "console", create, back=NEW)


@get(LIST + "/{launch_id:int}", include_in_schema=False)
async def launch_page(request: Request[Any, Any, Any], launch_id: FromPath[int]) -> Response[Any]:
    """One launch: state, checklist, the organization's tickets and pages, the report."""
    return await in_thread(_launch_page, request, launch_id)


def _launch_page(request: Request[Any, Any, Any], launch_id: int) -> Response[str]:
    with page_context(request, "console") as ctx:
        row = queries.launch(ctx.uow, ctx.actor, launch_id)
        out = queries.launch_out(ctx.uow, row)
        pages = queries.window_pages(ctx.uow, ctx.actor, row)
        return render_page(
            request,
            "launches/detail.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            launch=out,
            state=state_of(row, ctx.uow.clock.now()),
            tickets=queries.window_tickets(ctx.uow, ctx.actor, row),
            pages=pages,
            agents=account_queries.agents(ctx.uow, ctx.actor, active_only=True),
            platforms=list(PLATFORM_NAMES),
            platform_slots=PLATFORM_SLOTS,
            local=queries.local_text,
            report_labels=report.labels(ctx.language),
            target_name=lambda target: report.target_name(target, ctx.language),
        )


@post(LIST + "/{launch_id:int}", include_in_schema=False)
async def launch_update(request: Request[Any, Any, Any], launch_id: FromPath[int]) -> Response[Any]:
    """Save a launch's window, people and platforms (until it ends)."""
    page = f"{LIST}/{launch_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        data = LaunchUpdate(**_window_fields(form))
        service.update_launch(ctx.uow, ctx.actor, launch_id, validated(data))
        return with_flash(page, "saved")

    return await form_action(request, "console", save, back=page)


@post(LIST + "/{launch_id:int}/cancel", include_in_schema=False)
async def launch_cancel(request: Request[Any, Any, Any], launch_id: FromPath[int]) -> Response[Any]:
    """Cancel a launch that has not ended."""
    page = f"{LIST}/{launch_id}"

    def cancel(ctx: RequestContext, form: FormData) -> str:
        service.cancel_launch(ctx.uow, ctx.actor, launch_id)
        return with_flash(page, "saved")

    return await form_action(request, "console", cancel, back=page)


@post(LIST + "/{launch_id:int}/items", include_in_schema=False)
async def item_add(request: Request[Any, Any, Any], launch_id: FromPath[int]) -> Response[Any]:
    """Add a readiness item."""
    page = f"{LIST}/{launch_id}"

    def add(ctx: RequestContext, form: FormData) -> str:
        data = ItemCreate(
            title=form.get("title"),
            owner_id=_optional_id(form, "owner_id", "owner"),
            due_on=_date(form.get("due_on"), "due_on"),
            note=form.get("note"),
        )
        service.add_item(ctx.uow, ctx.actor, launch_id, validated(data))
        return with_flash(page + "#checklist", "saved")

    return await form_action(request, "console", add, back=page)


@post(LIST + "/{launch_id:int}/items/{item_id:int}", include_in_schema=False)
async def item_update(
    request: Request[Any, Any, Any], launch_id: FromPath[int], item_id: FromPath[int]
) -> Response[Any]:
    """Tick (or untick) a readiness item, change its owner or due date."""
    page = f"{LIST}/{launch_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        data = ItemUpdate(
            done=form.get("done") == "1",
            owner_id=_optional_id(form, "owner_id", "owner"),
            due_on=_date(form.get("due_on"), "due_on"),
        )
        service.update_item(ctx.uow, ctx.actor, launch_id, item_id, validated(data))
        return with_flash(page + "#checklist", "saved")

    return await form_action(request, "console", save, back=page)


@get(LIST + "/{launch_id:int}/report.md", include_in_schema=False)
async def report_download(
    request: Request[Any, Any, Any], launch_id: FromPath[int]
) -> Response[Any]:
    """The report of an ended launch as a Markdown file in the reader's language."""
    return await in_thread(_report_download, request, launch_id)


def _report_download(request: Request[Any, Any, Any], launch_id: int) -> Response[bytes]:
    with page_context(request, "console") as ctx:
        out = queries.launch_out(ctx.uow, queries.launch(ctx.uow, ctx.actor, launch_id))
        if out.report is None:
            raise Conflict(
                "launch {launch_id} has no report yet: it is written when the window ends",
                params={"launch_id": launch_id},
            )
        text = report.markdown(out.title, out.organization_name, out.report, ctx.language)
    return Response(
        content=text.encode(),
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="launch-{launch_id}-report.md"',
            "X-Content-Type-Options": "nosniff",
        },
    )


ROUTES = [
    launch_list,
    launch_new,
    launch_create,
    launch_page,
    launch_update,
    launch_cancel,
    item_add,
    item_update,
    report_download,
]
