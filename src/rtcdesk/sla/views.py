"""Console pages for SLA settings: the policy matrix with its versions, and calendars."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts.models import PlanTier
from rtcdesk.core.errors import InvalidInput
from rtcdesk.sla import queries, service
from rtcdesk.sla.schemas import CalendarIn, ClosureIn, DayIn, OfficialYearIn, PolicyIn
from rtcdesk.sla.specs import PAUSABLE, WEEKDAYS
from rtcdesk.tickets.forms import enum_value
from rtcdesk.tickets.models import Priority, Status
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page

_SPLIT = re.compile(r"[\s,;]+")
STATUS_VALUES = frozenset(s.value for s in Status)


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.strip()) if w]


def _minutes(form: FormData, name: str) -> int | None:
    raw = form.get(name).strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput(
            "{raw!r} is not a whole number of minutes", params={"raw": raw}, field=name
        )
    return int(raw)


def _points(text: str) -> list[float]:
    out = []
    for word in _words(text.replace("%", " ")):
        try:
            out.append(float(word) / 100)
        except ValueError:
            raise InvalidInput(
                "{word!r} is not a percentage", params={"word": word}, field="warning_points"
            ) from None
    return out


@get("/console/sla/policies", include_in_schema=False)
async def policies_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The plan tier x priority matrix, the form to save a new version, and the history."""
    return await in_thread(_policies_page, request)


def _policies_page(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "console") as ctx:
        cells = queries.policy_matrix(ctx.uow, ctx.actor)
        tier, _, priority = request.query_params.get("edit", "").partition("-")
        base = next(
            (c.current for c in cells if (c.plan_tier.value, c.priority.value) == (tier, priority)),
            None,
        )
        points = base.warning_points if base is not None else [0.75]
        return render_page(
            request,
            "console/sla_policies.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            cells={(c.plan_tier, c.priority): c for c in cells},
            tiers=list(PlanTier),
            priorities=list(Priority),
            calendars=queries.calendars(ctx.uow, ctx.actor),
            pausable=PAUSABLE,
            versions=[v for c in cells for v in c.versions],
            base=base,
            base_tier=tier,
            base_priority=priority,
            base_points=" ".join(f"{p * 100:g}" for p in points),
        )


@post("/console/sla/policies", include_in_schema=False)
async def policy_save(request: Request[Any, Any, Any]) -> Response[Any]:
    """Save the targets of one tier x priority as its next version."""
    path = "/console/sla/policies"

    def save(ctx: RequestContext, form: FormData) -> str:
        tier = enum_value(PlanTier, form.get("plan_tier"), "plan_tier")
        priority = enum_value(Priority, form.get("priority"), "priority")
        calendar = form.get("calendar_id")
        if tier is None or priority is None or not calendar.isdigit():
            raise InvalidInput("choose a plan, a priority and a calendar", field="calendar_id")
        service.save_policy(
            ctx.uow,
            ctx.actor,
            PolicyIn(
                plan_tier=tier,
                priority=priority,
                calendar_id=int(calendar),
                first_response_minutes=_minutes(form, "first_response_minutes"),
                next_reply_minutes=_minutes(form, "next_reply_minutes"),
                resolution_minutes=_minutes(form, "resolution_minutes"),
                pause_on=[Status(s) for s in form.get_list("pause_on") if s in STATUS_VALUES],
                warning_points=_points(form.get("warning_points")),
                note=form.get("note"),
            ),
        )
        return with_flash(path, "saved")

    return await form_action(request, "console", save, back=path)


@get("/console/sla/calendars", sync_to_thread=True, include_in_schema=False)
def calendars_page(request: Request[Any, Any, Any]) -> Response[str]:
    """Every business calendar, with what it knows of official years."""
    with page_context(request, "console") as ctx:
        rows = queries.calendars(ctx.uow, ctx.actor)
        today = ctx.uow.clock.now().date()
        return render_page(
            request,
            "console/sla_calendars.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            calendars=[queries.calendar_out(r) for r in rows],
            unknown={r.id: queries.unknown_upcoming_year(r, today) for r in rows},
        )


def _calendar_form(form: FormData) -> CalendarIn:
    """A calendar from the edit form (week hours per day, dates separated by spaces)."""
    week = [_words(form.get(f"week_{day}")) for day in WEEKDAYS]
    days = []
    for line in form.get("days").splitlines():
        head, _, reason = line.partition("|")
        parts = _words(head)
        if parts:
            days.append(DayIn(day=parts[0], hours=parts[1:], reason=reason.strip()))
    closures = []
    for line in form.get("closures").splitlines():
        head, _, reason = line.partition("|")
        parts = _words(head)
        if not parts:
            continue
        if len(parts) != 2:
            raise InvalidInput(
                "a closure is two instants like 2026-10-09T14:00+08:00 2026-10-09T18:00+08:00",
                field="closures",
            )
        try:
            start, end = (datetime.fromisoformat(p) for p in parts)
        except ValueError:
            raise InvalidInput(
                "{line!r} is not two ISO instants", params={"line": line.strip()}, field="closures"
            ) from None
        closures.append(ClosureIn(start=start, end=end, reason=reason.strip()))
    workday = _words(form.get("workday_hours"))
    return CalendarIn(
        name=form.get("name"),
        timezone=form.get("timezone") or "UTC",
        always_open=bool(form.get("always_open")),
        follows_china=bool(form.get("follows_china")),
        week=week,
        workday_hours=workday or None,
        holidays=_words(form.get("holidays")),
        extra_workdays=_words(form.get("extra_workdays")),
        days=days,
        closures=closures,
    )


def _render_calendar(request: Request[Any, Any, Any], calendar_id: int | None) -> Response[str]:
    with page_context(request, "console") as ctx:
        row = queries.calendar(ctx.uow, ctx.actor, calendar_id) if calendar_id else None
        today = ctx.uow.clock.now().date()
        cal = queries.calendar_out(row) if row is not None else None
        days_text = "\n".join(
            " ".join([d.day, *d.hours]) + (f" | {d.reason}" if d.reason else "")
            for d in (cal.days if cal else [])
        )
        closures_text = "\n".join(
            f"{c.start.isoformat()} {c.end.isoformat()}" + (f" | {c.reason}" if c.reason else "")
            for c in (cal.closures if cal else [])
        )
        return render_page(
            request,
            "console/sla_calendar.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            cal=cal,
            days_text=days_text,
            closures_text=closures_text,
            unknown_year=queries.unknown_upcoming_year(row, today) if row is not None else None,
            weekdays=WEEKDAYS,
            next_year=today.year + 1,
        )


@get("/console/sla/calendars/new", include_in_schema=False)
async def calendar_new_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The form for a new calendar."""
    return await in_thread(_render_calendar, request, None)


@post("/console/sla/calendars/new", include_in_schema=False)
async def calendar_create(request: Request[Any, Any, Any]) -> Response[Any]:
    """Create a calendar from the form."""

    def create(ctx: RequestContext, form: FormData) -> str:
        row = service.create_calendar(ctx.uow, ctx.actor, _calendar_form(form))
        return with_flash(f"/console/sla/calendars/{row.id}", "saved")

    return await form_action(request, "console", create, back="/console/sla/calendars/new")


@get("/console/sla/calendars/{calendar_id:int}", include_in_schema=False)
async def calendar_page(
    request: Request[Any, Any, Any], calendar_id: FromPath[int]
) -> Response[Any]:
    """One calendar's edit form and its official years."""
    return await in_thread(_render_calendar, request, calendar_id)


@post("/console/sla/calendars/{calendar_id:int}", include_in_schema=False)
async def calendar_update(
    request: Request[Any, Any, Any], calendar_id: FromPath[int]
) -> Response[Any]:
    """Save the calendar form (official years are kept)."""
    path = f"/console/sla/calendars/{calendar_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        data = _calendar_form(form)
        current = queries.calendar_out(queries.calendar(ctx.uow, ctx.actor, calendar_id))
        data.official_years = current.official_years
        service.update_calendar(ctx.uow, ctx.actor, calendar_id, data)
        return with_flash(path, "saved")

    return await form_action(request, "console", save, back=path)


@post("/console/sla/calendars/{calendar_id:int}/official-year", include_in_schema=False)
async def official_year_save(
    request: Request[Any, Any, Any], calendar_id: FromPath[int]
) -> Response[Any]:
    """Enter or replace one year's official schedule (days off, make-up working days)."""
    path = f"/console/sla/calendars/{calendar_id}"

    def save(ctx: RequestContext, form: FormData) -> str:
        raw = form.get("year").strip()
        if not raw.isdigit() or not 2000 <= int(raw) <= 2040:
            raise InvalidInput("the year must be between 2000 and 2040", field="year")
        entry = OfficialYearIn(
            year=int(raw),
            days_off=_words(form.get("days_off")),
            workdays=_words(form.get("workdays")),
        )
        service.set_official_year(ctx.uow, ctx.actor, calendar_id, entry)
        return with_flash(path, "saved")

    return await form_action(request, "console", save, back=path)


ROUTES = [
    policies_page,
    policy_save,
    calendars_page,
    calendar_new_page,
    calendar_create,
    calendar_page,
    calendar_update,
    official_year_save,
]
