"""The SLA cost of one change in the request path: adding a reply to a ticket with and
without an SLA policy, at realistic history sizes, on SQLite and PostgreSQL.

Each reply is one committed unit of work through ``tickets.service.add_message``; with a
policy the in-transaction handler replays the ticket's stored history, stores the clocks'
snapshot and re-arms the keyed timers. Prints the median milliseconds per reply.

    python benchmarks/sla_request_path.py [--postgres URL] [--replies 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.accounts.models import Contact
from rtcdesk.accounts.service import agent_actor, contact_actor
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Channel
from rtcdesk.tickets.schemas import MessageCreate

HISTORY_SIZES = (2, 20, 100)


def _reply_ms(container: Container, ticket_id: int, who: object) -> float:
    start = time.perf_counter()
    with container.uow() as uow:
        service.add_message(
            uow,
            who,
            ticket_id,
            MessageCreate(body="reply"),
            channel=Channel.API,  # type: ignore[arg-type]
        )
        uow.commit()
    return (time.perf_counter() - start) * 1000


def measure(container: Container, tier: str, history: int, replies: int) -> float:
    """Median ms of a reply on a ticket that already has ``history`` messages."""
    org = fa.organization(container, tier=tier)
    dev = fa.contact(container, org)
    agent = agent_actor(fa.agent(container))
    with container.uow() as uow:
        person = uow.session.get(Contact, dev.id)
        assert person is not None
        customer = contact_actor(person)
    ticket = ft.ticket(container, dev)
    for n in range(history):
        _reply_ms(container, ticket.id, agent if n % 2 else customer)
    return statistics.median(
        _reply_ms(container, ticket.id, agent if n % 2 else customer) for n in range(replies)
    )


def run(url: str, data_dir: Path, replies: int) -> None:
    container = build_container(Settings(data_dir=data_dir, database_url=url))
    upgrade(container.engine)
    cal = fs.calendar(container, name="Beijing")
    for priority in ("P1", "P2", "P3", "P4"):
        fs.policy(container, cal, tier="premium", priority=priority)
    backend = make_url(url).get_backend_name()
    for history in HISTORY_SIZES:
        without = measure(container, "free", history, replies)  # no policy for free
        with_sla = measure(container, "premium", history, replies)
        print(
            f"{backend:10} history {history:4} messages: reply without SLA {without:6.2f} ms, "
            f"with SLA {with_sla:6.2f} ms (+{with_sla - without:.2f} ms)"
        )
    container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL to create a scratch database next to")
    parser.add_argument("--replies", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", Path(tmp), args.replies)
        if args.postgres:
            base = make_url(args.postgres)
            name = f"rtcdesk_bench_{uuid.uuid4().hex[:8]}"
            admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                run(
                    base.set(database=name).render_as_string(hide_password=False),
                    Path(tmp),
                    args.replies,
                )
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
