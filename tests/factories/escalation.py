"""Escalation policies and team leads for tests, created through the escalation service."""

from __future__ import annotations

from typing import Any

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.escalation import service
from rtcdesk.escalation.models import EscalationPolicy
from rtcdesk.escalation.schemas import PolicyCreate, StepIn

# 75%: warn the assignee; 90%: the assignee and the team lead; breach: the next level.
LADDER = (
    StepIn(at="75", action="warn", notify=["assignee"]),
    StepIn(at="90", action="warn", notify=["assignee", "team_lead"]),
    StepIn(at="breach", action="reassign", notify=["assignee", "team_lead", "managers"]),
)


def policy(
    container: Container,
    *,
    name: str = "Default escalation",
    steps: tuple[StepIn, ...] = LADDER,
    is_default: bool = True,
    **scope: Any,
) -> EscalationPolicy:
    """A committed escalation policy (default: the default policy with the usual ladder)."""
    with container.uow() as uow:
        row = service.create_policy(
            uow,
            SYSTEM,
            PolicyCreate(name=name, steps=list(steps), is_default=is_default, **scope),
        )
        uow.commit()
        return row


def lead(container: Container, group_id: int, agent_id: int | None) -> None:
    """Make ``agent_id`` the team lead of ``group_id``."""
    with container.uow() as uow:
        service.set_group_lead(uow, SYSTEM, group_id, agent_id)
        uow.commit()
