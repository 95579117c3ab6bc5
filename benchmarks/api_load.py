"""Bounded HTTP load on loopback against a real `rtcdesk serve` on a desk of real size:
API create, reply, get and list, and the console and portal pages people open daily, with
16 and 64 concurrent keep-alive clients, on SQLite and on PostgreSQL.

    python benchmarks/api_load.py                     # 100,000 tickets, both backends
    python benchmarks/api_load.py --backend sqlite --tickets 20000 --duration 5 --clients 16
    python benchmarks/api_load.py --tickets 1000000 --only console_list,console_ticket

Seeds a throw-away database with benchmarks/desk.py (the demo, then its tickets copied to
``--tickets``, ~3.5 messages each), starts its own server on 127.0.0.1 and prints, per
scenario, requests/s, p50/p99 latency, errors and the server's CPU per request (every
process of the server tree, from /proc). Sends nothing anywhere else. Each scenario is
bounded by --duration seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Result:
    """Outcome of one scenario."""

    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU the server's processes used during the run

    def line(self) -> str:
        """One printed row."""
        n = len(self.latencies)
        lat = sorted(self.latencies)
        p50 = lat[n // 2] * 1000 if n else 0.0
        p99 = lat[min(n - 1, int(n * 0.99))] * 1000 if n else 0.0
        rps = n / self.elapsed if self.elapsed else 0.0
        cpu = self.server_cpu * 1000 / n if n else 0.0
        return (
            f"{self.name:<15} {self.clients:>3} clients {rps:>7.0f} req/s  "
            f"p50 {p50:>7.1f} ms  p99 {p99:>7.1f} ms  server CPU {cpu:>5.1f} ms/req  "
            f"errors {self.errors}  (n={n})"
        )


class Connection:
    """A minimal HTTP/1.1 keep-alive client (the load generator must stay cheap)."""

    def __init__(self, host: str, port: int, credential: str) -> None:
        # "Authorization: Bearer ..." or "Cookie: rtcdesk_session=...", one header line.
        self.host, self.port, self.credential = host, port, credential
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> int:
        """Send one request and read the whole response; return the status code."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.credential}\r\n"
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
    credential: str,
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
        conn = Connection("127.0.0.1", port, credential)
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
                    conn = Connection("127.0.0.1", port, credential)
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


DESK = Path(__file__).with_name("desk.py")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` and every descendant (the web workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += cpu.get(current, 0.0)
        todo += children.get(current, [])
    return total


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
    deadline = time.monotonic() + 120  # a busy machine starts granian slowly
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
            [
                sys.executable,
                str(DESK),
                "--data-dir",
                str(tmp),
                "--tickets",
                str(args.tickets),
                "--visitors",
                *(
                    ["--database-url", env["RTCDESK_DATABASE_URL"]]
                    if "RTCDESK_DATABASE_URL" in env
                    else []
                ),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    token = f"Authorization: Bearer {seeded['token']}"
    agent = f"Cookie: rtcdesk_session={seeded['agent_cookie']}; rtcdesk_lang=zh-CN"
    contact = f"Cookie: rtcdesk_session={seeded['contact_cookie']}; rtcdesk_lang=zh-CN"
    org_id, ids, own = seeded["organization_id"], seeded["agent_tickets"], seeded["contact_tickets"]
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

    def reply(rng: random.Random) -> tuple[str, str, bytes]:
        body = json.dumps({"body": "请提供 webrtc-internals 导出的 dump。"}).encode()
        return "POST", f"/api/v1/tickets/{rng.choice(ids)}/messages", body

    def get(rng: random.Random) -> tuple[str, str, None]:
        return "GET", f"/api/v1/tickets/{rng.choice(ids)}", None

    def list_(rng: random.Random) -> tuple[str, str, None]:
        return "GET", "/api/v1/tickets?status=open&limit=25", None

    def page(path: str) -> Any:
        return lambda rng: ("GET", path.format(agent=rng.choice(ids), own=rng.choice(own)), None)

    def ceiling(rng: random.Random) -> tuple[str, str, None]:
        # No auth, one trivial query: what the framework and driver allow at best.
        return "GET", "/healthz", None

    scenarios: list[tuple[str, str, Any]] = [
        ("healthz", token, ceiling),
        ("create", token, create),
        ("reply", token, reply),
        ("get", token, get),
        ("list", token, list_),
        ("console_list", agent, page("/console/tickets")),
        ("console_ticket", agent, page("/console/tickets/{agent}")),
        ("portal_list", contact, page("/portal/")),
        ("portal_ticket", contact, page("/portal/tickets/{own}")),
    ]
    if args.only:
        scenarios = [s for s in scenarios if s[0] in args.only]
    try:
        for clients in args.clients:
            for name, credential, make in scenarios:
                cpu_before = server_cpu_seconds(server.pid)
                result = asyncio.run(
                    run_scenario(
                        name, port, credential, clients, args.duration, args.max_requests, make
                    )
                )
                result.server_cpu = server_cpu_seconds(server.pid) - cpu_before
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
    parser.add_argument("--tickets", type=int, default=100_000, help="size of the desk")
    parser.add_argument(
        "--only", type=lambda s: set(s.split(",")), default=None, help="scenario names"
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(
        f"rtcdesk load: {args.tickets:,} tickets, {args.workers} web worker(s), "
        f"{args.duration:.0f} s per scenario, {os.cpu_count()} CPU(s), client on the same machine"
    )
    for backend in backends:
        if backend == "postgres" and not postgres_available():
            print("  postgres: not reachable on 127.0.0.1:5432, skipped")
            continue
        bench_backend(backend, args)


if __name__ == "__main__":
    main()
