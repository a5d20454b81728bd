"""Issue #11: article pages come from a queue, so a pass always finishes.

A summary-only feed is stored at once from its own text; the pages are fetched after the feeds, a bounded
number per pass and per host, concurrently across hosts, and a host that does not resolve or refuses the
connection is skipped for the rest of the pass. Real loopback servers; the dead hosts are a name under
``.invalid`` (never resolves; the test network guard refuses it as the resolver would) and a closed port.
"""

from __future__ import annotations

import socket
import time

from tests._feedserver import RSS_CT, add_and_collect, articles, rss
from tracker.collect import collect
from tracker.store import feeds as feeds_q

SUMMARY = "Short teaser of the story."
BODY = ("<html><body><article>" + "<p>Samsung Electronics said memory prices rose again in the quarter, and "
        "SK Hynix shares climbed 4% as demand for high-bandwidth memory kept running ahead of supply.</p>" * 8
        + "</article></body></html>")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(httpserver, path: str, links: list[str]) -> str:
    items = [{"title": f"Story {i}", "guid": f"{path}-{i}", "description": SUMMARY, "link": link}
             for i, link in enumerate(links)]
    httpserver.expect_request(path).respond_with_data(rss(items), content_type=RSS_CT)
    return httpserver.url_for(path)


def test_a_huge_summary_only_feed_on_a_host_that_does_not_resolve_finishes_within_a_minute(
        httpserver, store, settings):
    """The issue's case: 12,000 entries linking to a host that does not resolve kept collect busy for hours."""
    dead = serve(httpserver, "/dead.xml", [f"http://news.does-not-resolve.invalid/a/{i}" for i in range(12_000)])
    for i in range(3):
        httpserver.expect_request(f"/live/{i}").respond_with_data(BODY, content_type="text/html")
    live = serve(httpserver, "/live.xml", [httpserver.url_for(f"/live/{i}") for i in range(3)])
    feeds_q.add_feed(store, dead)
    start = time.monotonic()
    report = add_and_collect(store, settings, live)
    took = time.monotonic() - start

    assert took < 60, f"the pass took {took:.0f} s"
    stored = articles(store)
    from_dead = [a for a in stored if "invalid" in a["url"]]
    assert len(from_dead) == settings.collect.max_entries_per_feed  # the feed's own cap, said in its warning
    assert all(a["text"] == SUMMARY and a["text_source"] == "summary" for a in from_dead)
    # one page of the dead host was tried, then the host was skipped; the rest stay queued for later passes
    assert sum(a["page_attempts"] for a in from_dead) == 1
    assert sum(a["page_status"] == "wanted" for a in from_dead) == len(from_dead)
    assert report.pages.hosts_down == ["news.does-not-resolve.invalid:80"]
    # the small feed's pages were fetched in the same pass, not starved by the big one
    from_live = [a for a in stored if "/live/" in a["url"]]
    assert [a["page_status"] for a in from_live] == ["fetched"] * 3
    assert all("high-bandwidth memory" in a["text"] for a in from_live)
    summary = report.summary()
    assert "3 full texts fetched" in summary and "skipped this pass: news.does-not-resolve.invalid:80" in summary
    assert f"{len(from_dead)} queued for the next pass" in summary


def test_a_refused_port_skips_that_endpoint_only_and_retries_later(httpserver, store, settings):
    port = closed_port()
    settings.collect.connect_timeout_s = 0.5
    feed = serve(httpserver, "/feed.xml", [f"http://127.0.0.1:{port}/a/{i}" for i in range(5)])
    report = add_and_collect(store, settings, feed)
    rows = articles(store)
    assert len(rows) == 5 and sum(a["page_attempts"] for a in rows) == 1
    (tried,) = [a for a in rows if a["page_attempts"] == 1]
    assert tried["page_status"] == "wanted" and "cannot connect" in tried["page_error"]
    assert tried["page_next_at"] is not None  # not before the retry delay
    assert report.pages.hosts_down == [f"127.0.0.1:{port}"] and report.pages.queued == 5

    # the next pass tries the next page (the tried one waits for its retry time), never a duplicate article
    again = collect(store, settings, all_feeds=True, progress=False)
    assert len(articles(store)) == 5 and sum(a["page_attempts"] for a in articles(store)) == 2
    assert again.new_articles == 0


def test_pages_per_pass_and_per_host_are_capped_and_the_rest_queued(httpserver, store, settings):
    for i in range(6):
        httpserver.expect_request(f"/p/{i}").respond_with_data(BODY, content_type="text/html")
    settings.collect.max_pages_per_pass = 4
    settings.collect.max_pages_per_host = 2
    settings.collect.per_host_delay_s = 0
    feed = serve(httpserver, "/feed.xml", [httpserver.url_for(f"/p/{i}") for i in range(6)])
    report = add_and_collect(store, settings, feed)
    assert report.pages.fetched == 2 and report.pages.queued == 4  # one host: its cap of 2 holds
    assert "4 queued for the next pass" in report.summary()
    collect(store, settings, all_feeds=True, progress=False)
    collect(store, settings, all_feeds=True, progress=False)
    assert [a["page_status"] for a in articles(store)] == ["fetched"] * 6
    assert len([r for r, _ in httpserver.log if r.path.startswith("/p/")]) == 6  # each page fetched once


def test_a_failing_page_is_given_up_after_its_attempts_and_keeps_the_feed_text(httpserver, store, settings,
                                                                                 monkeypatch):
    from tracker import defaults as D

    monkeypatch.setattr(D, "PAGE_RETRY_S", 0)  # retry at once, to see the limit within the test
    httpserver.expect_request("/p/0").respond_with_data("busy", status=503)
    settings.collect.per_host_delay_s = 0
    serve(httpserver, "/feed.xml", [httpserver.url_for("/p/0")])
    feeds_q.add_feed(store, httpserver.url_for("/feed.xml"))
    for _ in range(D.PAGE_MAX_ATTEMPTS + 2):
        collect(store, settings, all_feeds=True, progress=False)
    (a,) = articles(store)
    assert a["page_status"] == "failed" and a["page_attempts"] == D.PAGE_MAX_ATTEMPTS
    assert a["text"] == SUMMARY and "HTTP 503" in a["page_error"]
    assert len([r for r, _ in httpserver.log if r.path == "/p/0"]) == D.PAGE_MAX_ATTEMPTS


def test_a_page_fetched_after_extraction_makes_the_article_pending_again(httpserver, store, settings):
    """The upgraded text must be extracted again: what was extracted came from the summary."""
    from tracker.store import extractions

    state = {"up": False}

    def page(_req):
        from werkzeug import Response
        return Response(BODY, content_type="text/html") if state["up"] else Response("busy", status=503)

    httpserver.expect_request("/p/0").respond_with_handler(page)
    settings.collect.per_host_delay_s = 0
    feed = serve(httpserver, "/feed.xml", [httpserver.url_for("/p/0")])
    add_and_collect(store, settings, feed)
    (a,) = articles(store)
    extractions.save_extraction(store, a["id"], {"companies": [], "claims": [], "sectors": []}, {})
    assert extractions.pending_ids(store) == []
    store.conn.execute("UPDATE articles SET page_next_at = NULL WHERE id = ?", [a["id"]])  # due now
    store.conn.commit()
    state["up"] = True
    collect(store, settings, all_feeds=True, progress=False)
    (a,) = articles(store)
    assert a["page_status"] == "fetched" and "high-bandwidth memory" in a["text"]
    assert extractions.pending_ids(store) == [a["id"]]


def test_a_feed_on_the_internet_cannot_make_the_tracker_fetch_private_addresses(httpserver, store, settings):
    """Server-side request forgery: an article link to a loopback, private or link-local address (the cloud metadata
    service at 169.254.169.254, a router's admin page) from a feed on the internet is refused, on every hop. The
    feed here is registered under a public IP literal; its entry is stored directly (nothing public is reachable)."""
    from tracker.store import articles as articles_q

    httpserver.expect_request("/admin").respond_with_data(BODY, content_type="text/html")
    feeds_q.add_feed(store, "http://93.184.216.34/rss")
    feed_id = feeds_q.list_feeds(store)[0]["id"]
    with store.transaction() as db:  # polled a moment ago: this pass only works the page queue
        db.execute("UPDATE feeds SET next_poll_at = '2099-01-01T00:00:00Z' WHERE id = ?", [feed_id])
    for i, url in enumerate([httpserver.url_for("/admin"), "http://169.254.169.254/latest/meta-data/"]):
        articles_q.insert(store, {"feed_id": feed_id, "guid": f"g{i}", "url": url, "title": f"Story {i}",
                                  "text": SUMMARY, "content_hash": f"h{i}", "fetched_at": "2026-12-07T00:00:00Z",
                                  "page_status": "wanted"})
    report = collect(store, settings, all_feeds=False, progress=False)
    assert [r for r, _ in httpserver.log if r.path == "/admin"] == []  # never reached
    rows = articles(store)
    assert [a["page_status"] for a in rows] == ["failed", "failed"]  # refused for good, not retried
    assert all("points into a private network" in a["page_error"] and a["text"] == SUMMARY for a in rows)
    assert report.pages.failed == 2


def test_pages_of_a_local_feed_may_be_local():
    """A feed the user runs inside their own network may link to pages there: only the feed's own standing
    decides, so the loopback tests above fetch their pages."""
    from tracker.collect.page_queue import non_global

    assert non_global("127.0.0.1") and non_global("localhost") and non_global("[::1]") and non_global("10.1.2.3")
    assert non_global("169.254.169.254") and non_global("192.168.1.1")
    assert not non_global("93.184.216.34") and not non_global("2606:4700::1111")
    assert not non_global("news.does-not-resolve.invalid")  # no address: the fetch fails on its own
