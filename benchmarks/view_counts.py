"""How long the console's view counts take on a large desk: one COUNT per view (what the
ticket list does) against one pass over the visible tickets with a conditional count per view.

    python benchmarks/view_counts.py                      # SQLite, 100,000 tickets
    python benchmarks/view_counts.py --tickets 20000 --saved 20
    python benchmarks/view_counts.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Builds a throw-away database (a temporary SQLite file, or a temporary PostgreSQL database
created and dropped through the given server URL), fills it with tickets in bulk, and
prints the median of a few runs for each strategy and for each kind of view alone.
Sends nothing beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import and_, case, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind, Agent, AgentRole, Contact
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.demo.dataset import load_demo
from rtcdesk.tickets import access, queries
from rtcdesk.tickets.models import Category, Channel, Priority, Status, Ticket, TicketTag

BUILTIN = [
    {"status": "unsolved"},
    {"status": "unsolved", "assignee": "me"},
    {"status": "new,open", "assignee": "none"},
    {"status": "new"},
    {"status": "pending_customer"},
    {"priority": "P1", "status": "unsolved"},
    {"status": "solved,closed"},
]


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """The URL of an empty throw-away database."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    name = f"rtcdesk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(container: Container, count: int) -> None:
    """The demo's people, then ``count`` tickets and a tag on every tenth, inserted in bulk."""
    load_demo(container, ticket_count=5)
    rng = random.Random(7)
    with container.uow() as uow:
        contacts = list(uow.session.execute(select(Contact.id, Contact.organization_id)))
        agents = list(uow.session.scalars(select(Agent.id)))
        now = container.clock.now()
        batch: list[dict[str, object]] = []
        for n in range(count):
            contact_id, org_id = rng.choice(contacts)
            when = now - timedelta(minutes=n)
            batch.append(
                {
                    "organization_id": org_id,
                    "requester_id": contact_id,
                    "subject": f"bench ticket {n} SDK {rng.randint(3, 4)}.{rng.randint(0, 9)}",
                    "category": rng.choice(list(Category)),
                    "priority": rng.choice(list(Priority)),
                    "status": rng.choice(list(Status)),
                    "channel": Channel.PORTAL,
                    "assignee_id": rng.choice([*agents, None]),
                    "created_at": when,
                    "updated_at": when,
                }
            )
            if len(batch) == 5000:
                uow.session.execute(insert(Ticket), batch)
                batch = []
        if batch:
            uow.session.execute(insert(Ticket), batch)
        ids = list(uow.session.scalars(select(Ticket.id).where(Ticket.id % 10 == 0)))
        uow.session.execute(insert(TicketTag), [{"ticket_id": i, "tag": "vip"} for i in ids])
        uow.commit()


def median_ms(run: Callable[[], None], repeat: int) -> float:
    """Median wall time of ``run()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Build the desk, then time both strategies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--saved", type=int, default=10, help="saved views besides the built-in")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", help="server URL to create a throw-away database on")
    args = parser.parse_args()
    with database(args.postgres) as url, tempfile.TemporaryDirectory() as data_dir:
        container = build_container(Settings(database_url=url, data_dir=Path(data_dir)))
        upgrade(container.engine)
        fill(container, args.tickets)
        with container.uow() as uow:
            agent_id = uow.session.scalar(select(Agent.id).order_by(Agent.id))
        actor = Actor(kind=ActorKind.AGENT, id=agent_id, name="bench", role=AgentRole.AGENT)
        saved = [{"tag": "vip"}, {"q": "SDK 4.1"}, {"priority": "P2", "status": "open"}]
        params = BUILTIN + [saved[n % len(saved)] for n in range(args.saved)]
        views = {str(n): queries.TicketFilters.from_params(p) for n, p in enumerate(params)}

        def per_view(selected: dict[str, queries.TicketFilters]) -> None:
            with container.uow() as uow:
                queries.count_views(uow, actor, selected)

        def one_pass(selected: dict[str, queries.TicketFilters]) -> None:
            columns = []
            for key, filters in selected.items():
                conds = filters.conditions(actor)
                counted = func.count(case((and_(*conds), 1))) if conds else func.count()
                columns.append(counted.label(f"v{key}"))
            stmt = select(*columns).select_from(Ticket).where(access.visible_tickets(actor))
            with container.uow() as uow:
                uow.session.execute(stmt).one()

        backend = container.engine.dialect.name
        print(f"{backend}: {args.tickets:,} tickets, {len(views)} views")
        for label, run in (("one COUNT per view", per_view), ("one conditional pass", one_pass)):
            ms = median_ms(lambda run=run: run(views), args.repeat)
            print(f"  all views, {label:<22} {ms:8.1f} ms")
        kinds = {json.dumps(p, ensure_ascii=False): p for p in params}
        for kind, p in kinds.items():
            single = {"0": queries.TicketFilters.from_params(p)}
            a = median_ms(lambda single=single: per_view(single), args.repeat)
            b = median_ms(lambda single=single: one_pass(single), args.repeat)
            print(f"  {kind:<46} COUNT {a:7.1f} ms   in a pass {b:7.1f} ms")
        container.engine.dispose()


if __name__ == "__main__":
    main()
