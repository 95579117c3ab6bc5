"""The demo's escalation: the default ladder, team leads, and a few tickets whose overdue
SLA timers are run through the real threshold job (so their escalations, history entries
and notifications are what a worker would have written)."""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Group
from rtcdesk.bootstrap import Container
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.escalation import service
from rtcdesk.escalation.schemas import PolicyCreate, StepIn
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.registry import JobContext
from rtcdesk.sla.tracking import THRESHOLD_JOB

DEFAULT_POLICY = "Default ladder 默认升级"
LADDER = (
    StepIn(at="75", action="warn", notify=["assignee"]),
    StepIn(at="90", action="warn", notify=["assignee", "team_lead"]),
    StepIn(at="breach", action="reassign", notify=["assignee", "team_lead", "managers"]),
)
# group name -> the email of its lead
LEADS = {
    "Integration L1": "sarah.miller@rtcdesk.example",
    "Audio L2": "wang.fang@rtcdesk.example",
    "Network L2": "li.wei@rtcdesk.example",
    "Video L2": "priya.nair@rtcdesk.example",
}
# Tickets whose due timers the demo runs at load time.
ESCALATED_TICKETS = 3


def load_escalation(uow: UnitOfWork) -> None:
    """The default escalation policy and the teams' leads."""
    service.create_policy(
        uow, SYSTEM, PolicyCreate(name=DEFAULT_POLICY, steps=list(LADDER), is_default=True)
    )
    agents = {a.email: a.id for a in uow.session.scalars(select(Agent))}
    for group in uow.session.scalars(select(Group)):
        email = LEADS.get(group.name)
        if email in agents:
            service.set_group_lead(uow, SYSTEM, group.id, agents[email])


def run_due_timers(container: Container, *, tickets: int = ESCALATED_TICKETS) -> int:
    """Fire the due SLA breach timers of the first ``tickets`` tickets that have one, and
    the warnings before them, through the ``sla.threshold`` handler; returns jobs run."""
    spec = container.jobs.get(THRESHOLD_JOB)
    if spec is None:
        return 0
    with container.uow(write=False) as uow:
        now = container.clock.now()
        due = list(
            uow.session.execute(
                select(Job.id, Job.key, Job.payload)
                .where(
                    Job.name == THRESHOLD_JOB,
                    Job.state == JobState.QUEUED,
                    Job.run_at <= now,
                )
                .order_by(Job.run_at, Job.id)
            )
        )
    chosen: list[int] = []
    for _id, _key, payload in due:
        ticket_id = int(payload["ticket_id"])
        if payload.get("point") == "breach" and ticket_id not in chosen:
            chosen.append(ticket_id)
        if len(chosen) == tickets:
            break
    ran = 0
    for job_id, key, payload in due:
        if int(payload["ticket_id"]) not in chosen:
            continue
        spec.handler(
            JobContext(
                container=container,
                payload=dict(payload),
                attempt=1,
                job_id=job_id,
                name=THRESHOLD_JOB,
            )
        )
        if key:
            with container.uow() as uow:
                jobs.cancel(uow, key)
                uow.commit()
        ran += 1
    return ran
