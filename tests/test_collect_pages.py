"""Full article text when a feed carries only a summary: feed content, then JSON-LD articleBody, then
trafilatura on the page (fetched with httpx from a real loopback server). A page failure keeps the summary."""

from __future__ import annotations

import json

from tests._feedserver import RSS_CT, add_and_collect, articles, feed_row, rss
from tracker.collect.pages import html_to_text, jsonld_article_body

PARAGRAPHS = [
    "Taiwan Semiconductor Manufacturing raised its capital spending plan for the year, saying demand for "
    "advanced packaging used in AI accelerators continued to exceed its capacity.",
    "The chipmaker, listed as 2330.TW in Taipei and as TSM in New York, said revenue from high-performance "
    "computing rose to more than half of the total for the first time in the quarter.",
    "Executives told analysts that gross margin should stay above 53 percent even as new overseas plants "
    "in Arizona and Kumamoto add costs, because pricing for the newest nodes has held up well.",
    "Investors had worried that customers were building inventory ahead of tariffs; management said it saw "
    "no sign of that and expected another year of growth in the high twenties in dollar terms.",
]
LONG = " ".join(PARAGRAPHS)


def page(body_html: str, jsonld: object | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld is not None else ""
    return (f"<!DOCTYPE html><html><head><title>TSMC raises capex</title>{script}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav><article><h1>TSMC raises capex</h1>"
            f"{body_html}</article><footer>Copyright Example Media</footer></body></html>")


def serve_feed(httpserver, link_path: str | None, **item):
    item = {"title": "TSMC raises capex", "guid": "tsmc-1", "description": "TSMC lifts spending.", **item}
    if link_path:
        item["link"] = httpserver.url_for(link_path)
    httpserver.expect_request("/feed").respond_with_data(rss([item]), content_type=RSS_CT)
    return httpserver.url_for("/feed")


def page_requests(httpserver, path="/story"):
    return [r for r, _ in httpserver.log if r.path == path]


def test_long_feed_content_is_used_without_fetching_the_page(httpserver, store, settings):
    url = serve_feed(httpserver, "/story", content="<p>" + "</p><p>".join(PARAGRAPHS) + "</p>")
    add_and_collect(store, settings, url)
    (a,) = articles(store)
    assert a["text_source"] == "feed" and "Kumamoto" in a["text"] and "<p>" not in a["text"]
    assert a["summary"] == "TSMC lifts spending."
    assert page_requests(httpserver) == []


def test_json_ld_article_body_comes_before_trafilatura(httpserver, store, settings):
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "x"}, {"@type": "NewsArticle", "articleBody": LONG}]}
    httpserver.expect_request("/story").respond_with_data(page("<p>Teaser only.</p>", graph), content_type="text/html")
    add_and_collect(store, settings, serve_feed(httpserver, "/story"))
    (a,) = articles(store)
    assert a["text_source"] == "jsonld" and a["text"] == LONG
    assert page_requests(httpserver)[0].headers["User-Agent"] == settings.collect.user_agent


def test_trafilatura_extracts_the_page_text(httpserver, store, settings):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    httpserver.expect_request("/story").respond_with_data(page(body, jsonld={"broken": True}),
                                                          content_type="text/html; charset=utf-8")
    url = serve_feed(httpserver, "/story")
    add_and_collect(store, settings, url)
    (a,) = articles(store)
    assert a["text_source"] == "page"
    assert "advanced packaging" in a["text"] and "Kumamoto" in a["text"]
    assert "Copyright Example Media" not in a["text"]  # boilerplate left out
    assert feed_row(store, url)["last_outcome"] == "ok"


def test_page_failure_keeps_the_summary_and_is_recorded(httpserver, store, settings):
    httpserver.expect_request("/story").respond_with_data("gone", status=404)
    url = serve_feed(httpserver, "/story")
    report = add_and_collect(store, settings, url)
    (a,) = articles(store)
    assert (a["text_source"], a["text"]) == ("summary", "TSMC lifts spending.")
    assert a["page_status"] == "failed" and "HTTP 404" in a["page_error"]  # a 4xx is not retried
    assert any("full text not fetched" in e and "HTTP 404" in e for e in report.errors)
    assert "1 given up" in report.summary()


def test_page_timeout_keeps_the_summary(httpserver, store, settings):
    import threading
    release = threading.Event()

    def slow(req):
        release.wait(1.0)
        return "late"

    httpserver.expect_request("/story").respond_with_handler(slow)
    settings.collect.read_timeout_s = 0.3
    url = serve_feed(httpserver, "/story")
    try:
        report = add_and_collect(store, settings, url)
    finally:
        release.set()
    (a,) = articles(store)
    assert a["text_source"] == "summary"
    # a timeout may pass: the page stays queued for a later pass, with the reason
    assert a["page_status"] == "wanted" and a["page_attempts"] == 1 and "read timeout" in a["page_error"]
    assert any("read timeout" in e and "attempt 1 of 3" in e for e in report.errors)


def test_a_link_to_a_non_html_document_keeps_the_summary(httpserver, store, settings):
    httpserver.expect_request("/story").respond_with_data(b"%PDF-1.7 binary", content_type="application/pdf")
    url = serve_feed(httpserver, "/story")
    add_and_collect(store, settings, url)
    (a,) = articles(store)
    assert a["text_source"] == "summary" and a["page_status"] == "failed"
    assert "not an HTML page (application/pdf)" in a["page_error"]


def test_full_text_can_be_turned_off(httpserver, store, settings):
    settings.collect.fetch_full_text = False
    add_and_collect(store, settings, serve_feed(httpserver, "/story"))
    assert articles(store)[0]["text_source"] == "summary" and page_requests(httpserver) == []


def test_html_to_text_keeps_paragraph_breaks_and_drops_scripts():
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"
    assert html_to_text("") is None


def test_jsonld_skips_malformed_blocks_and_takes_the_longest_body():
    html = ('<script type="application/ld+json">{not json</script>'
            '<script type="application/ld+json">[{"articleBody": "short"}, '
            '{"mainEntity": {"articleBody": "<p>a much longer body</p>"}}]</script>')
    assert jsonld_article_body(html) == "a much longer body"


def test_page_text_cut_at_the_field_cap_marks_the_article_truncated(httpserver, store, settings, monkeypatch):
    """Issue #13: truncation is recorded wherever it happens, here on the article page's text."""
    from tracker import defaults as D

    monkeypatch.setattr(D, "MAX_FIELD_CHARS", 200)
    httpserver.expect_request("/story").respond_with_data(page("<p>x</p>", {"articleBody": LONG}),
                                                          content_type="text/html")
    report = add_and_collect(store, settings, serve_feed(httpserver, "/story"))
    (a,) = articles(store)
    assert a["text_source"] == "jsonld" and a["text"] == LONG[:200] and a["truncated"] == 1
    assert any("cut to its first 200 characters" in e for e in report.errors)


def test_binary_page_keeps_the_summary(httpserver, store, settings):
    """A 'page' that is binary data (served as text/html) is not text: the summary is kept, with the reason."""
    httpserver.expect_request("/story").respond_with_data(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
                                                          content_type="text/html")
    add_and_collect(store, settings, serve_feed(httpserver, "/story"))
    (a,) = articles(store)
    assert a["text_source"] == "summary" and a["text"] == "TSMC lifts spending." and a["truncated"] == 0
    assert "is not text (binary data: NUL bytes)" in a["page_error"]
