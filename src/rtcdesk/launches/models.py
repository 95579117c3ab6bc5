"""Launch windows (重保) of customer organizations, their readiness checklists, and the
admin's launch-guard settings (stricter policy per priority, P1 categories, checklist
template)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by


class LaunchWindow(Base):
    """A customer's launch: while the clock is inside [starts_at, ends_at) the guard is on."""

    __tablename__ = "launch_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    peak_concurrency: Mapped[int | None] = mapped_column(Integer)
    # [{"platform": code, "sdk_version": "4.2.1"}]
    platforms: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    engineer_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="RESTRICT"))
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by the end-of-window job: the figures of the generated report.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    report_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(
        String(200), info=bounded_by("the actor's name, cut to fit", max_length=200)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    items: Mapped[list[ChecklistItem]] = relationship(
        order_by="ChecklistItem.position", cascade="all, delete-orphan", lazy="selectin"
    )


class ChecklistItem(Base):
    """One readiness item of a launch: who owns it, by when, done or not."""

    __tablename__ = "launch_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    launch_id: Mapped[int] = mapped_column(
        ForeignKey("launch_windows.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LaunchSettings(Base):
    """The admin's launch-guard settings (one row, id 1)."""

    __tablename__ = "launch_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # priority ("P1") -> sla_policies.id whose newest version applies during a launch
    policies: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    # ticket categories opened as P1 during a launch
    p1_categories: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # titles of the checklist items every new launch starts with
    checklist_template: Mapped[list[str]] = mapped_column(JSONType, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = ["ChecklistItem", "LaunchSettings", "LaunchWindow"]
