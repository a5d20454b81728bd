"""Stable claim identity: re-extraction upserts claims by key; vanished claims are retracted with their history."""

from __future__ import annotations

from datetime import date

from tracker.store import open_store
from tracker.store import extractions as xq
from tracker.store.claims import claim_key
from tracker.timeutil import iso

MODELS = {"spacy": "test"}


def _article(store, text="Toyota shares rose 5%. Sony revenue fell 3% last quarter.") -> int:
    with store.transaction() as db:
        story = db.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
        return db.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at) "
                          "VALUES (?, 't', ?, 'h', ?, '2025-12-21T08:00:00Z')", [story, text, iso()]).lastrowid


def _claim(sentence, subject, metric, direction, **kw):
    return {"sentence": sentence, "start": kw.pop("start", 0), "end": len(sentence), "subject": subject,
            "subject_norm": subject.lower(), "subject_ticker": kw.pop("ticker", None), "metric": metric,
            "direction": direction, "magnitude": kw.pop("magnitude", None), "horizon": kw.pop("horizon", None),
            "benchmark": None, "hedged": False, "negated": False, "sectors": [], "confidence": 0.8, **kw}


TOYOTA = _claim("Toyota shares rose 5%.", "Toyota", "price_return", "up", magnitude="5%", ticker="7203.T")
SONY = _claim("Sony revenue fell 3% last quarter.", "Sony", "revenue_growth", "down", magnitude="3%",
              horizon="last quarter", start=23)


def _claims(store, article_id):
    return {r["subject"]: r for r in store.db.query("SELECT * FROM claims WHERE article_id = ?", [article_id])}


def test_reextraction_keeps_ids_and_updates_fields(store):
    a = _article(store)
    counts = xq.save_extraction(store, a, {"claims": [TOYOTA, SONY]}, MODELS, published=date(2025, 12, 21))
    assert counts == {"new": 2, "retracted": 0}
    first = _claims(store, a)
    changed = {**TOYOTA, "direction": "down", "start": 40, "end": 62}  # a paragraph added above: offsets moved
    counts = xq.save_extraction(store, a, {"claims": [changed, SONY]}, MODELS, published=date(2025, 12, 21))
    assert counts == {"updated": 1, "kept": 1, "retracted": 0}
    again = _claims(store, a)
    assert again["Toyota"]["id"] == first["Toyota"]["id"] and again["Toyota"]["direction"] == "down"
    assert again["Toyota"]["start"] == 40 and again["Sony"]["id"] == first["Sony"]["id"]


def test_vanished_claim_is_retracted_then_restored_with_the_same_id(store):
    a = _article(store)
    xq.save_extraction(store, a, {"claims": [TOYOTA, SONY]}, MODELS)
    sony_id = _claims(store, a)["Sony"]["id"]
    store.conn.execute("INSERT INTO claim_status_history (claim_id, as_of, status, evaluated_at) "
                       "VALUES (?, '2025-12-22', 'holding', ?)", [sony_id, iso()])
    assert xq.save_extraction(store, a, {"claims": [TOYOTA]}, MODELS)["retracted"] == 1
    sony = _claims(store, a)["Sony"]
    assert sony["retracted_at"] is not None
    assert store.conn.execute("SELECT count(*) FROM claim_status_history WHERE claim_id = ?",
                              [sony_id]).fetchone()[0] == 1  # its history stays
    assert xq.save_extraction(store, a, {"claims": [TOYOTA, SONY]}, MODELS)["restored"] == 1
    assert _claims(store, a)["Sony"]["id"] == sony_id and _claims(store, a)["Sony"]["retracted_at"] is None


def test_failed_extraction_keeps_previous_claims(store):
    a = _article(store)
    xq.save_extraction(store, a, {"claims": [TOYOTA, SONY]}, MODELS)
    xq.save_extraction(store, a, {}, MODELS, error="ValueError: boom")
    assert {c["retracted_at"] for c in _claims(store, a).values()} == {None}
    assert store.db["extractions"].get(a)["error"] == "ValueError: boom"


def test_structured_magnitude_and_horizon_are_stored(store):
    a = _article(store)
    xq.save_extraction(store, a, {"claims": [TOYOTA, SONY]}, MODELS, published=date(2025, 12, 21))
    sony = _claims(store, a)["Sony"]
    assert (sony["magnitude_value"], sony["magnitude_unit"]) == (3.0, "%")
    assert (sony["horizon_kind"], sony["horizon_start"], sony["horizon_end"]) == ("past", "2025-07-01", "2025-09-30")
    assert _claims(store, a)["Toyota"]["horizon_kind"] == "open"


def test_two_identical_claims_in_one_article_get_two_keys(store):
    a = _article(store)
    xq.save_extraction(store, a, {"claims": [TOYOTA, {**TOYOTA, "start": 50}]}, MODELS)
    assert store.conn.execute("SELECT count(DISTINCT claim_key) FROM claims").fetchone()[0] == 2


def test_migration_gives_old_claims_the_keys_a_reextraction_computes(tmp_db):
    """An upgraded store keeps its claim ids when the same claims are extracted again."""
    old = open_store(tmp_db, migrate_to=3)
    a = _article(old)
    with old.transaction() as db:
        db["claims"].insert({k: v for k, v in TOYOTA.items() if k != "sectors"} | {"article_id": a, "sectors": "[]"})
    old_id = old.conn.execute("SELECT id FROM claims").fetchone()[0]
    old.close()
    store = open_store(tmp_db)
    assert store.conn.execute("SELECT claim_key FROM claims").fetchone()[0] == \
        claim_key(a, TOYOTA["sentence"], "toyota", "price_return")
    assert xq.save_extraction(store, a, {"claims": [TOYOTA]}, MODELS) == {"updated": 1, "retracted": 0}  # structure filled
    assert store.conn.execute("SELECT id FROM claims").fetchone()[0] == old_id
