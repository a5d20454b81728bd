"""Local sources (.html, .md, .txt files and directories) and the bundled sample corpus."""

from __future__ import annotations

from pathlib import Path

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


# ------------------------------------------------------------------ issue #13: careless and hostile files
def local_feed(store):
    (feed,) = feeds_q.list_feeds(store)
    return feed


def test_binary_file_is_rejected_with_a_reason(tmp_path, store, settings):
    """Regression (issue #13): /bin/ls saved as .html was stored as an untitled 'ELF' article."""
    d = tmp_path / "src"
    d.mkdir()
    ls = Path("/bin/ls")
    (d / "ls.html").write_bytes(ls.read_bytes() if ls.exists() else b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40)
    (d / "ok.md").write_text("# Sony note\n\nSony raised its forecast.\n")
    report = collect(store, settings, paths=[d], progress=False)
    assert [a["guid"] for a in articles(store)] == ["ok.md"]
    assert any("ls.html is not text (binary data: NUL bytes)" in e for e in report.errors)
    feed = local_feed(store)
    assert feed["last_outcome"] == "partial" and "ls.html is not text" in feed["last_error"]


def test_latin1_file_is_decoded_not_replaced(tmp_path, store, settings):
    """Regression (issue #13): Latin-1 files were stored with replacement characters."""
    f = tmp_path / "sg.txt"
    f.write_bytes("Société Générale résultats\nLe bénéfice a progressé de 12% à Paris.\n".encode("latin-1"))
    collect(store, settings, paths=[f], progress=False)
    (a,) = articles(store)
    assert a["title"] == "Société Générale résultats" and a["text"] == "Le bénéfice a progressé de 12% à Paris."
    assert "\ufffd" not in a["text"]


def test_empty_files_are_skipped_with_a_note(tmp_path, store, settings):
    """Regression (issue #13): an empty file was stored as an '(untitled)' article."""
    d = tmp_path / "src"
    d.mkdir()
    (d / "empty.md").write_bytes(b"")
    (d / "blank.txt").write_text("  \n\n\t\n")
    report = collect(store, settings, paths=[d], progress=False)
    assert articles(store) == [] and report.new_articles == 0
    assert sorted(report.errors) == [
        f"{d / 'blank.txt'}: empty file, skipped", f"{d / 'empty.md'}: empty file, skipped"]


def test_a_vanished_file_marks_its_article_gone_until_it_comes_back(notes, store, settings):
    """Issue #11: a local source file that disappears marks its article gone instead of leaving it as if current."""
    from tracker.store.articles import search

    collect(store, settings, paths=[notes], progress=False)
    body = (notes / "toyota.html").read_text()
    (notes / "toyota.html").unlink()
    report = collect(store, settings, paths=[notes], progress=False)
    rows = {a["guid"]: a for a in articles(store)}
    assert rows["toyota.html"]["gone_at"] and all(a["gone_at"] is None for g, a in rows.items() if g != "toyota.html")
    assert any("1 article(s) marked gone" in e for e in report.errors)
    (hit,) = search(store, "Toyota margin")
    assert hit["gone_at"] == rows["toyota.html"]["gone_at"] and hit["sources"][0]["gone_at"] == hit["gone_at"]
    (notes / "toyota.html").write_text(body)
    collect(store, settings, paths=[notes], progress=False)
    assert {a["guid"]: a["gone_at"] for a in articles(store)}["toyota.html"] is None
    assert search(store, "Toyota margin")[0]["gone_at"] is None


def test_a_configured_source_that_vanished_marks_its_articles_gone_and_warns(tmp_path, store, settings):
    f = tmp_path / "one.md"
    f.write_text("# Sony note\n\nSony raised its forecast.\n")
    settings.collect.sources = [str(f)]
    collect(store, settings, progress=False)
    f.unlink()
    report = collect(store, settings, progress=False)  # not fatal: other sources still run
    (a,) = articles(store)
    assert a["gone_at"] is not None
    assert report.errors == [f"{f} does not exist (fix [collect] sources if it moved); 1 article(s) marked gone"]


def test_symlink_loops_are_reported_not_silent(tmp_path, store, settings):
    """Regression (issue #13): a directory of symlink loops collected '0 new articles' and said nothing."""
    d = tmp_path / "loops"
    d.mkdir()
    (d / "self").symlink_to(d)  # a folder loop
    (d / "a.md").symlink_to(d / "b.md")  # a file loop
    (d / "b.md").symlink_to(d / "a.md")
    report = collect(store, settings, paths=[d], progress=False)
    assert report.new_articles == 0
    text = "\n".join(report.errors)
    assert f"{d / 'self'}: skipped, this folder was already read" in text
    assert f"{d / 'a.md'}: cannot be read (Too many levels of symbolic links)" in text
    assert local_feed(store)["last_outcome"] == "partial"


def test_symlink_loop_warnings_reach_stderr(tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    d = tmp_path / "loops"
    d.mkdir()
    (d / "self").symlink_to(d)
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")  # no feeds: only the folder is collected
    res = CliRunner().invoke(app, ["--config", str(tmp_path / "empty.toml"), "--db", str(tmp_path / "t.db"), "collect",
                                   "-q", "--path", str(d)])
    assert res.exit_code == 0 and "collected 0 new articles" in res.stdout
    assert "warning: " in res.stderr and "this folder was already read" in res.stderr
    assert "no .html/.htm/.md/.txt files" not in res.stderr  # the loop is what is reported


def test_fifo_is_skipped_not_read(tmp_path, store, settings):
    """A FIFO named like a text file would block a collect forever."""
    import os

    d = tmp_path / "src"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    report = collect(store, settings, paths=[d], progress=False)
    assert articles(store) == [] and any("pipe.txt: not a regular file, skipped" in e for e in report.errors)


def test_oversized_file_is_stored_truncated_and_says_so(tmp_path, store, settings, monkeypatch):
    """Regression (issue #13): a 50 MB file was stored as its first 1,000,000 characters with no warning."""
    from tracker import defaults as D

    monkeypatch.setattr(D, "MAX_PAGE_BYTES", 5_000)
    f = tmp_path / "big.txt"
    f.write_text("Big report\n" + "Sony raised its forecast again. " * 1000)
    report = collect(store, settings, paths=[f], progress=False)
    (a,) = articles(store)
    assert a["truncated"] == 1 and len(a["text"]) < 5_000
    assert report.errors == [f"{f}: too large, only its start was stored (the article is marked truncated)"]
    monkeypatch.setattr(D, "MAX_PAGE_BYTES", 10_000_000)
    monkeypatch.setattr(D, "MAX_FIELD_CHARS", 2_000)  # the other cap: characters stored
    f.write_text("Big report\n" + "Toyota cut its forecast. " * 1000)
    collect(store, settings, paths=[f], progress=False)
    (a,) = articles(store)
    assert a["truncated"] == 1 and 1_990 <= len(a["text"]) <= 2_000 and "Toyota" in a["text"]


def test_a_changed_file_drops_its_old_mentions_and_is_pending_again(notes, store, settings):
    """Issue #13: a changed local file kept its old extraction. Its mentions and sectors (read from the old text)
    go at once, and it becomes pending for the normal extract path."""
    from tracker.store import extractions as xq

    collect(store, settings, paths=[notes], progress=False)
    hynix = next(a for a in articles(store) if a["guid"] == "asia/hynix.md")
    for a in articles(store):
        xq.save_extraction(store, a["id"], {"companies": [{"name": "SK Hynix", "canonical": "SK hynix", "ticker": "000660.KS",
                                                           "start": 0, "end": 8, "confidence": 0.9}],
                                            "sectors": [{"sector": "semiconductors", "confidence": 0.9}]}, {})
    assert xq.pending_ids(store) == []
    (notes / "asia" / "hynix.md").write_text("# Toyota and Sony\n\nToyota and Sony both rose.\n")
    collect(store, settings, paths=[notes], progress=False)
    assert xq.pending_ids(store) == [hynix["id"]]
    left = store.conn.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [hynix["id"]]).fetchone()[0]
    assert left == 0 and store.db["mentions"].count == 3  # the other articles keep theirs
    assert store.conn.execute("SELECT count(*) FROM article_sectors WHERE article_id = ?", [hynix["id"]]).fetchone()[0] == 0
