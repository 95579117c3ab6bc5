"""The operators' jobs page: visible to administrators and managers, retry and drop work."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import select

from factories import accounts as fa
from rtcdesk.bootstrap import Container
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState

Client = TestClient  # type: ignore[type-arg]


def _failed_job(container: Container) -> int:
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, "diagnostics.run", {"report_id": 999999})
        uow.flush()
        job = uow.session.get(Job, job_id)
        assert job is not None
        job.state = JobState.FAILED
        job.attempts = 3
        job.last_error = "Traceback ...\nValueError: broken dump"
        job.finished_at = uow.clock.now()
        uow.commit()
    return job_id


def test_jobs_page_and_actions(client: Client, container: Container) -> None:
    failed_id = _failed_job(container)
    admin = fa.agent(container, role="admin")
    cookie, csrf = fa.agent_session(container, admin)
    client.cookies.set("rtcdesk_session", cookie)
    page = client.get("/console/jobs")
    assert page.status_code == 200
    assert "ValueError: broken dump" in page.text
    retried = client.post(
        f"/console/jobs/{failed_id}/retry", data={"_csrf": csrf}, follow_redirects=False
    )
    assert retried.status_code == 303
    with container.uow(write=False) as uow:
        state = uow.session.scalar(select(Job.state).where(Job.id == failed_id))
    assert state is JobState.QUEUED
    dropped = client.post(
        f"/console/jobs/{failed_id}/drop", data={"_csrf": csrf}, follow_redirects=False
    )
    assert dropped.status_code == 303
    with container.uow(write=False) as uow:
        assert uow.session.get(Job, failed_id) is None


def test_jobs_page_is_for_managers(client: Client, container: Container) -> None:
    cookie, _ = fa.agent_session(container, fa.agent(container, role="agent"))
    client.cookies.set("rtcdesk_session", cookie)
    assert client.get("/console/jobs").status_code == 403
