"""The Search page over the evaluated fixture store: by company (suggestions from the securities master, every
article that mentions the company through its extracted mentions, the mention highlighted, the article's claims
with their statuses), by words, and by similar meaning (MiniLM vectors searched with numpy)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tests import _board_seed as B
from tests import _seed
from tests._board_fixtures import board_db, board_template, page_links, run_page, texts  # noqa: F401
from tracker.ui.components import md


def search(mode: str, text: str):
    at = run_page("search")
    at.segmented_control(key="mode").set_value(mode).run()
    at.text_input(key=f"q_{mode}").input(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at) -> list[str]:
    return [label for label, page, _ in page_links(at) if page == "article"]


@pytest.mark.parametrize("typed, company", [
    ("Samsung", "Samsung Electronics Co., Ltd. (005930.KS)"),  # an alias
    ("005930", "Samsung Electronics Co., Ltd. (005930.KS)"),  # a bare code
    ("tsm", "Taiwan Semiconductor Manufacturing Company Limited (2330.TW)"),  # the ADR's ticker: the home listing
    ("taiwan semi", "Taiwan Semiconductor Manufacturing Company Limited (2330.TW)"),  # the start of an alias
    ("NYSE: TSM", "Taiwan Semiconductor Manufacturing Company Limited (2330.TW)"),
])
def test_company_suggestions_come_from_the_master(board_db, typed, company):
    at = search("Company", typed)
    box = at.selectbox(key="company")
    assert box.format_func(box.value).startswith(company)


def test_company_search_lists_every_article_that_mentions_it_newest_first(board_db):
    at = search("Company", "Samsung")
    box = at.selectbox(key="company")
    assert box.format_func(box.value) == "Samsung Electronics Co., Ltd. (005930.KS) · 2 articles"
    assert titles(at) == [md(B.PAST_TITLE), md(_seed.ARTICLES[2]["title"])]
    assert at.subheader[0].value == "2 articles"
    marks = [t for t in texts(at) if "<mark>" in t]
    assert marks[0].startswith(md(B.PAST_TITLE)) and "<mark>Samsung Electronics</mark> shares have risen" in marks[0]
    assert "Shares of <mark>Samsung Electronics</mark> and SK hynix rose" in marks[1]
    claims = [t for t in texts(at) if t.startswith(":")]
    assert claims[0].startswith(":green-badge[:material/check_circle: holding] **Samsung Electronics** price return up")
    # the SK hynix article's claim (about another company) is still listed, with its own status and sample flag
    assert any(t.startswith(":green-badge") and "**SK hynix**" in t and "SAMPLE DATA" in t for t in claims)


def test_company_search_is_entity_aware_not_keyword(board_db):
    """'Hynix' is only an alias (a former name) in the master; the article says 'SK hynix' and is found through
    its mention, while an article that merely contains the word elsewhere would not be."""
    at = search("Company", "Hynix")
    assert titles(at) == [md(_seed.ARTICLES[2]["title"])]
    assert any("<mark>SK hynix</mark>" in t for t in texts(at))


def test_company_search_filters(board_db):
    at = search("Company", "Samsung")
    at.date_input(key="date_to").set_value(date(2026, 11, 25)).run()
    assert titles(at) == [md(_seed.ARTICLES[2]["title"])]
    at.date_input(key="date_to").set_value(None).run()
    at.multiselect(key="sources").select("Nikkei Asia Markets").run()
    assert titles(at) == [] and "No article mentions this company" in at.info[0].value


def test_unknown_company_says_so(board_db):
    at = search("Company", "Nonexistent Holdings")
    assert "No company in the securities master" in at.info[0].value


def test_words_search_as_before(board_db):
    at = search("Words", "yen")
    assert titles(at) == [md(_seed.SONY_TITLE)]


def test_similar_meaning_search_ranks_by_meaning(board_db):
    at = search("Similar meaning", "central bank interest rate decisions and bank lending margins")
    found = titles(at)
    assert found[0] == md("Japan's megabanks gain on bets of a BOJ rate hike")  # shares no word with the query
    assert len(found) == 8  # every story (9 articles, one a syndicated copy), ranked
    sims = [float(t.rsplit("similarity ", 1)[1]) for t in texts(at) if "similarity " in t]
    assert sims == sorted(sims, reverse=True) and sims[0] > 0.3
    at.selectbox(key="sector").select("semiconductors").run()
    assert set(titles(at)) == {md(_seed.TSMC_TITLE), md(_seed.ARTICLES[2]["title"]), md(B.PAST_TITLE)}


def test_similar_meaning_sees_new_vectors_without_a_restart(board_db):
    """The board keeps the vectors as one matrix; it reloads them when the store's vectors change."""
    search("Similar meaning", "chip demand")
    with sqlite3.connect(board_db) as conn:
        conn.execute("DELETE FROM article_vectors WHERE article_id = 8")
    at = search("Similar meaning", "central bank interest rate decisions and bank lending margins")
    assert md("Japan's megabanks gain on bets of a BOJ rate hike") not in titles(at)


def test_article_page_lists_similar_articles(board_db):
    at = run_page("article", {"id": "3"})  # Samsung and SK hynix rally
    similar = at.subheader[-1]
    assert similar.value == "Similar in meaning"
    assert md(B.PAST_TITLE) in titles(at)[:3]  # the other Korean memory-chip story is among the nearest
