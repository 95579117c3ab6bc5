"""The only write path for launch windows, their checklists and the launch-guard settings.

Whether a launch is active is decided by the clock at read time (:func:`state_of`); the
keyed timers queued here (``launch:<id>:start`` / ``launch:<id>:end``) only move the open
tickets that existed before the window onto the launch policies and back, and build the
report at the end (``jobs.py``). Editing the window replaces both timers in the same
transaction.
"""

from __future__ import annotations

from msgspec import UNSET

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent, Organization
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.core.platforms import PLATFORM_NAMES
from rtcdesk.core.validation import check_timezone, fit, require_text, utc_instant
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.launches import access, guard
from rtcdesk.launches.guard import settings, state_of
from rtcdesk.launches.models import ChecklistItem, LaunchSettings, LaunchWindow
from rtcdesk.launches.schemas import (
    ItemCreate,
    ItemUpdate,
    LaunchCreate,
    LaunchUpdate,
    PlatformIn,
    SettingsIn,
)
from rtcdesk.sla.models import SlaPolicy

START_JOB = "launches.start"
END_JOB = "launches.end"
MAX_ITEMS = 50


def timer_key(launch_id: int, edge: str) -> str:
    """The job key of a launch's start or end timer (replaced, never duplicated)."""
    return f"launch:{launch_id}:{edge}"


def get_launch(uow: UnitOfWork, actor: Actor, launch_id: int) -> LaunchWindow:
    """The launch with ``launch_id`` if ``actor`` may see it, else NotFound."""
    return access.launch_for(actor, uow.session.get(LaunchWindow, launch_id), launch_id)


def _agent(uow: UnitOfWork, agent_id: int, field: str) -> Agent:
    agent = uow.session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise InvalidInput(
            "{agent_id} is not an active agent", params={"agent_id": agent_id}, field=field
        )
    return agent


def _platforms(items: list[PlatformIn]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for item in items:
        code = item.platform.strip().lower().replace("_", "-")
        if code not in PLATFORM_NAMES:
            raise InvalidInput(
                "unknown platform {value!r}; known: {known}",
                params={"value": item.platform, "known": ", ".join(PLATFORM_NAMES)},
                field="platforms",
            )
        out.append({"platform": code, "sdk_version": item.sdk_version.strip()})
    return out


def _check_window(uow: UnitOfWork, launch: LaunchWindow) -> None:
    if launch.ends_at <= launch.starts_at:
        raise InvalidInput("the launch must end after it starts", field="ends_at")
    if launch.ends_at <= uow.clock.now():
        raise InvalidInput("the launch window must end in the future", field="ends_at")
    if launch.backup_id is not None and launch.backup_id == launch.engineer_id:
        raise InvalidInput(
            "the backup must be someone other than the on-call engineer", field="backup_id"
        )


def _schedule(uow: UnitOfWork, launch: LaunchWindow) -> None:
    payload = {"launch_id": launch.id}
    jobs.enqueue(
        uow, START_JOB, payload, run_at=launch.starts_at, key=timer_key(launch.id, "start")
    )
    jobs.enqueue(uow, END_JOB, payload, run_at=launch.ends_at, key=timer_key(launch.id, "end"))


def create_launch(uow: UnitOfWork, actor: Actor, data: LaunchCreate) -> LaunchWindow:
    """Register a customer's launch window with the template's checklist items."""
    access.check_can_edit(actor)
    if uow.session.get(Organization, data.organization_id) is None:
        raise InvalidInput(
            "organization {organization_id} does not exist",
            params={"organization_id": data.organization_id},
            field="organization_id",
        )
    _agent(uow, data.engineer_id, "engineer_id")
    if data.backup_id is not None:
        _agent(uow, data.backup_id, "backup_id")
    now = uow.clock.now()
    launch = LaunchWindow(
        organization_id=data.organization_id,
        title=require_text(data.title, "title", max_length=200),
        description=data.description.strip(),
        starts_at=utc_instant(data.starts_at, "starts_at"),
        ends_at=utc_instant(data.ends_at, "ends_at"),
        timezone=check_timezone(data.timezone),
        peak_concurrency=data.peak_concurrency,
        platforms=_platforms(data.platforms),
        engineer_id=data.engineer_id,
        backup_id=data.backup_id,
        created_by=fit(actor.name, 200),
        created_at=now,
        updated_at=now,
    )
    _check_window(uow, launch)
    if data.checklist is None:
        launch.items = [
            ChecklistItem(position=i, title=title, done=False, note="", updated_at=now)
            for i, title in enumerate(settings(uow).checklist_template)
        ]
    else:
        launch.items = [_new_item(uow, i, item) for i, item in enumerate(data.checklist)]
    uow.session.add(launch)
    uow.flush()
    _schedule(uow, launch)
    return launch


def _editable(uow: UnitOfWork, launch: LaunchWindow) -> None:
    state = state_of(launch, uow.clock.now())
    if state in ("ended", "cancelled"):
        raise Conflict(
            "launch {launch_id} has {state}; it can no longer be changed",
            params={"launch_id": launch.id, "state": state},
        )


def update_launch(
    uow: UnitOfWork, actor: Actor, launch_id: int, data: LaunchUpdate
) -> LaunchWindow:
    """Change a launch that has not ended; its timers move with it."""
    access.check_can_edit(actor)
    launch = get_launch(uow, actor, launch_id)
    _editable(uow, launch)
    was_active = state_of(launch, uow.clock.now()) == "active"
    if data.title is not UNSET:
        launch.title = require_text(data.title, "title", max_length=200)
    if data.description is not UNSET:
        launch.description = data.description.strip()
    if data.starts_at is not UNSET:
        launch.starts_at = utc_instant(data.starts_at, "starts_at")
    if data.ends_at is not UNSET:
        launch.ends_at = utc_instant(data.ends_at, "ends_at")
    if data.timezone is not UNSET:
        launch.timezone = check_timezone(data.timezone)
    if data.engineer_id is not UNSET:
        launch.engineer_id = _agent(uow, data.engineer_id, "engineer_id").id
    if data.backup_id is not UNSET:
        launch.backup_id = (
            None if data.backup_id is None else _agent(uow, data.backup_id, "backup_id").id
        )
    if data.peak_concurrency is not UNSET:
        launch.peak_concurrency = data.peak_concurrency
    if data.platforms is not UNSET:
        launch.platforms = _platforms(data.platforms)
    _check_window(uow, launch)
    launch.updated_at = uow.clock.now()
    uow.flush()
    _schedule(uow, launch)
    if was_active and state_of(launch, uow.clock.now()) != "active":
        # Moved out of the window (start postponed): the tickets go back now.
        guard.release_organization(uow, launch)
    return launch


def cancel_launch(uow: UnitOfWork, actor: Actor, launch_id: int) -> LaunchWindow:
    """Cancel a launch that has not ended; an active guard is lifted at once."""
    access.check_can_edit(actor)
    launch = get_launch(uow, actor, launch_id)
    _editable(uow, launch)
    was_active = state_of(launch, uow.clock.now()) == "active"
    launch.cancelled_at = uow.clock.now()
    launch.updated_at = launch.cancelled_at
    jobs.cancel(uow, timer_key(launch.id, "start"))
    jobs.cancel(uow, timer_key(launch.id, "end"))
    uow.flush()
    if was_active:
        guard.release_organization(uow, launch)
    return launch


def _item(launch: LaunchWindow, item_id: int) -> ChecklistItem:
    for item in launch.items:
        if item.id == item_id:
            return item
    raise NotFound(
        "item {item_id} is not on the checklist of launch {launch_id}",
        params={"item_id": item_id, "launch_id": launch.id},
    )


def _new_item(uow: UnitOfWork, position: int, data: ItemCreate) -> ChecklistItem:
    if data.owner_id is not None:
        _agent(uow, data.owner_id, "owner_id")
    return ChecklistItem(
        position=position,
        title=require_text(data.title, "title", max_length=200),
        owner_id=data.owner_id,
        due_on=data.due_on,
        done=False,
        note=data.note.strip(),
        updated_at=uow.clock.now(),
    )


def add_item(uow: UnitOfWork, actor: Actor, launch_id: int, data: ItemCreate) -> ChecklistItem:
    """Add a readiness item to a launch's checklist."""
    access.check_can_edit(actor)
    launch = get_launch(uow, actor, launch_id)
    if len(launch.items) >= MAX_ITEMS:
        raise InvalidInput(
            "a checklist holds at most {limit} items", params={"limit": MAX_ITEMS}, field="title"
        )
    item = _new_item(uow, max((i.position for i in launch.items), default=-1) + 1, data)
    launch.items.append(item)
    uow.flush()
    return item


def update_item(
    uow: UnitOfWork, actor: Actor, launch_id: int, item_id: int, data: ItemUpdate
) -> ChecklistItem:
    """Tick, assign, re-date or annotate a checklist item."""
    access.check_can_edit(actor)
    item = _item(get_launch(uow, actor, launch_id), item_id)
    if data.title is not UNSET:
        item.title = require_text(data.title, "title", max_length=200)
    if data.owner_id is not UNSET:
        item.owner_id = None if data.owner_id is None else _agent(uow, data.owner_id, "owner_id").id
    if data.due_on is not UNSET:
        item.due_on = data.due_on
    if data.done is not UNSET:
        item.done = data.done
    if data.note is not UNSET:
        item.note = data.note.strip()
    item.updated_at = uow.clock.now()
    uow.flush()
    return item


def configure(uow: UnitOfWork, actor: Actor, data: SettingsIn) -> LaunchSettings:
    """Set the launch policies per priority, the P1 categories and the checklist template."""
    access.check_can_configure(actor)
    policies = {p.value: policy_id for p, policy_id in data.policies.items()}
    for policy_id in policies.values():
        if uow.session.get(SlaPolicy, policy_id) is None:
            raise InvalidInput(
                "SLA policy {policy_id} does not exist",
                params={"policy_id": policy_id},
                field="policies",
            )
    row = settings(uow)
    row.policies = dict(sorted(policies.items()))
    row.p1_categories = list(dict.fromkeys(c.value for c in data.p1_categories))
    row.checklist_template = [
        require_text(t, "checklist_template", max_length=200) for t in data.checklist_template
    ]
    row.updated_at = uow.clock.now()
    uow.flush()
    return row
