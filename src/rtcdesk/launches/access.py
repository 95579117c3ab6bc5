"""Who may see and change launch windows.

Launch windows are support's own planning: every agent reads them and any agent (the
account's TAM most often) registers, edits and cancels them; admins edit the launch-guard
settings. A customer sees only whether their own organization's launch support is active
(the portal banner), never another organization's launches, checklists or reports.
"""

from __future__ import annotations

from rtcdesk.accounts.access import Actor, require_admin, require_agent
from rtcdesk.core.errors import NotFound
from rtcdesk.launches.models import LaunchWindow


def check_can_view(actor: Actor) -> None:
    """Support staff read launches, checklists and reports; customers may not."""
    require_agent(actor)


def check_can_edit(actor: Actor) -> None:
    """Any agent registers, edits and cancels launches and ticks checklist items."""
    require_agent(actor)


def check_can_configure(actor: Actor) -> None:
    """Only administrators choose the launch policies, P1 categories and the template."""
    require_admin(actor)


def launch_for(actor: Actor, launch: LaunchWindow | None, launch_id: int) -> LaunchWindow:
    """The launch if the actor may see it; NotFound otherwise (customers included)."""
    if launch is None or actor.is_customer:
        raise NotFound("launch {launch_id} not found", params={"launch_id": launch_id})
    return launch
