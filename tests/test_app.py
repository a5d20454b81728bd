"""Board pages that read articles, companies, claims and sources, run through Streamlit's AppTest against a real,
seeded SQLite file (chosen by $TRACKER_DB); and what every page does with a missing, empty or unusable store.
The thesis board, thesis, claim and alerts pages over an evaluated store are in test_app_board.py."""

from __future__ import annotations

import hashlib
import sqlite3

import pandas as pd
import pytest

from tests import _seed
from tests._board_fixtures import page_links, run_page, texts
from tracker.store import open_store
from tracker.ui.components import md

PAGES = ["board", "search", "claims", "companies", "alerts", "sources"]


def story_titles(at) -> list[str]:
    """The story titles listed (each story's title is a link to the board's article page)."""
    known = {md(t): t for t in (_seed.TSMC_TITLE, _seed.SONY_TITLE, *(a["title"] for a in _seed.ARTICLES))}
    return [known[label] for label, page, _ in page_links(at) if page == "article" and label in known]


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    import streamlit as st

    db = _seed.seed(tmp_path / "board.db")
    monkeypatch.chdir(tmp_path)  # no stray ./tracker.toml
    monkeypatch.setenv("TRACKER_DB", str(db))
    st.cache_data.clear()
    return db


def search(at, mode: str, text: str):
    at.segmented_control(key="mode").set_value(mode).run()
    at.text_input(key=f"q_{mode}").input(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------------------------ search by words
def test_words_search_lists_each_story_once_with_every_source(seeded):
    at = search(run_page("search"), "Words", "")
    titles = story_titles(at)
    assert len(titles) == 7  # 8 articles, one a syndicated copy
    assert titles.count(_seed.TSMC_TITLE) == 1
    tsmc = next(t for t in texts(at) if "(2 sources)" in t)
    assert all(source in tsmc for source in _seed.SYNDICATED_SOURCES)
    assert tsmc.endswith(" · Nvidia, TSMC")
    assert at.subheader[0].value == "7 stories"
    assert any(c.value.startswith("TSMC said on Thursday it expects demand") for c in at.caption)


@pytest.mark.parametrize("query, expected", [
    ("yen", [_seed.SONY_TITLE]),  # full text
    ("6758.T", [_seed.SONY_TITLE]),  # ticker
    ("6758", [_seed.SONY_TITLE]),  # ticker without exchange suffix
    ("TSM", [_seed.TSMC_TITLE]),  # ADR of the same company
    (_seed.ALIAS_ONLY, [_seed.TSMC_TITLE]),  # an alias no article's text contains
])
def test_words_search_by_keyword_ticker_and_alias(seeded, query, expected):
    at = search(run_page("search"), "Words", query)
    assert story_titles(at) == expected


def test_words_search_without_match_says_so(seeded):
    at = search(run_page("search"), "Words", 'nothing "matches( this')
    assert story_titles(at) == []
    assert any("No stories match" in i.value for i in at.info)


def test_source_sector_and_date_filters(seeded):
    from datetime import date

    at = search(run_page("search"), "Words", "")
    at.multiselect(key="sources").select("sample").run()
    assert story_titles(at) == ["Japan's megabanks gain on bets of a BOJ rate hike"]
    at.multiselect(key="sources").set_value([]).run()
    at.selectbox(key="sector").select("ai").run()
    assert story_titles(at) == [_seed.TSMC_TITLE]
    at.selectbox(key="sector").select(None).run()
    at.date_input(key="date_from").set_value(date(2026, 11, 20))
    at.date_input(key="date_to").set_value(date(2026, 11, 25)).run()
    assert story_titles(at) == ["Samsung and SK hynix rally as memory prices rebound", _seed.SONY_TITLE]


# ---------------------------------------------------------------------------------------------- article
def test_article_page_shows_companies_sectors_and_claims(seeded):
    at = run_page("article", {"id": "1"})
    assert at.header[0].value == _seed.TSMC_TITLE
    companies, sectors = (d.value for d in at.dataframe)
    assert sorted(companies["ticker"]) == ["2330.TW", "NVDA"]
    assert list(sectors["sector"]) == ["semiconductors", "ai"]
    claims = [t for t in texts(at) if "**TSMC**" in t]
    assert len(claims) == 2 and any(_seed.CAPEX_SENTENCE in c for c in claims)
    assert all(":gray-badge[:material/help: unknown]" in c for c in claims)  # not evaluated in this store
    assert [q for _, page, q in page_links(at) if page == "claim"] == ["id=1", "id=2"]
    assert any("carried by" in t and all(s in t for s in _seed.SYNDICATED_SOURCES) for t in texts(at))


def test_old_article_link_on_the_first_page_still_opens_the_article(seeded):
    """Regression: /?article=ID (the old Articles page's deep link) must keep working after the board moved."""
    at = run_page(None, {"article": "8"})
    assert at.header[0].value == "Japan's megabanks gain on bets of a BOJ rate hike"
    assert list(at.dataframe[0].value["ticker"]) == ["8306.T"]
    assert any("No claims extracted" in c.value for c in at.caption)


def test_unknown_article_id_says_so(seeded):
    at = run_page("article", {"id": "999"})
    assert at.warning[0].value == "No article with id 999."


# ----------------------------------------------------------------------------------------- companies
def test_companies_counts_and_latest_articles(seeded):
    at = run_page("companies")
    assert [t.value for t in at.title] == ["Companies"]
    table = at.dataframe[0].value.set_index("ticker")
    assert len(table) == 8
    assert table.loc["2330.TW", "stories"] == 1  # the syndicated copy counts once
    assert table.loc["000660.KS", "mentions"] == 2
    assert table.loc["6758.T", "company"] == "Sony Group Corporation"
    at.text_input(key="filter").input("semicon").run()
    assert list(at.dataframe[0].value["ticker"]) == ["2330.TW"]
    at.text_input(key="filter").input(".ks").run()
    assert sorted(at.dataframe[0].value["ticker"]) == ["000660.KS", "005930.KS"]
    at.text_input(key="filter").input("").run()
    at.selectbox(key="company").select("sony").run()
    assert at.subheader[0].value == "Latest on Sony Group Corporation (6758.T)"
    assert story_titles(at) == [_seed.SONY_TITLE]


# -------------------------------------------------------------------------------------------- claims
def test_claims_table_and_filters(seeded):
    at = run_page("claims")
    assert [t.value for t in at.title] == ["Claims"]
    table = at.dataframe[0].value
    assert len(table) == 7 and set(table["status"]) == {"unknown"}
    row = table[table["metric"] == "capex"].iloc[0]
    assert (row["subject"], row["ticker"], row["direction"], row["magnitude"], row["horizon"]) == \
        ("TSMC", "2330.TW", "up", "20%", "next year")
    assert row["article_url"].startswith("https://asia.example.com/news/")

    at.selectbox(key="metric").select("capex").run()
    assert list(at.dataframe[0].value["subject"]) == ["TSMC"]
    at.selectbox(key="metric").select(None)
    at.selectbox(key="sector").select("ai").run()  # tagged on the article, not on the claims
    assert sorted(at.dataframe[0].value["metric"]) == ["capex", "revenue_growth"]
    at.selectbox(key="sector").select(None)
    at.selectbox(key="direction").select("outperform").run()
    assert list(at.dataframe[0].value["ticker"]) == ["RELIANCE.NS"]
    at.selectbox(key="direction").select(None)
    at.selectbox(key="status").select("broken").run()
    assert any("No claims match" in i.value for i in at.info)


def test_choosing_a_claim_opens_its_page(seeded):
    at = run_page("claims")
    capex_id = int(at.dataframe[0].value.set_index("metric").loc["capex", "id"])
    at.selectbox(key="claim").select(capex_id).run()
    assert at.header[0].value == "TSMC · capex up"
    context = next(t for t in texts(at) if "<mark>" in t)
    before, rest = context.split("<mark>")
    assert rest.startswith(_seed.CAPEX_SENTENCE + "</mark>")
    assert "outstrip supply" in before and "largest customer" in rest


def test_claim_links_only_http_urls(seeded):
    """A javascript: article URL must not become a link in the claims table."""
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 1")
    table = run_page("claims").dataframe[0].value
    urls = table.set_index("metric")["article_url"]
    assert pd.isna(urls.loc["capex"]) and urls.loc["margin"].startswith("https://")


# ------------------------------------------------------------------------------------------- sources
def test_sources_shows_failing_feed_error_and_fetch_log(seeded):
    at = run_page("sources")
    assert [t.value for t in at.title] == ["Sources"]
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert _seed.FAILING_FEED in errors[0] and md(_seed.FAILING_ERROR) in errors[0]
    assert "3 consecutive failures" in errors[0]
    assert {m.label: m.value for m in at.metric}["Failing now"] == "1"
    feeds, log = (d.value for d in at.dataframe)
    assert list(feeds["name"])[0] == _seed.FAILING_FEED and feeds["last_error"].iloc[0] == _seed.FAILING_ERROR
    assert set(feeds["last_outcome"]) == {"error", "ok", "not_modified"}
    assert len(log) == len(_seed.FETCHES) and log["started_at"].iloc[0] == "2026-12-01T17:32:00Z"
    at.selectbox(key="log_feed").select(3).run()
    log = at.dataframe[1].value
    assert len(log) == 4 and set(log["feed"]) == {_seed.FAILING_FEED}
    assert "connect timeout after 10.0 s" in " ".join(log["error"].dropna())


def test_sources_says_how_many_article_pages_are_queued_or_given_up(seeded):
    """Issue #11's page queue is visible: per feed and in total."""
    assert not [i for i in run_page("sources").info if "article pages queued" in i.value]  # none yet
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE articles SET page_status = 'wanted' WHERE id IN (1, 4)")
        conn.execute("UPDATE articles SET page_status = 'failed', page_error = 'HTTP 404' WHERE id = 2")
    import streamlit as st

    st.cache_data.clear()  # the board's reads are cached for a TTL: the next render reads again
    at = run_page("sources")
    (info,) = [i.value for i in at.info if "article pages queued" in i.value]
    assert "2 article pages queued" in info and "1 given up" in info
    feeds = at.dataframe[0].value.set_index("name")
    assert feeds.loc["Nikkei Asia Markets", "pages_queued"] == 2 and feeds.loc["Korea Herald Business", "pages_failed"] == 1


def test_feed_error_text_is_shown_literally(seeded):
    hostile = "<img src=x onerror=alert(1)> lost $5bn *today* [click](https://evil.example) :red[fake]"
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE feeds SET last_error = ? WHERE name = ?", [hostile, _seed.FAILING_FEED])
    error = run_page("sources").error[0].value
    assert "<img" not in error and "&lt;img src=x onerror=alert(1)&gt;" in error
    assert "lost \\$5bn \\*today\\* \\[click\\](https\u2060\\://evil.example) \\:red\\[fake\\]" in error


# --------------------------------------------------------------------------------- missing and empty
@pytest.mark.parametrize("page", PAGES)
def test_missing_database_says_what_to_run(tmp_path, monkeypatch, page):
    missing = tmp_path / "nothing-here.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(missing))
    at = run_page(page)
    warning = at.warning[0].value
    assert f"No database at {missing}" in warning and "tracker init" in warning and "make run" in warning
    assert not missing.exists(), "the board must not create the database"


def test_initialised_but_empty_database(tmp_path, monkeypatch):
    open_store(tmp_path / "empty.db").close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "empty.db"))
    at = run_page("search")
    assert "No articles in" in at.info[0].value and "make run" in at.info[0].value
    at = run_page("board")
    assert "No theses yet" in at.info[0].value
    at = run_page("alerts")
    assert "No alerts yet" in at.info[0].value and "No channels" in at.caption[0].value
    at = run_page("sources")
    assert "No feeds registered" in at.info[0].value


def _blank(path):
    path.write_bytes(b"")  # a zero-byte file is an SQLite database without tables


def _old_schema(path):
    open_store(path, migrate_to=1).close()


def _junk(path):
    path.write_bytes(b"not sqlite at all " * 64)


@pytest.mark.parametrize("make, expected", [
    (_blank, "is empty (no tables yet): run `tracker init`"),
    (_old_schema, "has schema version 1, older than this board's"),
    (_junk, "is not a usable SQLite database"),
])
def test_unusable_database_says_what_to_do(tmp_path, monkeypatch, make, expected):
    make(tmp_path / "x.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "x.db"))
    at = run_page("claims")
    assert expected in at.warning[0].value


def test_database_from_tracker_toml_in_working_directory(tmp_path, monkeypatch):
    import streamlit as st

    _seed.seed(tmp_path / "from-config.db")
    (tmp_path / "tracker.toml").write_text('[store]\npath = "from-config.db"\n')
    monkeypatch.chdir(tmp_path)
    st.cache_data.clear()
    at = run_page("sources")
    assert "HTTP 503 Service Unavailable" in at.error[0].value
    assert any(str(tmp_path / "from-config.db") in c.value for c in at.sidebar.caption)


def test_bad_config_is_one_clear_message(tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text('[store]\npaht = "x.db"\n')
    monkeypatch.setenv("TRACKER_CONFIG", str(bad))
    at = run_page()
    assert "unknown key 'store.paht'" in at.error[0].value


def test_board_never_writes_to_the_store_while_reading(seeded):
    before = hashlib.sha256(seeded.read_bytes()).hexdigest()
    for page in PAGES:
        run_page(page)
    run_page("article", {"id": "1"})
    run_page("claim", {"id": "1"})
    assert hashlib.sha256(seeded.read_bytes()).hexdigest() == before
