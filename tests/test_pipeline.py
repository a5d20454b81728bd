"""`tracker run`: collect → extract over the store, end to end through the CLI, with real servers and models."""

from __future__ import annotations

import bz2
import json
import socket
import subprocess
import sys

import pytest

from tests._feedserver import RSS_CT, rss
from tracker.store import open_store

pytestmark = pytest.mark.models

STORY = ("SK Hynix (KRX:000660) shares have risen 38% year-to-date on HBM demand, well ahead of the Kospi. "
         "Samsung Electronics said its memory operating margin fell to 21% in the third quarter.")


def run_cli(tmp_path, *args, check=True):
    p = subprocess.run([sys.executable, "-m", "tracker", "--config", str(tmp_path / "t.toml"), *args],
                       cwd=tmp_path, capture_output=True, text=True, timeout=600)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_run_collects_then_extracts_and_search_finds_company(tmp_path, httpserver, monkeypatch):
    httpserver.expect_request("/markets.rss").respond_with_data(
        rss([{"title": "Memory makers diverge", "link": httpserver.url_for("/a/1"), "guid": "a1",
              "content": STORY}]), content_type=RSS_CT)
    # FinanceDatabase's files, recorded (real format), on the loopback server: the first online run builds the master
    from tests.test_securities import FIXTURE

    monkeypatch.setenv("FINANCEDATABASE_CACHE_DIR", str(tmp_path / "fd-cache"))
    httpserver.expect_request("/fd/equities.parquet").respond_with_data("not here", status=404)
    httpserver.expect_request("/fd/equities.bz2").respond_with_data(bz2.compress(FIXTURE.read_bytes()))
    (tmp_path / "t.toml").write_text(
        f'[store]\npath = "{tmp_path / "r.db"}"\n[collect]\nper_host_delay_s = 0\nfetch_full_text = false\n'
        f'[securities]\nfinancedatabase_url = "{httpserver.url_for("/fd/")}"\n'
        f'[[feeds]]\nurl = "{httpserver.url_for("/markets.rss")}"\nname = "Loopback markets"\n')
    out = run_cli(tmp_path, "run", "--once", "--quiet").stdout
    assert "collected 1 new articles" in out and "extract: 1 articles extracted" in out
    assert "securities master:" in out and "financedatabase 9" in out
    store = open_store(tmp_path / "r.db")
    mentions = {(m["canonical"].casefold(), m["symbol"]) for m in store.db.query("SELECT canonical, symbol FROM mentions")}
    assert ("sk hynix", "000660.KS") in mentions
    assert ("samsung electronics", "005930.KS") in mentions
    claims = {(c["subject_ticker"], c["metric"], c["direction"]) for c in store.db.query("SELECT * FROM claims")}
    assert ("000660.KS", "relative_return", "outperform") in claims  # "well ahead of the Kospi"
    assert ("005930.KS", "margin", "down") in claims
    models = json.loads(next(store.db.query("SELECT models FROM extractions"))["models"])
    assert models["spacy"].startswith("en_core_web_sm") and "encoder" in models
    store.close()
    # A company's alias finds the article through its mentions, not its words.
    hits = json.loads(run_cli(tmp_path, "search", "Hynix", "--json").stdout)
    assert [h["title"] for h in hits] == ["Memory makers diverge"]
    # Running again adds and re-extracts nothing.
    again = run_cli(tmp_path, "run", "--once", "--quiet").stdout
    assert "collected 0 new articles" in again and "extract: nothing to do" in again
    assert "securities master:" not in again  # built less than a week ago


def test_run_falls_back_to_sample_when_no_feed_answers(tmp_path):
    (tmp_path / "t.toml").write_text(
        f'[store]\npath = "{tmp_path / "s.db"}"\n[collect]\nper_host_delay_s = 0\nconnect_timeout_s = 1\n'
        f'[[feeds]]\nurl = "http://127.0.0.1:{closed_port()}/feed.xml"\n')
    out = run_cli(tmp_path, "run", "--once", "--sample-if-offline", "--quiet").stdout
    assert "none of the configured feeds could be reached: ingested the bundled sample corpus" in out
    store = open_store(tmp_path / "s.db")
    assert store.db["articles"].count >= 15
    feed = next(store.db.query("SELECT * FROM feeds WHERE url LIKE 'http://127.0.0.1:%'"))
    assert feed["last_outcome"] == "error" and feed["last_error"] and feed["error_count"] == 1
    assert store.db["extractions"].count == store.db.execute(
        "SELECT count(*) FROM articles WHERE is_duplicate = 0").fetchone()[0]
    store.close()


def test_a_run_pass_extracts_at_most_its_cap_and_queues_the_rest(tmp_path):
    """Bounded work: a backlog bigger than nlp.max_articles_per_pass is extracted over several passes, each saying
    how many are left, and nothing is extracted twice."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(5):
        (notes / f"n{i}.md").write_text(f"# Note {i}\n\nSony Group shares rose {i + 2}% on Tuesday.\n",
                                        encoding="utf-8")
    (tmp_path / "t.toml").write_text(
        f'[store]\npath = "{tmp_path / "c.db"}"\n[collect]\nsources = ["{notes}"]\n[nlp]\nmax_articles_per_pass = 2\n'
        '[securities]\nauto_update = false\n')
    out = run_cli(tmp_path, "run", "--once", "--quiet").stdout
    assert "extract: 2 articles extracted" in out and "3 more queued for the next pass" in out
    out = run_cli(tmp_path, "run", "--once", "--quiet").stdout
    assert "extract: 2 articles extracted" in out and "1 more queued for the next pass" in out
    out = run_cli(tmp_path, "run", "--once", "--quiet").stdout
    assert "extract: 1 articles extracted" in out and "queued" not in out.split("extract:")[1].split("\n")[0]
    store = open_store(tmp_path / "c.db")
    assert store.db["extractions"].count == 5
    store.close()
