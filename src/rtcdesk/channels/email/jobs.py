"""The periodic IMAP poll: every minute, each active mailbox with an IMAP server."""

from __future__ import annotations

from datetime import timedelta

from rtcdesk.channels.email import poller
from rtcdesk.channels.email.errors import MailServerError
from rtcdesk.jobs.registry import JobContext, JobRegistry

POLL_JOB = "email.poll"
POLL_EVERY = timedelta(minutes=1)
POLL_LIMIT = 500  # per mailbox and run: a backlog drains over a few runs


def poll_all(ctx: JobContext) -> None:
    """Poll every mailbox; one unreachable server does not stop the others (it fails the
    job afterwards, so the jobs page shows it)."""
    failures: list[MailServerError] = []
    for mailbox_id in poller.pollable(ctx.container):
        try:
            poller.poll_mailbox(ctx.container, mailbox_id, limit=POLL_LIMIT)
        except MailServerError as exc:
            failures.append(exc)
    if failures:
        raise failures[0]


def register(registry: JobRegistry) -> None:
    """Register the poll job and its schedule."""
    registry.job(POLL_JOB, max_attempts=1, timeout=timedelta(minutes=10))(poll_all)
    registry.periodic(POLL_JOB, every=POLL_EVERY)
