"""Typed settings, read from ``RTCDESK_*`` environment variables when built, never at import."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where data lives when RTCDESK_DATA_DIR is not set: ``$XDG_DATA_HOME/rtcdesk``, which
    defaults to ``~/.local/share/rtcdesk`` (the same wherever the command is run from)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "rtcdesk"


class Settings(BaseSettings):
    """Everything an operator can configure. Defaults run an embedded single-box install."""

    model_config = SettingsConfigDict(env_prefix="RTCDESK_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where SQLite, files and logs live (default: $XDG_DATA_HOME/rtcdesk).",
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means a SQLite file in data_dir."
    )
    secret_key: str = Field(default="", description="Signs nothing yet; reserved for tokens.")
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    web_workers: int = 1
    default_language: str = "en"
    clock_offset_seconds: float = Field(
        default=0.0,
        description=(
            "Demonstrations and browser tests only: every process reads the real time moved"
            " by this many seconds (negative: into the past). 0: the real time."
        ),
    )

    max_request_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 100 * 1024 * 1024
    log_default_tz: str = Field(
        default="UTC",
        description="UTC offset (e.g. +08:00) of log times written without one (docs/logs.md).",
    )
    log_rules_dir: Path | None = Field(
        default=None,
        description="A folder of extra log-analysis rule files (*.yaml, docs/logs.md); a rule "
        "with a built-in rule's code replaces it.",
    )
    max_form_field_bytes: int = Field(
        default=1024 * 1024,
        description="Largest text field of a form post (a 200,000-character body in UTF-8 fits).",
    )
    reopen_window_days: int = 14
    session_days: int = 14
    cookie_secure: bool = Field(
        default=False,
        description="Mark cookies Secure on every request; HTTPS requests always get Secure.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Addresses or networks whose X-Forwarded-Proto header is believed.",
    )

    run_worker_in_process: bool = Field(
        default=True, description="Run the job worker inside `rtcdesk serve` (embedded default)."
    )

    # Notifications (docs/notifications.md). No SMTP host: email deliveries are skipped.
    smtp_host: str = Field(default="", description="SMTP relay for notification emails.")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description="none, starttls (usually port 587) or ssl (port 465)."
    )
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = Field(
        default="rtcdesk <rtcdesk@localhost>", description="From: of notification emails."
    )
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    smtp_ca_file: str = Field(
        default="", description="CA bundle for a relay with a private certificate authority."
    )
    notifications_poll_seconds: int = Field(
        default=30, ge=1, description="How often an open console asks for the unread count."
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<data_dir>/rtcdesk.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'rtcdesk.db').resolve()}"

    @property
    def reopen_window(self) -> timedelta:
        """How long after solving a customer's reply may reopen a ticket."""
        return timedelta(days=self.reopen_window_days)

    @property
    def files_dir(self) -> Path:
        """Where attachments are stored, content-addressed."""
        return self.data_dir / "files"
