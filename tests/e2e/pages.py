"""What every browser test does the same way: sign a demo account in through the real form."""

from __future__ import annotations

from typing import Any

from rtcdesk.demo.dataset import DEMO_PASSWORD


def sign_in(page: Any, base: str, area: str, email: str, *, lang: str | None = None) -> None:
    """Sign ``email`` in to ``area`` ("console" or "portal"); with ``lang``, in that language."""
    from playwright.sync_api import expect

    login = f"/{area}/login"
    page.goto(f"{base}/lang/{lang}?next={login}" if lang else f"{base}{login}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-form")).to_have_count(0)
