"""Cookies are Secure whenever the request came over HTTPS, directly or via a trusted proxy."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.app import create_app
from rtcdesk.bootstrap import Container
from rtcdesk.web.context import forwarded_https

LOOPBACK = ["127.0.0.1", "::1"]


def _session_cookie_header(container: Container, base_url: str, **headers: str) -> str:
    agent = fa.agent(container, password=fa.PASSWORD)
    with TestClient(app=create_app(container=container), base_url=base_url) as client:
        answer = client.post(
            "/console/login",
            data={"email": agent.email, "password": fa.PASSWORD},
            headers=headers,
            follow_redirects=False,
        )
    assert answer.status_code == 303
    cookie: str = answer.headers["set-cookie"]
    assert cookie.startswith("rtcdesk_session=")
    return cookie.lower()


def test_https_requests_get_secure_cookies(container: Container) -> None:
    assert "secure" in _session_cookie_header(container, "https://desk.example")
    with TestClient(app=create_app(container=container), base_url="https://desk.example") as c:
        lang = c.get("/lang/zh-CN", follow_redirects=False).headers["set-cookie"].lower()
    assert "secure" in lang


def test_plain_http_and_untrusted_forwarding_do_not(container: Container) -> None:
    assert "secure" not in _session_cookie_header(container, "http://desk.example")
    # The test client's peer is no trusted proxy: its header is not believed.
    forged = _session_cookie_header(
        container, "http://desk.example", **{"X-Forwarded-Proto": "https"}
    )
    assert "secure" not in forged


@pytest.mark.parametrize(
    ("scheme", "peer", "proto", "trusted", "expected"),
    [
        ("https", None, None, [], True),
        ("http", "127.0.0.1", "https", LOOPBACK, True),
        ("http", "::1", "HTTPS", LOOPBACK, True),
        ("http", "10.1.2.3", "https", ["10.0.0.0/8"], True),
        ("http", "10.1.2.3", "https", LOOPBACK, False),
        ("http", "127.0.0.1", "http", LOOPBACK, False),
        ("http", "127.0.0.1", None, LOOPBACK, False),
        ("http", "testclient", "https", LOOPBACK, False),
        ("http", "127.0.0.1", "https", ["not-an-address"], False),
    ],
)
def test_which_requests_count_as_https(
    scheme: str, peer: str | None, proto: str | None, trusted: list[str], expected: bool
) -> None:
    assert forwarded_https(scheme, peer, proto, trusted) is expected
