"""De-duplication tiers (GUID, canonical URL, content hash, near-duplicate text) and atomic article writes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests._feedserver import RSS_CT, articles, feed_row, rss
from tracker.collect import collect
from tracker.collect.dedupe import canonical_url, content_hash, from_blob, minhash, to_blob
from tracker.store import feeds as feeds_q
from tracker.timeutil import now

WIRE = ("Samsung Electronics said on Tuesday that operating profit in its memory division more than doubled "
        "from a year earlier as prices for high-bandwidth memory used in artificial intelligence servers kept "
        "rising. The company, the world's largest maker of memory chips, said demand from data-centre customers "
        "remained strong and that it expected supply of advanced chips to stay tight into next year. Shares of "
        "the Suwon-based group have gained about a fifth since January, lagging rival SK Hynix, which moved "
        "earlier to supply Nvidia. Analysts said the results eased worries that the company had fallen behind in "
        "the race for the most advanced products, although competition from Micron Technology is intensifying.")
OTHER = ("Toyota Motor cut its full-year profit forecast after a stronger yen and higher material costs squeezed "
         "margins in the quarter. The carmaker said its operating margin fell to 9.1 percent from 11 percent a "
         "year earlier, while hybrid sales continued to grow strongly in North America and Europe. Executives "
         "said they would keep investing in batteries and software despite the weaker outlook, and the company "
         "reaffirmed plans to buy back shares worth up to one trillion yen over the coming year, which analysts "
         "welcomed as a sign of confidence in cash generation even as tariffs cloud the export picture.")


@pytest.mark.parametrize("raw,expected", [
    ("HTTPS://Example.COM:443/a/b/?utm_source=x&utm_medium=rss&id=7#frag", "https://example.com/a/b?id=7"),
    ("http://example.com:80/", "http://example.com"),
    ("http://example.com:8080/x/", "http://example.com:8080/x"),
    ("https://example.com/p?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&q=a+b", "https://example.com/p?q=a+b"),
    ("https://example.com/p?b=2&a=1", "https://example.com/p?b=2&a=1"),  # content parameters kept, in order
    (None, None),
])
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_content_hash_ignores_case_spacing_and_punctuation():
    assert content_hash("Toyota: margin", "Fell to 9.1%!") == content_hash("toyota margin", "fell  to 9 1")
    assert content_hash("Toyota margin", "fell") != content_hash("Toyota margin", "rose")


def test_minhash_needs_enough_words_and_round_trips():
    assert minhash("too short to compare") is None
    m = minhash(WIRE)
    assert from_blob(to_blob(m)).jaccard(m) == 1.0


@pytest.fixture
def feeds(httpserver, store, settings):
    """feeds(path, items, title): serve an RSS feed at path and register it. Full-text fetching is off."""
    settings.collect.fetch_full_text = False

    def serve(path, items, title="Feed"):
        httpserver.expect_request(path).respond_with_data(rss(items, title), content_type=RSS_CT)
        url = httpserver.url_for(path)
        feeds_q.add_feed(store, url)
        return url

    return serve


def run(store, settings):
    return collect(store, settings, all_feeds=True, progress=False)


def test_rerunning_collect_adds_nothing(feeds, store, settings):
    feeds("/a", [{"title": "One", "guid": "1", "link": "http://example.test/1", "description": WIRE},
                 {"title": "Two", "link": "http://example.test/2", "description": OTHER},
                 {"title": "Three, no link or guid", "description": "Short words only."}])
    first = run(store, settings)
    assert first.new_articles == 3
    counts = (store.db["articles"].count, store.db["stories"].count)
    again = run(store, settings)
    assert (again.new_articles, again.duplicates) == (0, 0)
    assert (store.db["articles"].count, store.db["stories"].count) == counts == (3, 3)


def test_same_guid_in_a_feed_is_one_article_even_when_edited(httpserver, feeds, store, settings):
    url = feeds("/a", [{"title": "Draft", "guid": "g1", "description": "First version."}])
    run(store, settings)
    httpserver.clear()
    feeds("/a", [{"title": "Final headline", "guid": "g1", "description": "Edited version."}])
    assert run(store, settings).new_articles == 0
    assert [a["title"] for a in articles(store)] == ["Draft"]
    assert feed_row(store, url)["last_outcome"] == "ok"


def test_same_canonical_url_in_two_feeds_is_one_story_with_two_sources(feeds, store, settings):
    a = feeds("/a", [{"title": "Memory boom", "guid": "x", "link": "https://News.test/story/1/?utm_source=a",
                      "description": "Short."}], "Feed A")
    b = feeds("/b", [{"title": "Memory boom (copy)", "guid": "y", "link": "https://news.test/story/1#top",
                      "description": "Short too."}], "Feed B")
    report = run(store, settings)
    assert (report.new_articles, report.duplicates) == (1, 1)
    rows = articles(store)
    assert {r["canonical_url"] for r in rows} == {"https://news.test/story/1"}
    assert rows[0]["story_id"] == rows[1]["story_id"]
    assert [(r["feed_id"], r["is_duplicate"]) for r in rows] == [
        (feed_row(store, a)["id"], 0), (feed_row(store, b)["id"], 1)]


def test_rerun_adds_nothing_when_copies_have_no_guid(feeds, store, settings):
    """Regression guard: the second feed's copy (same URL, same text, no GUID) must be recognised as its own
    on the next pass, not matched to the first feed's article and stored again."""
    feeds("/a", [{"title": "Wire", "link": "http://news.test/w", "description": "Words."},
                 {"title": "Hash only", "description": "Same words everywhere."}])
    feeds("/b", [{"title": "Wire", "link": "http://news.test/w?utm_medium=b", "description": "Words."},
                 {"title": "Hash only", "description": "Same words everywhere."}])
    run(store, settings)
    assert store.db["articles"].count == 4 and store.db["stories"].count == 2
    again = run(store, settings)
    assert (again.new_articles, again.duplicates) == (0, 0) and store.db["articles"].count == 4


def test_same_content_without_links_is_matched_by_hash(feeds, store, settings):
    feeds("/a", [{"title": "Yen slides", "description": "The yen fell past 150."}])
    feeds("/b", [{"title": "YEN SLIDES", "description": "The yen fell past 150!"}])
    run(store, settings)
    rows = articles(store)
    assert len({r["content_hash"] for r in rows}) == 1
    assert [r["is_duplicate"] for r in rows] == [0, 1] and rows[0]["story_id"] == rows[1]["story_id"]


def test_syndicated_near_duplicates_collapse_into_one_story(feeds, store, settings):
    feeds("/wire", [{"title": "Samsung memory profit doubles", "guid": "w1", "link": "http://wire.test/1",
                     "description": WIRE},
                    {"title": "Toyota cuts forecast", "guid": "w2", "link": "http://wire.test/2", "description": OTHER}])
    feeds("/paper", [{"title": "Samsung's chip profit doubles on AI demand", "guid": "p1",
                      "link": "http://paper.test/samsung",
                      "description": "SEOUL (Paper) - " + WIRE.replace("on Tuesday", "on Tuesday in a filing")}])
    report = run(store, settings)
    assert (report.new_articles, report.duplicates) == (2, 1)
    rows = {r["guid"]: r for r in articles(store)}
    assert rows["p1"]["story_id"] == rows["w1"]["story_id"] != rows["w2"]["story_id"]
    assert rows["p1"]["is_duplicate"] == 1 and rows["w1"]["is_duplicate"] == 0
    assert all(r["minhash"] for r in rows.values())
    assert store.db["stories"].count == 2


def test_near_duplicates_outside_the_window_stay_separate(feeds, store, settings):
    feeds("/old", [{"title": "Old wire", "guid": "o", "description": WIRE,
                    "pubDate": (now() - timedelta(days=60)).strftime("%a, %d %b %Y %H:%M:%S GMT")}])
    run(store, settings)
    feeds("/new", [{"title": "New wire", "guid": "n", "description": "Today: " + WIRE}])
    settings.collect.near_dup_window_days = 30
    run(store, settings)
    assert store.db["stories"].count == 2


def test_article_and_story_are_written_in_one_transaction(feeds, store, settings):
    """Regression guard: an error while writing an article leaves no orphan story and no partial rows;
    the feed records it and keeps the other entries."""
    store.conn.execute("CREATE TRIGGER fail_article BEFORE INSERT ON articles WHEN NEW.title = 'Poison' "
                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    url = feeds("/a", [{"title": "Fine", "guid": "1", "description": "Fine words."},
                       {"title": "Poison", "guid": "2", "description": "Breaks midway."},
                       {"title": "Also fine", "guid": "3", "description": "More words."}])
    report = run(store, settings)
    assert [a["title"] for a in articles(store)] == ["Fine", "Also fine"]
    assert store.db["stories"].count == 2  # no story left behind by the failed article
    assert store.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'breaks'").fetchone()[0] == 0
    feed = feed_row(store, url)
    assert feed["last_outcome"] == "partial" and "injected failure" in feed["last_error"]
    assert report.new_articles == 2
    store.conn.execute("DROP TRIGGER fail_article")
    assert run(store, settings).new_articles == 1  # retried next time: nothing was half-written
