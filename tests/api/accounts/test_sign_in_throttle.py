"""Sign-in throttling holds against parallel guesses, on both backends."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from factories import accounts as fa
from rtcdesk.accounts import service
from rtcdesk.accounts.models import SignInThrottle
from rtcdesk.accounts.service import SIGN_IN_MAX_FAILURES
from rtcdesk.app import create_app
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock

PARALLEL = 40
# An upper bound for a busy 2-core machine, never an expectation.
GENEROUS_TIMEOUT = 120


@pytest.mark.parametrize("area", ["console", "portal"])
def test_parallel_guesses_get_no_more_than_the_allowed_failures(
    committed_container: Container, clock: FrozenClock, area: str
) -> None:
    if area == "console":
        email = fa.agent(committed_container, password=fa.PASSWORD).email
    else:
        org = fa.organization(committed_container)
        email = fa.contact(committed_container, org, password=fa.PASSWORD).email
    app = create_app(container=committed_container)
    with TestClient(
        app=app, base_url="http://testserver.local", timeout=GENEROUS_TIMEOUT
    ) as client:
        start = threading.Barrier(PARALLEL, timeout=GENEROUS_TIMEOUT)

        def guess(n: int) -> int:
            start.wait()
            answer = client.post(
                f"/{area}/login",
                data={"email": email, "password": f"guess-{n:04d}"},
                follow_redirects=False,
            )
            return answer.status_code

        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            statuses = list(pool.map(guess, range(PARALLEL)))
        assert sorted(set(statuses)) == [401, 429]
        assert statuses.count(401) == SIGN_IN_MAX_FAILURES
        assert statuses.count(429) == PARALLEL - SIGN_IN_MAX_FAILURES

        right = {"email": email, "password": fa.PASSWORD}
        refused = client.post(f"/{area}/login", data=right, follow_redirects=False)
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.text

        clock.advance(timedelta(minutes=15, seconds=1))
        allowed = client.post(f"/{area}/login", data=right, follow_redirects=False)
        assert allowed.status_code == 303


def test_successful_sign_ins_do_not_use_up_the_allowance(
    committed_container: Container,
) -> None:
    email = fa.agent(committed_container, password=fa.PASSWORD).email
    app = create_app(container=committed_container)
    with TestClient(app=app, base_url="http://testserver.local") as client:
        for _ in range(SIGN_IN_MAX_FAILURES + 4):
            ok = client.post(
                "/console/login",
                data={"email": email, "password": fa.PASSWORD},
                follow_redirects=False,
            )
            assert ok.status_code == 303
        for _ in range(SIGN_IN_MAX_FAILURES):
            wrong = client.post("/console/login", data={"email": email, "password": "nope-nope"})
            assert wrong.status_code == 401
        blocked = client.post("/console/login", data={"email": email, "password": "nope-nope"})
        assert blocked.status_code == 429


def test_passed_windows_are_purged(container: Container, clock: FrozenClock) -> None:
    with container.uow() as uow:
        service.reserve_sign_in_attempt(uow, "old@example.com")
        uow.commit()
    clock.advance(timedelta(minutes=10))
    with container.uow() as uow:
        service.reserve_sign_in_attempt(uow, "recent@example.com")
        uow.commit()
    clock.advance(timedelta(minutes=6))
    with container.uow() as uow:
        assert service.purge_sign_in_throttles(uow) == 1
        uow.commit()
    with container.uow() as uow:
        kept = uow.session.scalars(select(SignInThrottle.email)).all()
    assert kept == ["recent@example.com"]
