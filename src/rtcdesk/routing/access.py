"""Who may see and change routing: staff read it, admins edit rules, agents re-route."""

from __future__ import annotations

from rtcdesk.accounts import access as accounts_access
from rtcdesk.accounts.access import Actor


def check_can_read(actor: Actor) -> None:
    """Rules, loads and decisions are internal: support staff only."""
    accounts_access.require_agent(actor)


def check_can_edit_rules(actor: Actor) -> None:
    """Only administrators add, change or remove rules."""
    accounts_access.require_admin(actor)


def check_can_reroute(actor: Actor) -> None:
    """Any support agent may ask for a ticket to be routed again."""
    accounts_access.require_agent(actor)
