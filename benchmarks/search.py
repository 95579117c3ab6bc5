"""Search at scale: index N mixed Chinese/English documents, then time the relevance
query set through the real search path (parse, synonyms, BM25 / ts_rank_cd, snippets).

    python benchmarks/search.py                       # SQLite, 1,000,000 documents
    python benchmarks/search.py --docs 100000
    python benchmarks/search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Builds a throw-away database (a temporary SQLite file, or a temporary PostgreSQL database
made and dropped through the given server URL), tokenises every document with
rtcdesk.search.tokens and writes rows and tokens in bulk (what ``search.index.put`` writes,
batched), then runs each query of tests/fixtures/search/queries.tsv several times as staff.
Prints build time, index size, and query p50/p99 (target: p99 <= 20 ms on SQLite).
Documents are tickets with messages built from RTC phrases, SDK versions, error codes and
a random vocabulary, so matches are spread like real text rather than identical rows.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine, make_url

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.search import queries
from rtcdesk.search.index import tsvector_literal
from rtcdesk.search.models import DocKind, DocPart, SearchDocument
from rtcdesk.search.tokens import token_texts

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "search"
BATCH = 5000
ZH = [
    "视频卡顿严重",
    "画面卡住",
    "远端黑屏",
    "首帧出图慢",
    "音画不同步",
    "丢包率高",
    "回声很大",
    "有噪音",
    "声音断断续续",
    "网络抖动",
    "延迟很高",
    "加入频道失败",
    "token 过期",
    "蓝牙耳机没声音",
    "屏幕共享模糊",
    "自动播放被拦截",
    "摄像头权限",
    "麦克风权限",
    "闪退",
    "推流失败",
    "云录制没有音频",
    "美颜后发热",
    "帧率下降",
    "码率很低",
    "无法重连",
    "防火墙端口",
    "弱网下",
    "观众端",
    "主播端",
    "安卓手机",
    "苹果手机",
    "网页端",
    "会议室",
    "直播间",
    "晚高峰",
    "用户反馈",
    "请帮忙看一下",
]
EN = [
    "video freezes",
    "remote video is black",
    "slow first frame",
    "audio and video out of sync",
    "high packet loss",
    "strong echo",
    "background noise",
    "choppy audio",
    "jitter spikes",
    "high latency",
    "join channel fails",
    "token expired",
    "bluetooth headset silent",
    "screen sharing is blurry",
    "autoplay blocked",
    "camera permission denied",
    "microphone permission",
    "app crashes",
    "rtmp push fails",
    "recording has no audio",
    "phone gets hot",
    "frame rate drops",
    "bitrate stays low",
    "cannot reconnect",
    "firewall ports",
    "on a weak network",
    "for viewers",
    "for the host",
    "on Android",
    "on iOS",
    "in Chrome",
    "please advise",
    "since yesterday",
    "after upgrading",
]
CODES = ["ERR_1001", "E2003", "error 3004", "code 110", "17", "1501", "ERR_TOKEN_EXPIRED"]
SYLLABLES = ["ba", "ke", "lo", "mi", "ra", "tu", "sen", "vor", "qui", "dex", "pal", "nor", "wey"]
PLATFORMS = ["ios", "android", "web", "windows", "macos", "flutter", "unity", "electron"]


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """The URL of an empty throw-away database."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    name = f"rtcdesk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(
            text(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
        )
    try:
        yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def document(rng: random.Random, n: int) -> tuple[str, str]:
    """A ticket subject and its conversation, Chinese, English or mixed."""
    mode = rng.random()
    pools = [ZH] if mode < 0.6 else [EN] if mode < 0.9 else [ZH, EN]
    words = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(2, 3))]
    subject = "".join(words) if pools == [ZH] else " ".join(words)
    parts = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(6, 14))]
    if rng.random() < 0.2:
        parts.append(rng.choice(CODES))
    parts.append(f"SDK {rng.randint(3, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}")
    parts.append("".join(rng.choice(SYLLABLES) for _ in range(3)) + str(n % 997))
    return subject, "，".join(parts) if pools == [ZH] else ". ".join(parts)


def fill(engine: Engine, count: int) -> None:
    """``count`` staff documents, tokens written the way the index writes them."""
    rng = random.Random(19)
    now = datetime.now(UTC)
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        for start in range(0, count, BATCH):
            rows, fts = [], []
            for n in range(start, min(count, start + BATCH)):
                subject, body = document(rng, n)
                title_tokens, body_tokens = token_texts(subject), token_texts(body)
                row = {
                    "id": n + 1,
                    "kind": DocKind.TICKET,
                    "ref_id": n + 1,
                    "part": DocPart.ALL,
                    "staff_view": True,
                    "customer_view": False,
                    "platform": rng.choice(PLATFORMS),
                    "language": "zh-CN" if rng.random() < 0.6 else "en",
                    "status": "open",
                    "title": subject,
                    "body": body,
                    "updated_at": now,
                }
                if sqlite:
                    fts.append(
                        {"id": n + 1, "t": " ".join(title_tokens), "b": " ".join(body_tokens)}
                    )
                else:
                    row["tsv"] = tsvector_literal(title_tokens, body_tokens)
                rows.append(row)
            conn.execute(insert(SearchDocument), rows)
            if sqlite:
                conn.execute(
                    text("INSERT INTO search_fts (rowid, title, body) VALUES (:id, :t, :b)"), fts
                )


def size(engine: Engine) -> str:
    """The database's size on disk."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            page = conn.execute(text("PRAGMA page_size")).scalar_one()
            return f"{pages * page / 1e6:.0f} MB"
        return str(
            conn.execute(
                text("SELECT pg_size_pretty(pg_database_size(current_database()))")
            ).scalar_one()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL")
    args = parser.parse_args()
    lines = (FIXTURES / "queries.tsv").read_text("utf-8").splitlines()
    query_set = [line.split("\t")[0] for line in lines if line and not line.startswith("#")]
    with database(args.postgres) as url:
        engine = create_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        fill(engine, args.docs)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE search_documents"))
        else:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
        built = time.perf_counter() - started
        name = engine.dialect.name
        print(f"{name}: {args.docs:,} documents indexed in {built:.1f} s, {size(engine)}")
        container = build_container(Settings(database_url=url), engine=engine)
        filters = queries.SearchFilters.from_params({"limit": "10"})
        timings: list[float] = []
        hits = 0
        for q in query_set:
            with container.uow(write=False) as uow:
                queries.search(uow, SYSTEM, q, filters)  # warm the cache for this query
            for _ in range(args.repeat):
                with container.uow(write=False) as uow:
                    begin = time.perf_counter()
                    found = queries.search(uow, SYSTEM, q, filters)
                    timings.append((time.perf_counter() - begin) * 1000)
                hits += len(found.items)
        timings.sort()
        p50 = statistics.median(timings)
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        print(
            f"{len(query_set)} queries x {args.repeat}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"max {timings[-1]:.1f} ms ({hits / len(timings):.1f} results per query)"
        )
        container.dispose()


if __name__ == "__main__":
    main()
