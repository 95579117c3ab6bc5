"""Job handlers registered by name, and the context a handler receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rtcdesk.core.errors import Conflict
from rtcdesk.jobs.schedule import Cron, Every

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

DEFAULT_MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class JobContext:
    """What a handler gets: the container (open ``ctx.container.uow()``) and its job."""

    container: Container
    payload: dict[str, Any]
    attempt: int
    job_id: int
    name: str
    deadline: datetime | None = None

    def time_left(self) -> timedelta | None:
        """Time until the job's timeout, or None when it has none (cooperative)."""
        if self.deadline is None:
            return None
        return self.deadline - self.container.clock.now()


Handler = Callable[[JobContext], None]


@dataclass(frozen=True)
class JobSpec:
    """A registered job kind."""

    name: str
    handler: Handler
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    timeout: timedelta | None = None
    retry_base: float = 2.0
    retry_cap: float = 3600.0


@dataclass(frozen=True)
class PeriodicSpec:
    """A job enqueued once per period (interval or cron), whichever worker gets there first."""

    name: str
    every: Every
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobRegistry:
    """Name -> handler map plus the periodic schedule; built once in ``bootstrap``."""

    specs: dict[str, JobSpec] = field(default_factory=dict)
    periodics: dict[str, PeriodicSpec] = field(default_factory=dict)

    def job(
        self,
        name: str,
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        timeout: timedelta | None = None,
        retry_base: float = 2.0,
        retry_cap: float = 3600.0,
    ) -> Callable[[Handler], Handler]:
        """Decorator registering ``handler`` under ``name``."""

        def decorate(handler: Handler) -> Handler:
            self.add(
                JobSpec(
                    name=name,
                    handler=handler,
                    max_attempts=max_attempts,
                    timeout=timeout,
                    retry_base=retry_base,
                    retry_cap=retry_cap,
                )
            )
            return handler

        return decorate

    def add(self, spec: JobSpec) -> None:
        """Register ``spec``; registering a name twice is a programming error."""
        if spec.name in self.specs:
            raise Conflict("job {name} is already registered", params={"name": spec.name})
        if spec.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.specs[spec.name] = spec

    def periodic(
        self, name: str, *, every: timedelta | str, payload: dict[str, Any] | None = None
    ) -> None:
        """Enqueue job ``name`` once per period; ``every`` is a timedelta or a cron spec."""
        parsed: Every = Cron.parse(every) if isinstance(every, str) else every
        if isinstance(parsed, timedelta) and parsed <= timedelta(0):
            raise ValueError("a periodic interval must be positive")
        self.periodics[name] = PeriodicSpec(name=name, every=parsed, payload=payload or {})

    def get(self, name: str) -> JobSpec | None:
        """The spec registered under ``name``, if any."""
        return self.specs.get(name)
