"""``rtcdesk search reindex`` and ``rtcdesk search query`` as real processes, on both
backends, over the demo dataset."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_databases import PG_ENV, create_pg_database, drop_pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    values = {**os.environ, "RTCDESK_DATA_DIR": str(tmp_path)}
    values.pop("RTCDESK_DATABASE_URL", None)
    base = os.environ.get(PG_ENV)
    url = None
    if request.param == "postgres":
        if not base:
            pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
        url = create_pg_database(base, "rtcdesk_cli")
        values["RTCDESK_DATABASE_URL"] = url
    yield values
    if url is not None and base:
        drop_pg_database(base, url)


def rtcdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rtcdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard, not a speed limit
        check=False,
    )


def test_reindex_then_query_the_demo(env: dict[str, str]) -> None:
    assert rtcdesk(env, "demo").returncode == 0
    before = rtcdesk(env, "search", "query", "卡顿")
    assert before.returncode == 0, before.stderr
    assert before.stdout.strip() == "no results"  # the demo's jobs have not run yet
    rebuilt = rtcdesk(env, "search", "reindex")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "indexed 307 tickets" in rebuilt.stdout  # the demo: 300 generated + 7 SLA showcase
    found = rtcdesk(env, "search", "query", "stutter", "--limit", "5")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("ticket\t") for line in lines)
    chinese = rtcdesk(env, "search", "query", "卡顿", "--limit", "3").stdout.strip().splitlines()
    assert len(chinese) == 3
    assert all("卡顿" in line for line in chinese), chinese


def test_a_bad_query_is_one_sentence_and_exit_code(env: dict[str, str]) -> None:
    assert rtcdesk(env, "db", "upgrade").returncode == 0
    bad = rtcdesk(env, "search", "query", "!!!")
    assert bad.returncode != 0
    assert "error: the search text has no words to search for" in bad.stderr
    assert "Traceback" not in bad.stderr
