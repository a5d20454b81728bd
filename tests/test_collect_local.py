"""Local sources (.html, .md, .txt files and directories) and the bundled sample corpus."""

from __future__ import annotations

import pytest

from tests._feedserver import articles
from tracker.collect import collect
from tracker.errors import FetchError
from tracker.store import feeds as feeds_q


def fts(store, query):
    return [r[0] for r in store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid",
                                             [query])]


@pytest.fixture
def notes(tmp_path):
    d = tmp_path / "notes"
    (d / "asia").mkdir(parents=True)
    (d / "asia" / "hynix.md").write_text("# SK Hynix outlook\n\nShares have risen **38%** on [HBM](http://x) demand.\n")
    (d / "toyota.html").write_text("<html><head><title>Toyota margin</title></head><body><article>"
                                   "<p>Toyota's operating margin fell to 9.1% in the quarter.</p></article></body></html>")
    (d / "plain.txt").write_text("\ufeffInfosys keeps guidance\nRevenue growth of 2% to 3% in constant currency.\n")
    (d / "front.md").write_text("---\ntitle: Front matter title\ndate: 2026-11-01T08:00:00Z\nauthor: Desk\n---\n"
                                "Body text about Tencent.\n")
    (d / "ignored.pdf").write_bytes(b"%PDF-1.4")
    (d / ".hidden.md").write_text("# secret\n")
    return d


def test_directory_is_ingested_with_titles_and_text(notes, store, settings):
    report = collect(store, settings, paths=[notes], progress=False)
    assert report.files_read == 4 and report.new_articles == 4
    rows = {a["guid"]: a for a in articles(store)}
    assert set(rows) == {"asia/hynix.md", "toyota.html", "plain.txt", "front.md"}
    assert rows["asia/hynix.md"]["title"] == "SK Hynix outlook"
    assert rows["asia/hynix.md"]["text"] == "Shares have risen 38% on HBM demand."  # markup stripped
    assert rows["toyota.html"]["title"] == "Toyota margin" and "9.1%" in rows["toyota.html"]["text"]
    assert rows["plain.txt"]["title"] == "Infosys keeps guidance"
    assert rows["plain.txt"]["text"] == "Revenue growth of 2% to 3% in constant currency."
    assert (rows["front.md"]["title"], rows["front.md"]["published_at"], rows["front.md"]["author"]) == (
        "Front matter title", "2026-11-01T08:00:00Z", "Desk")
    assert {a["text_source"] for a in rows.values()} == {"file"}
    assert rows["toyota.html"]["url"] == (notes / "toyota.html").resolve().as_uri()
    (feed,) = feeds_q.list_feeds(store)
    assert (feed["kind"], feed["name"], feed["url"], feed["last_outcome"]) == (
        "local", str(notes), notes.resolve().as_uri(), "ok")
    assert {a["source_name"] for a in rows.values()} == {str(notes)}
    assert feeds_q.due_feeds(store, all_feeds=True) == []  # local sources are never fetched over HTTP


def test_unchanged_files_add_nothing_and_changed_files_update_their_article(notes, store, settings):
    collect(store, settings, paths=[notes], progress=False)
    again = collect(store, settings, paths=[notes], progress=False)
    assert (again.new_articles, again.updated_articles) == (0, 0) and store.db["articles"].count == 4
    (notes / "asia" / "hynix.md").write_text("# SK Hynix outlook\n\nShares have now doubled on HBM demand.\n")
    before = next(a for a in articles(store) if a["guid"] == "asia/hynix.md")
    changed = collect(store, settings, paths=[notes], progress=False)
    assert (changed.new_articles, changed.updated_articles) == (0, 1)
    after = next(a for a in articles(store) if a["guid"] == "asia/hynix.md")
    assert after["id"] == before["id"] and after["content_hash"] != before["content_hash"]
    assert "doubled" in after["text"]
    assert fts(store, "doubled") == [after["id"]] and fts(store, "risen") == []  # the FTS index followed


def test_single_file_and_configured_sources(notes, store, settings):
    settings.collect.sources = [str(notes / "plain.txt")]
    report = collect(store, settings, progress=False)
    assert report.new_articles == 1 and articles(store)[0]["guid"] == "plain.txt"


def test_missing_path_is_a_clear_error(tmp_path, store, settings):
    with pytest.raises(FetchError, match="local source .*nope does not exist"):
        collect(store, settings, paths=[tmp_path / "nope"], progress=False)


def test_unreadable_file_is_recorded_not_fatal(notes, store, settings):
    (notes / "broken.md").symlink_to(notes / "missing-target.md")
    report = collect(store, settings, paths=[notes], progress=False)
    assert report.new_articles == 4
    (feed,) = feeds_q.list_feeds(store)
    assert feed["last_outcome"] == "partial" and "broken.md: cannot be read" in feed["last_error"]


def test_sample_corpus(store, settings):
    report = collect(store, settings, sample=True, progress=False)
    rows = articles(store)
    assert 15 <= len(rows) <= 20
    assert report.new_articles == len(rows) - 1 and report.duplicates == 1  # one syndicated pair
    assert {a["source_name"] for a in rows} == {"sample"}
    assert all(a["title"] and a["published_at"] and len(a["text"]) > 400 for a in rows)
    dup = next(a for a in rows if a["is_duplicate"])
    original = next(a for a in rows if a["story_id"] == dup["story_id"] and not a["is_duplicate"])
    assert "alibaba" in dup["title"].lower() and "alibaba" in original["title"].lower()
    text = " ".join(a["text"] for a in rows)
    for ticker in ("KRX:005930", "NASDAQ: MSFT", "2330.TW", "6758 JP", "HK:1211", "$NVDA", "NSE: RELIANCE"):
        assert ticker in text
    again = collect(store, settings, sample=True, progress=False)
    assert (again.new_articles, again.duplicates) == (0, 0) and store.db["articles"].count == len(rows)
