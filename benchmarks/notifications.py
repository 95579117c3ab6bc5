"""What notifications cost in the request path: one ``notify`` call (inside the caller's
transaction, committed) for 1 and for 20 recipients, and the bell's unread COUNT on every
console page for an agent with a large inbox.

    python benchmarks/notifications.py                      # SQLite, 100,000 notifications
    python benchmarks/notifications.py --notifications 20000 --calls 200

Builds a throw-away SQLite database in a temporary folder, fills one agent's inbox in bulk
(every fifth unread) beside 50 other agents, and prints medians and p95s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import AgentRole
from rtcdesk.accounts.schemas import AgentCreate
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.notifications import queries, service
from rtcdesk.notifications.handlers import TICKET_ASSIGNED
from rtcdesk.notifications.models import Notification
from rtcdesk.notifications.recipients import Recipients


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        container = build_container(Settings(data_dir=Path(tmp)))
        upgrade(container.engine)
        with container.uow() as uow:
            agents = [
                accounts.create_agent(
                    uow,
                    SYSTEM,
                    AgentCreate(
                        email=f"a{i}@bench.example",
                        name=f"Agent {i}",
                        role=AgentRole.ADMIN if i < 20 else AgentRole.AGENT,
                    ),
                )
                for i in range(51)
            ]
            uow.commit()
        reader = accounts.agent_actor(agents[-1])
        now = container.clock.now()
        rows = [
            {
                "agent_id": reader.id,
                "kind": TICKET_ASSIGNED.name,
                "key": f"bulk:{i}",
                "params": {"ticket_id": i, "subject": "s", "organization": "o", "by": "b"},
                "link": f"/console/tickets/{i}",
                "in_app": True,
                "created_at": now,
                "read_at": None if i % 5 == 0 else now,
            }
            for i in range(args.notifications)
        ]
        with container.uow() as uow:
            for start in range(0, len(rows), 10_000):
                uow.session.execute(insert(Notification), rows[start : start + 10_000])
            uow.commit()

        params = {"ticket_id": 1, "subject": "s", "organization": "o", "by": "b"}
        for label, recipients in (
            ("notify, 1 recipient (inbox + email job)", Recipients.agents(agents[25].id)),
            ("notify, 20 recipients (all admins)", Recipients.role(AgentRole.ADMIN)),
        ):
            samples = []
            for call in range(args.calls):
                started = time.perf_counter()
                with container.uow() as uow:
                    service.notify(
                        uow,
                        kind=TICKET_ASSIGNED,
                        key=f"{label}:{call}",
                        recipients=recipients,
                        params=params,
                        link="/console/tickets/1",
                    )
                    uow.commit()
                samples.append(time.perf_counter() - started)
            print(f"{label}, committed: {_ms(samples)}")

        samples = []
        for _ in range(args.calls):
            started = time.perf_counter()
            with container.uow(write=False) as uow:
                unread = queries.unread_count(uow, reader)
            samples.append(time.perf_counter() - started)
        print(
            f"unread count (the bell) over {args.notifications:,} notifications "
            f"({unread:,} unread): {_ms(samples)}"
        )
        container.dispose()


if __name__ == "__main__":
    main()
