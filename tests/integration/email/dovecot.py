"""A throwaway Dovecot IMAP server on loopback for the email channel's tests.

Its configuration, mail (Maildir) and users (a passwd-file) live in a temporary folder.
Dovecot refuses to run mail processes as root, so as root the mail belongs to ``nobody``
(``first_valid_uid = 0`` lets any uid pass its check); otherwise to the current user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from imap_tools import MailBoxUnencrypted

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
ACCOUNTS = 500
PASSWORD = "imap-secret"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service auth {{
  user = {auth_user}
}}
service auth-worker {{
  user = {auth_user}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""


def available() -> bool:
    """Whether a Dovecot binary is installed."""
    return os.path.exists(DOVECOT)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    """A running server: add users, put mail in their INBOX, look at flags."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]

    def account(self, number: int) -> tuple[str, str]:
        """Mail account ``number`` (1..ACCOUNTS): made before the start, because Dovecot may
        not notice a passwd-file that changed twice within one second."""
        if not 1 <= number <= ACCOUNTS:
            raise ValueError("no such test account")
        return f"support{number}@rtcdesk.example", PASSWORD

    def client(self, user: str, password: str) -> MailBoxUnencrypted:
        """A logged-in imap_tools client (use it in a ``with``)."""
        return MailBoxUnencrypted("127.0.0.1", self.port, timeout=60).login(user, password)

    def deliver(self, user: str, password: str, *raws: bytes) -> None:
        """Put mails into the user's INBOX, unseen."""
        with self.client(user, password) as box:
            for raw in raws:
                box.append(raw, "INBOX", flag_set=())

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(root: Path) -> Dovecot:
    """Start Dovecot in the foreground with a configuration under ``root``."""
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir(parents=True, exist_ok=True)
    (root / "users").write_text(
        "".join(
            f"support{n}@rtcdesk.example:{{PLAIN}}{PASSWORD}::::::\n"
            for n in range(1, ACCOUNTS + 1)
        )
    )
    if os.geteuid() == 0:
        owner = pwd.getpwnam("nobody")
        for name in ("mail", "home"):
            os.chown(root / name, owner.pw_uid, owner.pw_gid)
        uid, gid, internal, login = owner.pw_uid, owner.pw_gid, "dovecot", "dovenull"
        auth_user = "root"  # the passwd-file sits in a folder only root may enter
    else:
        me = pwd.getpwuid(os.getuid())
        uid, gid, internal, login = me.pw_uid, me.pw_gid, me.pw_name, me.pw_name
        auth_user = me.pw_name
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            uid=uid,
            gid=gid,
            internal=internal,
            login=login,
            auth_user=auth_user,
        )
    )
    with (root / "stderr.log").open("wb") as errors:
        process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=errors
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "stderr.log").read_text(errors="replace")
            raise RuntimeError(f"dovecot did not start: {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Dovecot(root=root, port=port, process=process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("dovecot did not listen within 60 s")
