"""Extraction on oversized, hostile and changing input (issue #13): bounded chunks and parse groups, per-article
caps recorded, truncation shown in the JSON, binary input refused, changed articles extracted again."""

from __future__ import annotations

import json
import os
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tracker import defaults as D
from tracker.cli import app
from tracker.nlp.extract import chunk_text


def test_a_long_line_without_breaks_is_cut_at_spaces_into_bounded_chunks():
    """A 2 MB single line has no paragraph or sentence breaks: it is still cut, at white space."""
    words = ("Nvidia rose while Apple fell and the index ended higher " * 40_000)[:2_000_000]
    chunks = chunk_text(words)
    assert "".join(c for _, c in chunks) == words and [o for o, _ in chunks][1] == len(chunks[0][1])
    assert max(len(c) for _, c in chunks) <= D.MAX_CHUNK_CHARS and len(chunks) >= 2_000_000 // D.MAX_CHUNK_CHARS
    assert all(c.endswith(" ") for _, c in chunks[:-1])  # never in the middle of a word
    solid = "x" * 50_000  # no white space at all: hard cuts
    assert [len(c) for _, c in chunk_text(solid)] == [D.MAX_CHUNK_CHARS, D.MAX_CHUNK_CHARS, 10_000]


def run(args, input=None):
    return CliRunner().invoke(app, args, input=input)


def test_binary_stdin_is_refused_with_a_reason(tmp_path):
    """Regression (issue #13): binary stdin to `tracker extract` invented cashtags. (No models are needed to
    refuse it, but the extractor loads first.)"""
    blob = b"\x7fELF\x02\x01\x01\x00$AAPL $NVDA " + bytes(range(256)) * 20
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "none.db"), "extract", "--json", "-q", "-"], input=blob)
    assert r.exit_code == 0, r.output
    (obj,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert obj == {"source": "-", "error": "stdin is not text (binary data: NUL bytes): give a text, Markdown or HTML "
                   "file", "companies": [], "tickers": [], "sectors": [], "claims": [], "truncated": False, "capped": {}}


@pytest.fixture(scope="module")
def ex():
    from tracker.nlp.extract import get_extractor

    return get_extractor(None, None)


@pytest.mark.models
def test_parse_groups_are_bounded_in_characters_and_offsets_still_index_the_text(ex, monkeypatch):
    """Regression (issue #13): 16 chunks of 100k characters were parsed in one batch (4-5 GB)."""
    monkeypatch.setattr(D, "MAX_CHUNK_CHARS", 400)
    monkeypatch.setattr(D, "EXTRACT_BATCH_CHARS", 1_000)
    calls = []
    real = ex.nlp.pipe

    def spy(texts, **kw):
        texts = list(texts)
        calls.append(sum(len(t) for t in texts))
        return real(texts, **kw)

    monkeypatch.setattr(ex.nlp, "pipe", spy)
    para = "Sony (6758 JP) rose 3% on Tuesday while the yen weakened. Investors weighed the outlook for rates. "
    text = (para * 40).strip()
    (r,) = ex.extract([text])
    assert len(calls) >= len(text) // 1_000 and max(calls) <= 1_000
    assert {c["name"] for c in r["companies"]} == {"Sony", "6758 JP"} and len(r["companies"]) == 80
    for c in r["companies"] + r["claims"]:
        assert text[c["start"]:c["end"]] == c.get("name", c.get("sentence"))
    assert (r["truncated"], r["capped"]) == (False, {})


@pytest.mark.models
def test_caps_keep_the_first_ones_record_what_was_found_and_stop_reading(ex, monkeypatch):
    """Regression (issue #13): one 50 MB article produced 14,278 claims. The caps keep the first ones in text
    order and record how many were found; once claims and mentions are both full the rest is not parsed."""
    monkeypatch.setattr(D, "MAX_CHUNK_CHARS", 300)
    monkeypatch.setattr(D, "EXTRACT_BATCH_CHARS", 300)
    monkeypatch.setattr(D, "MAX_CLAIMS_PER_ARTICLE", 3)
    monkeypatch.setattr(D, "MAX_MENTIONS_PER_ARTICLE", 4)
    para = "Sony rose 3% on Tuesday. Toyota fell 2% on Wednesday. "
    text = para * 60
    calls = []
    real = ex.nlp.pipe
    monkeypatch.setattr(ex.nlp, "pipe", lambda texts, **kw: calls.append(1) or real(texts, **kw))
    (r,) = ex.extract([text])
    assert [c["name"] for c in r["companies"]] == ["Sony", "Toyota", "Sony", "Toyota"]
    assert [c["sentence"] for c in r["claims"]] == ["Sony rose 3% on Tuesday.", "Toyota fell 2% on Wednesday.",
                                                    "Sony rose 3% on Tuesday."]
    assert r["claims"][2]["start"] == len(para)  # the first ones, in text order
    assert r["capped"]["claims"] >= 3 and r["capped"]["mentions"] >= 4
    assert 0 < r["capped"]["stopped_at"] < len(text) and len(calls) < len(chunk_text(text, 300))
    assert r["truncated"] is False


@pytest.mark.models
def test_stdin_over_the_extract_cap_keeps_its_truncated_flag(tmp_path, monkeypatch):
    """Regression (issue #13): `tracker extract --json -` dropped its `truncated` flag."""
    monkeypatch.setattr(D, "MAX_EXTRACT_CHARS", 60)
    r = run(["--db", str(tmp_path / "none.db"), "extract", "--json", "-q", "-"],
            input="Sony rose 3% on Tuesday. " * 10)
    (obj,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert obj["truncated"] is True and all(c["end"] <= 60 for c in obj["companies"])
    r = run(["--db", str(tmp_path / "none.db"), "extract", "--json", "-q", "-"], input="Sony rose 3% on Tuesday.")
    assert json.loads(r.stdout)["truncated"] is False


@pytest.mark.models
def test_store_extraction_records_truncation_and_caps(tmp_path, monkeypatch):
    from tracker.store import open_store

    monkeypatch.setattr(D, "MAX_EXTRACT_CHARS", 200)
    monkeypatch.setattr(D, "MAX_CLAIMS_PER_ARTICLE", 1)
    db = tmp_path / "t.db"
    store = open_store(db)
    with store.transaction() as d:
        d["articles"].insert({"title": "Wrap", "text": "Sony rose 3% on Tuesday. Toyota fell 2%. " * 20,
                              "fetched_at": "2026-12-01T00:00:00Z", "content_hash": "h"})
    store.close()
    assert run(["--db", str(db), "extract", "-q"]).stdout == (
        "extract: 1 articles extracted (1 truncated at MAX_EXTRACT_CHARS, 1 capped at MAX_CLAIMS/MENTIONS_PER_ARTICLE)"
        "; 1 article vectors\n")
    store = open_store(db)
    (x,) = store.db.query("SELECT truncated, capped, content_hash FROM extractions")
    assert x["truncated"] == 1 and json.loads(x["capped"])["claims"] > 1 and x["content_hash"] == "h"
    assert store.db["claims"].count == 1
    store.close()


@pytest.mark.models
def test_a_changed_file_is_extracted_again_and_search_follows_the_new_text(tmp_path, monkeypatch):
    """Regression (issue #13): after a Markdown file naming Nvidia and Apple was rewritten to name Toyota and
    Sony, collect said '1 updated', extract said 'nothing to do', and searching 'Apple' still returned the
    article with a highlight cut from the new text and the old companies listed."""
    monkeypatch.chdir(tmp_path)
    note = tmp_path / "notes" / "chips.md"
    note.parent.mkdir()
    note.write_text("# Chip note\n\nNvidia shares rose 4% while Apple slipped 1% on iPhone worries.\n")
    db = ["--db", str(tmp_path / "t.db")]
    assert run([*db, "collect", "-q", "--path", str(note.parent)]).exit_code == 0
    assert "1 articles extracted" in run([*db, "extract", "-q"]).stdout
    assert [h["title"] for h in json.loads(run([*db, "search", "Apple", "--json"]).stdout)] == ["Chip note"]
    note.write_text("# Car note\n\nToyota shares rose 2% while Sony fell 3% after its forecast cut.\n")
    assert "1 updated" in run([*db, "collect", "-q", "--path", str(note.parent)]).stdout
    assert json.loads(run([*db, "search", "Apple", "--json"]).stdout) == []  # before extract runs again, too
    assert "1 articles extracted" in run([*db, "extract", "-q"]).stdout
    assert json.loads(run([*db, "search", "Apple", "--json"]).stdout) == []
    (hit,) = json.loads(run([*db, "search", "Sony", "--json"]).stdout)
    assert hit["title"] == "Car note" and [c["symbol"] for c in hit["companies"]] == ["7203.T", "6758.T"]
    assert "[Sony]" in hit["snippet"]
    assert "nothing to do" in run([*db, "extract", "-q"]).stdout


@pytest.mark.models
def test_peak_memory_of_a_long_line_without_breaks_stays_bounded(tmp_path):
    """Regression (issue #13): a 2 MB line on `tracker extract --json -` took 5 GB. A 240,000-character line
    without breaks (12 chunks; the old code parsed them 3 at 100k in one batch, about 1.8 GB) must stay under
    1.5 GB of peak RSS. benchmarks/limits.py measures the full 2 MB, 5 MB and 50 MB cases."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from limits import commentary, run as run_measured  # the benchmark's generated text and wait4 measurement

    (tmp_path / "line.txt").write_text(commentary(240_000).replace(".", " ").replace("\n", " "))
    with open(tmp_path / "line.txt", "rb") as fh:
        r = run_measured([sys.executable, "-m", "tracker", "--db", str(tmp_path / "none.db"), "extract", "--json",
                          "-q", "-"], stdin=fh, env=os.environ, timeout=900)
    assert r["rc"] == 0, r["stderr"]
    obj = json.loads(r["stdout"])
    assert obj["truncated"] is False and obj["companies"] and obj["claims"]
    assert r["rss_mb"] < 1500, f"peak RSS {r['rss_mb']:.0f} MB"
