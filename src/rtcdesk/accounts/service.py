"""The only write path for organizations, contacts, agents, groups, tokens and sign-ins."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from msgspec import UNSET, UnsetType
from sqlalchemy import case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.events import PlanChanged
from rtcdesk.accounts.models import (
    ACTOR_NAME_MAX,
    PLATFORMS,
    SKILLS,
    ActorKind,
    Agent,
    ApiToken,
    AuditEntry,
    Availability,
    Contact,
    Group,
    Organization,
    SignInThrottle,
    TokenKind,
    WebSession,
)
from rtcdesk.accounts.schemas import (
    AgentCreate,
    AgentUpdate,
    ContactCreate,
    ContactUpdate,
    GroupCreate,
    OrganizationCreate,
    OrganizationUpdate,
    TokenCreate,
)
from rtcdesk.accounts.security import hash_password, new_token, token_digest, verify_password
from rtcdesk.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from rtcdesk.core.validation import (
    check_choices,
    check_timezone,
    fit,
    normalize_email,
    require_text,
)
from rtcdesk.db.uow import UnitOfWork

_T = TypeVar("_T")

LANGUAGE_CODES = ("zh-CN", "en", "ja", "ko", "es", "fr", "de", "pt", "ru", "id", "vi", "th")


def _get(uow: UnitOfWork, model: type[_T], object_id: int, what: str) -> _T:
    found = uow.session.get(model, object_id)
    if found is None:
        raise NotFound(
            "{what} {object_id} not found", params={"what": what, "object_id": object_id}
        )
    return found


def _check_tam(uow: UnitOfWork, agent_id: int | None) -> None:
    if agent_id is None:
        return
    agent = uow.session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise InvalidInput(
            "technical account manager {agent_id} is not an active agent",
            params={"agent_id": agent_id},
            field="tam_agent_id",
        )


def _unique_name(uow: UnitOfWork, name: str, exclude_id: int | None = None) -> None:
    existing = uow.session.scalar(select(Organization.id).where(Organization.name == name))
    if existing is not None and existing != exclude_id:
        raise Conflict(
            "an organization named {name!r} already exists", params={"name": name}, field="name"
        )


def create_organization(uow: UnitOfWork, actor: Actor, data: OrganizationCreate) -> Organization:
    """Create a customer organization (managers and admins)."""
    access.require_role(actor, access.MANAGERS)
    name = require_text(data.name, "name", max_length=200)
    _unique_name(uow, name)
    _check_tam(uow, data.tam_agent_id)
    now = uow.clock.now()
    org = Organization(
        name=name,
        plan_tier=data.plan_tier,
        timezone=check_timezone(data.timezone),
        language=data.language,
        tam_agent_id=data.tam_agent_id,
        sdk_platforms=check_choices(
            data.sdk_platforms, PLATFORMS, "SDK platform", field="sdk_platforms"
        ),
        app_ids=[a.strip() for a in data.app_ids if a.strip()],
        share_tickets=data.share_tickets,
        notes=data.notes,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(org)
    uow.flush()
    return org


def update_organization(
    uow: UnitOfWork, actor: Actor, org_id: int, data: OrganizationUpdate
) -> Organization:
    """Change an organization's fields (managers and admins)."""
    access.require_role(actor, access.MANAGERS)
    org = _get(uow, Organization, org_id, "organization")
    if data.name is not UNSET:
        name = require_text(data.name, "name", max_length=200)
        _unique_name(uow, name, exclude_id=org.id)
        org.name = name
    if data.plan_tier is not UNSET and data.plan_tier != org.plan_tier:
        uow.emit(PlanChanged(org.id, org.plan_tier.value, data.plan_tier.value))
        org.plan_tier = data.plan_tier
    if data.timezone is not UNSET:
        org.timezone = check_timezone(data.timezone)
    if data.language is not UNSET:
        org.language = data.language
    if data.tam_agent_id is not UNSET:
        _check_tam(uow, data.tam_agent_id)
        org.tam_agent_id = data.tam_agent_id
    if data.sdk_platforms is not UNSET:
        org.sdk_platforms = check_choices(
            data.sdk_platforms, PLATFORMS, "SDK platform", field="sdk_platforms"
        )
    if data.app_ids is not UNSET:
        org.app_ids = [a.strip() for a in data.app_ids if a.strip()]
    if data.share_tickets is not UNSET:
        org.share_tickets = data.share_tickets
    if data.notes is not UNSET:
        org.notes = data.notes
    org.updated_at = uow.clock.now()
    return org


def _email_free(uow: UnitOfWork, email: str) -> None:
    taken = uow.session.scalar(select(Contact.id).where(Contact.email == email)) or (
        uow.session.scalar(select(Agent.id).where(Agent.email == email))
    )
    if taken:
        raise Conflict("{email} is already registered", params={"email": email}, field="email")


def create_contact(uow: UnitOfWork, actor: Actor, data: ContactCreate) -> Contact:
    """Add a developer to an organization (agents; with a password, admins)."""
    access.require_agent(actor)
    _get(uow, Organization, data.organization_id, "organization")
    email = normalize_email(data.email)
    _email_free(uow, email)
    if data.password:
        # Whoever sets a password can sign in as that person: admins only.
        access.require_admin(actor)
    contact = Contact(
        organization_id=data.organization_id,
        email=email,
        name=require_text(data.name, "name", max_length=200),
        language=data.language,
        password_hash=hash_password(data.password) if data.password else None,
        active=True,
        created_at=uow.clock.now(),
    )
    uow.session.add(contact)
    uow.flush()
    if data.password:
        record_audit(uow, actor, SET_CREDENTIAL, contact)
    return contact


def update_contact(
    uow: UnitOfWork,
    actor: Actor,
    contact_id: int,
    data: ContactUpdate,
    *,
    keep: Keep | None = None,
) -> Contact:
    """Change a contact (agents; a contact may change their own name, language, password;
    only admins set someone else's password)."""
    contact = _get(uow, Contact, contact_id, "contact")
    if not actor.is_agent:
        if actor.kind is not ActorKind.CONTACT or actor.id != contact.id:
            raise NotFound("contact {contact_id} not found", params={"contact_id": contact_id})
        if data.active is not UNSET:
            raise InvalidInput("you cannot change whether your own account is active")
    if data.name is not UNSET:
        contact.name = require_text(data.name, "name", max_length=200)
    if data.language is not UNSET:
        contact.language = data.language
    if data.active is not UNSET:
        contact.active = data.active
    if data.password is not UNSET:
        _set_password(uow, actor, contact, data.password, data.current_password, keep)
    return contact


SET_CREDENTIAL = "password.set"


def record_audit(uow: UnitOfWork, actor: Actor, action: str, person: Agent | Contact) -> None:
    """Add an audit log entry: ``actor`` did ``action`` to ``person``'s account."""
    uow.session.add(
        AuditEntry(
            at=uow.clock.now(),
            action=action,
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            actor_name=actor.name,
            target_kind="agent" if isinstance(person, Agent) else "contact",
            target_id=person.id,
            target_email=person.email,
        )
    )


@dataclass(frozen=True)
class Keep:
    """The session and token a person changed their own password through (kept signed in)."""

    web_session_id: int | None = None
    token_id: int | None = None


def _is_self(actor: Actor, person: Agent | Contact) -> bool:
    kind = ActorKind.AGENT if isinstance(person, Agent) else ActorKind.CONTACT
    return actor.kind is kind and actor.id == person.id


def reserve_password_check(uow: UnitOfWork, actor: Actor) -> str | None:
    """Reserve a throttled attempt for checking ``actor``'s own current password.

    Returns the email the attempt is counted against (None for actors without one).
    Commit it on its own before the check, like a sign-in (reserve_sign_in_attempt).
    """
    model: type[Agent] | type[Contact]
    if actor.kind is ActorKind.AGENT:
        model = Agent
    elif actor.kind is ActorKind.CONTACT:
        model = Contact
    else:
        return None
    email = uow.session.scalar(select(model.email).where(model.id == actor.id))
    if email is not None:
        reserve_sign_in_attempt(uow, email)
    return email


def _set_password(
    uow: UnitOfWork,
    actor: Actor,
    person: Agent | Contact,
    password: str,
    current: str | UnsetType,
    keep: Keep | None,
) -> None:
    """Set a password, then end every other session and revoke every other token."""
    if _is_self(actor, person):
        if isinstance(current, UnsetType) or not verify_password(person.password_hash, current):
            raise InvalidInput(
                "to change your password, give your current password correctly",
                field="current_password",
            )
        refund_sign_in_attempt(uow, person.email)
    else:
        access.require_admin(actor)
        keep = None
        record_audit(uow, actor, SET_CREDENTIAL, person)
    person.password_hash = hash_password(password)
    revoke_sessions_and_tokens(uow, person, keep=keep)


def revoke_sessions_and_tokens(
    uow: UnitOfWork, person: Agent | Contact, *, keep: Keep | None = None
) -> None:
    """Sign ``person`` out everywhere and revoke their API tokens, but what ``keep`` names."""
    keep = keep or Keep()
    owner = (
        WebSession.agent_id == person.id
        if isinstance(person, Agent)
        else WebSession.contact_id == person.id
    )
    ended = delete(WebSession).where(owner)
    if keep.web_session_id is not None:
        ended = ended.where(WebSession.id != keep.web_session_id)
    uow.session.execute(ended.execution_options(synchronize_session=False))
    if isinstance(person, Agent):
        revoked = (
            update(ApiToken)
            .where(
                ApiToken.kind == TokenKind.AGENT,
                ApiToken.agent_id == person.id,
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=uow.clock.now())
        )
        if keep.token_id is not None:
            revoked = revoked.where(ApiToken.id != keep.token_id)
        uow.session.execute(revoked.execution_options(synchronize_session=False))


def _groups(uow: UnitOfWork, group_ids: list[int]) -> list[Group]:
    groups = [_get(uow, Group, gid, "group") for gid in dict.fromkeys(group_ids)]
    return groups


def create_agent(uow: UnitOfWork, actor: Actor, data: AgentCreate) -> Agent:
    """Add a support engineer (admins)."""
    access.require_admin(actor)
    email = normalize_email(data.email)
    _email_free(uow, email)
    agent = Agent(
        email=email,
        name=require_text(data.name, "name", max_length=200),
        role=data.role,
        level=data.level,
        skills=check_choices(data.skills, SKILLS, "skill"),
        languages=check_choices(data.languages, LANGUAGE_CODES, "language"),
        timezone=check_timezone(data.timezone),
        active=True,
        max_load=data.max_load,
        password_hash=hash_password(data.password) if data.password else None,
        created_at=uow.clock.now(),
    )
    agent.groups = _groups(uow, data.group_ids)
    uow.session.add(agent)
    uow.flush()
    if data.password:
        record_audit(uow, actor, SET_CREDENTIAL, agent)
    return agent


def update_agent(
    uow: UnitOfWork, actor: Actor, agent_id: int, data: AgentUpdate, *, keep: Keep | None = None
) -> Agent:
    """Change an agent (admins; agents may change their own name, languages, password)."""
    agent = _get(uow, Agent, agent_id, "agent")
    own = actor.kind is ActorKind.AGENT and actor.id == agent.id
    privileged = {"role", "level", "skills", "group_ids", "active", "max_load"}
    touched = {f for f in privileged if getattr(data, f) is not UNSET}
    if not own or touched:
        access.require_admin(actor)
    if data.name is not UNSET:
        agent.name = require_text(data.name, "name", max_length=200)
    if data.role is not UNSET:
        agent.role = data.role
    if data.level is not UNSET:
        agent.level = data.level
    if data.skills is not UNSET:
        agent.skills = check_choices(data.skills, SKILLS, "skill")
    if data.languages is not UNSET:
        agent.languages = check_choices(data.languages, LANGUAGE_CODES, "language")
    if data.timezone is not UNSET:
        agent.timezone = check_timezone(data.timezone)
    if data.group_ids is not UNSET:
        agent.groups = _groups(uow, data.group_ids)
    if data.active is not UNSET:
        agent.active = data.active
    if data.max_load is not UNSET:
        agent.max_load = data.max_load
    if data.password is not UNSET:
        _set_password(uow, actor, agent, data.password, data.current_password, keep)
    return agent


def set_availability(uow: UnitOfWork, actor: Actor, availability: Availability) -> Agent:
    """Mark the acting agent available for new tickets, or away."""
    if actor.kind is not ActorKind.AGENT or actor.id is None:
        raise PermissionDenied("only support agents have an availability")
    agent = _get(uow, Agent, actor.id, "agent")
    agent.availability = availability
    return agent


def create_group(uow: UnitOfWork, actor: Actor, data: GroupCreate) -> Group:
    """Create a team (managers and admins)."""
    access.require_role(actor, access.MANAGERS)
    name = require_text(data.name, "name", max_length=120)
    if uow.session.scalar(select(Group.id).where(Group.name == name)):
        raise Conflict("a group named {name!r} already exists", params={"name": name})
    group = Group(name=name, description=data.description)
    uow.session.add(group)
    uow.flush()
    return group


def create_token(uow: UnitOfWork, actor: Actor, data: TokenCreate) -> tuple[ApiToken, str]:
    """Issue an API token; returns the row and the secret, which is never stored."""
    access.require_agent(actor)
    if data.kind is TokenKind.AGENT:
        if data.organization_id is not None:
            raise InvalidInput("an agent token does not take organization_id")
        agent_id = data.agent_id if data.agent_id is not None else actor.id
        if agent_id is None:
            raise InvalidInput("agent_id is required")
        if agent_id != actor.id:
            access.require_admin(actor)
        if _get(uow, Agent, agent_id, "agent").active is False:
            raise InvalidInput("agent {agent_id} is not active", params={"agent_id": agent_id})
        prefix, org_id = "rtd_ag", None
    else:
        access.require_role(actor, access.MANAGERS)
        if data.agent_id is not None:
            raise InvalidInput("an organization token does not take agent_id")
        if data.organization_id is None:
            raise InvalidInput("organization_id is required for an organization token")
        _get(uow, Organization, data.organization_id, "organization")
        prefix, org_id, agent_id = "rtd_org", data.organization_id, None
    secret = new_token(prefix)
    token = ApiToken(
        kind=data.kind,
        name=require_text(data.name, "name", max_length=120),
        token_hash=token_digest(secret),
        prefix=secret[: len(prefix) + 5],
        agent_id=agent_id,
        organization_id=org_id,
        created_at=uow.clock.now(),
    )
    uow.session.add(token)
    uow.flush()
    return token, secret


def revoke_token(uow: UnitOfWork, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token (its owner, or an admin)."""
    access.require_agent(actor)
    token = _get(uow, ApiToken, token_id, "token")
    if not (token.kind is TokenKind.AGENT and token.agent_id == actor.id):
        access.require_admin(actor)
    if token.revoked_at is None:
        token.revoked_at = uow.clock.now()
    return token


def agent_actor(agent: Agent) -> Actor:
    """The actor an agent acts as."""
    return Actor(
        kind=ActorKind.AGENT,
        id=agent.id,
        name=agent.name,
        role=agent.role,
        language=(agent.languages or ["en"])[0],
        availability=agent.availability.value,
    )


def contact_actor(contact: Contact) -> Actor:
    """The actor a contact acts as."""
    return Actor(
        kind=ActorKind.CONTACT,
        id=contact.id,
        name=contact.name,
        organization_id=contact.organization_id,
        share_tickets=contact.organization.share_tickets,
        language=contact.language.value,
    )


def actor_for_token(uow: UnitOfWork, secret: str) -> tuple[Actor, ApiToken]:
    """Resolve a bearer token to the actor it stands for."""
    # One round trip for the token and, for agent tokens, its agent.
    row = uow.session.execute(
        select(ApiToken, Agent)
        .outerjoin(Agent, Agent.id == ApiToken.agent_id)
        .where(ApiToken.token_hash == token_digest(secret))
    ).first()
    if row is None or row[0].revoked_at is not None:
        raise NotAuthenticated("the API token is unknown or revoked")
    token, agent = row[0], row[1]
    if token.kind is TokenKind.AGENT:
        if agent is None or not agent.active:
            raise NotAuthenticated("the API token belongs to an inactive agent")
        return agent_actor(agent), token
    org = uow.session.get(Organization, token.organization_id)
    if org is None:
        raise NotAuthenticated("the API token's organization no longer exists")
    return (
        Actor(
            kind=ActorKind.ORGANIZATION_TOKEN,
            id=token.id,
            name=token_actor_name(org.name, token.name),
            organization_id=org.id,
            share_tickets=True,
            language=org.language.value,
        ),
        token,
    )


def token_actor_name(organization: str, token: str) -> str:
    """The name an organization token acts under, "<organization> API (<token>)", cut to
    ``ACTOR_NAME_MAX`` with both names still readable (each part shortened, not the end)."""
    label = fit(token, 60)
    return f"{fit(organization, ACTOR_NAME_MAX - len(label) - len(' API ()'))} API ({label})"


def touch_token(uow: UnitOfWork, token_id: int) -> None:
    """Record that a token was used (callers throttle this; it is a write)."""
    token = uow.session.get(ApiToken, token_id)
    if token is not None:
        token.last_used_at = uow.clock.now()


SIGN_IN_WINDOW = timedelta(minutes=15)
SIGN_IN_MAX_FAILURES = 8


def _throttle_key(email: str) -> str:
    return email.strip().lower()[:254]


def reserve_sign_in_attempt(uow: UnitOfWork, email: str) -> None:
    """Count a sign-in for ``email`` as failed before its password is checked, or refuse it.

    Commit this in its own unit of work before checking the password; a success gives the
    attempt back (:func:`refund_sign_in_attempt`). The count only moves through one
    conditional UPDATE, which PostgreSQL runs under the row's lock (re-checking the
    condition on the newest row) and SQLite under its single write lock, so of any number
    of parallel attempts at most ``SIGN_IN_MAX_FAILURES`` per window are evaluated.
    """
    key = _throttle_key(email)
    now = uow.clock.now()
    insert = (
        postgresql.insert
        if uow.session.get_bind().dialect.name == "postgresql"
        else (sqlite.insert)
    )
    uow.session.execute(
        insert(SignInThrottle)
        .values(email=key, window_started_at=now, failures=0)
        .on_conflict_do_nothing(index_elements=["email"])
    )
    expired = SignInThrottle.window_started_at <= now - SIGN_IN_WINDOW
    counted = uow.session.execute(
        update(SignInThrottle)
        .where(
            SignInThrottle.email == key,
            or_(expired, SignInThrottle.failures < SIGN_IN_MAX_FAILURES),
        )
        .values(
            failures=case((expired, 1), else_=SignInThrottle.failures + 1),
            window_started_at=case(
                (expired, literal(now, SignInThrottle.window_started_at.type)),
                else_=SignInThrottle.window_started_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        minutes = int(SIGN_IN_WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            "too many failed sign-ins for this account; try again in {minutes} minutes",
            params={"minutes": minutes},
        )


def refund_sign_in_attempt(uow: UnitOfWork, email: str) -> None:
    """Give back the attempt a successful sign-in reserved."""
    uow.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.email == _throttle_key(email), SignInThrottle.failures > 0)
        .values(failures=SignInThrottle.failures - 1)
        .execution_options(synchronize_session=False)
    )


def purge_sign_in_throttles(uow: UnitOfWork) -> int:
    """Forget windows that have passed (a periodic job); returns how many went."""
    cutoff = uow.clock.now() - SIGN_IN_WINDOW
    stale = uow.session.scalars(
        select(SignInThrottle.email).where(SignInThrottle.window_started_at <= cutoff)
    ).all()
    for key in stale:
        # One row per statement, each re-checked: no multi-row locks to deadlock on, and
        # a window that restarted meanwhile is kept.
        uow.session.execute(
            delete(SignInThrottle).where(
                SignInThrottle.email == key, SignInThrottle.window_started_at <= cutoff
            )
        )
    return len(stale)


_Person = TypeVar("_Person", Agent, Contact)


def _authenticate(uow: UnitOfWork, model: type[_Person], email: str, password: str) -> _Person:
    """Check a password; the caller reserved the attempt (reserve_sign_in_attempt)."""
    person = uow.session.scalar(select(model).where(model.email == email.strip().lower()))
    ok = verify_password(person.password_hash if person else None, password)
    if person is None or not ok or not person.active:
        raise NotAuthenticated("wrong email or password")
    return person


def authenticate_agent(uow: UnitOfWork, email: str, password: str) -> Agent:
    """Check an agent's sign-in and give its reserved attempt back."""
    agent = _authenticate(uow, Agent, email, password)
    refund_sign_in_attempt(uow, email)
    return agent


def authenticate_contact(uow: UnitOfWork, email: str, password: str) -> Contact:
    """Check a contact's sign-in and give its reserved attempt back."""
    contact = _authenticate(uow, Contact, email, password)
    refund_sign_in_attempt(uow, email)
    return contact


def start_web_session(
    uow: UnitOfWork, *, agent: Agent | None = None, contact: Contact | None = None, days: int
) -> tuple[str, WebSession]:
    """Open a browser session; returns the cookie value (stored only as a hash)."""
    if (agent is None) == (contact is None):
        raise ValueError("a web session is for exactly one agent or one contact")
    cookie = secrets.token_urlsafe(32)
    now = uow.clock.now()
    session = WebSession(
        token_hash=token_digest(cookie),
        csrf_token=secrets.token_urlsafe(24),
        agent_id=agent.id if agent else None,
        contact_id=contact.id if contact else None,
        created_at=now,
        expires_at=now + timedelta(days=days),
        data={},
    )
    uow.session.add(session)
    uow.flush()
    return cookie, session


def actor_for_web_session(uow: UnitOfWork, cookie: str) -> tuple[Actor, WebSession]:
    """Resolve a session cookie to its actor."""
    session = uow.session.scalar(
        select(WebSession).where(WebSession.token_hash == token_digest(cookie))
    )
    if session is None or session.expires_at <= uow.clock.now():
        raise NotAuthenticated("your session has expired; please sign in again")
    if session.agent_id is not None:
        agent = uow.session.get(Agent, session.agent_id)
        if agent is None or not agent.active:
            raise NotAuthenticated("this account is disabled")
        return agent_actor(agent), session
    contact = uow.session.get(Contact, session.contact_id)
    if contact is None or not contact.active:
        raise NotAuthenticated("this account is disabled")
    return contact_actor(contact), session


def end_web_session(uow: UnitOfWork, cookie: str) -> None:
    """Sign out: delete the session row."""
    session = uow.session.scalar(
        select(WebSession).where(WebSession.token_hash == token_digest(cookie))
    )
    if session is not None:
        uow.session.delete(session)


def set_agent_password(uow: UnitOfWork, email: str, password: str) -> Agent:
    """Set an agent's password by email (CLI, no actor: the operator owns the machine);
    recorded in the audit log, and the agent's sessions and tokens end."""
    agent = uow.session.scalar(select(Agent).where(Agent.email == normalize_email(email)))
    if agent is None:
        raise NotFound("no agent with email {email}", params={"email": email})
    agent.password_hash = hash_password(password)
    record_audit(uow, access.SYSTEM, SET_CREDENTIAL, agent)
    revoke_sessions_and_tokens(uow, agent)
    return agent
