"""Request and response bodies for launch windows, checklists and launch-guard settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.core.validation import Id, stored
from rtcdesk.tickets.models import Category, Priority

Title = Annotated[str, stored("launch_windows.title", min_length=1, max_length=200)]
ItemTitle = Annotated[str, stored("launch_checklist_items.title", min_length=1, max_length=200)]
Description = Annotated[str, Meta(max_length=4000)]
TimeZone = Annotated[str, stored("launch_windows.timezone", min_length=1, max_length=64)]
Note = Annotated[str, Meta(max_length=2000)]
Peak = Annotated[int, Meta(ge=1, le=1_000_000_000)]


class PlatformIn(msgspec.Struct, forbid_unknown_fields=True):
    """A platform code (core/platforms.py) and the SDK version launching on it."""

    platform: Annotated[str, Meta(min_length=1, max_length=32)]
    sdk_version: Annotated[str, Meta(max_length=64)] = ""


Platforms = Annotated[list[PlatformIn], Meta(max_length=20)]


class LaunchCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A customer launch to guard (instants with a zone, e.g. 2026-03-05T20:00:00+08:00)."""

    organization_id: Id
    title: Title
    starts_at: datetime
    ends_at: datetime
    timezone: TimeZone
    engineer_id: Id
    backup_id: Id | None = None
    description: Description = ""
    peak_concurrency: Peak | None = None
    platforms: Platforms = msgspec.field(default_factory=list)
    # The readiness items to start with; absent (null): the admin's checklist template.
    checklist: Annotated[list[ItemCreate], Meta(max_length=50)] | None = None


class LaunchUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a launch that has not ended; absent fields stay as they are."""

    title: Title | UnsetType = UNSET
    starts_at: datetime | UnsetType = UNSET
    ends_at: datetime | UnsetType = UNSET
    timezone: TimeZone | UnsetType = UNSET
    engineer_id: Id | UnsetType = UNSET
    backup_id: Id | UnsetType | None = UNSET
    description: Description | UnsetType = UNSET
    peak_concurrency: Peak | UnsetType | None = UNSET
    platforms: Platforms | UnsetType = UNSET


class ItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A readiness item added to a launch's checklist."""

    title: ItemTitle
    owner_id: Id | None = None
    due_on: date | None = None
    note: Note = ""


class ItemUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a checklist item."""

    title: ItemTitle | UnsetType = UNSET
    owner_id: Id | UnsetType | None = UNSET
    due_on: date | UnsetType | None = UNSET
    done: bool | UnsetType = UNSET
    note: Note | UnsetType = UNSET


class SettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Launch-guard settings: policy id per priority, P1 categories, checklist template."""

    policies: Annotated[dict[Priority, Id], Meta(max_length=4)] = msgspec.field(
        default_factory=dict
    )
    p1_categories: Annotated[list[Category], Meta(max_length=4)] = msgspec.field(
        default_factory=list
    )
    checklist_template: Annotated[list[ItemTitle], Meta(max_length=30)] = msgspec.field(
        default_factory=list
    )


class ItemOut(msgspec.Struct):
    """A checklist item as shown."""

    id: int
    title: str
    owner_id: int | None
    owner_name: str | None
    due_on: date | None
    done: bool
    overdue: bool
    note: str


class LaunchOut(msgspec.Struct):
    """A launch window as shown to agents."""

    id: int
    organization_id: int
    organization_name: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    state: str  # upcoming | active | ended | cancelled
    peak_concurrency: int | None
    platforms: list[dict[str, str]]
    engineer_id: int
    engineer_name: str
    backup_id: int | None
    backup_name: str | None
    items: list[ItemOut]
    report: dict[str, Any] | None


class SettingsOut(msgspec.Struct):
    """The launch-guard settings."""

    policies: dict[str, int]
    p1_categories: list[str]
    checklist_template: list[str]


class BannerOut(msgspec.Struct):
    """The organization's launch support, as its customers see it."""

    active: bool
    title: str | None = None
    ends_at: datetime | None = None
    engineer_name: str | None = None
