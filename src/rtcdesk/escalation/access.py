"""Who may see and change escalation: staff read policies and escalations, admins edit."""

from __future__ import annotations

from rtcdesk.accounts import access as accounts_access
from rtcdesk.accounts.access import Actor


def check_can_read(actor: Actor) -> None:
    """Policies and escalations are internal: support staff only (customers never)."""
    accounts_access.require_agent(actor)


def check_can_edit(actor: Actor) -> None:
    """Only administrators add, change or remove escalation policies and team leads."""
    accounts_access.require_admin(actor)
