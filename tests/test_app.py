"""Every board page run through Streamlit's AppTest against a real, seeded SQLite file (chosen by $TRACKER_DB)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests import _seed
from tests.conftest import REPO
from tracker.store import open_store

APP = REPO / "app.py"
PAGES = ["articles", "companies", "claims", "sources"]


def run_page(page: str = "articles", query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(query_params or {})
    at.run()
    if page != "articles":
        at.switch_page(f"tracker/ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def story_titles(at: AppTest) -> list[str]:
    """The story titles listed on the Articles page (the bold first line of each story)."""
    titles = []
    for text in texts(at):
        for story in (_seed.TSMC_TITLE, _seed.SONY_TITLE, *(a["title"] for a in _seed.ARTICLES)):
            if text.startswith(f"**[{story}]") or text.startswith(f"**{story}**"):
                titles.append(story)
                break
    return titles


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    db = _seed.seed(tmp_path / "board.db")
    monkeypatch.chdir(tmp_path)  # no stray ./tracker.toml
    monkeypatch.setenv("TRACKER_DB", str(db))
    return db


# ------------------------------------------------------------------------------------------ articles
def test_articles_lists_each_story_once_with_every_source(seeded):
    at = run_page()
    assert [t.value for t in at.title] == ["Articles"]
    titles = story_titles(at)
    assert len(titles) == 7  # 8 articles, one a syndicated copy
    assert titles.count(_seed.TSMC_TITLE) == 1
    tsmc = next(t for t in texts(at) if t.startswith(f"**[{_seed.TSMC_TITLE}]"))
    assert all(source in tsmc for source in _seed.SYNDICATED_SOURCES) and "(2 sources)" in tsmc
    assert tsmc.endswith(" · Nvidia, TSMC")
    assert at.subheader[0].value == "7 stories"
    assert any(c.value.startswith("TSMC said on Thursday it expects demand") for c in at.caption)


def test_search_finds_company_by_alias_known_only_to_the_securities_master(seeded):
    with sqlite3.connect(seeded) as conn:
        hits = conn.execute("SELECT count(*) FROM articles WHERE title || text LIKE ?",
                            [f"%{_seed.ALIAS_ONLY}%"]).fetchone()[0]
    assert hits == 0, "the alias must not occur in any article's text"
    at = run_page()
    at.text_input(key="q").input(_seed.ALIAS_ONLY).run()
    assert story_titles(at) == [_seed.TSMC_TITLE]
    assert at.subheader[0].value == "1 story"


@pytest.mark.parametrize("query, expected", [
    ("yen", [_seed.SONY_TITLE]),  # full text
    ("6758.T", [_seed.SONY_TITLE]),  # ticker
    ("6758", [_seed.SONY_TITLE]),  # ticker without exchange suffix
    ("TSM", [_seed.TSMC_TITLE]),  # ADR of the same company
    ("hynix", ["Samsung and SK hynix rally as memory prices rebound"]),
])
def test_search_by_keyword_and_ticker(seeded, query, expected):
    at = run_page()
    at.text_input(key="q").input(query).run()
    assert story_titles(at) == expected


def test_search_without_match_says_so(seeded):
    at = run_page()
    at.text_input(key="q").input('nothing "matches( this').run()
    assert story_titles(at) == []
    assert any("No stories match" in i.value for i in at.info)


def test_source_and_date_filters(seeded):
    at = run_page()
    at.multiselect(key="sources").select("sample").run()
    assert story_titles(at) == ["Japan's megabanks gain on bets of a BOJ rate hike"]
    at.multiselect(key="sources").set_value([]).run()
    at.date_input(key="date_from").set_value(date(2026, 11, 20))
    at.date_input(key="date_to").set_value(date(2026, 11, 25)).run()
    assert story_titles(at) == ["Samsung and SK hynix rally as memory prices rebound", _seed.SONY_TITLE]


def test_article_detail_shows_companies_sectors_and_claims(seeded):
    at = run_page()
    at.selectbox(key="open").select(1).run()
    assert at.header[0].value == _seed.TSMC_TITLE
    companies, sectors = (d.value for d in at.dataframe)
    assert sorted(companies["ticker"]) == ["2330.TW", "NVDA"]
    assert list(sectors["sector"]) == ["semiconductors", "ai"]
    claims = [t for t in texts(at) if t.startswith("> ")]
    assert len(claims) == 2 and _seed.CAPEX_SENTENCE in claims[0] + claims[1]
    assert any("carried by" in t and all(s in t for s in _seed.SYNDICATED_SOURCES) for t in texts(at))


def test_article_detail_from_query_parameter(seeded):
    at = run_page(query_params={"article": "8"})
    assert at.header[0].value == "Japan's megabanks gain on bets of a BOJ rate hike"
    assert list(at.dataframe[0].value["ticker"]) == ["8306.T"]
    assert any("No claims extracted" in c.value for c in at.caption)


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


def test_claim_detail_highlights_sentence_in_context(seeded):
    at = run_page("claims")
    capex_id = int(at.dataframe[0].value.set_index("metric").loc["capex", "id"])
    at.selectbox(key="claim").select(capex_id).run()
    assert at.subheader[0].value == "TSMC · capex up"
    context = next(t for t in texts(at) if "<mark>" in t)
    before, rest = context.split("<mark>")
    assert rest.startswith(_seed.CAPEX_SENTENCE + "</mark>")
    assert "outstrip supply" in before and "largest customer" in rest
    assert at.page_link[0].value == f"Open the article: {_seed.TSMC_TITLE}"


# ------------------------------------------------------------------------------------------- sources
def test_sources_shows_failing_feed_error_and_fetch_log(seeded):
    at = run_page("sources")
    assert [t.value for t in at.title] == ["Sources"]
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert _seed.FAILING_FEED in errors[0] and _seed.FAILING_ERROR in errors[0]
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


def test_feed_error_text_is_shown_literally(seeded):
    hostile = "<img src=x onerror=alert(1)> lost $5bn *today* [click](https://evil.example)"
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE feeds SET last_error = ? WHERE name = ?", [hostile, _seed.FAILING_FEED])
    error = run_page("sources").error[0].value
    assert "<img" not in error and "&lt;img src=x onerror=alert(1)&gt;" in error
    assert r"lost \$5bn \*today\* \[click\](https://evil.example)" in error


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
    at = run_page("articles")
    assert "No articles in" in at.info[0].value and "make run" in at.info[0].value
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
    _seed.seed(tmp_path / "from-config.db")
    (tmp_path / "tracker.toml").write_text('[store]\npath = "from-config.db"\n')
    monkeypatch.chdir(tmp_path)
    at = run_page("sources")
    assert _seed.FAILING_ERROR in at.error[0].value
    assert any(str(tmp_path / "from-config.db") in c.value for c in at.sidebar.caption)


def test_bad_config_is_one_clear_message(tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text('[store]\npaht = "x.db"\n')
    monkeypatch.setenv("TRACKER_CONFIG", str(bad))
    at = run_page()
    assert "unknown key 'store.paht'" in at.error[0].value


def test_board_never_writes_to_the_store(seeded):
    before = hashlib.sha256(seeded.read_bytes()).hexdigest()
    for page in PAGES:
        run_page(page)
    assert hashlib.sha256(seeded.read_bytes()).hexdigest() == before
