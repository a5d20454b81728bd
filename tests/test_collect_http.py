"""Fetching against real loopback servers: conditional GET, redirects, timeouts, Retry-After, backoff,
compression, size caps, politeness. Every test asserts what the feed row and the fetch log hold."""

from __future__ import annotations

import gzip
import socket
import threading
import time

import brotli
import pytest
from werkzeug import Request, Response

from tests._feedserver import RSS_CT, add_and_collect, articles, feed_row, http_date, rss
from tracker.collect import collect
from tracker.net import retry_after_seconds
from tracker.store import feeds as feeds_q
from tracker.timeutil import now, parse_iso

BODY = rss([{"title": "Toyota margin", "guid": "t1", "description": "Operating margin fell to 9.1%."},
            {"title": "Sony forecast", "guid": "s1", "description": "Sony raised its forecast."}])


def seconds_from_now(iso_text: str) -> float:
    return (parse_iso(iso_text) - now()).total_seconds()


def fetch_log(store, url):
    return feeds_q.fetch_log(store, feed_row(store, url)["id"])


def test_conditional_get_304_costs_no_parsing(httpserver, store, settings):
    def handler(req: Request) -> Response:
        if req.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(BODY, headers={"Content-Type": RSS_CT, "ETag": '"v1"',
                                       "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"})

    httpserver.expect_request("/feed").respond_with_handler(handler)
    url = httpserver.url_for("/feed")
    add_and_collect(store, settings, url)
    feed = feed_row(store, url)
    assert (feed["etag"], feed["last_modified"]) == ('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT")
    report = collect(store, settings, all_feeds=True, progress=False)
    assert report.feeds_not_modified == 1 and report.new_articles == 0
    second = httpserver.log[-1][0]
    assert second.headers["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    feed = feed_row(store, url)
    assert (feed["last_status"], feed["last_outcome"], feed["error_count"]) == (304, "not_modified", 0)
    assert feed["etag"] == '"v1"'  # kept across the 304
    log = fetch_log(store, url)
    assert [(f["status"], f["outcome"], f["entries_seen"], f["bytes"]) for f in log] == [
        (200, "ok", 2, len(BODY)), (304, "not_modified", 0, 0)]
    assert len(articles(store)) == 2


def test_user_agent_and_accept_encoding_sent(httpserver, store, settings):
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    add_and_collect(store, settings, httpserver.url_for("/feed"))
    req = httpserver.log[0][0]
    assert req.headers["User-Agent"] == settings.collect.user_agent
    assert {"gzip", "br"} <= {x.strip() for x in req.headers["Accept-Encoding"].split(",")}


@pytest.mark.parametrize("encoding,compress", [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compressed_bodies_are_decoded(httpserver, store, settings, encoding, compress):
    httpserver.expect_request("/feed").respond_with_response(
        Response(compress(BODY), headers={"Content-Type": RSS_CT, "Content-Encoding": encoding}))
    url = httpserver.url_for("/feed")
    add_and_collect(store, settings, url)
    assert feed_row(store, url)["last_outcome"] == "ok"
    assert [a["title"] for a in articles(store)] == ["Toyota margin", "Sony forecast"]
    assert fetch_log(store, url)[0]["bytes"] == len(BODY)  # decompressed size


def test_size_cap_counts_the_decompressed_body(httpserver, store, settings):
    """Regression guard: a gzip bomb (small on the wire, huge decompressed) is stopped at the cap."""
    big = rss([{"title": f"t{i}", "guid": str(i), "description": "x" * 1000} for i in range(200)])
    wire = gzip.compress(big)
    settings.collect.max_feed_bytes = 20_000
    assert len(wire) < settings.collect.max_feed_bytes < len(big)
    httpserver.expect_request("/feed").respond_with_response(
        Response(wire, headers={"Content-Type": RSS_CT, "Content-Encoding": "gzip"}))
    url = httpserver.url_for("/feed")
    add_and_collect(store, settings, url)
    feed = feed_row(store, url)
    assert feed["last_outcome"] == "error" and "larger than the cap of 20000 bytes" in feed["last_error"]
    assert articles(store) == []


def test_redirects_followed_and_limited(httpserver, store, settings):
    httpserver.expect_request("/old").respond_with_response(Response(status=301, headers={"Location": "/feed"}))
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    httpserver.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    settings.collect.max_redirects = 3
    old, loop = httpserver.url_for("/old"), httpserver.url_for("/loop")
    feeds_q.add_feed(store, old)
    add_and_collect(store, settings, loop)
    assert feed_row(store, old)["last_outcome"] == "ok" and len(articles(store)) == 2
    looped = feed_row(store, loop)
    assert looped["last_outcome"] == "error" and "more than 3 redirects" in looped["last_error"]
    assert sum(1 for req, _ in httpserver.log if req.path == "/loop") == 4  # first try + 3 redirects


@pytest.fixture
def release():
    """Set at the end of a test so a deliberately slow handler returns and frees the (single-threaded) server."""
    done = threading.Event()
    yield done
    done.set()


def test_slow_server_read_timeout(httpserver, store, settings, release):
    def slow(req):
        release.wait(1.0)
        return Response(BODY, headers={"Content-Type": RSS_CT})

    httpserver.expect_request("/feed").respond_with_handler(slow)
    settings.collect.read_timeout_s = 0.3
    url = httpserver.url_for("/feed")
    t0 = time.monotonic()
    add_and_collect(store, settings, url)
    assert time.monotonic() - t0 < 0.9
    feed = feed_row(store, url)
    assert feed["last_outcome"] == "error" and "read timeout" in feed["last_error"]
    assert feed["last_status"] is None and feed["error_count"] == 1


def test_total_timeout_stops_a_trickling_body(httpserver, store, settings, release):
    """Each chunk arrives within the read timeout, but the whole download takes too long."""
    def trickle(req):
        def chunks():
            yield BODY[:50]
            for _ in range(20):
                if release.wait(0.1):
                    return
                yield b" "
            yield BODY[50:]
        return Response(chunks(), headers={"Content-Type": RSS_CT})

    httpserver.expect_request("/feed").respond_with_handler(trickle)
    settings.collect.read_timeout_s = 0.5
    settings.collect.total_timeout_s = 0.6
    url = httpserver.url_for("/feed")
    t0 = time.monotonic()
    add_and_collect(store, settings, url)
    assert time.monotonic() - t0 < 1.5
    feed = feed_row(store, url)
    assert feed["last_outcome"] == "error" and "total timeout of 0.6 s" in feed["last_error"]


def test_connection_refused_is_recorded(store, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    url = f"http://127.0.0.1:{port}/feed"
    settings.collect.connect_timeout_s = 0.5
    report = add_and_collect(store, settings, url)
    feed = feed_row(store, url)
    assert report.feeds_failed == 1 and feed["last_outcome"] == "error"
    assert "ConnectError" in feed["last_error"] and url in feed["last_error"]


def test_retry_after_seconds_honoured_for_the_whole_host(httpserver, store, settings):
    httpserver.expect_request("/busy").respond_with_response(Response("slow down", status=429,
                                                                      headers={"Retry-After": "120"}))
    httpserver.expect_request("/other").respond_with_data(BODY, content_type=RSS_CT)
    busy, other = httpserver.url_for("/busy"), httpserver.url_for("/other")
    other_host = other.replace("localhost", "127.0.0.1") if "localhost" in other else other.replace("127.0.0.1", "localhost")
    for u in (busy, other, other_host):
        feeds_q.add_feed(store, u)
    report = collect(store, settings, all_feeds=True, progress=False)
    feed = feed_row(store, busy)
    assert feed["last_status"] == 429 and "retry after 120 s" in feed["last_error"]
    assert 110 < seconds_from_now(feed["retry_after_until"]) <= 120
    assert seconds_from_now(feed["next_poll_at"]) >= 110
    # The same host's other feed was skipped in this pass; the other host name was fetched.
    assert feed_row(store, other)["last_fetched_at"] is None
    assert feed_row(store, other_host)["last_outcome"] == "ok"
    assert report.feeds_skipped == 1
    # Next pass, even with --all: the host is still waiting, so nothing is requested from it
    # (the 429 feed is not due; its neighbour is skipped).
    before = len(httpserver.log)
    report = collect(store, settings, all_feeds=True, progress=False)
    assert report.feeds_skipped == 1
    assert [r.headers["Host"].split(":")[0] for r, _ in httpserver.log[before:]] == [other_host.split("/")[2].split(":")[0]]


def test_retry_after_http_date_on_503(httpserver, store, settings):
    httpserver.expect_request("/feed").respond_with_response(
        Response("maintenance", status=503, headers={"Retry-After": http_date(600)}))
    url = httpserver.url_for("/feed")
    add_and_collect(store, settings, url)
    feed = feed_row(store, url)
    assert feed["last_status"] == 503 and feed["last_outcome"] == "error"
    assert 590 < seconds_from_now(feed["retry_after_until"]) <= 600


def test_retry_after_parsing():
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds(http_date(-60)) == 0  # a date in the past: retry now
    assert retry_after_seconds("99999999999") == 7 * 24 * 3600  # clamped


def test_failing_feed_backs_off_exponentially_to_a_cap_and_is_always_retried(httpserver, store, settings):
    httpserver.expect_request("/feed").respond_with_data("boom", status=500)
    settings.collect.backoff_base_s = 60
    settings.collect.backoff_cap_s = 200
    url = httpserver.url_for("/feed")
    feeds_q.add_feed(store, url)
    waits = []
    for _ in range(4):
        collect(store, settings, all_feeds=True, progress=False)
        feed = feed_row(store, url)
        waits.append(round(seconds_from_now(feed["next_poll_at"]) / 10) * 10)
    assert waits == [60, 120, 200, 200]
    assert feed["error_count"] == 4 and feed["active"] == 1
    assert feed["last_error"] == f"HTTP 500 from {url}"
    # Not due now (backing off) ...
    assert collect(store, settings, progress=False).feeds_failed == 0
    # ... and once the server recovers, the next try succeeds and resets the count.
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    collect(store, settings, all_feeds=True, progress=False)
    feed = feed_row(store, url)
    assert (feed["error_count"], feed["last_outcome"], feed["last_error"]) == (0, "ok", None)
    assert 1790 < seconds_from_now(feed["next_poll_at"]) <= 1800
    assert [f["outcome"] for f in fetch_log(store, url)] == ["error"] * 4 + ["ok"]


def test_only_due_feeds_are_fetched_without_all(httpserver, store, settings):
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    add_and_collect(store, settings, httpserver.url_for("/feed"))
    report = collect(store, settings, progress=False)
    assert report.feeds_fetched == 0 and len(httpserver.log) == 1


def test_per_host_delay_between_requests(httpserver, store, settings):
    stamps = []

    def handler(req):
        stamps.append(time.monotonic())
        return Response(BODY, headers={"Content-Type": RSS_CT})

    for path in ("/a", "/b", "/c"):
        httpserver.expect_request(path).respond_with_handler(handler)
        feeds_q.add_feed(store, httpserver.url_for(path))
    settings.collect.per_host_delay_s = 0.25
    collect(store, settings, all_feeds=True, progress=False)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(stamps) == 3 and min(gaps) >= 0.24
