"""Search over tickets (and, as they land, articles and error codes): one code path for both
backends. Text is tokenised in Python (``tokens``), the same tokens go into FTS5 on SQLite
and a GIN-indexed ``tsvector`` on PostgreSQL (``index``), queries are expanded with the RTC
synonym table (``synonyms``, ``querytext``) and ranked by BM25 / ``ts_rank_cd``."""
