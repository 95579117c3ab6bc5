"""An HTTP client on the real ASGI app, wired to the test transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from rtcdesk.app import create_app
from rtcdesk.bootstrap import Container


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """A test client for the whole app (API and pages)."""
    with TestClient(app=create_app(container=container), base_url="http://testserver.local") as c:
        yield c
