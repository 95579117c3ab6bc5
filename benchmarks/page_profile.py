"""Where a page's time goes at desk scale: the app in-process on a seeded database, each page
requested a few times as a signed-in agent or customer, with server time per request and,
with --profile, the top functions by CPU time in every thread (needs `pip install yappi`).

    python benchmarks/desk.py --data-dir /tmp/desk                # once: 100,000 tickets
    python benchmarks/page_profile.py --data-dir /tmp/desk
    python benchmarks/page_profile.py --data-dir /tmp/desk --only console_list --profile 25

Runs the real ASGI app through Litestar's test client (no network, no load generator), so
the figures are the server's own cost per request, without HTTP parsing in granian.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yappi  # multi-threaded profiler (sync handlers run in a thread pool)
from desk import visitors  # benchmarks/desk.py (this script's folder is on sys.path)
from litestar.testing import TestClient

from rtcdesk.app import create_app
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings

BODIES = {
    "tickets": {
        "subject": "回声 echo",
        "body": "外放时对端听到回声",
        "urgency": "high",
        "impact": "medium",
    },
    "messages": {"body": "Please send the webrtc-internals dump of the call."},
}


def main() -> None:
    """Time every page and API read; optionally profile one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default=None, help="comma-separated page names")
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    extra = {"database_url": args.database_url} if args.database_url else {}
    container = build_container(Settings(data_dir=args.data_dir, **extra))
    who = visitors(container)
    busy, own = who.agent_tickets[0], who.contact_tickets[0]
    agent_cookie, contact_cookie, token = who.agent_cookie, who.contact_cookie, who.token
    org_id = who.organization_id
    pages: dict[str, tuple[str, str]] = {
        "console_list": ("agent", "/console/tickets"),
        "console_list_p1": ("agent", "/console/tickets?priority=P1&status=unsolved"),
        "console_ticket": ("agent", f"/console/tickets/{busy}"),
        "portal_list": ("contact", "/portal/"),
        "portal_ticket": ("contact", f"/portal/tickets/{own}"),
        "api_get": ("token", f"/api/v1/tickets/{busy}"),
        "api_list": ("token", "/api/v1/tickets?status=open&limit=25"),
        "healthz": ("token", "/healthz"),
        "api_create": ("token", "POST /api/v1/tickets"),
        "api_reply": ("token", f"POST /api/v1/tickets/{busy}/messages"),
    }
    wanted = set(args.only.split(",")) if args.only else set(pages)
    with TestClient(app=create_app(container=container), base_url="http://bench.local") as client:
        for name, (who, path) in pages.items():
            if name not in wanted:
                continue
            client.cookies.clear()
            headers: dict[str, str] = {}
            if who == "agent":
                client.cookies.set("rtcdesk_session", agent_cookie)
            elif who == "contact":
                client.cookies.set("rtcdesk_session", contact_cookie)
            else:
                headers["Authorization"] = f"Bearer {token}"

            def hit(path: str = path, headers: dict[str, str] = headers) -> None:
                if path.startswith("POST "):
                    name = path.split("/")[-1]
                    body = BODIES[name] | ({"organization_id": org_id} if name == "tickets" else {})
                    response = client.post(path[5:], headers=headers, json=body)
                else:
                    response = client.get(path, headers=headers)
                if response.status_code not in (200, 201):
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")

            hit()
            report(name, hit, args.repeat, args.profile)


def report(name: str, hit: Callable[[], None], repeat: int, top: int) -> None:
    """Print the median and p90 of ``repeat`` requests; profile them when asked."""
    times = []
    if top:
        yappi.set_clock_type("cpu")
        yappi.start()
    for _ in range(repeat):
        start = time.process_time()
        hit()
        times.append((time.process_time() - start) * 1000)
    if top:
        yappi.stop()
    times.sort()
    print(
        f"{name:<16} CPU per request: median {statistics.median(times):7.1f} ms  "
        f"p90 {times[int(len(times) * 0.9)]:7.1f} ms"
    )
    if top:
        stats = yappi.get_func_stats()
        stats.sort("ttot", "desc")
        for row in list(stats)[:top]:
            where = f"{Path(row.module).parent.name}/{Path(row.module).name}:{row.lineno}"
            total, own = row.ttot * 1000 / repeat, row.tsub * 1000 / repeat
            calls = row.ncall / repeat
            print(f"  {total:8.1f} ms  {own:7.1f} own  {calls:8.0f}x  {row.name}  {where}")
        yappi.clear_stats()


if __name__ == "__main__":
    main()
