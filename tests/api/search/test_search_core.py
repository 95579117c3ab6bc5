"""The search core on both backends: indexing through the job, Chinese words, synonyms
across languages, ranking, snippets, filters and tenant scoping."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from factories import tickets as ft
from factories.search import ids, run_jobs, search
from rtcdesk.bootstrap import Container
from rtcdesk.core.errors import InvalidInput
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.search.jobs import INDEX_JOB


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("卡顿", "stutter_zh"),
        ("视频卡顿", "stutter_zh"),
        ("stutter", "stutter_zh"),
        ("freezing", "stutter_zh"),
        ("黑屏", "black_zh"),
        ("black screen", "black_zh"),
        ("回声", "echo_en"),
        ("echo", "echo_en"),
        ("ERR_1001", "code"),
        ("err 1001", "code"),
        ("joinchannel", "code"),
    ],
)
def test_words_as_people_type_them(
    container: Container, corpus: dict[str, Any], q: str, expected: str
) -> None:
    got = ids(container, corpus["agent"], q)
    assert got[:1] == [corpus["tickets"][expected].id]


def test_a_two_character_word_does_not_match_its_characters_apart(
    container: Container, corpus: dict[str, Any]
) -> None:
    # 卡 and 顿 both occur in no other ticket next to each other; 频道 is not 频...道.
    assert ids(container, corpus["agent"], "频道") == [corpus["tickets"]["black_zh"].id]
    assert ids(container, corpus["agent"], "花屏") == []


def test_snippets_highlight_the_original_text(container: Container, corpus: dict[str, Any]) -> None:
    hit = search(container, corpus["agent"], "black screen").items[0]
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["黑屏"]
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["黑屏"]
    assert hit.url == f"/console/tickets/{hit.id}"


def test_contacts_find_only_what_their_ticket_pages_show(
    container: Container, corpus: dict[str, Any]
) -> None:
    t = corpus["tickets"]
    # Dev's organization does not share tickets: their own only.
    assert ids(container, corpus["dev"], "黑屏") == []
    assert ids(container, corpus["colleague"], "黑屏") == [t["black_zh"].id]
    assert ids(container, corpus["dev"], "packet loss") == []
    assert ids(container, corpus["stranger"], "packet loss") == [t["other_loss"].id]
    # Internal notes: agents find them, the requester never does.
    assert ids(container, corpus["agent"], "secretword") == [t["echo_en"].id]
    assert ids(container, corpus["dev"], "secretword") == []
    hit = search(container, corpus["dev"], "回声消除").items[0]
    assert "secretword" not in hit.snippet
    assert hit.url == f"/portal/tickets/{t['echo_en'].id}"


def test_filters_narrow_the_results(container: Container, corpus: dict[str, Any]) -> None:
    agent, t = corpus["agent"], corpus["tickets"]
    assert ids(container, agent, "packet loss", organization_id=str(corpus["other"].id)) == [
        t["other_loss"].id
    ]
    assert ids(container, agent, "packet loss", organization_id=str(corpus["acme"].id)) == []
    assert ids(container, agent, "黑屏", platform="android") == [t["black_zh"].id]
    assert ids(container, agent, "黑屏", platform="ios") == []
    assert ids(container, agent, "黑屏", types="ticket", status="new") == [t["black_zh"].id]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"types": "video"}, "types='video' is not one of"),
        ({"language": "fr"}, "language='fr' is not one of"),
        ({"limit": "0"}, "limit must be a number from 1 to 50"),
        ({"limit": "x"}, "limit must be a number"),
        ({"organization_id": "abc"}, "organization_id"),
    ],
)
def test_bad_filters_are_clear_errors(
    container: Container, corpus: dict[str, Any], params: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        search(container, corpus["agent"], "echo", **params)
    assert message in caught.value.message.format(**caught.value.params)


def test_the_title_ranks_above_the_body(container: Container, corpus: dict[str, Any]) -> None:
    dev, agent = corpus["dev"], corpus["agent"]
    in_body = ft.ticket(container, dev, subject="Audio question", body="There is some echo.")
    run_jobs(container)
    got = ids(container, agent, "echo")
    assert got.index(corpus["tickets"]["echo_en"].id) < got.index(in_body.id)


def test_the_index_follows_changes_through_one_pending_job_per_ticket(
    container: Container, corpus: dict[str, Any]
) -> None:
    agent, ticket = corpus["agent"], corpus["tickets"]["code"]
    ft.message(container, ticket.id, agent, "Looks like 首帧 delay too.")
    ft.message(container, ticket.id, agent, "Also a token 过期 problem.")
    with container.uow(write=False) as uow:
        queued = uow.session.scalars(
            select(Job.payload).where(Job.name == INDEX_JOB, Job.state == JobState.QUEUED)
        ).all()
    assert list(queued) == [{"kind": "ticket", "id": ticket.id}]
    # Not indexed until the job ran (after the change committed).
    assert ids(container, agent, "首帧") == []
    run_jobs(container)
    assert ids(container, agent, "first frame") == [ticket.id]
    assert ids(container, agent, "token expired") == [ticket.id]
