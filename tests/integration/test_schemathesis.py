"""schemathesis against the live API: no input a client can send makes a server error, and
every answer is one the OpenAPI document describes (status, content type, body, headers).

A real server (`rtcdesk serve`, granian) on a throwaway database with a small demo dataset,
once per backend, driven through its own served document (``/api/schema/openapi.json``,
completed by ``web/openapi.py``) as an admin and as an organization's integration. Each
operation gets a bounded number of generated requests (``MAX_EXAMPLES``, plus schemathesis'
boundary cases), so the run stays well under a minute on two busy cores; it walks every
operation of the document, new domains' included.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pg_databases import PG_ENV, create_pg_database, drop_pg_database

MAX_EXAMPLES = 5
TIMEOUT = 120  # seconds; upper bounds for a busy 2-core machine, never expectations
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

LOADER = """
import json
from sqlalchemy import select
from rtcdesk.accounts import service
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, AgentRole, Organization, TokenKind
from rtcdesk.accounts.schemas import TokenCreate
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.demo.dataset import load_demo

c = build_container(Settings())
upgrade(c.engine)
load_demo(c, ticket_count=6)
with c.uow() as uow:
    admin = uow.session.scalars(
        select(Agent).where(Agent.role == AgentRole.ADMIN).order_by(Agent.id)
    ).first()
    org = uow.session.scalars(select(Organization).order_by(Organization.id)).first()
    _a, agent_secret = service.create_token(
        uow, SYSTEM, TokenCreate(kind=TokenKind.AGENT, name="fuzz", agent_id=admin.id)
    )
    _o, org_secret = service.create_token(
        uow, SYSTEM, TokenCreate(kind=TokenKind.ORGANIZATION, name="fuzz", organization_id=org.id)
    )
    uow.commit()
    print(json.dumps({"admin": agent_secret, "organization": org_secret}))
"""


@dataclass
class Live:
    """A running server and the tokens the run acts with."""

    url: str
    tokens: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            health = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(health, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("the server did not start: " + log.read_text())


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """`rtcdesk serve` on a fresh database of the backend, with a small demo dataset."""
    data_dir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    env = {
        **os.environ,
        "RTCDESK_DATA_DIR": str(data_dir),
        "RTCDESK_RUN_WORKER_IN_PROCESS": "false",
    }
    base = os.environ.get(PG_ENV)
    database = None
    if request.param == "postgres":
        if not base:
            pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
        database = create_pg_database(base, "rtcdesk_fuzz")
        env["RTCDESK_DATABASE_URL"] = database
    else:
        env.pop("RTCDESK_DATABASE_URL", None)
    try:
        loaded = subprocess.run(
            [sys.executable, "-c", LOADER],
            env=env,
            check=True,
            timeout=TIMEOUT,
            capture_output=True,
            text=True,
        )
        tokens = json.loads(loaded.stdout.strip().splitlines()[-1])
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = data_dir / "serve.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "rtcdesk", "serve", "--port", str(port), "--no-worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_up(port, process, log_path)
                yield Live(url, tokens, log_path)
            finally:
                process.terminate()
                process.wait(timeout=TIMEOUT)
    finally:
        if database is not None and base:
            drop_pg_database(base, database)


def _operations(live: Live) -> list[Any]:
    document = schemathesis.openapi.from_url(f"{live.url}/api/schema/openapi.json")
    return [result.ok() for result in document.get_all_operations()]


def _failures(operation: Any, headers: dict[str, str]) -> list[str]:
    """What went wrong for one operation (nothing, one hopes), as one line per failure."""
    failures: list[str] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=TIMEOUT)
        except (Exception, BaseExceptionGroup) as failure:  # a FailureGroup, or the call itself
            failures.append(f"{operation.label}: {str(failure).strip()[:2000]}")
            raise

    with contextlib.suppress(Exception, BaseExceptionGroup):  # recorded above, smallest last
        run()
    return failures[-1:]


@pytest.mark.slow
def test_every_operation_answers_as_documented(live: Live) -> None:
    """Each operation of the document, as the admin and as the organization's integration."""
    operations = _operations(live)
    assert len(operations) > 20, "the document lost its operations"
    # Deletions last, the admin's last of all (revoking tokens may end the run's own).
    runs = [(c, op) for c in live.tokens for op in operations if op.method.lower() != "delete"]
    deletes = [op for op in operations if op.method.lower() == "delete"]
    deletes.sort(key=lambda op: "/tokens/" in op.path)
    runs += [(caller, op) for caller in ("organization", "admin") for op in deletes]
    failures: list[str] = []
    for caller, operation in runs:
        headers = {"Authorization": f"Bearer {live.tokens[caller]}"}
        failures += [f"[{caller}] {failure}" for failure in _failures(operation, headers)]
    server_log = live.log.read_text(errors="replace")
    assert not failures, "\n\n".join(failures)
    assert "Traceback" not in server_log, server_log[-5000:]
