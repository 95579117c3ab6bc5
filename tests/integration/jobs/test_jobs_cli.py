"""``rtcdesk jobs list|retry|drop|purge`` through click."""

from __future__ import annotations

from datetime import timedelta

import click
import pytest
from click.testing import CliRunner

from rtcdesk.bootstrap import Container
from rtcdesk.cli.jobs import jobs as jobs_group
from rtcdesk.cli.jobs import parse_duration
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.registry import JobContext
from rtcdesk.jobs.worker import Worker


def _run(container: Container, *args: str) -> str:
    result = CliRunner().invoke(jobs_group, list(args), obj=container, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_list_retry_drop_and_purge(container: Container, clock: FrozenClock) -> None:
    def fail(_ctx: JobContext) -> None:
        raise ValueError("dump is truncated")

    container.jobs.job("t.fail", max_attempts=1)(fail)
    container.jobs.job("t.ok")(lambda ctx: None)
    with container.uow() as uow:
        failed_id = jobs.enqueue(uow, "t.fail", {})
        other_id = jobs.enqueue(uow, "t.fail", {})
        jobs.enqueue(uow, "t.ok", {})
        uow.commit()
    Worker(container).run_pending()

    listing = _run(container, "list", "--state", "failed")
    assert "failed=2" in listing
    assert "ValueError: dump is truncated" in listing
    assert "Traceback" in _run(container, "list", "--state", "failed", "--errors")

    assert f"job {failed_id} queued" in _run(container, "retry", str(failed_id))
    assert "queued=1" in _run(container, "list")
    assert f"job {other_id} dropped" in _run(container, "drop", str(other_id))

    clock.advance(timedelta(days=8))
    assert "succeeded job(s)" in _run(container, "purge", "--older-than", "7d")
    assert "succeeded=0" in _run(container, "list")


def test_retrying_a_missing_job_fails_with_its_exit_code(container: Container) -> None:
    result = CliRunner().invoke(jobs_group, ["retry", "999"], obj=container)
    assert result.exit_code != 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30s", timedelta(seconds=30)), ("7d", timedelta(days=7)), ("1.5h", timedelta(hours=1.5))],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_parse_duration_refuses_garbage() -> None:
    with pytest.raises(click.BadParameter):
        parse_duration("seven days")
