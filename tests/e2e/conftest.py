"""A real server (granian, SQLite, demo data) and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = "/usr/bin/chromium"
BUSY_MACHINE_TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# The SLA and paging browser tests run on a Tuesday night in Beijing (22:30, outside every
# business-hours calendar of the demo, on a week China's official schedule knows): the
# server's clock is the real one moved there (RTCDESK_CLOCK_OFFSET_SECONDS), so it runs at
# the real pace and every process of the server agrees on it.
NIGHT_IN_BEIJING = datetime(2026, 11, 10, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _serve(data_dir: Path, extra_env: dict[str, str]) -> Iterator[str]:
    """Load a small demo into a fresh SQLite database and run `rtcdesk serve` (with its job
    worker) on it until the caller is done."""
    # The bell asks for the unread count every second (30 s by default) so a browser test
    # sees a new notification arrive without waiting half a minute.
    env = {
        **os.environ,
        "RTCDESK_DATA_DIR": str(data_dir),
        "RTCDESK_NOTIFICATIONS_POLL_SECONDS": "1",
        **extra_env,
    }
    env.pop("RTCDESK_DATABASE_URL", None)
    loader = (
        "from rtcdesk.bootstrap import build_container;"
        "from rtcdesk.config import Settings;"
        "from rtcdesk.db.migrate import upgrade;"
        "from rtcdesk.demo.dataset import load_demo;"
        "c = build_container(Settings()); upgrade(c.engine); load_demo(c, ticket_count=20)"
    )
    # A hang guard, not a speed limit: the demo takes minutes on a busy 2-core machine.
    subprocess.run([sys.executable, "-c", loader], env=env, check=True, timeout=900)
    port = _free_port()
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "rtcdesk", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a generous bound: a busy 2-core CI machine
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail("the server did not start: " + (data_dir / "serve.log").read_text())
        time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rtcdesk serve` (with its job worker) on a fresh SQLite database and a small demo."""
    yield from _serve(tmp_path_factory.mktemp("live"), {})


@pytest.fixture(scope="session")
def night_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same server and demo, its clock starting at ``NIGHT_IN_BEIJING``."""
    offset = NIGHT_IN_BEIJING - datetime.now(UTC)
    env = {"RTCDESK_CLOCK_OFFSET_SECONDS": str(offset.total_seconds())}
    yield from _serve(tmp_path_factory.mktemp("night"), env)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium (never a downloaded browser).

    Module-scoped: Playwright's sync API keeps an event loop running in this thread while
    it is open, which would break later tests that call asyncio.run().
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BUSY_MACHINE_TIMEOUT_MS)

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (own cookies) per call."""
    contexts = []

    def make(locale: str = "en-US") -> Any:
        context = browser.new_context(locale=locale, viewport={"width": 1300, "height": 900})
        # Upper bounds, not expectations: on a busy 2-core machine a page can take seconds.
        context.set_default_timeout(BUSY_MACHINE_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
