"""Imports every domain's models so ``Base.metadata`` knows all tables (migrations, tests)."""

from __future__ import annotations

from rtcdesk.accounts import models as accounts_models
from rtcdesk.channels.email import models as email_models
from rtcdesk.db.base import Base
from rtcdesk.diagnostics import models as diagnostics_models
from rtcdesk.escalation import models as escalation_models
from rtcdesk.jobs import models as jobs_models
from rtcdesk.launches import models as launches_models
from rtcdesk.notifications import models as notifications_models
from rtcdesk.oncall import models as oncall_models
from rtcdesk.routing import models as routing_models
from rtcdesk.search import models as search_models
from rtcdesk.sla import models as sla_models
from rtcdesk.tickets import models as tickets_models

__all__ = [
    "Base",
    "accounts_models",
    "diagnostics_models",
    "email_models",
    "escalation_models",
    "jobs_models",
    "launches_models",
    "notifications_models",
    "oncall_models",
    "routing_models",
    "search_models",
    "sla_models",
    "tickets_models",
]
