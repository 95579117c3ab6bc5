"""Password reset links: an admin issues one for a person, the person sets a new password.

A link carries a 256-bit random secret; only its sha256 is stored, with the person, who
issued it and when it expires (``RESET_LINK_HOURS``). It opens once: using it, or issuing a
newer link for the same person, uses it up. Using it sets the new password and ends every
session and API token of that person, and clears failed sign-ins counted against their
email. Both steps go to the audit log.

E-mailed resets (a person asking for a link themselves) will issue links through
:func:`issue_reset_link` once the e-mail channel exists; only the delivery differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update

from rtcdesk.accounts import access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind, Agent, Contact, PasswordReset, SignInThrottle
from rtcdesk.accounts.security import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_token,
    token_digest,
)
from rtcdesk.accounts.service import (
    agent_actor,
    contact_actor,
    record_audit,
    revoke_sessions_and_tokens,
)
from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.core.validation import normalize_email
from rtcdesk.db.uow import UnitOfWork

RESET_LINK_HOURS = 24
RESET_PATH = "/reset-password/"
ISSUED = "password.reset_link"
USED = "password.reset"
_PREFIX = "rtd_reset"


@dataclass(frozen=True)
class IssuedLink:
    """A link just issued: its secret is shown this once and never stored."""

    person: Agent | Contact
    secret: str
    reset: PasswordReset

    def url(self, base_url: str) -> str:
        """The link the person opens."""
        return f"{base_url.rstrip('/')}{RESET_PATH}{self.secret}"


def person_by_email(uow: UnitOfWork, email: str) -> Agent | Contact:
    """The agent or contact with this email (agents first; emails are unique per kind)."""
    address = normalize_email(email)
    agent = uow.session.scalar(select(Agent).where(Agent.email == address))
    if agent is not None:
        return agent
    contact = uow.session.scalar(select(Contact).where(Contact.email == address))
    if contact is not None:
        return contact
    raise NotFound("no agent or contact has the email {email}", params={"email": address})


def _owner(person: Agent | Contact) -> dict[str, int | None]:
    if isinstance(person, Agent):
        return {"agent_id": person.id, "contact_id": None}
    return {"agent_id": None, "contact_id": person.id}


def issue_reset_link(uow: UnitOfWork, actor: Actor, person: Agent | Contact) -> IssuedLink:
    """A new reset link for ``person`` (admins); earlier unused links of theirs stop working."""
    access.require_admin(actor)
    if not person.active:
        raise InvalidInput(
            "{email} is deactivated; activate the account first", params={"email": person.email}
        )
    now = uow.clock.now()
    owner = _owner(person)
    column = PasswordReset.agent_id if owner["agent_id"] else PasswordReset.contact_id
    uow.session.execute(
        update(PasswordReset)
        .where(column == person.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    secret = new_token(_PREFIX)
    reset = PasswordReset(
        token_hash=token_digest(secret),
        created_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        created_at=now,
        expires_at=now + timedelta(hours=RESET_LINK_HOURS),
        **owner,
    )
    uow.session.add(reset)
    record_audit(uow, actor, ISSUED, person)
    uow.flush()
    return IssuedLink(person=person, secret=secret, reset=reset)


def _open_link(
    uow: UnitOfWork, secret: str, *, lock: bool
) -> tuple[PasswordReset, Agent | Contact]:
    stmt = select(PasswordReset).where(PasswordReset.token_hash == token_digest(secret))
    reset = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    now = uow.clock.now()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise NotFound("this password reset link has expired or was already used")
    person: Agent | Contact | None = (
        uow.session.get(Agent, reset.agent_id)
        if reset.agent_id is not None
        else uow.session.get(Contact, reset.contact_id)
    )
    if person is None or not person.active:
        raise NotFound("this password reset link has expired or was already used")
    return reset, person


def check_reset_link(uow: UnitOfWork, secret: str) -> Agent | Contact:
    """The person a still usable link is for (404 for unknown, used or expired links)."""
    return _open_link(uow, secret, lock=False)[1]


def use_reset_link(uow: UnitOfWork, secret: str, password: str) -> Agent | Contact:
    """Set the person's new password through a link, once; every session and token of
    theirs ends."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "the password needs {min} to {max} characters",
            params={"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH},
            field="new_password",
        )
    reset, person = _open_link(uow, secret, lock=True)
    now = uow.clock.now()
    # Used up by one conditional UPDATE: of two requests racing with the same link, one wins.
    claimed = uow.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise NotFound("this password reset link has expired or was already used")
    person.password_hash = hash_password(password)
    revoke_sessions_and_tokens(uow, person)
    # Failed guesses at the old password no longer lock out the new one.
    uow.session.execute(delete(SignInThrottle).where(SignInThrottle.email == person.email))
    holder = agent_actor(person) if isinstance(person, Agent) else contact_actor(person)
    record_audit(uow, holder, USED, person)
    return person
