"""A form with a mistake comes back with what the person typed and the message at the field.

Every form of the console and the portal: the answer is the page the form lives on (not a
redirect), with the error's status, the submitted values filled in, the message next to the
field it is about (or on top of the form), files asked for again and passwords never echoed.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts.models import Contact, Organization
from rtcdesk.bootstrap import Container
from rtcdesk.tickets.models import Ticket

Client = TestClient  # type: ignore[type-arg]

FILES_AGAIN = "Choose the files again"


def form_html(page: str, action: str) -> str:
    """The markup of the form posting to ``action`` (its own part of the page)."""
    start = page.index(f'method="post" action="{action}"')
    return page[page.rindex("<form", 0, start) : page.index("</form>", start)]


def field_with_error(form: str, name: str) -> str:
    """The markup from the field ``name`` to the end of its label (where its message sits)."""
    start = form.index(f'name="{name}"')
    end = form.find("</label>", start)
    return form[start : end if end != -1 else len(form)]


def count(container: Container, model: type) -> int:
    with container.uow() as uow:
        return len(uow.session.query(model).all())


@pytest.fixture
def portal(client: Client, container: Container) -> tuple[Client, str, Contact]:
    """A client signed in to the portal: (client, csrf, contact)."""
    org = fa.organization(container)
    dev = fa.contact(container, org)
    cookie, csrf = fa.contact_session(container, dev)
    client.cookies.set("rtcdesk_session", cookie)
    return client, csrf, dev


@pytest.fixture
def console(client: Client, container: Container) -> tuple[Client, str]:
    """A client signed in to the console as a manager: (client, csrf)."""
    cookie, csrf = fa.agent_session(container, fa.agent(container, role="manager"))
    client.cookies.set("rtcdesk_session", cookie)
    return client, csrf


# --- portal: new ticket ---------------------------------------------------------------


def test_portal_new_ticket_with_a_blank_subject_keeps_everything_typed(
    portal: tuple[Client, str, Contact], container: Container
) -> None:
    client, csrf, _dev = portal
    before = count(container, Ticket)
    answer = client.post(
        "/portal/tickets/new",
        data={
            "_csrf": csrf,
            "subject": "   ",
            "body": "Viewers on Android 14 see <freezes> every 5 s",
            "urgency": "high",
            "impact": "low",
            "platform": "android",
            "sdk_version": "4.3.1",
            "app_id": "app-77",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/portal/tickets/new")
    assert "Viewers on Android 14 see &lt;freezes&gt; every 5 s</textarea>" in form
    assert 'value="4.3.1"' in form
    assert 'value="app-77"' in form
    assert re.search(r'<option value="high" selected>', form)
    assert re.search(r'<option value="low" selected>', form)
    assert re.search(r'<option value="android" selected>', form)
    assert "please give the ticket a subject" in field_with_error(form, "subject")
    assert "please give the ticket a subject" not in field_with_error(form, "body")
    assert f'value="{csrf}"' in form  # ready to send again
    assert count(container, Ticket) == before


def test_portal_new_ticket_with_an_over_long_subject_keeps_it(
    portal: tuple[Client, str, Contact],
) -> None:
    client, csrf, _dev = portal
    subject = "卡顿" * 151
    answer = client.post(
        "/portal/tickets/new",
        data={"_csrf": csrf, "subject": subject, "body": "details"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/portal/tickets/new")
    assert f'value="{subject}"' in form
    assert "details</textarea>" in form
    assert "longer than 300 characters" in field_with_error(form, "subject")


def test_portal_new_ticket_with_an_empty_file_keeps_the_text_and_asks_for_the_file(
    portal: tuple[Client, str, Contact], container: Container
) -> None:
    client, csrf, _dev = portal
    before = count(container, Ticket)
    answer = client.post(
        "/portal/tickets/new",
        data={"_csrf": csrf, "subject": "Echo on iOS", "body": "Log attached."},
        files={"files": ("empty.log", io.BytesIO(b""), "text/plain")},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/portal/tickets/new")
    assert 'value="Echo on iOS"' in form
    assert "Log attached.</textarea>" in form
    files = field_with_error(form, "files")
    assert "the file is empty" in files
    assert FILES_AGAIN in files
    assert count(container, Ticket) == before  # the whole ticket was rolled back


def test_kept_input_messages_follow_the_readers_language(
    portal: tuple[Client, str, Contact],
) -> None:
    client, csrf, _dev = portal
    client.cookies.set("rtcdesk_lang", "zh-CN")
    answer = client.post(
        "/portal/tickets/new",
        data={"_csrf": csrf, "subject": " ", "body": "观众端卡顿"},
        files={"files": ("dump.json", io.BytesIO(b"{}"), "application/json")},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/portal/tickets/new")
    assert "请填写工单标题" in field_with_error(form, "subject")
    assert "请重新选择文件" in form
    assert "观众端卡顿</textarea>" in form


# --- portal: reply ----------------------------------------------------------------------


def test_portal_reply_with_an_empty_file_keeps_the_reply(
    portal: tuple[Client, str, Contact], container: Container
) -> None:
    client, csrf, dev = portal
    ticket = ft.ticket(container, dev)
    action = f"/portal/tickets/{ticket.id}/reply"
    answer = client.post(
        action,
        data={"_csrf": csrf, "body": "Here is the log you asked for."},
        files={"files": ("sdk.log", io.BytesIO(b""), "text/plain")},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert "Here is the log you asked for.</textarea>" in form
    assert "the file is empty" in form
    assert FILES_AGAIN in form
    # The rest of the page is the ticket page, for this ticket.
    assert ticket.subject in answer.text


# --- console: reply and note, properties, link ------------------------------------------


def _console_ticket(container: Container) -> Ticket:
    org = fa.organization(container)
    return ft.ticket(container, fa.contact(container, org))


def test_console_note_with_an_empty_file_keeps_the_note_and_its_kind(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    ticket = _console_ticket(container)
    action = f"/console/tickets/{ticket.id}/reply"
    answer = client.post(
        action,
        data={"_csrf": csrf, "kind": "internal", "body": "ISP congestion?", "status": "open"},
        files={"files": ("capture.pcap", io.BytesIO(b""), "application/octet-stream")},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert "ISP congestion?</textarea>" in form
    assert 'value="internal" checked' in form
    assert 'value="public" >' in form or 'value="public">' in form  # not checked
    assert re.search(r'<option value="open" selected>', form)
    assert "the file is empty" in form
    # The other forms of the page keep the ticket's own values.
    properties = form_html(answer.text, f"/console/tickets/{ticket.id}/properties")
    assert "error" not in properties


def test_console_properties_keep_the_chosen_values_and_explain_the_field(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    ticket = _console_ticket(container)
    action = f"/console/tickets/{ticket.id}/properties"
    fields = {
        "_csrf": csrf,
        "status": "open",
        "urgency": "critical",
        "impact": "high",
        "priority": "P1",
        "priority_reason": "",
        "category": "integration",
        "sdk_version": "5.0.0-beta",
        "tags": "android fec",
    }
    answer = client.post(action, data=fields, follow_redirects=False)
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert "overriding the priority needs a reason" in field_with_error(form, "priority_reason")
    assert re.search(r'<option value="P1" selected>', form)
    assert re.search(r'<option value="critical" selected>', form)
    assert re.search(r'<option value="integration" selected>', form)
    assert 'value="5.0.0-beta"' in form
    assert 'value="android fec"' in form
    # A bad tag is explained at the tags field, and nothing was saved.
    answer = client.post(
        action, data={**fields, "priority": "auto", "tags": "ok bad/tag"}, follow_redirects=False
    )
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert "may only hold letters" in field_with_error(form, "tags")
    assert 'value="ok bad/tag"' in form
    with container.uow() as uow:
        saved = uow.session.get(Ticket, ticket.id)
        assert saved is not None
        assert saved.sdk_version != "5.0.0-beta"


def test_console_link_to_itself_keeps_the_number(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    ticket = _console_ticket(container)
    action = f"/console/tickets/{ticket.id}/link"
    answer = client.post(
        action,
        data={"_csrf": csrf, "target_id": f"#{ticket.id}", "action": "link"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert f'value="#{ticket.id}"' in form
    assert "cannot be linked to itself" in form


def test_a_form_the_page_no_longer_has_shows_its_message_on_top(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    org = fa.organization(container)
    dev = fa.contact(container, org)
    duplicate, original = ft.ticket(container, dev), ft.ticket(container, dev)
    merged = client.post(
        f"/console/tickets/{duplicate.id}/link",
        data={"_csrf": csrf, "target_id": str(original.id), "action": "merge"},
        follow_redirects=False,
    )
    assert merged.status_code == 303
    # A reply typed before the merge: the page has no reply form any more.
    answer = client.post(
        f"/console/tickets/{duplicate.id}/reply",
        data={"_csrf": csrf, "body": "late reply"},
        follow_redirects=False,
    )
    assert answer.status_code == 409
    assert "reply there" in answer.text
    assert 'class="flash' in answer.text


# --- console: new ticket ---------------------------------------------------------------


def test_console_new_ticket_keeps_the_requester_and_the_text(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    org = fa.organization(container)
    dev = fa.contact(container, org)
    fa.contact(container, org)
    answer = client.post(
        "/console/tickets/new",
        data={
            "_csrf": csrf,
            "organization_id": str(org.id),
            "requester_id": str(dev.id),
            "channel": "chat",
            "subject": "\t",
            "body": "Customer called: audio drops after 30 min",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/console/tickets/new")
    assert "Customer called: audio drops after 30 min</textarea>" in form
    assert re.search(rf'<option value="{dev.id}" selected>', form)
    assert re.search(r'<option value="chat" selected>', form)
    assert "please give the ticket a subject" in field_with_error(form, "subject")


# --- console: organizations and contacts ------------------------------------------------


def test_new_organization_with_a_bad_time_zone_keeps_the_form_open_and_filled(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    before = count(container, Organization)
    answer = client.post(
        "/console/organizations",
        data={
            "_csrf": csrf,
            "name": "Starlight Games",
            "plan_tier": "enterprise",
            "language": "zh-CN",
            "timezone": "Mars/Olympus",
            "sdk_platforms": ["android", "ios"],
            "app_ids": "sg-1, sg-2",
            "share_tickets": "on",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 400
    assert re.search(r'<details class="box" open>', answer.text)
    form = form_html(answer.text, "/console/organizations")
    assert 'value="Starlight Games"' in form
    assert 'value="Mars/Olympus"' in form
    assert "unknown time zone" in field_with_error(form, "timezone")
    assert re.search(r'<option value="enterprise" selected>', form)
    assert re.search(r'value="android" checked', form)
    assert re.search(r'value="ios" checked', form)
    assert not re.search(r'value="web" checked', form)
    assert 'value="sg-1, sg-2"' in form
    assert re.search(r'name="share_tickets" checked', form)
    assert count(container, Organization) == before


def test_duplicate_organization_name_is_explained_at_the_name(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    fa.organization(container, name="Taken Inc")
    answer = client.post(
        "/console/organizations",
        data={"_csrf": csrf, "name": "Taken Inc", "timezone": "UTC"},
        follow_redirects=False,
    )
    assert answer.status_code == 409
    form = form_html(answer.text, "/console/organizations")
    assert "already exists" in field_with_error(form, "name")


def test_organization_properties_keep_the_notes(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    org = fa.organization(container)
    action = f"/console/organizations/{org.id}"
    answer = client.post(
        action,
        data={"_csrf": csrf, "timezone": "Nowhere/City", "notes": "Renewal in March"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, action)
    assert "Renewal in March</textarea>" in form
    assert "unknown time zone" in field_with_error(form, "timezone")


def test_new_contact_keeps_name_and_email_but_never_the_password(
    console: tuple[Client, str], container: Container
) -> None:
    client, _csrf = console
    # Only admins give a new contact a password (and see that field).
    cookie, csrf = fa.agent_session(container, fa.agent(container, role="admin"))
    client.cookies.set("rtcdesk_session", cookie)
    org = fa.organization(container)
    taken = fa.contact(container, org)
    fields = {
        "_csrf": csrf,
        "organization_id": str(org.id),
        "name": "Zhou Mei",
        "email": taken.email,
        "language": "zh-CN",
        "password": "secret-pass-123",
    }
    answer = client.post("/console/contacts", data=fields, follow_redirects=False)
    assert answer.status_code == 409
    assert re.search(r'<details class="box" open>', answer.text)
    form = form_html(answer.text, "/console/contacts")
    assert 'value="Zhou Mei"' in form
    assert f'value="{taken.email}"' in form
    assert "already registered" in field_with_error(form, "email")
    assert re.search(r'<option value="zh-CN" selected>', form)
    assert "secret-pass-123" not in answer.text
    short = client.post(
        "/console/contacts",
        data={**fields, "email": "new.person@customer.example", "password": "short"},
        follow_redirects=False,
    )
    assert short.status_code == 400
    form = form_html(short.text, "/console/contacts")
    assert "at least 8 characters" in field_with_error(form, "password")
    assert 'value="short"' not in short.text
    assert 'value="new.person@customer.example"' in form


# --- console: saved views ---------------------------------------------------------------


def test_saved_view_with_a_too_long_name_stays_on_the_filtered_list(
    console: tuple[Client, str], container: Container
) -> None:
    client, csrf = console
    answer = client.post(
        "/console/views",
        data={
            "_csrf": csrf,
            "name": "P1 " * 50,
            "filters": "status=new&priority=P1",
            "shared": "1",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 400
    form = form_html(answer.text, "/console/views")
    assert "name is longer than 120 characters" in field_with_error(form, "name")
    assert f'value="{"P1 " * 50}"' in form
    assert re.search(r'name="shared" value="1" checked', form)
    # The list behind it is the one the form was on.
    assert html.escape("status=new&priority=P1") in form


# --- sign-in ----------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["console", "portal"])
def test_failed_sign_in_keeps_the_email_and_where_to_go_but_not_the_password(
    client: Client, container: Container, area: str
) -> None:
    if area == "console":
        email = fa.agent(container, password=fa.PASSWORD).email
    else:
        email = fa.contact(container, fa.organization(container), password=fa.PASSWORD).email
    answer = client.post(
        f"/{area}/login",
        data={"email": email, "password": "wrong-horse-9", "next": f"/{area}/tickets/new"},
    )
    assert answer.status_code == 401
    form = form_html(answer.text, f"/{area}/login")
    assert f'value="{email}"' in form
    assert "Wrong email or password." in form
    assert "wrong-horse-9" not in answer.text
    assert f'name="next" value="/{area}/tickets/new"' in form
    client.cookies.set("rtcdesk_lang", "zh-CN")
    again = client.post(f"/{area}/login", data={"email": email, "password": "wrong-horse-9"})
    assert "邮箱或密码错误。" in again.text


def test_the_form_error_marker_is_absent_when_nothing_went_wrong(
    portal: tuple[Client, str, Contact], container: Container
) -> None:
    client, _csrf, dev = portal
    ticket = ft.ticket(container, dev)
    page = client.get(f"/portal/tickets/{ticket.id}").text
    assert "field-error" not in page
    assert "form-error" not in page
    assert FILES_AGAIN not in page
