"""What routing costs a ticket's creation: the pure decision, and the whole in-transaction
routing step on SQLite (rules, loads, cursor turn, history entry).

    python benchmarks/routing.py                 # 200 agents, 50 rules, 2,000 open tickets
    python benchmarks/routing.py --agents 500 --rules 100 --tickets 300

Prints the median and p99 of each. Uses a throw-away SQLite file; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, AgentRole, PlanTier
from rtcdesk.accounts.schemas import AgentCreate, GroupCreate, OrganizationCreate
from rtcdesk.accounts.service import create_agent, create_group, create_organization
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.routing import service as routing
from rtcdesk.routing.decide import AgentFacts, RuleFacts, TicketFacts, decide
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Category, Channel
from rtcdesk.tickets.schemas import TicketCreate

SKILLS = ("audio", "video", "network", "ios", "android", "web")


def figures(name: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name}: median {statistics.median(ordered) * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms")


def bench_decide(agents: int, rules: int, runs: int) -> None:
    rng = random.Random(1)
    agent_facts = [
        AgentFacts(
            id=i,
            name=f"a{i}",
            level=rng.choice(("L1", "L2", "L3")),
            skills=frozenset(rng.sample(SKILLS, 3)),
            languages=frozenset(rng.sample(("en", "zh-CN"), rng.randint(1, 2))),
            groups=frozenset(rng.sample(range(10), 2)),
            available=rng.random() > 0.2,
            load=rng.randint(0, 8),
            capacity=8,
        )
        for i in range(1, agents + 1)
    ]
    rule_facts = [
        RuleFacts(
            id=i,
            name=f"r{i}",
            categories=frozenset({rng.choice(list(Category)).value}),
            skills=frozenset(rng.sample(SKILLS, 1)),
            group_id=rng.randrange(10),
        )
        for i in range(1, rules + 1)
    ]
    ticket = TicketFacts("troubleshooting", "zh-CN", frozenset({"video"}), "premium", 1)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        decide(ticket, rule_facts, agent_facts, {"group:3": 17})
        times.append(time.perf_counter() - start)
    figures(f"decide() {agents} agents, {rules} rules", times)


def bench_route(agents: int, rules: int, open_tickets: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        container = build_container(settings)
        upgrade(container.engine)
        rng = random.Random(2)
        with container.uow() as uow:
            groups = [create_group(uow, SYSTEM, GroupCreate(name=f"G{i}")).id for i in range(10)]
            for i in range(agents):
                create_agent(
                    uow,
                    SYSTEM,
                    AgentCreate(
                        email=f"a{i}@bench.example",
                        name=f"a{i}",
                        role=AgentRole.AGENT,
                        skills=rng.sample(SKILLS, 3),
                        languages=["en", "zh-CN"],
                        group_ids=rng.sample(groups, 2),
                        max_load=10_000 // agents + 20,
                    ),
                )
            for i in range(rules):
                routing.create_rule(
                    uow,
                    SYSTEM,
                    RuleCreate(name=f"r{i}", skills=[rng.choice(SKILLS)], group_id=groups[i % 10]),
                )
            org = create_organization(
                uow, SYSTEM, OrganizationCreate(name="Bench", plan_tier=PlanTier.PREMIUM)
            )
            uow.commit()
        data = TicketCreate(
            organization_id=org.id,
            subject="video freezes",
            body="remote video freezes on android",
            category=Category.TROUBLESHOOTING,
            platform="android",
        )
        with container.uow() as uow:
            for _ in range(open_tickets):
                tickets.create_ticket(uow, SYSTEM, data, channel=Channel.API)
            uow.commit()
        plain, routed = [], []
        for _ in range(runs):
            for bucket, route in ((plain, False), (routed, True)):
                with container.uow() as uow:
                    start = time.perf_counter()
                    ticket = tickets.create_ticket(uow, SYSTEM, data, channel=Channel.API)
                    if not route:
                        uow.events.clear()  # the same creation without the routing handler
                    uow.commit()
                    bucket.append(time.perf_counter() - start)
                    assert route is (ticket.assignee_id is not None or ticket.group_id is not None)
        with container.uow(write=False) as uow:
            count = uow.session.query(Agent).count()
        figures(f"create without routing ({count} agents, {open_tickets} open)", plain)
        figures(f"create with routing ({rules} rules)", routed)
        container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    bench_decide(args.agents, args.rules, args.runs * 10)
    bench_route(args.agents, args.rules, args.tickets, args.runs)


if __name__ == "__main__":
    main()
