"""The pure search core: tokeniser, stemmer, synonym table, query parsing and snippets."""

from __future__ import annotations

import pytest

from rtcdesk.core.errors import InvalidInput
from rtcdesk.search import querytext, synonyms
from rtcdesk.search.snippets import find_spans, snippet
from rtcdesk.search.tokens import stem, token_texts, tokenize


def test_han_characters_are_single_tokens_and_words_are_lowercased() -> None:
    assert token_texts("视频卡顿严重 Video") == ["视", "频", "卡", "顿", "严", "重", "video"]


def test_codes_and_versions_split_at_punctuation() -> None:
    assert token_texts("ERR_1001 at 4.2.1") == ["err", "1001", "at", "4", "2", "1"]


def test_full_width_forms_are_normalised() -> None:
    assert token_texts("ＡＢＣ１２") == ["abc12"]


def test_offsets_point_into_the_original_text() -> None:
    text = "远端 Black-Screen"
    assert [text[t.start : t.end] for t in tokenize(text)] == ["远", "端", "Black", "Screen"]


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["freeze", "freezes", "freezing"], "freez"),
        (["drop", "dropped", "dropping", "drops"], "drop"),
        (["lag", "lags", "lagging"], "lag"),
        (["stutter", "stutters", "stuttering", "stuttered"], "stutter"),
        (["echo", "echoes"], "echo"),
        (["call", "calls", "calling"], "call"),
    ],
)
def test_stemming_maps_forms_to_one_key(forms: list[str], key: str) -> None:
    assert {stem(f) for f in forms} == {key}


def test_short_words_and_codes_are_not_stemmed() -> None:
    assert stem("ios") == "ios"
    assert stem("e1001s") == "e1001s"


def test_the_shipped_synonym_table_parses_and_links_languages() -> None:
    table = synonyms.table()
    group = table.group_of(("echo",))
    assert group is not None
    assert ("回", "声") in group
    assert ("stutter",) in (table.group_of(("卡", "顿")) or ())


def test_a_phrase_in_two_groups_is_refused_with_its_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        synonyms.parse("echo | 回声\n# c\n回声 | aec".replace("# c\n", ""))


def test_a_group_of_one_is_refused() -> None:
    with pytest.raises(ValueError, match="line 1"):
        synonyms.parse("echo")


def test_a_chinese_run_is_split_around_a_synonym() -> None:
    query = querytext.parse("视频卡顿")
    assert [g.alternatives[0] for g in query.groups] == [("视", "频"), ("卡", "顿")]
    assert ("stutter",) in query.groups[1].alternatives


def test_english_phrase_synonym_spans_words_and_stopwords_are_dropped() -> None:
    query = querytext.parse("black screen on iOS")
    assert query.groups[0].alternatives[:2] == (("black", "screen"), ("黑", "屏"))
    assert ("ios",) in query.groups[1].alternatives
    assert len(query.groups) == 2


def test_quoted_phrases_are_exact() -> None:
    query = querytext.parse('"first frame"')
    assert query.groups == (querytext.Group((("first", "fram"),), exact=True),)


def test_only_stopwords_are_kept_rather_than_nothing() -> None:
    assert querytext.parse("the").groups[0].alternatives == (("the",),)


def test_renderings_for_both_backends() -> None:
    query = querytext.parse("ERR_1001 丢包")
    assert querytext.to_fts5(query).startswith('("err 1001") AND ("丢 包" OR "packet loss"')
    assert querytext.to_tsquery(query).startswith("('err' <-> '1001') & ('丢' <-> '包' | ")


@pytest.mark.parametrize("text", ["", "   ", "!!!", '""'])
def test_nothing_to_search_is_a_clear_error(text: str) -> None:
    with pytest.raises(InvalidInput, match="no words"):
        querytext.parse(text)


def test_too_long_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        querytext.parse("卡" * 201)


def test_spans_highlight_the_original_words() -> None:
    text = "iOS 17 上远端黑屏 after joining; Black Screen again"
    spans = find_spans(text, querytext.parse("black screen").phrases())
    assert [text[a:b] for a, b in spans] == ["黑屏", "Black Screen"]


def test_a_long_text_is_cut_around_the_matches() -> None:
    text = "无关内容。" * 80 + "出现严重回声" + "无关内容。" * 80
    cut = snippet(text, querytext.parse("echo").phrases())
    assert cut.text.startswith("…")
    assert cut.text.endswith("…")
    assert [cut.text[a:b] for a, b in cut.highlights] == ["回声"]
