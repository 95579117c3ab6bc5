"""Relevance on a fixed zh/en query set (tests/fixtures/search): recall@10 and MRR over 40
tickets, both backends. The figures are printed (pytest -s) and held to a floor."""

from __future__ import annotations

from pathlib import Path

from factories import accounts as fa
from factories import tickets as ft
from factories.search import ids, run_jobs
from rtcdesk.bootstrap import Container

FIXTURES = Path(__file__).parents[2] / "fixtures" / "search"
RECALL_FLOOR = 0.95
MRR_FLOOR = 0.9


def rows(name: str) -> list[list[str]]:
    lines = (FIXTURES / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def test_recall_at_10_and_mrr_on_the_fixed_query_set(container: Container) -> None:
    org = fa.organization(container, name="Corpus")
    person = fa.contact(container, org)
    agent = fa.agent(container)
    keys: dict[int, str] = {}
    for key, subject, body in rows("corpus.tsv"):
        keys[ft.ticket(container, person, subject=subject, body=body).id] = key
    run_jobs(container)
    queries = rows("queries.tsv")
    assert len(queries) >= 50
    recalls, reciprocal, misses = [], [], []
    for q, expected_text in queries:
        expected = expected_text.split(",")
        top = [keys[i] for i in ids(container, agent, q, limit="10")]
        found = [k for k in expected if k in top]
        recalls.append(len(found) / len(expected))
        first = next((rank for rank, k in enumerate(top, start=1) if k in expected), None)
        reciprocal.append(1 / first if first else 0.0)
        if len(found) < len(expected) or first != 1:
            misses.append(f"{q!r}: expected {expected}, got {top}")
    recall = sum(recalls) / len(recalls)
    mrr = sum(reciprocal) / len(reciprocal)
    print(f"\n{len(queries)} queries: recall@10 {recall:.3f}, MRR {mrr:.3f}")
    print("\n".join(misses))
    assert recall >= RECALL_FLOOR, misses
    assert mrr >= MRR_FLOOR, misses
