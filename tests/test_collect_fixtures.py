"""Every file in tests/fixtures/feeds/ is served over a real loopback HTTP server and collected; its
sidecar ``<file>.expect.json`` states what must be stored (feedparser's own test style).

Sidecar keys: about, content_type, content_encoding ('gzip': the file is stored compressed and served
as is), settings ([collect] overrides), outcome (the feed's last_outcome), entries (articles stored),
error_contains (substrings of last_error), titles / published (per stored article, in order),
text_contains / text_not_contains (over all stored text), never_requested (server paths),
max_seconds / max_peak_mb (time and memory bounds of the whole collect), max_field_chars, truncated (per
stored article, in order: 1 where a size cap cut its text; every article 0 when the key is absent).
``{server}`` in a fixture is replaced by the test server's base URL.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from werkzeug import Response

from tests._feedserver import add_and_collect, articles, feed_row

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
CASES = sorted(p for p in FEEDS.iterdir() if not p.name.endswith(".expect.json"))


def test_every_fixture_states_its_expectations():
    missing = [p.name for p in CASES if not (p.parent / (p.name + ".expect.json")).exists()]
    assert not missing, f"fixtures without a .expect.json sidecar: {missing}"


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture_feed(path, httpserver, store, settings):
    exp = json.loads((path.parent / (path.name + ".expect.json")).read_text(encoding="utf-8"))
    body = path.read_bytes().replace(b"{server}", httpserver.url_for("").rstrip("/").encode())
    headers = {"Content-Type": exp["content_type"]}
    if exp.get("content_encoding"):
        headers["Content-Encoding"] = exp["content_encoding"]
    httpserver.expect_request("/feed").respond_with_response(Response(body, headers=headers))
    httpserver.expect_request("/evil.dtd").respond_with_data('<!ENTITY ping "SECRET">')
    httpserver.expect_request("/secret").respond_with_data("SECRET")
    settings.collect.fetch_full_text = False
    for key, value in exp.get("settings", {}).items():
        setattr(settings.collect, key, value)
    url = httpserver.url_for("/feed")

    measure_memory = "max_peak_mb" in exp  # tracemalloc slows everything: only where a bound is stated
    if measure_memory:
        tracemalloc.start()
    t0 = time.monotonic()
    add_and_collect(store, settings, url)
    elapsed = time.monotonic() - t0
    if measure_memory:
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        assert peak_mb < exp["max_peak_mb"]

    feed = feed_row(store, url)
    stored = articles(store)
    assert feed["last_outcome"] == exp["outcome"], feed["last_error"]
    assert feed["last_status"] == 200
    assert len(stored) == exp["entries"]
    for part in exp.get("error_contains", []):
        assert part in (feed["last_error"] or ""), feed["last_error"]
    if exp["outcome"] == "ok":
        assert feed["last_error"] is None
    if exp["outcome"] == "error":
        assert feed["error_count"] == 1 and feed["next_poll_at"]
    if "titles" in exp:
        assert [a["title"] for a in stored] == exp["titles"]
    if "published" in exp:
        assert [a["published_at"] for a in stored] == exp["published"]
    everything = " ".join(f"{a['title']} {a['summary']} {a['text']}" for a in stored)
    for part in exp.get("text_contains", []):
        assert part in everything
    for part in exp.get("text_not_contains", []):
        assert part not in everything
    for served in exp.get("never_requested", []):
        assert all(req.path != served for req, _ in httpserver.log), f"{served} was fetched"
    assert [a["truncated"] for a in stored] == exp.get("truncated", [0] * len(stored))
    if "max_field_chars" in exp:
        assert max(len(a["summary"] or "") for a in stored) <= exp["max_field_chars"]
    assert elapsed < exp.get("max_seconds", 20)
    fetch = store.db.execute("SELECT outcome, entries_seen, entries_new FROM fetches").fetchall()
    assert fetch == [(exp["outcome"], exp["entries"], exp["entries"])]
