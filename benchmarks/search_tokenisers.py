"""Which Chinese tokenisation search uses, measured on the relevance query set.

Runs the fixed queries of tests/fixtures/search over its 40 tickets in an in-memory SQLite
FTS5 table, with the same synonym expansion and BM25 ranking, for three tokenisations of
Chinese text (English is the same in all three):

  chars        one token per Han character, words as phrase queries (what rtcdesk uses)
  rjieba       rjieba (jieba-rs) word segmentation, default dictionary
  rjieba+dict  rjieba with every Chinese phrase of the RTC synonym table added to it

and prints recall@10, MRR and the queries each one misses.
Run: .venv/bin/python benchmarks/search_tokenisers.py
(needs the dev extra: rjieba).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import rjieba

from rtcdesk.search import querytext, synonyms
from rtcdesk.search.tokens import is_cjk, tokenize

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "search"


def rows(name: str) -> list[list[str]]:
    lines = (FIXTURES / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def chars(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def segmented(text: str) -> list[str]:
    """Our tokens, with each run of adjacent Han characters re-cut into rjieba's words."""
    out: list[str] = []
    run = ""
    last_end = -1
    for token in tokenize(text):
        if is_cjk(token.text) and (not run or token.start == last_end):
            run += token.text
        else:
            if run:
                out.extend(w for w in rjieba.cut(run) if w.strip())
                run = ""
            if is_cjk(token.text):
                run = token.text
            else:
                out.append(token.text)
        last_end = token.end
    if run:
        out.extend(w for w in rjieba.cut(run) if w.strip())
    return out


def fts5(query: querytext.Query, cut: Callable[[str], list[str]]) -> str:
    groups = []
    for group in query.groups:
        alts = []
        for phrase in group.alternatives:
            text = "".join(phrase) if all(is_cjk(t) for t in phrase) else " ".join(phrase)
            alts.append('"' + " ".join(cut(text)) + '"')
        groups.append("(" + " OR ".join(alts) + ")")
    return " AND ".join(groups)


def measure(name: str, cut: Callable[[str], list[str]]) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, title, body)")
    for key, subject, body in rows("corpus.tsv"):
        db.execute(
            "INSERT INTO t VALUES (?, ?, ?)", (key, " ".join(cut(subject)), " ".join(cut(body)))
        )
    recalls, reciprocal, misses = [], [], []
    for q, expected_text in rows("queries.tsv"):
        expected = expected_text.split(",")
        match = fts5(querytext.parse(q), cut)
        top = [
            r[0]
            for r in db.execute(
                "SELECT key FROM t WHERE t MATCH ? ORDER BY bm25(t, 0, 4.0, 1.0) LIMIT 10",
                (match,),
            )
        ]
        found = [k for k in expected if k in top]
        recalls.append(len(found) / len(expected))
        first = next((n for n, k in enumerate(top, start=1) if k in expected), None)
        reciprocal.append(1 / first if first else 0.0)
        if len(found) < len(expected):
            misses.append(f"{q} (found {len(found)}/{len(expected)})")
    recall = sum(recalls) / len(recalls)
    mrr = sum(reciprocal) / len(reciprocal)
    print(f"{name:12} recall@10 {recall:.3f}  MRR {mrr:.3f}  misses: {', '.join(misses) or '-'}")


def main() -> int:
    print(f"{len(rows('queries.tsv'))} queries over {len(rows('corpus.tsv'))} tickets")
    measure("chars", chars)
    measure("rjieba", segmented)
    for group in synonyms.table().groups:
        for phrase in group:
            if all(is_cjk(t) for t in phrase):
                rjieba.add_word("".join(phrase), 100000, "n")
    measure("rjieba+dict", segmented)
    return 0


if __name__ == "__main__":
    sys.exit(main())
