"""Claim and thesis status over real CSV series that rise, fall, reverse, go flat, have gaps and stop updating.

Every claim is stored through the extraction path (save_extraction), linked by the catalogue, its series fetched
by the CSV provider and judged; the clock is pinned (TODAY)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import _series as S
from tracker.evaluate import evaluate
from tracker.metrics.providers import CsvProvider, ProviderError
from tracker.store import extractions as xq
from tracker.timeutil import iso

UP = lambda i: 0.005  # noqa: E731
DOWN = lambda i: -0.005  # noqa: E731
FLAT = lambda i: 0.0  # noqa: E731
REVERSE = lambda i: 0.003 if i < 75 else -0.015  # noqa: E731  rose for 75 sessions, then turned hard


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "series"
    S.write(d, "RISE", S.path(UP, seed=1))
    S.write(d, "FALL", S.path(DOWN, seed=2))
    S.write(d, "FLAT", S.path(FLAT, seed=3))
    S.write(d, "TURN", S.path(REVERSE, seed=4))
    S.write(d, "GAPS", S.path(UP, seed=5, skip={x for x in S.business_days() if x.day % 3 == 0}))
    S.write(d, "STOP", S.path(UP, seed=6, end=S.TODAY - timedelta(days=30)))
    S.write(d, "^GSPC", S.path(FLAT, seed=7))
    # quarterly statements of COVR: EBIT / interest expense = 60, 58, 57, 50
    S.write(d, "COVR@EBIT", [("2025-03-31", 600), ("2025-06-30", 580), ("2025-09-30", 570), ("2025-12-31", 500)],
            header="date,value")
    S.write(d, "COVR@InterestExpense", [(q, 10) for q in ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31")],
            header="date,value")
    return d


def _article(store, published=S.BASELINE) -> int:
    with store.transaction() as db:
        story = db.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
        return db.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at) "
                          "VALUES (?, 'Scenario article', 'x', 'h', ?, ?)",
                          [story, iso(), f"{published.isoformat()}T08:00:00Z"]).lastrowid


def claim(ticker, metric="price_return", direction="up", **kw):
    sentence = kw.pop("sentence", f"{ticker} {metric} {direction} {len(kw)}")
    return {"sentence": sentence, "start": 0, "end": len(sentence), "subject": kw.pop("subject", ticker),
            "subject_norm": ticker.lower(), "subject_ticker": ticker, "metric": metric, "direction": direction,
            "magnitude": kw.pop("magnitude", None), "horizon": kw.pop("horizon", None), "benchmark": kw.pop("benchmark", None),
            "hedged": kw.pop("hedged", False), "negated": False, "sectors": [], "confidence": kw.pop("confidence", 0.8)}


def run(store, settings, data, claims, *, today=S.TODAY, providers=None):
    a = _article(store)
    xq.save_extraction(store, a, {"claims": claims}, {"t": "1"}, published=S.BASELINE)
    report = evaluate(store, settings, today=today, progress=False, providers=providers or [CsvProvider(data)])
    return a, report


def statuses(store) -> dict[str, tuple[str, str]]:
    return {r["sentence"]: (r["status"], r["reason"]) for r in store.db.query(
        "SELECT c.sentence, s.status, s.reason FROM claims c JOIN claim_status s ON s.claim_id = c.id")}


def test_moves_judged_in_units_of_their_own_volatility(store, settings, data):
    claims = [claim("RISE", sentence="rise up"), claim("RISE", direction="down", sentence="rise down"),
              claim("FALL", sentence="fall up"), claim("FALL", direction="down", sentence="fall down"),
              claim("FLAT", sentence="flat up"), claim("FLAT", direction="stable", sentence="flat stable"),
              claim("RISE", direction="stable", sentence="rise stable"),
              claim("TURN", sentence="turn up"), claim("GAPS", sentence="gaps up")]
    _, report = run(store, settings, data, claims)
    got = {k: v[0] for k, v in statuses(store).items()}
    assert got == {"rise up": "holding", "rise down": "broken", "fall up": "broken", "fall down": "holding",
                   "flat up": "holding", "flat stable": "holding", "rise stable": "broken",
                   "turn up": "weakening", "gaps up": "holding"}
    assert "turned against it" in statuses(store)["turn up"][1]
    assert report.claims == 9 and report.statuses["broken"] == 3


def test_stale_series_and_outage_are_unknown_never_broken(store, settings, data):
    _, report = run(store, settings, data, [claim("STOP", direction="down", sentence="stop down"),
                                            claim("NOPE", direction="down", sentence="nope down")])
    got = statuses(store)
    assert got["stop down"][0] == "unknown" and got["stop down"][1].startswith("stale: the latest daily observation is from 2026-02-27")
    assert got["nope down"][0] == "unknown" and "no data" in got["nope down"][1]


class Down(CsvProvider):
    name = "down"

    def extract(self, queries):
        raise ProviderError("connection refused")


def test_provider_outage_leaves_unknown_then_fallback_serves(store, settings, data):
    a, report = run(store, settings, data, [claim("FALL", sentence="fall up")], providers=[Down(data)])
    assert statuses(store)["fall up"][0] == "unknown" and report.errors == ["down: [T050] connection refused"]
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    evaluate(store, settings, today=S.TODAY, progress=False, providers=[Down(data), CsvProvider(data)])
    assert statuses(store)["fall up"][0] == "broken"


def test_relative_claims_use_the_ratio_to_the_home_benchmark(store, settings, data):
    run(store, settings, data, [claim("RISE", "relative_return", "outperform", sentence="rise beats"),
                                claim("FALL", "relative_return", "outperform", sentence="fall beats"),
                                claim("FALL", "relative_return", "underperform", sentence="fall lags")])
    got = statuses(store)
    assert (got["rise beats"][0], got["fall beats"][0], got["fall lags"][0]) == ("holding", "broken", "holding")
    link = store.db.query("SELECT l.explanation, l.benchmark FROM claim_links l JOIN claims c ON c.id = l.claim_id "
                          "WHERE c.sentence = 'rise beats'").__next__()
    assert link["benchmark"] == "^GSPC" and "relative to S&P 500 (^GSPC) since 2025-12-01" in link["explanation"]


def test_level_claim_against_the_stated_level(store, settings, data):
    run(store, settings, data, [claim("COVR", "interest_coverage", "high", magnitude="56x", sentence="cover 56x"),
                                claim("COVR", "interest_coverage", "high", magnitude="45x", sentence="cover 45x"),
                                claim("COVR", "interest_coverage", "high", magnitude="80x", sentence="cover 80x")])
    got = statuses(store)
    assert (got["cover 56x"][0], got["cover 45x"][0], got["cover 80x"][0]) == ("weakening", "holding", "broken")
    assert got["cover 56x"][1] == "latest 50 against the stated level 56 (high)"


def test_horizon_expiry_keeps_a_final_verdict(store, settings, data):
    """'next month' from 2025-12-01 ends 2026-01-31: judged there, final, and kept on later evaluations."""
    run(store, settings, data, [claim("TURN", direction="down", horizon="next month", hedged=True, sentence="turn down")])
    row = store.db.query("SELECT s.* FROM claim_status s").__next__()
    assert (row["status"], row["final"], row["window_end"], row["latest_date"]) == ("broken", 1, "2026-01-31", "2026-01-30")
    evaluate(store, settings, today=S.TODAY + timedelta(days=40), progress=False, providers=[CsvProvider(data)])
    again = store.db.query("SELECT s.* FROM claim_status s").__next__()
    assert (again["status"], again["evaluated_at"]) == ("broken", row["evaluated_at"])


def test_reprocess_keeps_claim_ids_and_history(store, settings, data):
    a, _ = run(store, settings, data, [claim("RISE", sentence="rise up")])
    cid = store.conn.execute("SELECT id FROM claims").fetchone()[0]
    xq.save_extraction(store, a, {"claims": [claim("RISE", sentence="rise up")]}, {"t": "2"}, published=S.BASELINE)
    evaluate(store, settings, today=S.TODAY + timedelta(days=1), progress=False, providers=[CsvProvider(data)])
    assert store.conn.execute("SELECT id FROM claims").fetchone()[0] == cid
    assert [r[0] for r in store.conn.execute("SELECT as_of FROM claim_status_history WHERE claim_id = ?", [cid])] == \
        ["2026-03-31"]  # same data date: one history row, updated in place


def test_thesis_aggregates_its_claims_by_confidence(store, settings, data):
    run(store, settings, data, [claim("RISE", sentence="a", confidence=0.9), claim("FALL", sentence="b", confidence=0.3),
                                claim("NOPE", sentence="c")])
    t = store.db.query("SELECT * FROM theses").__next__()
    assert (t["kind"], t["title"], t["status"]) == ("article", "Scenario article", "holding")
    assert t["counts"] == '{"broken": 1, "holding": 1, "unknown": 1, "weakening": 0}'
    hist = list(store.db.query("SELECT as_of, status FROM thesis_status_history"))
    assert hist == [{"as_of": "2026-03-31", "status": "holding"}]


def test_user_thesis_from_config(store, settings, data):
    from tracker.config import Settings

    cfg = Settings.model_validate({"theses": [{"title": "Rise beats the market", "since": "2025-12-01", "claims": [
        {"ticker": "RISE", "metric": "relative_return", "direction": "outperform", "benchmark": "S&P 500"},
        {"ticker": "FALL", "metric": "price_return", "direction": "up"}]}]})
    settings.theses = cfg.theses
    evaluate(store, settings, today=S.TODAY, progress=False, providers=[CsvProvider(data)])
    t = store.db.query("SELECT * FROM theses WHERE kind = 'user'").__next__()
    assert t["thesis_key"] == "user:rise-beats-the-market" and t["status"] == "weakening"
    assert t["counts"] == '{"broken": 1, "holding": 1, "unknown": 0, "weakening": 0}'
    settings.theses = []
    evaluate(store, settings, today=S.TODAY, progress=False, providers=[CsvProvider(data)])
    assert store.db.query("SELECT retired_at FROM theses WHERE kind = 'user'").__next__()["retired_at"]
