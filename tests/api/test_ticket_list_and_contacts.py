"""The console's ticket list (requester column, counts on every view), the contacts list,
and the favicon, through the real app on both database backends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from litestar.testing import TestClient
from sqlalchemy import event

from factories import accounts as fa
from factories import tickets as ft
from factories.search import run_jobs
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Availability
from rtcdesk.accounts.service import agent_actor, set_availability
from rtcdesk.bootstrap import Container
from rtcdesk.core.errors import InvalidInput
from rtcdesk.tickets import queries, saved_views, service
from rtcdesk.tickets.models import Status
from rtcdesk.tickets.schemas import SavedViewCreate, TicketUpdate
from rtcdesk.tickets.views import BUILTIN_VIEWS

Client = TestClient  # type: ignore[type-arg]

VIEW_LINK = re.compile(
    r'<a href="(?P<url>[^"]+)" data-view="(?P<key>[^"]+)"[^>]*>'
    r'<span class="view-name">(?P<name>[^<]*)</span>'
    r'(?: <span class="count">(?P<count>[\d,]+)</span>)?'
)
TICKET_ROW = re.compile(r'<td class="col-num num">(\d+)</td>')
CONTACT_ROW = re.compile(r'<a href="/console/contacts/(\d+)" class="contact-name">')


def view_links(html: str) -> dict[str, dict[str, Any]]:
    """Every view link of the sidebar: key -> url, name and shown count."""
    return {
        m["key"]: {
            "url": m["url"].replace("&amp;", "&"),
            "name": m["name"],
            "count": int(m["count"].replace(",", "")) if m["count"] else None,
        }
        for m in VIEW_LINK.finditer(html)
    }


def ticket_ids(html: str) -> list[int]:
    """Ticket numbers in the list's rows."""
    return [int(n) for n in TICKET_ROW.findall(html)]


def sign_in_agent(client: Client, container: Container, agent: Agent, lang: str = "en") -> None:
    cookie, _csrf = fa.agent_session(container, agent)
    client.cookies.set("rtcdesk_session", cookie)
    client.cookies.set("rtcdesk_lang", lang)


def set_status(container: Container, ticket_id: int, status: Status, **changes: Any) -> None:
    with container.uow() as uow:
        service.update_ticket(uow, SYSTEM, ticket_id, TicketUpdate(status=status, **changes))
        uow.commit()


def save_view(
    container: Container, owner: Agent, name: str, filters: dict[str, str], *, shared: bool = False
) -> int:
    with container.uow() as uow:
        view = saved_views.create_saved_view(
            uow, agent_actor(owner), SavedViewCreate(name=name, filters=filters, shared=shared)
        )
        uow.commit()
        return view.id


@pytest.fixture
def desk(container: Container) -> dict[str, Any]:
    """Two organizations, three requesters, two agents and tickets in several states."""
    xinghai = fa.organization(container, name="星海直播 Xinghai Live", tier="strategic")
    pixel = fa.organization(container, name="PixelForge Games", tier="free")
    zhou = fa.contact(container, xinghai, name="周晓明")
    lin = fa.contact(container, xinghai, name="林雪")
    sam = fa.contact(container, pixel, name="Sam Carter")
    li = fa.agent(container, name="李伟 Li Wei")
    other = fa.agent(container, name="Emma Wilson")
    # Both are away, so routing leaves the new tickets alone: this desk places them by hand.
    with container.uow() as uow:
        for person in (li, other):
            set_availability(uow, agent_actor(person), Availability.AWAY)
        uow.commit()
    tickets = [
        ft.ticket(container, zhou, subject="token 过期导致用户被踢出频道"),
        ft.ticket(container, zhou, subject="Web SDK 调用 publish 报错 INVALID_OPERATION"),
        ft.ticket(container, lin, subject="开启美颜后手机发热，帧率下降"),
        ft.ticket(container, sam, subject="Choppy in-game voice in Unity"),
        ft.ticket(container, sam, subject="Cannot connect from a corporate network"),
        ft.ticket(container, lin, subject="云录制方案和合规存储咨询"),
    ]
    set_status(container, tickets[0].id, Status.OPEN, assignee_id=li.id, tags=["vip"])
    set_status(container, tickets[1].id, Status.PENDING_CUSTOMER, assignee_id=li.id)
    set_status(container, tickets[2].id, Status.OPEN, assignee_id=other.id, tags=["vip"])
    set_status(container, tickets[3].id, Status.OPEN)
    set_status(container, tickets[4].id, Status.SOLVED, assignee_id=other.id)
    # tickets[5] stays new and unassigned.
    run_jobs(container)  # the search index behind q= is built by its job
    return {
        "orgs": (xinghai, pixel),
        "contacts": (zhou, lin, sam),
        "li": li,
        "other": other,
        "tickets": tickets,
    }


def test_ticket_list_shows_the_requester_linking_to_their_page(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    sign_in_agent(client, container, desk["li"], "zh-CN")
    html = client.get("/console/tickets?status=unsolved").text
    zhou, lin, sam = desk["contacts"]
    for person in (zhou, lin, sam):
        assert (
            f'<a href="/console/contacts/{person.id}" class="requester" title="{person.name}">'
            f"{person.name}</a>" in html
        )
    assert "提交人" in html  # the column header, in Chinese
    # The subject keeps its full text in a title for the clipped display.
    assert 'title="Web SDK 调用 publish 报错 INVALID_OPERATION"' in html
    # The requester's contact page answers.
    assert client.get(f"/console/contacts/{zhou.id}").status_code == 200


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_view_shows_the_count_of_the_list_it_opens(
    client: Client, container: Container, desk: dict[str, Any], lang: str
) -> None:
    li, other = desk["li"], desk["other"]
    xinghai, _pixel = desk["orgs"]
    mine = save_view(container, li, "VIP", {"tag": "vip"})
    shared = save_view(
        container,
        other,
        "星海 unsolved",
        {"organization_id": str(xinghai.id), "status": "unsolved"},
        shared=True,
    )
    searched = save_view(container, li, "SDK search", {"q": "sdk", "sort": "created_at"})
    everything = save_view(container, li, "Default", {})
    others_private = save_view(container, other, "Emma's own", {"assignee": "me"})
    sign_in_agent(client, container, li, lang)

    links = view_links(client.get("/console/tickets").text)
    expected_builtin = {"unsolved", "mine", "unassigned", "new", "waiting", "p1", "solved"}
    assert expected_builtin <= set(links)
    assert {f"saved-{v}" for v in (mine, shared, searched, everything)} <= set(links)
    assert f"saved-{others_private}" not in links
    for key, link in links.items():
        assert link["count"] is not None, key
        opened = client.get(link["url"])
        assert opened.status_code == 200, link["url"]
        assert len(ticket_ids(opened.text)) == link["count"], (key, link)
    # Spot checks against the data the fixture made.
    assert links["unsolved"]["count"] == 5
    assert links["mine"]["count"] == 2
    assert links["unassigned"]["count"] == 2
    assert links["waiting"]["count"] == 1
    assert links["solved"]["count"] == 1
    assert links[f"saved-{mine}"]["count"] == 2
    assert links[f"saved-{shared}"]["count"] == 4
    assert links[f"saved-{searched}"]["count"] == 1
    assert links[f"saved-{everything}"]["count"] == 5  # no filters: the default list


def test_the_open_view_is_marked_active(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    sign_in_agent(client, container, desk["li"])
    html = client.get("/console/tickets?status=new%2Copen&assignee=none&sort=priority").text
    assert re.search(r'data-view="unassigned" class="active"', html)
    assert not re.search(r'data-view="unsolved" class="active"', html)


@pytest.fixture
def count_queries(container: Container) -> Iterator[list[str]]:
    """SQL statements that count rows, as the app sends them (but the header bell's count of
    unread notifications, which every console page has)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        low = statement.lower()
        if "count(" in low and "from notifications" not in low:
            seen.append(statement)

    event.listen(container.engine, "before_cursor_execute", record)
    yield seen
    event.remove(container.engine, "before_cursor_execute", record)


def test_view_counts_cost_one_count_per_view_and_are_bounded(
    client: Client, container: Container, desk: dict[str, Any], count_queries: list[str]
) -> None:
    li = desk["li"]
    sign_in_agent(client, container, li)
    client.get("/console/tickets")
    # the built-in views; the list itself counts nothing
    assert len(count_queries) == len(BUILTIN_VIEWS)
    for n in range(queries.MAX_COUNTED_VIEWS + 5):
        save_view(container, li, f"view {n:02d}", {"tag": f"t{n}"})
    count_queries.clear()
    response = client.get("/console/tickets")
    assert response.status_code == 200
    assert len(count_queries) == queries.MAX_COUNTED_VIEWS
    links = view_links(response.text)
    saved = [k for k in links if k.startswith("saved-")]
    assert len(saved) == queries.MAX_COUNTED_VIEWS + 5
    # Views beyond the bound are listed without a count rather than costing more queries.
    counted = [k for k in saved if links[k]["count"] is not None]
    assert len(counted) == queries.MAX_COUNTED_VIEWS - len(BUILTIN_VIEWS)
    # Every count is a COUNT over the tickets, never a load of the rows it counts.
    assert all("from tickets" in q.lower() for q in count_queries)


def test_count_views_refuses_unbounded_input(container: Container) -> None:
    many = {str(n): queries.TicketFilters() for n in range(queries.MAX_COUNTED_VIEWS + 1)}
    with container.uow() as uow, pytest.raises(InvalidInput):
        queries.count_views(uow, SYSTEM, many)


def test_a_saved_view_with_a_stale_filter_shows_no_count(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    li = desk["li"]
    stale = save_view(container, li, "Old", {"status": "escalated"})
    sign_in_agent(client, container, li)
    response = client.get("/console/tickets")
    assert response.status_code == 200
    assert view_links(response.text)[f"saved-{stale}"]["count"] is None


def test_contacts_list_search_and_pages(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    _xinghai, pixel = desk["orgs"]
    extra = [fa.contact(container, pixel, name=f"Tester {n:02d}") for n in range(55)]
    sign_in_agent(client, container, desk["li"], "zh-CN")

    first = client.get("/console/contacts")
    assert first.status_code == 200
    assert "联系人" in first.text
    assert 'href="/console/contacts"' in first.text  # the console nav links here
    seen = [int(n) for n in CONTACT_ROW.findall(first.text)]
    assert len(seen) == 50
    assert "PixelForge Games" in first.text  # organization column
    next_url = re.search(r'<a href="(/console/contacts\?[^"]*cursor=[^"]+)"', first.text)
    assert next_url
    second = client.get(unquote(next_url[1].replace("&amp;", "&")))
    assert second.status_code == 200
    seen += [int(n) for n in CONTACT_ROW.findall(second.text)]
    everyone = {c.id for c in (*desk["contacts"], *extra)}
    assert len(seen) == len(set(seen)) == len(everyone)
    assert set(seen) == everyone
    assert "cursor=" not in second.text.split('id="contact-table"')[1]  # the last page

    by_name = client.get("/console/contacts", params={"q": "晓明"}).text
    assert [int(n) for n in CONTACT_ROW.findall(by_name)] == [desk["contacts"][0].id]
    by_org = client.get("/console/contacts", params={"q": "xinghai"}).text
    assert len(CONTACT_ROW.findall(by_org)) == 2
    by_email = client.get("/console/contacts", params={"q": extra[3].email.upper()}).text
    assert [int(n) for n in CONTACT_ROW.findall(by_email)] == [extra[3].id]
    wildcard = client.get("/console/contacts", params={"q": "%"}).text
    assert CONTACT_ROW.findall(wildcard) == []
    assert "没有符合搜索条件的联系人。" in wildcard


def test_contacts_list_shows_language_access_and_open_tickets(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    sign_in_agent(client, container, desk["li"])
    html = client.get("/console/contacts", params={"q": "周晓明"}).text
    zhou = desk["contacts"][0]
    row = html.split(f'href="/console/contacts/{zhou.id}"')[1].split("</tr>")[0]
    assert "English" in row  # the contact's language
    assert "Email only" in row  # no password: cannot sign in to the portal
    # Two unsolved tickets, linking to the list of exactly those.
    link = re.search(r'<a href="([^"]+requester_id=\d+)">(\d+)</a>', row)
    assert link
    assert link[2] == "2"
    listed = client.get(link[1].replace("&amp;", "&")).text
    assert len(ticket_ids(listed)) == 2


def test_contacts_list_is_for_agents_only(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    zhou = desk["contacts"][0]
    cookie, _csrf = fa.contact_session(container, zhou)
    client.cookies.set("rtcdesk_session", cookie)
    response = client.get("/console/contacts", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login")
    client.cookies.clear()
    assert client.get("/console/contacts", follow_redirects=False).status_code == 303
    # An organization's API token is not a way in either.
    token = fa.org_token(container, desk["orgs"][0])
    response = client.get("/console/contacts", headers=fa.bearer(token), follow_redirects=False)
    assert response.status_code == 303


def test_contacts_list_rejects_a_forged_cursor(
    client: Client, container: Container, desk: dict[str, Any]
) -> None:
    sign_in_agent(client, container, desk["li"])
    assert client.get("/console/contacts", params={"cursor": "bm9wZQ"}).status_code == 400


def test_favicon(client: Client) -> None:
    page = client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    legacy = client.get("/favicon.ico", follow_redirects=False)
    assert legacy.status_code == 301
    assert legacy.headers["location"] == "/static/favicon.svg"
    assert client.head("/favicon.ico", follow_redirects=False).status_code == 301
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")
