"""Search tests: a few organizations, people and tickets, indexed by the real job."""

from __future__ import annotations

from typing import Any

import pytest

from factories import accounts as fa
from factories import tickets as ft
from factories.search import run_jobs
from rtcdesk.bootstrap import Container
from rtcdesk.tickets.models import MessageKind


@pytest.fixture
def corpus(container: Container) -> dict[str, Any]:
    """Two organizations with tickets in Chinese and English, one internal note."""
    acme = fa.organization(container, name="Acme")
    other = fa.organization(container, name="Other")
    dev = fa.contact(container, acme, name="Dev")
    colleague = fa.contact(container, acme, name="Colleague")
    stranger = fa.contact(container, other, name="Stranger")
    agent = fa.agent(container, name="Agent Li")
    t = {
        "stutter_zh": ft.ticket(
            container, dev, subject="视频卡顿严重", body="弱网下远端画面每隔几秒卡住一次。"
        ),
        "echo_en": ft.ticket(
            container, dev, subject="Echo on Android", body="The far end hears an echo of itself."
        ),
        "black_zh": ft.ticket(
            container, colleague, subject="iOS 加入频道后黑屏", body="本地预览正常，远端黑屏。"
        ),
        "other_loss": ft.ticket(
            container, stranger, subject="丢包率高 packet loss", body="Loss reaches 30% on 4G."
        ),
        "code": ft.ticket(
            container, dev, subject="joinChannel fails", body="The SDK reports ERR_1001 at join."
        ),
    }
    ft.message(
        container,
        t["echo_en"].id,
        agent,
        "Internal: customer's AEC is disabled in the app config (secretword).",
        kind=MessageKind.INTERNAL,
    )
    ft.message(container, t["echo_en"].id, agent, "Please enable the 回声消除 option.")
    run_jobs(container)
    return {
        "acme": acme,
        "other": other,
        "dev": dev,
        "colleague": colleague,
        "stranger": stranger,
        "agent": agent,
        "tickets": t,
    }
