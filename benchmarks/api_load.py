"""Bounded HTTP load on loopback against a real `rtcdesk serve`: create, get and list tickets
with 16 and 64 concurrent keep-alive clients, on SQLite and on PostgreSQL.

    python benchmarks/api_load.py                     # both backends (PostgreSQL if reachable)
    python benchmarks/api_load.py --backend sqlite --duration 5 --clients 16,64 --workers 2

Prints requests/s, p50/p99 latency and errors per scenario. Starts and stops its own server
on 127.0.0.1 with a throw-away database; sends nothing anywhere else. Each scenario is
bounded by --duration seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Result:
    """Outcome of one scenario."""

    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def line(self) -> str:
        """One printed row."""
        n = len(self.latencies)
        lat = sorted(self.latencies)
        p50 = lat[n // 2] * 1000 if n else 0.0
        p99 = lat[min(n - 1, int(n * 0.99))] * 1000 if n else 0.0
        rps = n / self.elapsed if self.elapsed else 0.0
        return (
            f"{self.name:<8} {self.clients:>4} clients  {rps:>8.0f} req/s  "
            f"p50 {p50:>7.1f} ms  p99 {p99:>7.1f} ms  errors {self.errors}  (n={n})"
        )


class Connection:
    """A minimal HTTP/1.1 keep-alive client (the load generator must stay cheap)."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> int:
        """Send one request and read the whole response; return the status code."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\n"
        )
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        chunked = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        """Close the socket."""
        if self.writer is not None:
            self.writer.close()


async def run_scenario(
    name: str,
    port: int,
    token: str,
    clients: int,
    duration: float,
    max_requests: int,
    make_request: object,
) -> Result:
    """Run ``clients`` concurrent loops for ``duration`` seconds (or max_requests)."""
    result = Result(name, clients)
    deadline = time.perf_counter() + duration
    budget = [max_requests]

    async def loop(index: int) -> None:
        conn = Connection("127.0.0.1", port, token)
        rng = random.Random(index)
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                method, path, body = make_request(rng)  # type: ignore[operator]
                started = time.perf_counter()
                try:
                    status = await conn.request(method, path, body)
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    result.errors += 1
                    conn.close()
                    conn = Connection("127.0.0.1", port, token)
                    continue
                result.latencies.append(time.perf_counter() - started)
                if status >= 400:
                    result.errors += 1
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    result.elapsed = time.perf_counter() - started
    return result


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SEED = """
import json, sys
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.accounts import service as a
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.schemas import *
from rtcdesk.accounts.models import TokenKind
from rtcdesk.tickets import service as t
from rtcdesk.tickets.schemas import TicketCreate
from rtcdesk.tickets.models import Channel
c = build_container(Settings()); upgrade(c.engine)
with c.uow() as uow:
    org = a.create_organization(uow, SYSTEM, OrganizationCreate(name="Load Co"))
    a.create_contact(uow, SYSTEM, ContactCreate(organization_id=org.id, email="dev@load.example",
                     name="Dev"))
    agent = a.create_agent(uow, SYSTEM, AgentCreate(email="load@vendor.example", name="Load"))
    _row, secret = a.create_token(uow, SYSTEM, TokenCreate(kind=TokenKind.AGENT, name="load",
                                  agent_id=agent.id))
    actor = a.agent_actor(agent)
    ids = []
    for i in range(500):
        tk = t.create_ticket(uow, actor, TicketCreate(subject=f"视频卡顿 stutter {i}",
             body="viewers see freezes", organization_id=org.id, tags=["load"]),
             channel=Channel.API)
        ids.append(tk.id)
    uow.commit()
print(json.dumps({"token": secret, "org": org.id, "ids": ids}))
"""


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start `rtcdesk serve` and wait until /healthz answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rtcdesk",
            "serve",
            "--no-worker",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")


def bench_backend(backend: str, args: argparse.Namespace) -> list[Result]:
    """Seed a fresh database, start a server on it, run every scenario."""
    tmp = Path(tempfile.mkdtemp(prefix=f"rtcdesk-load-{backend}-"))
    env = {**os.environ, "RTCDESK_DATA_DIR": str(tmp)}
    pg_name = None
    if backend == "postgres":
        import psycopg

        pg_name = f"rtcdesk_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                f"CREATE DATABASE {pg_name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
        env["RTCDESK_DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"
    seeded = json.loads(
        subprocess.run(
            [sys.executable, "-c", SEED], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    token, org_id, ids = seeded["token"], seeded["org"], seeded["ids"]
    port = free_port()
    server = start_server(env, port, args.workers)
    results: list[Result] = []
    counter = [0]

    def create(rng: random.Random) -> tuple[str, str, bytes]:
        counter[0] += 1
        body = json.dumps(
            {
                "subject": f"回声 echo {counter[0]}",
                "body": "外放时对端听到回声",
                "organization_id": org_id,
                "urgency": "high",
                "impact": "medium",
            }
        ).encode()
        return "POST", "/api/v1/tickets", body

    def get(rng: random.Random) -> tuple[str, str, None]:
        return "GET", f"/api/v1/tickets/{rng.choice(ids)}", None

    def list_(rng: random.Random) -> tuple[str, str, None]:
        return "GET", "/api/v1/tickets?status=new&limit=20&sort=-created_at", None

    def ceiling(rng: random.Random) -> tuple[str, str, None]:
        # No auth, one trivial query: what the framework and driver allow at best.
        return "GET", "/healthz", None

    scenarios = [("create", create), ("get", get), ("list", list_)]
    if args.ceiling:
        scenarios.insert(0, ("healthz", ceiling))
    try:
        for clients in args.clients:
            for name, make in scenarios:
                result = asyncio.run(
                    run_scenario(name, port, token, clients, args.duration, args.max_requests, make)
                )
                results.append(result)
                print(f"  {backend:<8} {result.line()}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if pg_name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
    return results


def postgres_available() -> bool:
    """Whether PostgreSQL answers on 127.0.0.1:5432."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:
        return False


def main() -> None:
    """Parse options and run the requested backends."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per scenario")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument(
        "--clients", type=lambda s: [int(x) for x in s.split(",")], default=[16, 64]
    )
    parser.add_argument("--workers", type=int, default=2, help="web processes")
    parser.add_argument(
        "--ceiling", action="store_true", help="also time GET /healthz (SELECT 1, no auth)"
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(
        f"rtcdesk API load: {args.workers} web worker(s), {args.duration:.0f} s per scenario, "
        f"{os.cpu_count()} CPU(s), client on the same machine"
    )
    for backend in backends:
        if backend == "postgres" and not postgres_available():
            print("  postgres: not reachable on 127.0.0.1:5432, skipped")
            continue
        bench_backend(backend, args)
    _ = statistics


if __name__ == "__main__":
    main()
