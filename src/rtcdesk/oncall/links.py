"""Signed acknowledgement links: ``page step + agent + expiry``, HMAC-SHA256 with the app's key.

Pure: the key and the instant are arguments. A token is ``<step>.<agent>.<expiry>.<mac>``
(expiry in epoch seconds, the MAC base64url without padding); single use is enforced by the
step's ``link_used_at`` in storage, not here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

LINK_LIFETIME = timedelta(hours=24)
_PURPOSE = b"rtcdesk.oncall.page-ack.v1"
KEY_FILE = "paging-link.key"


class LinkProblem(StrEnum):
    """Why a link was refused."""

    FORGED = "forged"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token names."""

    step_id: int
    agent_id: int
    expires_at: datetime


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, _PURPOSE + b"|" + message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(key: bytes, step_id: int, agent_id: int, expires_at: datetime) -> str:
    """A token acknowledging step ``step_id`` as ``agent_id`` until ``expires_at``."""
    message = f"{step_id}.{agent_id}.{int(expires_at.timestamp())}"
    return f"{message}.{_mac(key, message)}"


def verify(key: bytes, token: str, now: datetime) -> LinkClaim | LinkProblem:
    """The claim of ``token``, or why it is refused (a bad MAC before any expiry check)."""
    parts = token.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]) or len(token) > 200:
        return LinkProblem.FORGED
    message = ".".join(parts[:3])
    if not hmac.compare_digest(_mac(key, message), parts[3]):
        return LinkProblem.FORGED
    expires_at = datetime.fromtimestamp(int(parts[2]), UTC)
    if now >= expires_at:
        return LinkProblem.EXPIRED
    return LinkClaim(int(parts[0]), int(parts[1]), expires_at)


def link_key(secret_key: str, data_dir: Path) -> bytes:
    """The signing key: from the configured secret, else a random key kept in the data dir."""
    if secret_key:
        return hashlib.sha256(b"paging|" + secret_key.encode()).digest()
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="ascii") as out:
                path.chmod(0o600)
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another process wrote it first: use theirs
    return bytes.fromhex(path.read_text(encoding="ascii").strip())
