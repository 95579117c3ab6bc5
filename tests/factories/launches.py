"""Launch windows and launch-guard settings for tests, created through the launches service."""

from __future__ import annotations

from datetime import datetime

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Organization
from rtcdesk.bootstrap import Container
from rtcdesk.launches import service
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.launches.schemas import LaunchCreate, PlatformIn, SettingsIn
from rtcdesk.tickets.models import Category, Priority


def configure(
    container: Container,
    *,
    policies: dict[str, int] | None = None,
    p1_categories: tuple[str, ...] = (),
    template: tuple[str, ...] = (),
) -> None:
    """Commit the launch-guard settings (policy ids per priority)."""
    with container.uow() as uow:
        service.configure(
            uow,
            SYSTEM,
            SettingsIn(
                policies={Priority(p): i for p, i in (policies or {}).items()},
                p1_categories=[Category(c) for c in p1_categories],
                checklist_template=list(template),
            ),
        )
        uow.commit()


def launch(
    container: Container,
    org: Organization,
    engineer: Agent,
    *,
    starts_at: datetime,
    ends_at: datetime,
    backup: Agent | None = None,
    title: str = "Live-streaming app 2.0",
) -> LaunchWindow:
    """A committed launch window."""
    with container.uow() as uow:
        created = service.create_launch(
            uow,
            SYSTEM,
            LaunchCreate(
                organization_id=org.id,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                timezone="Asia/Shanghai",
                engineer_id=engineer.id,
                backup_id=backup.id if backup else None,
                peak_concurrency=200_000,
                platforms=[PlatformIn("android", "4.2.1"), PlatformIn("ios", "4.2.1")],
            ),
        )
        uow.commit()
        return created
