"""The console's on-call pages through the real app: list, calendar, forms and refusals."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from factories import accounts as fa
from factories import oncall as fo
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]


def _cell(html: str, day: str) -> str:
    match = re.search(rf'data-date="{day}">(.*?)</td>', html, re.S)
    assert match, day
    return match.group(1)


def test_list_and_calendar_show_who_is_on(client: Client, container: Container) -> None:
    a = fa.agent(container, name="Alice")
    b = fa.agent(container, name="Bob")
    row = fo.schedule(container, [[a, b]], name="Desk")
    cookie, _ = fa.agent_session(container, a)
    client.cookies.set("rtcdesk_session", cookie)
    listed = client.get("/console/oncall")
    assert listed.status_code == 200
    assert "Desk" in listed.text
    assert "<strong>Alice</strong>" in listed.text
    page = client.get(f"/console/oncall/{row.id}")
    assert page.status_code == 200, page.text
    # Weekly at 09:00 from Monday 2026-03-02: Alice that week, Bob's from the next Monday.
    assert "Alice" in _cell(page.text, "2026-03-04")
    assert "Bob" not in _cell(page.text, "2026-03-04")
    monday = _cell(page.text, "2026-03-09")
    assert "Alice" in monday
    assert "–09:00" in monday
    assert "Bob" in monday
    assert "09:00–" in monday
    assert "Bob" in _cell(page.text, "2026-03-12")
    later = client.get(f"/console/oncall/{row.id}?from=2026-03-30")
    assert "Alice" in _cell(later.text, "2026-04-01")  # fifth week: Alice again
    assert "Bob" in _cell(later.text, "2026-04-08")
    assert client.get(f"/console/oncall/{row.id}?from=soon").status_code == 400
    # An agent sees no layer-editing forms.
    assert "layer-add-form" not in page.text


def test_admin_forms_and_an_agents_own_override(client: Client, container: Container) -> None:
    admin = fa.agent(container, role="admin", name="Ada")
    a = fa.agent(container, name="Alice")
    b = fa.agent(container, name="Bob")
    cookie, csrf = fa.agent_session(container, admin)
    client.cookies.set("rtcdesk_session", cookie)
    created = client.post(
        "/console/oncall",
        data={"_csrf": csrf, "name": "Forms", "timezone": "Asia/Shanghai"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    path = created.headers["location"]
    bad_zone = client.post(path, data={"_csrf": csrf, "name": "Forms", "timezone": "Nowhere"})
    assert bad_zone.status_code == 400
    assert "unknown time zone" in bad_zone.text
    layer = {
        "_csrf": csrf,
        "name": "Primary",
        "starts_on": "2026-03-02",
        "handover": "daily",
        "handover_time": "00:00",
        "length_days": "1",
        "participant_ids": [str(a.id), str(b.id), ""],
    }
    added = client.post(path + "/layers", data=layer, follow_redirects=False)
    assert added.status_code == 303, added.text
    page = client.get(path)
    assert "Alice" in _cell(page.text, "2026-03-02")
    assert "Bob" in _cell(page.text, "2026-03-03")
    wrong = client.post(path + "/layers", data={**layer, "handover_time": "7pm"})
    assert wrong.status_code == 400
    assert "HH:MM" in wrong.text
    assert 'value="7pm"' in wrong.text  # what the admin typed comes back
    odd_day = client.post(path + "/layers", data={**layer, "restrict_weekdays": ["9"]})
    assert odd_day.status_code == 400
    assert "Monday to Sunday" in odd_day.text
    long_text = client.post(
        path, data={"_csrf": csrf, "name": "Forms", "timezone": "UTC", "description": "x" * 2001}
    )
    assert long_text.status_code == 400
    assert "2000 characters" in long_text.text

    cookie_b, csrf_b = fa.agent_session(container, b)
    client.cookies.set("rtcdesk_session", cookie_b)
    cover = {
        "_csrf": csrf_b,
        "agent_id": str(b.id),
        "layer_id": "",
        "starts_at": "2026-03-04T00:00",
        "ends_at": "2026-03-05T00:00",
        "reason": "holiday swap",
    }
    ok = client.post(path + "/overrides", data=cover, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    page = client.get(path)
    wednesday = _cell(page.text, "2026-03-04")
    assert "Bob" in wednesday
    assert "Alice" not in wednesday
    assert "override" in wednesday
    assert "holiday swap" in page.text
    not_mine = client.post(path + "/overrides", data={**cover, "agent_id": str(a.id)})
    assert not_mine.status_code == 403
    backwards = client.post(path + "/overrides", data={**cover, "ends_at": "2026-03-03T00:00"})
    assert backwards.status_code == 400
    assert "end after it starts" in backwards.text
    assert client.post(path + "/layers", data={**layer, "_csrf": csrf_b}).status_code == 403


def test_customers_get_no_on_call_pages(client: Client, container: Container) -> None:
    row = fo.schedule(container, [[fa.agent(container)]])
    org = fa.organization(container)
    cookie, _ = fa.contact_session(container, fa.contact(container, org, password=fa.PASSWORD))
    client.cookies.set("rtcdesk_session", cookie)
    for path in ("/console/oncall", f"/console/oncall/{row.id}"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (303, 403), (path, answer.status_code)


def test_schedule_forms_set_the_escalation_delay_and_the_default(
    client: Client, container: Container
) -> None:
    admin = fa.agent(container, role="admin", name="Ada")
    cookie, csrf = fa.agent_session(container, admin)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", "en")
    fields = {"_csrf": csrf, "name": "Night desk", "timezone": "Asia/Shanghai"}
    refused = client.post("/console/oncall", data={**fields, "escalate_after_minutes": "0"})
    assert refused.status_code == 400
    assert "pages escalate after 1 to 120 minutes" in refused.text
    assert 'value="Night desk"' in refused.text  # the input is kept
    assert 'name="escalate_after_minutes" min="1" max="120" step="1" required value="0"' in (
        refused.text
    )
    words = client.post("/console/oncall", data={**fields, "escalate_after_minutes": "soon"})
    assert words.status_code == 400
    long_name = client.post(
        "/console/oncall", data={**fields, "name": "x" * 121, "escalate_after_minutes": "5"}
    )
    assert long_name.status_code == 400  # validated(): the schema's limits hold for forms
    created = client.post(
        "/console/oncall",
        data={**fields, "escalate_after_minutes": "12", "is_default": "1"},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    path = created.headers["location"]
    page = client.get(path).text
    assert "after 12 minutes" in page
    assert "Default schedule" in page
    schedule_id = int(path.rsplit("/", 1)[1])
    saved = client.post(
        path, data={**fields, "escalate_after_minutes": "30"}, follow_redirects=False
    )
    assert saved.status_code == 303
    row = client.get(f"/api/v1/oncall/schedules/{schedule_id}").json()
    assert (row["escalate_after_minutes"], row["is_default"]) == (30, False)
    bad = client.post(path, data={**fields, "escalate_after_minutes": "121", "is_default": "1"})
    assert bad.status_code == 400
    assert 'name="is_default" value="1" checked' in bad.text
    client.cookies.set("rtcdesk_lang", "zh-CN")
    assert "分钟内未确认" in client.get(path).text
