"""Parsing feed bytes directly: entity stripping edge cases, JSON Feed details, and feedparser never fetching."""

from __future__ import annotations

import json

from tracker.collect.feeds import parse_feed, strip_entity_declarations

LOL = ('<?xml version="1.0" encoding="utf-16"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
       '<rss version="2.0"><channel><title>t</title><item><title>x &c;</title><guid>g</guid></item></channel></rss>')


def test_utf16_entity_declarations_are_stripped():
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        body, removed = strip_entity_declarations(LOL.encode(codec))
        assert removed, codec
        text = body.decode(codec)
        assert "<!ENTITY" not in text and "&c;" not in text and "<rss" in text
    parsed = parse_feed(LOL.encode("utf-16"))
    assert [e.title for e in parsed.entries] == ["x"]


def test_entity_value_hiding_the_subset_end_is_still_removed():
    doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "]>"> <!ENTITY lol "lol"> ]>'
           '<rss version="2.0"><channel><title>t</title><item><title>&lol;&a;</title><guid>g</guid></item></channel></rss>')
    body, removed = strip_entity_declarations(doc.encode())
    assert removed and b"<!ENTITY" not in body and b"&lol;" not in body


def test_documents_without_an_internal_subset_are_untouched():
    plain = b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "x.dtd"><rss version="2.0"><channel></channel></rss>'
    assert strip_entity_declarations(plain) == (plain, False)
    late = b'<rss version="2.0"><channel><description><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></description></channel></rss>'
    assert strip_entity_declarations(late) == (late, False)  # a DOCTYPE after the root is only text


def test_bytes_that_look_like_a_url_are_parsed_not_fetched(httpserver):
    """Regression guard: feedparser.parse(str|bytes) would fetch a URL; we always hand it a stream."""
    httpserver.expect_request("/feed").respond_with_data("<rss/>")
    parsed = parse_feed(httpserver.url_for("/feed").encode())
    assert parsed.error and parsed.entries == []
    assert len(httpserver.log) == 0


def test_json_feed_versions_and_fields():
    doc = {"version": "https://jsonfeed.org/version/1", "title": "v1", "items": [
        {"id": 7, "url": "https://x.test/a", "title": "A", "summary": "S", "content_text": "Body",
         "author": {"name": "Old style author"}, "date_modified": "2026-11-01T00:00:00Z"},
        "not an object",
        {"id": "b", "content_html": "<p>Only html</p>", "external_url": "https://x.test/b", "date_published": "junk"}]}
    parsed = parse_feed(json.dumps(doc).encode(), {"content-type": "application/json"})
    a, b = parsed.entries
    assert (a.guid, a.url, a.author, a.summary, a.content, a.published_at) == (
        "7", "https://x.test/a", "Old style author", "S", "Body", "2026-11-01T00:00:00Z")
    assert (b.url, b.published_at) == ("https://x.test/b", None)
    assert "items that are not objects skipped" in parsed.warnings
    assert "unparsable dates stored as NULL" in parsed.warnings


def test_json_without_items_is_an_error():
    assert "no 'items' list" in parse_feed(b'{"version": "https://jsonfeed.org/version/1.1"}').error
    assert parse_feed(b'{"items": []}').warnings == ["JSON document without a jsonfeed.org version: read as a JSON Feed anyway"]
