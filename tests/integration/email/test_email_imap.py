"""The IMAP poller against a real Dovecot: mail becomes tickets, is marked only after the
commit, and a poller killed with -9 over and over loses and doubles nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import dovecot
import pytest
from sqlalchemy import func, select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.schemas import OrganizationCreate
from rtcdesk.accounts.service import create_organization
from rtcdesk.bootstrap import Container
from rtcdesk.channels.email import poller, service
from rtcdesk.channels.email.errors import MailServerError
from rtcdesk.channels.email.ingest import ingest
from rtcdesk.channels.email.models import ImapSecurity, InboundMessage, Mailbox, UnknownSenderPolicy
from rtcdesk.channels.email.schemas import MailboxCreate
from rtcdesk.tickets.models import Ticket

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "email"


def _mailbox(
    container: Container,
    server: dovecot.Dovecot,
    account: tuple[str, str],
    *,
    done: str | None = None,
    port: int | None = None,
) -> int:
    user, password = account
    with container.uow() as uow:
        org = create_organization(uow, SYSTEM, OrganizationCreate(name="Mail customers"))
        row = service.create_mailbox(
            uow,
            SYSTEM,
            MailboxCreate(
                address=user,
                name="Support",
                unknown_sender_policy=UnknownSenderPolicy.CREATE,
                unknown_organization_id=org.id,
                rate_limit_per_hour=100_000,
                imap_host="127.0.0.1",
                imap_port=port or server.port,
                imap_security=ImapSecurity.NONE,
                imap_user=user,
                imap_password=password,
                imap_done_folder=done,
            ),
        )
        uow.commit()
        return row.id


def _mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@client{n % 7}.example>\r\n"
        f"To: support@rtcdesk.example\r\nSubject: =?utf-8?b?6KeG6aKR5Y2h6aG/?= #{n}\r\n"
        f"Message-ID: <crash-{n}@client.example>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"\r\nmail number {n}\r\n"
    ).encode()


def _count(container: Container, model: type[object]) -> int:
    with container.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _unseen(server: dovecot.Dovecot, account: tuple[str, str], folder: str = "INBOX") -> int:
    with server.client(*account) as box:
        box.folder.set(folder)
        return len(box.uids("UNSEEN"))


def test_unseen_mail_becomes_tickets_and_is_marked_seen(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str]
) -> None:
    mailbox_id = _mailbox(live, imap_server, imap_account)
    corpus = [
        (CORPUS / name).read_bytes()
        for name in ("foxmail_gb2312_reply.eml", "big5_subject.eml", "autoreply_zh_subject.eml")
    ]
    imap_server.deliver(*imap_account, *corpus)
    result = poller.poll_mailbox(live, mailbox_id)
    assert result.fetched == 3
    assert dict(result.outcomes) == {"created": 2, "auto_reply": 1}
    assert _unseen(imap_server, imap_account) == 0
    with live.uow(write=False) as uow:
        subjects = set(uow.session.scalars(select(Ticket.subject)))
    assert subjects == {"回复：[#1234] 视频通话卡顿", "音訊延遲問題（iOS 17）"}
    again = poller.poll_mailbox(live, mailbox_id)
    assert again.fetched == 0


def test_taken_in_mail_can_be_moved_to_a_done_folder(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str]
) -> None:
    with imap_server.client(*imap_account) as box:
        box.folder.create("Done")
    mailbox_id = _mailbox(live, imap_server, imap_account, done="Done")
    imap_server.deliver(*imap_account, _mail(1), _mail(2))
    assert poller.poll_mailbox(live, mailbox_id).fetched == 2
    with imap_server.client(*imap_account) as box:
        assert box.uids("ALL") == []
        box.folder.set("Done")
        assert len(box.uids("ALL")) == 2


def test_mail_committed_but_not_yet_marked_is_taken_in_once(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str]
) -> None:
    """The window a crash can leave: committed, still unseen on the server."""
    mailbox_id = _mailbox(live, imap_server, imap_account)
    raw = _mail(7)
    imap_server.deliver(*imap_account, raw)
    with live.uow() as uow:
        box = uow.session.get(Mailbox, mailbox_id)
        assert box is not None
        ingest(uow, live.files, box, raw)
        uow.commit()
    result = poller.poll_mailbox(live, mailbox_id)
    assert (result.fetched, result.duplicates) == (1, 1)
    assert _count(live, Ticket) == 1
    assert _unseen(imap_server, imap_account) == 0


def test_an_unreachable_server_is_a_clear_error(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str]
) -> None:
    mailbox_id = _mailbox(live, imap_server, imap_account, port=dovecot.free_port())
    with pytest.raises(MailServerError) as failed:
        poller.poll_mailbox(live, mailbox_id)
    assert "IMAP server" in failed.value.message


def _env(container: Container, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RTCDESK_DATABASE_URL": container.engine.url.render_as_string(hide_password=False),
        "RTCDESK_DATA_DIR": str(tmp_path / "data"),
    }


def test_the_poll_command(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str], tmp_path: Path
) -> None:
    _mailbox(live, imap_server, imap_account)
    imap_server.deliver(*imap_account, _mail(1), _mail(2), _mail(3))
    done = subprocess.run(
        [sys.executable, "-m", "rtcdesk", "email", "poll", "--mailbox", imap_account[0]],
        env=_env(live, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "fetched 3" in done.stdout
    assert "created 3" in done.stdout
    assert _count(live, Ticket) == 3


def _taken_in(container: Container) -> int:
    return _count(container, InboundMessage)


@pytest.mark.slow
def test_kill_9_at_random_points_loses_and_doubles_nothing(
    live: Container, imap_server: dovecot.Dovecot, imap_account: tuple[str, str], tmp_path: Path
) -> None:
    """Each run is killed a random moment after it has taken in its first new mail (so
    inside ingestion: mid-transaction, between a commit and its \\Seen, ...), until the
    last run drains the mailbox on its own; then every mail is there exactly once."""
    total, max_kills = 60, 10
    _mailbox(live, imap_server, imap_account)
    imap_server.deliver(*imap_account, *(_mail(n) for n in range(total)))
    command = [sys.executable, "-m", "rtcdesk", "email", "poll", "--mailbox", imap_account[0]]
    rng = random.Random(18)
    kills = 0
    while True:
        before = _taken_in(live)
        with (tmp_path / "poll.log").open("ab") as log:
            proc = subprocess.Popen(command, env=_env(live, tmp_path), stdout=log, stderr=log)
        if kills < max_kills:
            deadline = time.monotonic() + 300
            while proc.poll() is None and _taken_in(live) == before:
                assert time.monotonic() < deadline, "the poller took nothing in for 5 minutes"
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.6))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        assert proc.wait(timeout=600) in (0, -signal.SIGKILL)
        if proc.returncode == 0 and _unseen(imap_server, imap_account) == 0:
            break
    with live.uow(write=False) as uow:
        ids = list(uow.session.scalars(select(InboundMessage.message_id)))
    tickets = _count(live, Ticket)
    lost = total - len(set(ids))
    doubled = (len(ids) - len(set(ids))) + max(tickets - total, 0)
    print(f"kill -9 crash test: {kills} kills, {total} mails, lost {lost}, doubled {doubled}")
    assert kills >= 5, "the schedule must interrupt the poller inside ingestion"
    assert (lost, doubled) == (0, 0)
    assert tickets == total
