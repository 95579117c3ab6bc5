"""A real SMTP server on loopback (aiosmtpd, an ephemeral port), plain or with TLS."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from litestar.testing import TestClient

from rtcdesk.app import create_app
from rtcdesk.bootstrap import Container

USER, PASSWORD = "rtcdesk", "relay-secret"


class LoopbackController(Controller):
    """aiosmtpd's threaded controller bound to port 0: the port is read back after binding."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Relay:
    """What the relay received, and how it answers the next RCPT TO (None: accept)."""

    port: int = 0
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    rcpt_answer: str | None = None
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


@pytest.fixture
def point_at(container: Container) -> Callable[..., None]:
    """Give the container's settings an SMTP relay (and a public base URL)."""

    def configure(**smtp: Any) -> None:
        container.settings = container.settings.model_copy(
            update={"base_url": "https://desk.example.com", **smtp}
        )

    return configure


@pytest.fixture
def relay_login() -> tuple[str, str]:
    """The user name and password the TLS relays accept."""
    return USER, PASSWORD


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the relay's), which is also its own CA."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "relay.pem", folder / "relay.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def smtp_relay() -> Iterator[Callable[..., Relay]]:
    """Start relays on demand: ``smtp_relay()`` plain, ``smtp_relay(tls=("starttls", cert,
    key))`` or ``("ssl", cert, key)``, with AUTH required over TLS."""
    controllers: list[LoopbackController] = []

    def start(tls: tuple[str, Path, Path] | None = None) -> Relay:
        relay = Relay()
        kwargs: dict[str, Any] = {}
        if tls is not None:
            mode, cert, key = tls
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            if mode == "ssl":
                # The whole connection is TLS; aiosmtpd only counts STARTTLS as TLS for AUTH.
                kwargs.update(ssl_context=context, auth_require_tls=False)
            else:
                kwargs.update(tls_context=context, require_starttls=True, auth_required=True)
            kwargs["authenticator"] = relay.authenticate
        controller = LoopbackController(relay, hostname="127.0.0.1", port=0, **kwargs)
        controller.start()
        controllers.append(controller)
        relay.port = controller.port
        return relay

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (the relay is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """A test client for the whole app, on the test transaction."""
    with TestClient(app=create_app(container=container), base_url="http://testserver.local") as c:
        yield c
