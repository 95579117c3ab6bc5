"""Who may see and change on-call schedules.

Schedules are internal: every agent reads them, customers never (403, a staff-only area).
Admins edit schedules and layers. Overrides follow what mature paging products do: admins
and managers add or remove anyone's; an agent adds cover *by themselves* (taking a
colleague's shift, covering a holiday) and removes such a cover of theirs that has not ended.
"""

from __future__ import annotations

from datetime import datetime

from rtcdesk.accounts.access import MANAGERS, Actor, require_admin, require_agent
from rtcdesk.core.errors import PermissionDenied


def check_can_view(actor: Actor) -> None:
    """Support staff read schedules; customers may not."""
    require_agent(actor)


def check_can_edit_schedules(actor: Actor) -> None:
    """Only administrators create, change or delete schedules and their layers."""
    require_admin(actor)


def _is_manager(actor: Actor) -> bool:
    return actor.role in MANAGERS


def check_can_add_override(actor: Actor, agent_id: int) -> None:
    """Managers and admins place anyone; an agent only themselves."""
    require_agent(actor)
    if _is_manager(actor) or actor.id == agent_id:
        return
    raise PermissionDenied("you can only add an override in which you cover the shift yourself")


def check_can_remove_override(
    actor: Actor, agent_id: int, ends_at: datetime, now: datetime
) -> None:
    """Managers and admins remove any override; an agent their own cover until it ends."""
    require_agent(actor)
    if _is_manager(actor):
        return
    if actor.id != agent_id:
        raise PermissionDenied("you can only remove an override in which you cover the shift")
    if ends_at <= now:
        raise PermissionDenied("an override that has ended can only be removed by a manager")


def check_can_acknowledge(actor: Actor, paged_agent_ids: set[int]) -> None:
    """Anyone a page reached acknowledges it; managers and admins acknowledge any page."""
    require_agent(actor)
    if _is_manager(actor) or actor.id in paged_agent_ids:
        return
    raise PermissionDenied("only the people this page reached, or a manager, can acknowledge it")
