"""The one place that wires rtcdesk together: engine, sessions, clock, file store, events, jobs.

``build_container(settings)`` is called by the web app, the CLI and the worker; tests call
it with their own settings and clock. Nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rtcdesk.accounts import jobs as accounts_jobs
from rtcdesk.channels.email import jobs as email_jobs
from rtcdesk.config import Settings
from rtcdesk.core.clock import Clock, ShiftedClock, SystemClock
from rtcdesk.core.events import EventBus
from rtcdesk.db.engine import make_engine
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics import handlers as diagnostics_handlers
from rtcdesk.diagnostics import jobs as diagnostics_jobs
from rtcdesk.escalation import service as escalation_service
from rtcdesk.escalation.texts import KINDS as ESCALATION_KINDS
from rtcdesk.files.store import FileStore
from rtcdesk.jobs import housekeeping as jobs_housekeeping
from rtcdesk.jobs.registry import JobRegistry
from rtcdesk.launches import guard as launches_guard
from rtcdesk.launches import jobs as launches_jobs
from rtcdesk.logs import handlers as logs_handlers
from rtcdesk.logs import jobs as logs_jobs
from rtcdesk.notifications import handlers as notifications_handlers
from rtcdesk.notifications import jobs as notifications_jobs
from rtcdesk.notifications.actions import InboxActions
from rtcdesk.notifications.kinds import NotificationRegistry
from rtcdesk.oncall import handlers as oncall_handlers
from rtcdesk.oncall import jobs as oncall_jobs
from rtcdesk.oncall import page_queries as oncall_page_queries
from rtcdesk.oncall.links import link_key
from rtcdesk.oncall.page_texts import PAGE_KIND
from rtcdesk.routing import handlers as routing_handlers
from rtcdesk.search import handlers as search_handlers
from rtcdesk.search import jobs as search_jobs
from rtcdesk.sla import handlers as sla_handlers
from rtcdesk.sla import jobs as sla_jobs
from rtcdesk.sla.reactions import SlaReactions


@dataclass
class Container:
    """Long-lived collaborators shared by every request, job and command."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    files: FileStore
    bus: EventBus = field(default_factory=EventBus)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    notifications: NotificationRegistry = field(default_factory=NotificationRegistry)
    # What a reached SLA threshold triggers (escalation registers here).
    sla_reactions: SlaReactions = field(default_factory=SlaReactions)
    # Buttons other domains put on inbox notifications (a page's Acknowledge).
    inbox_actions: InboxActions = field(default_factory=InboxActions)

    def uow(self, *, write: bool = True) -> UnitOfWork:
        """A new unit of work (one transaction)."""
        return UnitOfWork(self.session_factory, self.bus, self.clock, write=write)

    def dispose(self) -> None:
        """Close every pooled database connection."""
        self.engine.dispose()


def build_container(
    settings: Settings, *, clock: Clock | None = None, engine: Engine | None = None
) -> Container:
    """Build the container for ``settings`` and register every event handler."""
    engine = engine or make_engine(settings.resolved_database_url)
    container = Container(
        settings=settings,
        engine=engine,
        session_factory=sessionmaker(bind=engine, expire_on_commit=False),
        clock=clock or _clock_of(settings),
        files=FileStore(settings.files_dir, max_bytes=settings.max_upload_bytes),
    )
    register_handlers(container)
    return container


def _clock_of(settings: Settings) -> Clock:
    if not settings.clock_offset_seconds:
        return SystemClock()
    return ShiftedClock(timedelta(seconds=settings.clock_offset_seconds))


def register_handlers(container: Container) -> None:
    """Subscribe each domain's reactions to other domains' events (one place, on purpose)."""
    _ = container.bus
    jobs_housekeeping.register(container.jobs)
    email_jobs.register(container.jobs)
    accounts_jobs.register(container.jobs)
    diagnostics_handlers.register(container.bus)
    diagnostics_jobs.register(container.jobs)
    logs_handlers.register(container.bus)
    logs_jobs.register(container.jobs)
    routing_handlers.register(container.bus)
    # Channels first: every kind names the channels it reaches by default.
    notifications_handlers.register_channels(container.notifications)
    notifications_handlers.register(container.bus, container.notifications)
    notifications_jobs.register(container.jobs)
    sla_handlers.register(container.bus)
    sla_jobs.register(container.jobs)
    # Escalation reacts to each SLA warning and breach in the threshold job's transaction.
    for kind in ESCALATION_KINDS:
        container.notifications.add_kind(kind)
    container.sla_reactions.register(escalation_service.react)
    container.notifications.add_kind(PAGE_KIND)
    key = link_key(container.settings.secret_key, container.settings.data_dir)
    # After the SLA reactions: a launch switches the policy the SLA has just recorded; and
    # before after-hours paging: a P1 under launch guard pages its named engineer first.
    launches_guard.register(container.bus, key)
    launches_jobs.register(container.jobs)
    # Paging reacts after routing placed a new ticket (the covering schedule follows its team)
    # after SLA tracking chose its policy (whose calendar says what business hours are) and
    # after a launch window made a ticket P1 (a ticket its launch already paged is skipped).
    container.inbox_actions.register(PAGE_KIND.name, oncall_page_queries.inbox_actions)
    oncall_handlers.register(container.bus, key)
    oncall_jobs.register(container.jobs, key)
    # Search indexes every committed change to what it holds (durable job, one per source).
    search_handlers.register(container.bus)
    search_jobs.register(container.jobs)
