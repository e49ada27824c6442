"""What people type: names in either language, word forms, prefix, OR, NOT, phrases,
explained syntax, suggestions, one hit per record, titles in the reader's language; on
the real 2023 report, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devagenda.core.context import AppContext
from devagenda.core.sqlreader import SessionReader
from devagenda.search import segment
from devagenda.search.matching import STOP_WORDS, compile_query
from devagenda.search.models import SearchEntry
from devagenda.search.query import parse
from devagenda.search.services import search, snippet


def found(session: Session, query: str, **filters: object) -> set[tuple[str, str]]:
    results = search(session, query, limit=100, **filters)
    assert results.total <= 100, "the test expects one page"
    return {(hit.kind, hit.key) for hit in results.hits}


# -- names in either language ------------------------------------------------------------


def test_a_country_named_in_english_finds_the_chinese_report(db: Session) -> None:
    english, chinese = found(db, "Uganda"), found(db, "乌干达")
    assert english == chinese
    assert ("country", "UGA") in english
    paragraphs = {key for kind, key in english if kind in ("paragraph", "footnote")}
    assert len(paragraphs) >= 4  # the Chinese report names it in several places
    results = search(db, "Uganda")
    assert "乌干达" in results.names
    assert any("<mark>乌干达</mark>" in hit.snippet for hit in results.hits)


def test_a_chinese_name_is_not_found_through_a_piece_it_shares_with_others(db: Session) -> None:
    """冈比亚 (Gambia) holds 比亚, as 赞比亚, 哥伦比亚 and 埃塞俄比亚 do: a country found by
    that piece alone would be a false hit."""
    gambia = found(db, "Gambia")
    assert gambia == found(db, "冈比亚")
    countries = {key for kind, key in gambia if kind == "country"}
    assert countries == {"GMB"}
    assert {kind for kind, _ in gambia} >= {"paragraph", "footnote"}
    for hit in search(db, "冈比亚", limit=100).hits:
        if hit.kind in ("paragraph", "footnote"):
            assert "冈比亚" in hit.snippet or "Gambia" in hit.snippet


def test_a_group_and_a_project_are_found_by_their_other_language_name(db: Session) -> None:
    assert found(db, "African Group") >= found(db, "非洲集团") - {("group", "AFRICAN")}
    title = (
        "Increasing the Role of Women in Innovation and Entrepreneurship, Encouraging "
        "Women in Developing Countries to Use the Intellectual Property System"
    )
    by_english = found(db, title, kinds=["project"])
    by_chinese = found(db, "加大女性在创新创业方面的作用、鼓励发展中国家女性运用知识产权制度")
    assert by_english and by_english <= by_chinese


def test_a_recommendation_named_in_english_finds_chinese_mentions(db: Session) -> None:
    hits = found(db, "Recommendation 12")
    assert ("recommendation", "12") in hits
    assert found(db, "建议12") == hits


# -- what snippets mark ------------------------------------------------------------------


def marks_of(session: Session, query: str) -> list[str]:
    hits = search(session, query, limit=100).hits
    return [mark for hit in hits for mark in re.findall(r"<mark>(.*?)</mark>", hit.snippet)]


def test_a_name_is_marked_whole_never_a_stop_word_or_a_piece_alone(db: Session) -> None:
    marks = marks_of(db, "Gambia")
    assert "冈比亚" in marks and {"Gambia", "Republic of the Gambia"} & set(marks)
    assert not [mark for mark in marks if set(segment.fold(mark)) <= STOP_WORDS]
    # A project lists beneficiaries by their English names: only the one asked for is
    # marked, not the "Republic" and "of" it shares with the Gambia's long name.
    matches = compile_query(SessionReader(db), parse("Gambia"))
    assert ("republ", "of", "the", "gambia") in matches.marked_phrases
    listing = "Tunisia\nCameroon\nGambia\nIran (Islamic Republic of)"
    marked = (matches.marked, matches.marked_prefixes, matches.marked_phrases)
    assert snippet(listing, *marked) == listing.replace("Gambia", "<mark>Gambia</mark>")
    assert "比亚" not in marks  # a piece of 冈比亚, also in 赞比亚 and 哥伦比亚
    recommendation = marks_of(db, "Recommendation 45")
    assert "发展议程建议45" in recommendation
    assert not {"第", "项", "发展"} & set(recommendation)


def test_a_phrase_is_marked_where_its_words_follow_one_another(db: Session) -> None:
    marks = marks_of(db, '"intellectual property"')
    assert {mark.casefold() for mark in marks} == {"intellectual property"}
    assert marks_of(db, "intellectual property") != marks  # plain words: each marked


def test_snippet_marks_phrases_and_words_but_not_stop_words() -> None:
    phrase = tuple(segment.fold("Republic of the Gambia"))
    text = "The Republic of the Gambia, the Republic of Senegal and the Gambia river"
    assert snippet(text, {"river"}, phrases={phrase}) == (
        "The <mark>Republic of the Gambia</mark>, the Republic of Senegal and the Gambia "
        "<mark>river</mark>"
    )


# -- word forms, prefix, OR, NOT, phrases ------------------------------------------------


def test_english_word_forms_match(db: Session) -> None:
    women = found(db, "women")
    assert women and women == found(db, "woman")
    assert found(db, "entrepreneur") & found(db, "entrepreneurship")
    gastronomy = found(db, "gastronomy", kinds=["project"])
    assert len(gastronomy) == 2  # Gastronomic Tourism, phases I and II


def test_prefix_or_not_and_phrases(db: Session) -> None:
    women, tourism = found(db, "women"), found(db, "tourism")
    assert women <= found(db, "wom*")
    either = found(db, "women OR tourism")
    assert either == women | tourism and len(either) > len(women)
    assert found(db, "women tourism") == women & tourism
    not_peru = found(db, "tourism -Peru")
    assert not_peru == found(db, "tourism NOT Peru") and not_peru < tourism
    assert not not_peru & found(db, "Peru")
    in_order = found(db, '"gastronomic tourism"')
    assert in_order and in_order <= found(db, "gastronomic tourism")
    assert found(db, '"tourism gastronomic"') == set()


def test_a_chinese_phrase_must_appear_as_written(db: Session) -> None:
    loose = found(db, "旅游 美食")
    exact = found(db, "「美食旅游」")
    assert exact and exact <= loose
    assert exact == found(db, '"美食旅游"')
    assert found(db, '"旅游美食"') < loose
    women = found(db, "women")
    assert found(db, "「美食旅游」 OR women") == exact | women  # a phrase among alternatives
    assert found(db, "旅游 -「美食旅游」") == found(db, "旅游") - exact


def test_web_addresses_are_not_words(db: Session) -> None:
    assert not any(kind == "footnote" for kind, _ in found(db, "inventors"))  # only in links
    tokens = set(segment.tokenize("见https://www.wipo.int/zh/web/women-inventors/index。"))
    assert tokens == {"见"}


# -- what cannot be understood is explained ----------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('"women entrepreneurs', "unclosed_quote"),
        ("women OR", "dangling_or"),
        ("OR women", "dangling_or"),
        ("women NOT", "dangling_not"),
        ("w*", "short_prefix"),
        ("(women OR men)", "brackets"),
        ("wo*men", "star_inside"),
        ('women ""', "empty_phrase"),
        ("*** ???", "nothing_to_search"),
    ],
)
def test_syntax_that_cannot_be_understood_is_explained(db: Session, query: str, code: str) -> None:
    results = search(db, query)
    assert code in {notice.code for notice in results.notices}
    assert all(notice.message for notice in results.notices)


def test_the_parser_reads_operators() -> None:
    parsed = parse('women OR men -"technical assistance" NOT gastro* 美食')
    assert [len(clause.items) for clause in parsed.required] == [2, 1]
    assert len(parsed.excluded) == 2 and not parsed.notices


def test_nothing_found_suggests_something(db: Session) -> None:
    results = search(db, "women gastronomy")
    assert results.total == 0
    assert [s.query for s in results.suggestions] == ["women OR gastronomy"]
    assert results.suggestions[0].total == len(found(db, "women OR gastronomy"))
    filtered = search(db, "gastronomy", kinds=["footnote"], year=1999)
    assert filtered.total == 0 and filtered.total_without_filters == search(db, "gastronomy").total


# -- counting, titles ---------------------------------------------------------------------


def test_every_record_is_counted_once(db: Session) -> None:
    records = db.scalar(
        select(func.count()).select_from(
            select(SearchEntry.kind, SearchEntry.key).distinct().subquery()
        )
    )
    entries = db.scalar(select(func.count()).select_from(SearchEntry))
    blank = search(db, "")
    assert blank.total == records < entries
    assert sum(f.count for f in blank.facets["kind"]) == records
    assert sum(f.count for f in blank.facets["language"]) == entries
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        page = search(db, "", kinds=["project"], limit=50, cursor=cursor)
        seen += [(h.kind, h.key) for h in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == page.total


def test_titles_are_in_the_readers_language_where_one_exists(db: Session) -> None:
    (english,) = [h for h in search(db, "乌干达", kinds=["country"], display_language="en").hits]
    assert (english.title, english.language) == ("Uganda", "en")
    (chinese,) = search(db, "Uganda", kinds=["country"], display_language="zh").hits
    assert (chinese.title, chinese.language) == ("乌干达", "zh")
    paragraph = next(
        h for h in search(db, "Uganda", display_language="en").hits if h.kind == "paragraph"
    )
    assert paragraph.language == "zh"  # the report exists only in Chinese


def test_facet_columns_follow_writes_of_other_sessions(report_copy: AppContext) -> None:
    """A commit elsewhere (a new process, a cascade) changes a chunk's token."""
    with report_copy.sessions() as session:
        before = search(session, "").total
    _delete_sector_entry(report_copy, "PTS")
    with report_copy.sessions() as session:
        assert search(session, "").total == before - 1
    with report_copy.transaction() as session:
        from devagenda.search.sync import rebuild_index

        rebuild_index(session)
    with report_copy.sessions() as session:
        assert search(session, "").total == before


def test_copies_of_one_database_keep_their_own_facet_columns(
    report: AppContext, report_copy: AppContext
) -> None:
    """The tests' copies of a database start with the same chunk tokens as each other; the
    columns a process holds for one must never answer for another."""
    with report.sessions() as session:
        shared = search(session, "")
    with report_copy.sessions() as session:
        copied = search(session, "")
    assert copied.total == shared.total
    _delete_sector_entry(report_copy, "PTS")
    with report_copy.sessions() as session:
        changed = search(session, "")
    with report.sessions() as session:
        unchanged = search(session, "")
    assert changed.total == shared.total - 1
    assert unchanged.total == shared.total
    assert _count(changed, "kind", "sector") == _count(shared, "kind", "sector") - 1
    assert _count(unchanged, "kind", "sector") == _count(shared, "kind", "sector")


def _delete_sector_entry(context: AppContext, key: str) -> None:
    with context.transaction() as session:
        session.execute(
            SearchEntry.__table__.delete().where(
                SearchEntry.kind == "sector", SearchEntry.key == key
            )
        )


def _count(result, facet: str, value: str) -> int:  # type: ignore[no-untyped-def]
    return next(c.count for c in result.facets[facet] if c.value == value)


# -- jieba -------------------------------------------------------------------------------


def test_jieba_loads_once_per_process_into_the_users_cache() -> None:
    loaded: list[object] = []
    threads = [
        threading.Thread(target=lambda: loaded.append(segment.segmenter())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(s) for s in loaded}) == 1
    folder = segment.cache_folder()
    assert not str(folder).startswith("/tmp") and (folder / "jieba.cache").is_file()
    assert loaded[0].tmp_dir == str(folder)  # type: ignore[attr-defined]


# -- the command line --------------------------------------------------------------------


def test_the_cli_searches_through_the_same_service(report: AppContext) -> None:
    import json

    from typer.testing import CliRunner

    from devagenda.cli import app

    runner = CliRunner()
    url = report.settings.database_url
    result = runner.invoke(app, ["--database-url", url, "search", "Uganda", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    with report.sessions() as session:
        expected = search(session, "Uganda", display_language="en")
    assert printed["total"] == expected.total > 1
    assert [h["key"] for h in printed["hits"]] == [h.key for h in expected.hits]
    text = runner.invoke(app, ["--database-url", url, "search", "--kind", "country", "乌干达"])
    assert text.exit_code == 0 and "1 record found" in text.stdout
    assert "country\tUganda\t/countries/UGA" in text.stdout  # TSV when piped
    explained = runner.invoke(app, ["--database-url", url, "search", '"women'])
    assert explained.exit_code == 0 and "not closed" in explained.stderr
    # The filters are checked by the model the API checks its query parameters with.
    bad = runner.invoke(app, ["--database-url", url, "search", "Uganda", "--country", "Uganda"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --country 'Uganda': ")
    assert api_client_status(report, {"q": "Uganda", "country": "Uganda"}) == 422
    filtered = ["", "--cluster", "a", "--kind", "recommendation", "--json"]
    by_cli = json.loads(runner.invoke(app, ["--database-url", url, "search", *filtered]).stdout)
    assert by_cli["total"] == 14  # cluster A's recommendations, the letter in either case


def api_client_status(report: AppContext, params: dict[str, str]) -> int:
    from fastapi.testclient import TestClient

    from devagenda.api import create_app

    with TestClient(create_app(report)) as client:
        return client.get("/api/search", params=params).status_code


def test_large_matches_are_counted_alike_and_rank_titles_first(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond RANKED_MATCHES entries no relevance score is computed: the same records
    match and count, title matches first."""
    from devagenda.search import services

    scored = search(db, "知识产权", limit=100)
    monkeypatch.setattr(services, "RANKED_MATCHES", 10)
    unscored = search(db, "知识产权", limit=100)
    assert unscored.total == scored.total > 100
    assert unscored.facets == scored.facets
    scores = [hit.score for hit in unscored.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0 > scores[-1]
    assert all("知识产权" in hit.title for hit in unscored.hits if hit.score == 1.0)
