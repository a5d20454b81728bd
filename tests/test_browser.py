"""The board in a real browser: `streamlit run app.py` on a free loopback port over the evaluated fixture store,
driven by Debian's Chromium through Playwright. Each page is opened and what a user sees is asserted; a
screenshot of each lands in test-output/ (gitignored). The security test feeds a hostile article through every
page (issue #13) and asserts it shows inert and that the browser asks no host but 127.0.0.1."""

from __future__ import annotations

import re
import sqlite3
import shutil
from urllib.parse import urlsplit

import pytest

from tests import _board_seed as B
from tests import _seed
from tests._board_fixtures import board_template  # noqa: F401
from tests._browser import CHROMIUM, OUTPUT, browser, serve, settle

pytestmark = pytest.mark.browser

HOST = "tracker.example"  # named by the hostile article: the browser must never ask it for anything
TITLE = f"![pixel](http://{HOST}/pixel.png) [click](javascript:alert(1)) <img src=http://{HOST}/t.png> :red[FAKE]"
AUTHOR = f"<img src=http://{HOST}/author.png onerror=alert(2)> **bold author**"
SOURCE = f"[source](data:text/html,<script>alert(3)</script>) ![s](http://{HOST}/source.png)"
SUBJECT = f"Sony <img src=http://{HOST}/subject.png> ![x](http://{HOST}/subject2.png)"
SENTENCE = f"Sony will raise console prices by 10% next year ![s](http://{HOST}/sentence.png)."
TEXT = (f"{SENTENCE} <script>fetch('http://{HOST}/script')</script> <iframe src=http://{HOST}/frame></iframe> "
        f"[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) $\\href{{http://{HOST}/tex}}{{x}}$ "
        f"<a href='javascript:alert(4)'>js</a> <style>body{{background:url(http://{HOST}/bg.png)}}</style> "
        f"http://{HOST}/bare")
URL = "javascript:alert(document.domain)"
FEED = f"<img src=http://{HOST}/feed.png> [feed](javascript:alert(5))"


@pytest.fixture
def store(board_template, tmp_path):
    db = tmp_path / "board.db"
    shutil.copyfile(board_template, db)
    return db


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
                    "`make test` does this when run as root)")
    pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    OUTPUT.mkdir(exist_ok=True)
    with browser() as p:
        yield p


def shot(page, name: str) -> None:
    settle(page)
    page.screenshot(path=OUTPUT / f"{name}.png", full_page=True)


# ----------------------------------------------------------------------------------------- every page
def test_every_page_in_a_real_browser(page, store, tmp_path):
    with sqlite3.connect(store) as conn:  # two article pages still queued for full text, one given up (issue #11)
        conn.execute("UPDATE articles SET page_status = 'wanted' WHERE id IN (1, 4)")
        conn.execute("UPDATE articles SET page_status = 'failed', page_error = 'HTTP 404' WHERE id = 2")
    conn.close()
    with serve(store, tmp_path) as url:
        page.goto(url)
        page.get_by_role("heading", name="Theses").wait_for()
        page.get_by_text(B.RELIANCE_TITLE).first.wait_for()
        settle(page)
        assert page.get_by_text("1 broken", exact=False).first.is_visible()
        badges = page.locator(".stMarkdownBadge")  # each status in colour and in words
        assert {re.sub(r"^\S+ ", "", b) for b in badges.all_inner_texts()} >= {"broken", "weakening", "holding",
                                                                                "unknown"}
        assert page.locator('[data-testid="stMetric"]').count() >= 4 + 7  # headline counts and sparklines
        shot(page, "theses")

        page.get_by_role("link", name=B.RELIANCE_TITLE).first.click()
        page.get_by_role("heading", name=B.RELIANCE_TITLE).wait_for()
        assert "/thesis?id=" in page.url
        shot(page, "thesis")

        page.locator('a[href*="claim?id=6"]').first.click()
        page.get_by_role("heading", name="Reliance Industries · relative return outperform").wait_for()
        mark = page.locator("mark").first
        assert mark.inner_text() == B.RELIANCE_SENTENCE and mark.is_visible()
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        chart.wait_for()
        assert chart.locator("canvas, svg").count() >= 1
        assert "/claim?id=6" in page.url  # the address alerts point to
        shot(page, "claim")

        page.goto(f"{url}/search")
        page.get_by_role("heading", name="Search").wait_for()
        settle(page)
        page.get_by_label("Company").fill("Samsung")
        page.get_by_label("Company").press("Enter")
        page.get_by_role("heading", name="2 articles").wait_for()
        settle(page)
        assert page.get_by_role("link", name=B.PAST_TITLE).is_visible()
        assert page.locator("mark", has_text="Samsung Electronics").first.is_visible()
        shot(page, "search")

        page.get_by_role("link", name=B.PAST_TITLE).click()
        page.get_by_role("heading", name=B.PAST_TITLE).wait_for()
        assert "/article?id=9" in page.url
        shot(page, "article")

        page.goto(f"{url}/?article=4")  # the old deep link
        page.get_by_role("heading", name=_seed.SONY_TITLE).wait_for()

        page.goto(f"{url}/alerts")
        page.get_by_role("heading", name="Alerts").wait_for()
        page.get_by_text("Claim reversed: Reliance Industries (RELIANCE.NS)", exact=False).first.wait_for()
        shot(page, "alerts")
        assert B.SECRET not in page.content()

        page.goto(f"{url}/sources")
        page.get_by_text("3 consecutive failures", exact=False).wait_for()
        page.get_by_role("button", name="Collect now").wait_for()
        page.get_by_text("2 article pages queued", exact=False).wait_for()
        assert page.get_by_text("1 given up after failing", exact=False).is_visible()
        shot(page, "sources")


# ------------------------------------------------------------------------------------------- security
def add_hostile_article(db) -> int:
    """A hostile feed and article with a claim (broken, with an alert) written through the store functions."""
    from tracker.store import alerts as aq
    from tracker.store import extractions as xq
    from tracker.store import open_store
    from tracker.store import status as sq
    from tracker.store import theses as tq
    from tracker.nlp.article_vectors import backfill

    store = open_store(db)
    try:
        with store.transaction() as d:
            feed = d.execute("INSERT INTO feeds (url, name, kind, added_at, last_outcome, last_error, error_count) "
                             "VALUES (?, ?, 'feed', '2026-11-01T00:00:00Z', 'error', ?, 2)",
                             [f"http://{HOST}/feed.xml", FEED, TITLE]).lastrowid
            story = d.execute("INSERT INTO stories (title, created_at) VALUES (?, '2026-12-03T00:00:00Z')",
                              [TITLE]).lastrowid
            article = d.execute(
                "INSERT INTO articles (story_id, feed_id, source_name, url, title, author, published_at, fetched_at, "
                "summary, text, content_hash, is_duplicate) VALUES (?, ?, ?, ?, ?, ?, '2026-12-03T08:00:00Z', "
                "'2026-12-03T09:00:00Z', ?, ?, 'hostile', 0)",
                [story, feed, SOURCE, URL, TITLE, AUTHOR, TEXT, TEXT]).lastrowid
        body = f"{TITLE}\n\n{TEXT}"
        at = body.index(SENTENCE)
        xq.save_extraction(store, article, {
            "companies": [{"name": "Sony", "canonical": "Sony", "ticker": "6758.T", "company_key": "sony",
                           "start": at, "end": at + 4, "confidence": 0.9}],
            "sectors": [{"sector": "consumer", "confidence": 0.8}],
            "claims": [{"sentence": SENTENCE, "start": at, "end": at + len(SENTENCE), "subject": SUBJECT,
                        "subject_norm": "sony", "subject_ticker": "6758.T", "metric": "price_return",
                        "direction": "up", "magnitude": "10%", "horizon": "next year", "confidence": 0.9}]},
            {"test": "1"})
        claim = store.conn.execute("SELECT id FROM claims WHERE article_id = ?", [article]).fetchone()[0]
        sq.save_claim_statuses(store, [(claim, {"status": "broken", "score": -0.9, "provider": "csv",
                                                "reason": f"fell ![r](http://{HOST}/reason.png)"}, "2026-12-04")])
        tq.sync_article_theses(store)
        thesis = store.conn.execute("SELECT id FROM theses WHERE article_id = ?", [article]).fetchone()[0]
        tq.save_statuses(store, [(thesis, "broken", -0.9, {"broken": 1})], "2026-12-04")
        with store.transaction():
            aq.insert_alert(store.conn, {"dedup_key": f"claim:{claim}:reversed:1", "claim_id": claim,
                                         "kind": "reversed", "title": f"Claim reversed: {SUBJECT}",
                                         "message": f'"{SENTENCE}" Source: {TITLE} <{URL}>', "as_of": "2026-12-04"},
                            [("hostilechannel", f"json://{HOST}/hook")])
        backfill(store)
        return claim
    finally:
        store.close()


def assert_inert(page, where: str) -> None:
    """Nothing from the hostile article became markup: no image, frame or script from its host, no link that is
    not http(s), and its Markdown shows as the characters it is."""
    assert page.locator(f'img[src*="{HOST}"], iframe[src*="{HOST}"], script[src*="{HOST}"]').count() == 0, where
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs), (where, hrefs)
    assert not [h for h in hrefs if urlsplit(h).hostname == HOST and "feed.xml" not in h], (where, hrefs)


def test_hostile_article_shows_inert_and_no_request_leaves_loopback(page, store, tmp_path):
    claim = add_hostile_article(store)
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    literal = "[click](javascript:alert(1))"
    with serve(store, tmp_path) as url:
        visits = [("theses", "/", literal), ("thesis", None, literal), ("claim", f"/claim?id={claim}", "![s](http"),
                  ("article", None, literal), ("alerts", "/alerts", "Claim reversed: Sony"),
                  ("sources", "/sources", "[feed](javascript:alert(5))"), ("claims", "/claims", "Claims"),
                  ("companies", "/companies", "Companies")]
        for name, path, visible in visits:
            if name == "thesis":
                page.get_by_role("link", name=re.compile(re.escape("![pixel]"))).first.click()
            elif name == "article":
                page.get_by_role("link", name=re.compile(re.escape("![pixel]"))).first.click()
            else:
                page.goto(url + path)
            page.get_by_text(visible, exact=False).first.wait_for()
            settle(page)
            assert_inert(page, name)
            shot(page, f"hostile-{name}")
        page.goto(f"{url}/search")
        page.get_by_role("heading", name="Search").wait_for()
        page.get_by_label("Company").fill("Sony")
        page.get_by_label("Company").press("Enter")
        page.locator("mark", has_text="Sony").first.wait_for()
        settle(page)
        assert page.get_by_text(literal, exact=False).first.is_visible()
        assert_inert(page, "search")
        shot(page, "hostile-search")
    assert page.get_by_text("FAKE", exact=False).count() >= 0  # shown as text, never as a red badge
    assert dialogs == []
    hosts = {urlsplit(u).hostname for u in requests}
    assert hosts == {"127.0.0.1"}, sorted(u for u in requests if urlsplit(u).hostname != "127.0.0.1")
