"""Search helpers for tests: run the indexing jobs, search as a person."""

from __future__ import annotations

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent, Contact
from rtcdesk.accounts.service import agent_actor, contact_actor
from rtcdesk.bootstrap import Container
from rtcdesk.jobs.worker import Worker
from rtcdesk.search import queries
from rtcdesk.search.schemas import SearchResults


def run_jobs(container: Container) -> int:
    """Run every due job (the indexing ones among them) in this thread."""
    return Worker(container, listen=False).run_pending()


def actor_of(container: Container, who: Agent | Contact) -> Actor:
    """The actor ``who`` acts as, read fresh."""
    with container.uow(write=False) as uow:
        if isinstance(who, Agent):
            agent = uow.session.get(Agent, who.id)
            assert agent is not None
            return agent_actor(agent)
        person = uow.session.get(Contact, who.id)
        assert person is not None
        return contact_actor(person)


def search(
    container: Container, who: Agent | Contact | Actor, q: str, **params: str
) -> SearchResults:
    """Search as ``who`` with query-string style filters."""
    actor = who if isinstance(who, Actor) else actor_of(container, who)
    with container.uow(write=False) as uow:
        return queries.search(uow, actor, q, queries.SearchFilters.from_params(params))


def ids(container: Container, who: Agent | Contact | Actor, q: str, **params: str) -> list[int]:
    """The ids of what ``who`` finds for ``q``, best first."""
    return [hit.id for hit in search(container, who, q, **params).items]
