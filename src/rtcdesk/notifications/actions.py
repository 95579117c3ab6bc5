"""The seam for buttons on inbox notifications (a page's *Acknowledge*, ...).

A domain whose notifications can be acted on from the inbox registers, in
``bootstrap.register_handlers``, a finder for its kind on the container's
:class:`InboxActions`: ``(uow, actor, notifications) -> {notification id: InboxAction}``.
The inbox asks every finder for the notifications it shows and renders each action as a
button posting (with CSRF) to the action's console path, which runs the domain's own
service: the notifications domain knows nothing of what the action does. The post carries
``back`` (the inbox address to return to) and ``notification_id``, so the action can mark
the notification read in its transaction (``notifications.service.mark_read``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rtcdesk.notifications.schemas import NotificationOut


@dataclass(frozen=True, slots=True)
class InboxAction:
    """A button on one notification: its label (a catalog message) and where it posts."""

    label: str
    path: str
    css_class: str = "primary"


Finder = Callable[[Any, Any, Sequence[NotificationOut]], dict[int, InboxAction]]


@dataclass
class InboxActions:
    """The registered finders, by notification kind."""

    finders: dict[str, Finder] = field(default_factory=dict)

    def register(self, kind: str, finder: Finder) -> None:
        """Let ``finder`` offer actions on notifications of ``kind``; one finder per kind."""
        if kind in self.finders:
            raise ValueError(f"an inbox action finder for {kind!r} is already registered")
        self.finders[kind] = finder

    def find(
        self, uow: Any, actor: Any, items: Sequence[NotificationOut]
    ) -> dict[int, InboxAction]:
        """The actions on ``items`` the actor may take now, by notification id."""
        found: dict[int, InboxAction] = {}
        for kind, finder in self.finders.items():
            mine = [n for n in items if n.kind == kind]
            if mine:
                found.update(finder(uow, actor, mine))
        return found
