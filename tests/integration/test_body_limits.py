"""Body limits hold whatever the framing: Content-Length, chunked, multipart.

Through a real server (`rtcdesk serve`, granian) and raw sockets, since a test client does
not produce real chunked framing. The server runs with a small upload limit (8 MiB) so the
upload cases stay quick; the request limit is the default 2 MiB.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MIB = 1024 * 1024
UPLOAD_LIMIT = 8 * MIB
TIMEOUT = 120  # seconds; upper bounds for a busy 2-core machine, never expectations


@dataclass
class Server:
    """The live server and what the tests act as."""

    port: int
    token: str
    email: str
    ticket_id: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


LOADER = """
import json, sys
from sqlalchemy import select
from rtcdesk.accounts import service
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, AgentRole, TokenKind
from rtcdesk.accounts.schemas import TokenCreate
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.demo.dataset import load_demo
from rtcdesk.tickets.models import Ticket

c = build_container(Settings())
upgrade(c.engine)
load_demo(c, ticket_count=3)
with c.uow() as uow:
    agent = uow.session.scalars(
        select(Agent).where(Agent.role == AgentRole.ADMIN).order_by(Agent.id)
    ).first()
    ticket_id = uow.session.scalars(select(Ticket.id).order_by(Ticket.id)).first()
    _row, secret = service.create_token(
        uow, SYSTEM, TokenCreate(kind=TokenKind.AGENT, name="limits", agent_id=agent.id)
    )
    uow.commit()
    print(json.dumps({"token": secret, "email": agent.email, "ticket_id": ticket_id}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`rtcdesk serve` on a fresh SQLite database with a small demo and an admin's token."""
    data_dir = tmp_path_factory.mktemp("limits")
    env = {
        **os.environ,
        "RTCDESK_DATA_DIR": str(data_dir),
        "RTCDESK_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
        "RTCDESK_RUN_WORKER_IN_PROCESS": "false",
    }
    env.pop("RTCDESK_DATABASE_URL", None)
    loaded = subprocess.run(
        [sys.executable, "-c", LOADER],
        env=env,
        check=True,
        timeout=TIMEOUT,
        capture_output=True,
        text=True,
    )
    facts = json.loads(loaded.stdout.strip().splitlines()[-1])
    port = _free_port()
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "rtcdesk", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, process, log_path)
            yield Server(port, facts["token"], facts["email"], facts["ticket_id"])
        finally:
            process.terminate()
            process.wait(timeout=TIMEOUT)


def _wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("the server did not start: " + log.read_text())


@dataclass
class Answer:
    """A response as the client saw it."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        """The body as JSON."""
        return json.loads(self.body)


def send(
    server: Server,
    method: str,
    path: str,
    chunks: Iterable[bytes],
    *,
    headers: dict[str, str] | None = None,
    chunked: bool = True,
    length: int | None = None,
) -> Answer:
    """One request over a raw socket: the body chunk by chunk (real chunked framing unless
    ``chunked`` is false), sent from a thread while the answer is read, because a server
    may answer a refused body before the client has finished sending it."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append(f"Content-Length: {length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()

    def write() -> None:
        try:
            sock.sendall(head)
            for chunk in chunks:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the whole body was sent

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        sock.close()
        writer.join(timeout=TIMEOUT)


def api_get(server: Server, path: str) -> object:
    """A GET through the API as the admin."""
    answer = send(server, "GET", path, [], chunked=False, headers=_bearer(server))
    assert answer.status == 200, answer.body
    return answer.json()


def _bearer(server: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}"}


def pieces(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """``data`` in chunks of ``size`` bytes."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart/form-data body."""
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for name, (filename, content) in files.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def _view_body(name: str, filler: int) -> bytes:
    return json.dumps({"name": name, "filters": {"q": "x" * filler}}).encode()


def _view_names(server: Server) -> list[str]:
    views = api_get(server, "/api/v1/views")
    items = views["items"] if isinstance(views, dict) else views
    assert isinstance(items, list)
    return [v["name"] for v in items]


def test_chunked_json_within_the_limit_is_read(server: Server) -> None:
    answer = send(
        server,
        "POST",
        "/api/v1/views",
        pieces(_view_body("small chunked", 1000), 100),
        headers={**_bearer(server), "Content-Type": "application/json"},
    )
    assert answer.status == 201, answer.body
    assert "small chunked" in _view_names(server)


def test_chunked_json_over_the_limit_is_refused_and_nothing_is_stored(server: Server) -> None:
    answer = send(
        server,
        "POST",
        "/api/v1/views",
        pieces(_view_body("huge chunked", 6 * MIB)),
        headers={**_bearer(server), "Content-Type": "application/json"},
    )
    assert answer.status == 413, answer.body
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert isinstance(problem, dict)
    assert problem["detail"] == "the request body is larger than 2 MiB"
    assert "huge chunked" not in _view_names(server)


def test_declared_length_over_the_limit_is_refused_before_reading(server: Server) -> None:
    body = _view_body("huge declared", 3 * MIB)
    answer = send(
        server,
        "POST",
        "/api/v1/views",
        pieces(body),
        headers={**_bearer(server), "Content-Type": "application/json"},
        chunked=False,
        length=len(body),
    )
    assert answer.status == 413, answer.body
    assert "huge declared" not in _view_names(server)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_multipart_to_a_json_route_is_held_to_the_request_limit(
    server: Server, chunked: bool
) -> None:
    """Over the 2 MiB request limit, well under the 8 MiB upload limit: refused all the same,
    since a JSON route of the API takes no files."""
    body = multipart("b0undary", {"name": "multipart view", "filler": "x" * (3 * MIB)}, {})
    answer = send(
        server,
        "POST",
        "/api/v1/views",
        pieces(body),
        headers={**_bearer(server), "Content-Type": "multipart/form-data; boundary=b0undary"},
        chunked=chunked,
        length=None if chunked else len(body),
    )
    assert answer.status == 413, answer.body
    problem = answer.json()
    assert isinstance(problem, dict)
    assert problem["detail"] == "the request body is larger than 2 MiB"
    assert "multipart view" not in _view_names(server)


def test_small_multipart_to_a_json_route_is_refused_readably(server: Server) -> None:
    body = multipart("b0undary", {"name": "x"}, {})
    answer = send(
        server,
        "POST",
        "/api/v1/views",
        pieces(body),
        headers={**_bearer(server), "Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    assert 400 <= answer.status < 500, answer.body


def _console_session(server: Server) -> tuple[str, str]:
    """Sign the admin in to the console; returns the cookie header and the ticket page's
    CSRF token."""
    form = f"email={server.email}&password=rtcdesk-demo".encode()
    answer = send(
        server,
        "POST",
        "/console/login",
        [form],
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        chunked=False,
        length=len(form),
    )
    assert answer.status in (302, 303), answer.body
    cookie = answer.headers["set-cookie"].split(";", 1)[0]
    page = send(
        server,
        "GET",
        f"/console/tickets/{server.ticket_id}",
        [],
        headers={"Cookie": cookie},
        chunked=False,
    )
    assert page.status == 200
    match = re.search(rb'name="_csrf" value="([^"]+)"', page.body)
    assert match
    return cookie, match.group(1).decode()


def _message_count(server: Server) -> int:
    messages = api_get(server, f"/api/v1/tickets/{server.ticket_id}/messages")
    items = messages["items"] if isinstance(messages, dict) else messages
    assert isinstance(items, list)
    return len(items)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(30 * MIB, "the field body is larger than 1 MiB", id="30MB"),
        pytest.param(3 * MIB, "the field body is larger than 1 MiB", id="3MB"),
    ],
)
def test_a_huge_text_field_in_a_multipart_form_is_refused(
    server: Server, size: int, expected: str
) -> None:
    cookie, csrf = _console_session(server)
    before = _message_count(server)
    body = multipart(
        "f0rm", {"_csrf": csrf, "kind": "public", "body": "y" * size}, {"files": ("", b"")}
    )
    answer = send(
        server,
        "POST",
        f"/console/tickets/{server.ticket_id}/reply",
        pieces(body),
        headers={
            "Cookie": f"{cookie}; rtcdesk_lang=en",
            "Content-Type": "multipart/form-data; boundary=f0rm",
        },
    )
    assert answer.status == 413, answer.body[:500]
    assert answer.headers["content-type"].startswith("text/html")
    assert expected.encode() in answer.body
    assert _message_count(server) == before


def test_many_text_fields_are_bounded_together(server: Server) -> None:
    cookie, csrf = _console_session(server)
    before = _message_count(server)
    fields = {f"extra{i}": "w" * (MIB // 2) for i in range(6)}
    body = multipart("f0rm", {"_csrf": csrf, "kind": "public", "body": "hi", **fields}, {})
    answer = send(
        server,
        "POST",
        f"/console/tickets/{server.ticket_id}/reply",
        pieces(body),
        headers={
            "Cookie": f"{cookie}; rtcdesk_lang=en",
            "Content-Type": "multipart/form-data; boundary=f0rm",
        },
    )
    assert answer.status == 413, answer.body[:500]
    assert b"the text fields of this form are larger than 2 MiB together" in answer.body
    assert _message_count(server) == before


def test_a_reply_within_the_limits_is_stored(server: Server) -> None:
    cookie, csrf = _console_session(server)
    before = _message_count(server)
    body = multipart(
        "f0rm",
        {"_csrf": csrf, "kind": "public", "body": "z" * 200_000},
        {"files": ("notes.txt", b"hello\n" * 1000)},
    )
    answer = send(
        server,
        "POST",
        f"/console/tickets/{server.ticket_id}/reply",
        pieces(body),
        headers={
            "Cookie": f"{cookie}; rtcdesk_lang=en",
            "Content-Type": "multipart/form-data; boundary=f0rm",
        },
    )
    assert answer.status == 303, answer.body[:500]
    assert _message_count(server) == before + 1


def _upload(server: Server, content: bytes, *, as_multipart: bool, chunked: bool) -> Answer:
    path = f"/api/v1/tickets/{server.ticket_id}/attachments"
    headers = _bearer(server)
    if as_multipart:
        content = multipart("upl0ad", {}, {"file": ("capture.bin", content)})
        headers["Content-Type"] = "multipart/form-data; boundary=upl0ad"
    else:
        path += "?filename=capture.bin"
        headers["Content-Type"] = "application/octet-stream"
    return send(
        server,
        "POST",
        path,
        pieces(content),
        headers=headers,
        chunked=chunked,
        length=None if chunked else len(content),
    )


@pytest.mark.parametrize("as_multipart", [True, False], ids=["multipart", "raw"])
def test_an_upload_within_the_limit_is_stored(server: Server, as_multipart: bool) -> None:
    content = os.urandom(5 * MIB)
    answer = _upload(server, content, as_multipart=as_multipart, chunked=True)
    assert answer.status == 201, answer.body
    created = answer.json()
    assert isinstance(created, dict)
    assert created["size"] == len(content)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
@pytest.mark.parametrize("as_multipart", [True, False], ids=["multipart", "raw"])
def test_an_upload_over_the_limit_is_refused(
    server: Server, as_multipart: bool, chunked: bool
) -> None:
    before = api_get(server, f"/api/v1/tickets/{server.ticket_id}/attachments")
    answer = _upload(
        server, os.urandom(UPLOAD_LIMIT + MIB), as_multipart=as_multipart, chunked=chunked
    )
    assert answer.status == 413, answer.body
    problem = answer.json()
    assert isinstance(problem, dict)
    assert "larger than" in str(problem["detail"])
    assert api_get(server, f"/api/v1/tickets/{server.ticket_id}/attachments") == before
