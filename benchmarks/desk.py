"""A desk at the size users run: the demo loaded through the services, then its tickets copied
in bulk until the database holds ``tickets`` of them (100,000 and ~350,000 messages by default).

    python benchmarks/desk.py --data-dir /tmp/desk              # SQLite file in /tmp/desk
    python benchmarks/desk.py --tickets 1000000 --database-url postgresql+psycopg://...

Every copied ticket repeats one demo ticket's rows exactly as the services wrote them (the
ticket, its messages, history, tags, SLA record and SLA history), moved in time so that the
desk spans a year: creation times are spread over the past 365 days and every timestamp of
the copy moves with its ticket. Open tickets keep their state, so the console's views, counts
and clocks see the same mix as the demo. Other benchmarks import :func:`seed`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.models import Agent, Contact, TokenKind
from rtcdesk.accounts.schemas import TokenCreate
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.db.base import Base
from rtcdesk.db.engine import refresh_statistics
from rtcdesk.db.migrate import upgrade
from rtcdesk.demo.dataset import load_demo

# Tables that hang off a ticket by ``ticket_id`` and are copied with it.
CHILDREN = ("messages", "ticket_changes", "ticket_tags", "ticket_sla", "ticket_sla_versions")
BATCH = 2000
YEAR = timedelta(days=365)


def _rows(container: Container, table: Table) -> list[dict[str, Any]]:
    with container.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(table))]


def _shift(row: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    return {k: (v + delta if isinstance(v, datetime) else v) for k, v in row.items()}


def _next_ids(container: Container, names: tuple[str, ...]) -> dict[str, int]:
    tables = Base.metadata.tables
    with container.engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.coalesce(func.max(tables[name].c.id), 0))) or 0) + 1
            for name in names
            if "id" in tables[name].c
        }


def _reset_sequences(container: Container, names: tuple[str, ...]) -> None:
    """On PostgreSQL, move each id sequence past the ids inserted explicitly."""
    if container.engine.dialect.name != "postgresql":
        return
    with container.engine.begin() as conn:
        for name in names:
            if "id" in Base.metadata.tables[name].c:
                # ``name`` is one of this module's table names, not input.
                sql = (
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
                conn.execute(text(sql))


def seed(container: Container, tickets: int = 100_000, progress: bool = True) -> dict[str, int]:
    """Load the demo, then copy its tickets until there are ``tickets``; return row counts."""
    load_demo(container)
    tables = Base.metadata.tables
    templates = _rows(container, tables["tickets"])
    children: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for name in CHILDREN:
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(container, tables[name]):
            grouped[row["ticket_id"]].append(row)
        children[name] = grouped
    ids = _next_ids(container, ("tickets", *CHILDREN))
    now = container.clock.now()
    rng = random.Random(2026)
    pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
    started = time.perf_counter()
    to_add = max(0, tickets - len(templates))

    def flush() -> None:
        with container.engine.begin() as conn:
            for name in ("tickets", *CHILDREN):
                if pending[name]:
                    conn.execute(insert(tables[name]), pending[name])
        pending.clear()

    for n in range(to_add):
        template = templates[n % len(templates)]
        delta = (now - rng.random() * YEAR) - template["created_at"]
        if template["created_at"] + delta > now:
            delta = now - template["created_at"]
        ticket_id = ids["tickets"]
        ids["tickets"] += 1
        copy = _shift(template, delta)
        copy.update(id=ticket_id, merged_into_id=None)
        pending["tickets"].append(copy)
        for name in CHILDREN:
            for row in children[name].get(template["id"], ()):
                child = _shift(row, delta)
                child["ticket_id"] = ticket_id
                if "id" in child:
                    child["id"] = ids[name]
                    ids[name] += 1
                if name == "messages":
                    child["moved_from_ticket_id"] = None
                pending[name].append(child)
        if len(pending["tickets"]) >= BATCH:
            flush()
            if progress:
                rate = (n + 1) / (time.perf_counter() - started)
                print(
                    f"\r  {n + 1:,}/{to_add:,} tickets copied ({rate:,.0f}/s)",
                    end="",
                    file=sys.stderr,
                )
    flush()
    if progress and to_add:
        print(file=sys.stderr)
    _reset_sequences(container, ("tickets", *CHILDREN))
    refresh_statistics(container.engine)  # what `rtcdesk demo` and the hourly job do
    if container.engine.dialect.name == "postgresql":
        with container.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # autovacuum would, some minutes later
    with container.engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.count()).select_from(tables[name])) or 0)
            for name in ("tickets", *CHILDREN)
        }


AGENT = "li.wei@rtcdesk.example"
CUSTOMER = "zhou.xm@xinghai.example"


@dataclass(frozen=True)
class Visitors:
    """Who the benchmarks act as on a seeded desk, and which tickets they open."""

    token: str  # an agent API token (li.wei)
    agent_cookie: str  # li.wei's console session
    contact_cookie: str  # zhou.xm's portal session
    organization_id: int  # zhou.xm's organization, where new tickets go
    agent_tickets: list[int]  # recent tickets with the longest conversations
    contact_tickets: list[int]  # recent tickets zhou.xm may open


def visitors(container: Container) -> Visitors:
    """Sign the demo's agent and customer in (sessions, a token) and pick tickets to open."""
    tables = Base.metadata.tables
    messages, tickets = tables["messages"], tables["tickets"]
    with container.uow() as uow:
        agent = uow.session.scalars(select(Agent).where(Agent.email == AGENT)).one()
        contact = uow.session.scalars(select(Contact).where(Contact.email == CUSTOMER)).one()
        agent_cookie, _ = accounts.start_web_session(uow, agent=agent, days=1)
        contact_cookie, _ = accounts.start_web_session(uow, contact=contact, days=1)
        _row, token = accounts.create_token(
            uow, accounts.agent_actor(agent), TokenCreate(kind=TokenKind.AGENT, name="benchmark")
        )
        newest = int(uow.session.scalar(select(func.max(tickets.c.id))) or 0)
        busy = uow.session.scalars(
            select(messages.c.ticket_id)
            .where(messages.c.ticket_id > newest - 5000)
            .group_by(messages.c.ticket_id)
            .order_by(func.count().desc(), messages.c.ticket_id.desc())
            .limit(50)
        )
        own = uow.session.scalars(
            select(tickets.c.id)
            .where(
                tickets.c.organization_id == contact.organization_id,
                tickets.c.requester_id == contact.id,
            )
            .order_by(tickets.c.id.desc())
            .limit(50)
        )
        found = Visitors(
            token=token,
            agent_cookie=agent_cookie,
            contact_cookie=contact_cookie,
            organization_id=contact.organization_id,
            agent_tickets=[int(i) for i in busy],
            contact_tickets=[int(i) for i in own],
        )
        uow.commit()
    return found


def main() -> None:
    """Seed a desk in the given data directory / database and print its row counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--visitors", action="store_true", help="also print sign-ins and ticket ids as JSON"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    extra = {"database_url": args.database_url} if args.database_url else {}
    container = build_container(Settings(data_dir=args.data_dir, **extra))
    upgrade(container.engine)
    started = time.perf_counter()
    counts = seed(container, args.tickets)
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"seeded in {time.perf_counter() - started:.0f} s: {rows}", file=sys.stderr)
    if args.visitors:
        print(json.dumps(asdict(visitors(container))))


if __name__ == "__main__":
    main()
