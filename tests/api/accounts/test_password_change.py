"""Changing a password needs the current one, ends the person's other sessions and tokens;
only admins set someone else's password."""

from __future__ import annotations

from litestar.testing import TestClient

from factories import accounts as fa
from rtcdesk.app import create_app
from rtcdesk.bootstrap import Container

Client = TestClient  # type: ignore[type-arg]
NEW = "a-brand-new-secret"


def _browser(container: Container, cookie: str) -> Client:
    client = TestClient(app=create_app(container=container), base_url="http://testserver.local")
    client.cookies.set("rtcdesk_session", cookie)
    return client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_agent_changes_their_password_on_the_page(client: Client, container: Container) -> None:
    agent = fa.agent(container, password=fa.PASSWORD)
    cookie, csrf = fa.agent_session(container, agent)
    other_cookie, _ = fa.agent_session(container, agent)
    token = fa.agent_token(container, agent)
    client.cookies.set("rtcdesk_session", cookie)

    page = client.get("/console/password")
    assert page.status_code == 200
    assert "signs you out of every other browser and revokes all your API tokens" in page.text

    form = {"_csrf": csrf, "new_password": NEW, "new_password_again": NEW}
    missing = client.post("/console/password", data=form)
    assert missing.status_code == 400
    assert "give your current password correctly" in missing.text
    wrong = client.post("/console/password", data={**form, "current_password": "not-it-1234"})
    assert wrong.status_code == 400
    differ = client.post(
        "/console/password",
        data={**form, "current_password": fa.PASSWORD, "new_password_again": "something-else"},
    )
    assert differ.status_code == 400
    assert "the two new passwords differ" in differ.text

    ok = client.post(
        "/console/password", data={**form, "current_password": fa.PASSWORD}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert client.get("/console/tickets").status_code == 200  # this browser stays signed in
    with _browser(container, other_cookie) as other:
        assert other.get("/console/tickets", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401

    with TestClient(app=create_app(container=container)) as fresh:
        old = fresh.post("/console/login", data={"email": agent.email, "password": fa.PASSWORD})
        assert old.status_code == 401
        new = fresh.post(
            "/console/login",
            data={"email": agent.email, "password": NEW},
            follow_redirects=False,
        )
        assert new.status_code == 303


def test_wrong_current_passwords_are_throttled_like_sign_ins(
    client: Client, container: Container
) -> None:
    person = fa.contact(container, fa.organization(container), password=fa.PASSWORD)
    cookie, csrf = fa.contact_session(container, person)
    client.cookies.set("rtcdesk_session", cookie)
    form = {"_csrf": csrf, "new_password": NEW, "new_password_again": NEW}
    for n in range(8):
        wrong = client.post("/portal/password", data={**form, "current_password": f"guess-{n}"})
        assert wrong.status_code == 400
    blocked = client.post("/portal/password", data={**form, "current_password": fa.PASSWORD})
    assert blocked.status_code == 429


def test_own_password_through_the_api_needs_the_current_one(
    client: Client, container: Container
) -> None:
    agent = fa.agent(container, password=fa.PASSWORD)
    used, other = fa.agent_token(container, agent), fa.agent_token(container, agent)
    cookie, _ = fa.agent_session(container, agent)
    path = f"/api/v1/agents/{agent.id}"
    refused = client.patch(path, json={"password": NEW}, headers=_bearer(used))
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "to change your password, give your current password correctly"
    )
    changed = client.patch(
        path, json={"password": NEW, "current_password": fa.PASSWORD}, headers=_bearer(used)
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(used)).status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(other)).status_code == 401
    with _browser(container, cookie) as browser:
        assert browser.get("/console/tickets", follow_redirects=False).status_code == 303


def test_only_admins_set_someone_elses_password(client: Client, container: Container) -> None:
    person = fa.contact(container, fa.organization(container), password=fa.PASSWORD)
    portal_cookie, _ = fa.contact_session(container, person)
    colleague = fa.agent(container, password=fa.PASSWORD)
    for role in ("agent", "manager", "tam"):
        token = fa.agent_token(container, fa.agent(container, role=role))
        for path in (f"/api/v1/contacts/{person.id}", f"/api/v1/agents/{colleague.id}"):
            denied = client.patch(path, json={"password": NEW}, headers=_bearer(token))
            assert denied.status_code == 403, (role, path)
    admin = fa.agent_token(container, fa.agent(container, role="admin"))
    done = client.patch(
        f"/api/v1/contacts/{person.id}", json={"password": NEW}, headers=_bearer(admin)
    )
    assert done.status_code == 200
    with _browser(container, portal_cookie) as browser:
        assert browser.get("/portal/", follow_redirects=False).status_code == 303


def test_only_admins_give_a_new_contact_a_password(client: Client, container: Container) -> None:
    org = fa.organization(container)
    body = {"organization_id": org.id, "email": "new@customer.example", "name": "New"}
    manager = fa.agent_token(container, fa.agent(container, role="manager"))
    denied = client.post(
        "/api/v1/contacts/", json={**body, "password": NEW}, headers=_bearer(manager)
    )
    assert denied.status_code == 403
    without = client.post("/api/v1/contacts/", json=body, headers=_bearer(manager))
    assert without.status_code == 201
    admin = fa.agent_token(container, fa.agent(container, role="admin"))
    other = {**body, "email": "other@customer.example", "password": NEW}
    assert client.post("/api/v1/contacts/", json=other, headers=_bearer(admin)).status_code == 201


def test_admins_see_every_password_someone_else_set(client: Client, container: Container) -> None:
    person = fa.contact(container, fa.organization(container), password=fa.PASSWORD)
    admin = fa.agent(container, role="admin", name="Root Admin")
    token = fa.agent_token(container, admin)
    assert (
        client.patch(
            f"/api/v1/contacts/{person.id}", json={"password": NEW}, headers=_bearer(token)
        ).status_code
        == 200
    )
    own = fa.agent(container, password=fa.PASSWORD)
    own_token = fa.agent_token(container, own)
    client.patch(
        f"/api/v1/agents/{own.id}",
        json={"password": NEW, "current_password": fa.PASSWORD},
        headers=_bearer(own_token),
    )
    for role in ("agent", "manager"):
        cookie, _ = fa.agent_session(container, fa.agent(container, role=role))
        with _browser(container, cookie) as browser:
            assert browser.get("/console/audit").status_code == 403
            assert "/console/audit" not in browser.get("/console/tickets").text
    cookie, _ = fa.agent_session(container, admin)
    with _browser(container, cookie) as browser:
        page = browser.get("/console/audit")
        assert page.status_code == 200
        rows = page.text.split('id="audit-log"')[1]
        # The factories' two accounts were created with a password by rtcdesk itself; then
        # the admin set the contact's. The agent's own change is not someone else's.
        assert rows.count("<tr>") == 1 + 3
        assert rows.count("Set the password") == 3
        assert rows.count("Root Admin") == 1
        assert rows.count(person.email) == 2
        assert rows.count(own.email) == 1


def test_the_password_form_also_works_as_multipart(client: Client, container: Container) -> None:
    agent = fa.agent(container, password=fa.PASSWORD)
    cookie, csrf = fa.agent_session(container, agent)
    client.cookies.set("rtcdesk_session", cookie)
    fields = {"_csrf": csrf, "current_password": fa.PASSWORD}
    fields |= {"new_password": NEW, "new_password_again": NEW}
    answer = client.post(
        "/console/password",
        data=fields,
        files={"extra": ("a.txt", b"x")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
