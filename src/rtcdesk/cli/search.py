"""``rtcdesk search reindex|query``: rebuild the search index, search from a terminal."""

from __future__ import annotations

import click

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.cli.database import open_container
from rtcdesk.config import Settings
from rtcdesk.search import queries, reindex


def _container(ctx: click.Context) -> Container:
    found = ctx.find_object(Container)
    if found is not None:
        return found
    container = open_container(Settings())
    ctx.call_on_close(container.dispose)
    ctx.find_root().obj = container
    return container


@click.group("search")
def search() -> None:
    """The search index over tickets (and the knowledge base)."""


@search.command("reindex")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def reindex_command(ctx: click.Context, quiet: bool) -> None:
    """Rebuild the index from every ticket (searches keep working meanwhile)."""
    container = _container(ctx)
    length = reindex.total(container)
    if quiet:
        done = reindex.rebuild(container)
    else:
        with click.progressbar(length=length, label="Indexing", show_pos=True) as bar:
            done = reindex.rebuild(container, bar.update)
    click.echo(f"indexed {done} tickets")


@search.command("query")
@click.argument("text")
@click.option("--limit", default="10", help="At most this many results (1-50).")
@click.option("--types", default="", help="Comma-separated document kinds (ticket).")
@click.pass_context
def query_command(ctx: click.Context, text: str, limit: str, types: str) -> None:
    """Search as support staff; prints kind, id, score and title of each result."""
    container = _container(ctx)
    filters = queries.SearchFilters.from_params({"limit": limit, "types": types})
    with container.uow(write=False) as uow:
        results = queries.search(uow, SYSTEM, text, filters)
    if not results.items:
        click.echo("no results")
    for hit in results.items:
        click.echo(f"{hit.kind}\t{hit.id}\t{hit.score:.4f}\t{hit.title}")
