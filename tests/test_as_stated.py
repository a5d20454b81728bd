"""'As stated at publication': past claims checked against their own window ending at publication."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import _series as S
from tracker.evaluate import evaluate
from tracker.metrics.providers import CsvProvider
from tracker.store import extractions as xq
from tracker.timeutil import iso

PUB = date(2025, 12, 21)  # a Sunday: the last session before it is Friday 19 December


def _days(start, end):
    d, out = start, []
    while d <= end:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "series"
    days = _days(date(2024, 12, 2), date(2026, 1, 30))
    # EWX: 100 on the last session of 2024, 114 on 19 December 2025 (+14% year-to-date), linear in between
    ewx = []
    for x in days:
        if x <= date(2024, 12, 31):
            v = 100.0
        elif x <= date(2025, 12, 19):
            v = 100.0 + 14.0 * (x - date(2024, 12, 31)).days / (date(2025, 12, 19) - date(2024, 12, 31)).days
        else:
            v = 114.0
        ewx.append((x.isoformat(), round(v, 6)))
    S.write(d, "EWX", ewx)
    # Hang Seng: flat at 20,000, then -8% on Friday 19 December
    S.write(d, "^HSI", [(x.isoformat(), 18400.0 if x >= date(2025, 12, 19) else 20000.0) for x in days])
    S.write(d, "002284.SZ@NetIncome", [("2024-06-30", 80), ("2024-09-30", 100), ("2025-06-30", 96), ("2025-09-30", 125)],
            header="date,value")
    S.write(d, "4784.T@EBIT", [("2025-06-30", 5400), ("2025-09-30", 5600)], header="date,value")
    S.write(d, "4784.T@InterestExpense", [("2025-06-30", 100), ("2025-09-30", 100)], header="date,value")
    return d


def c(sentence, subject, metric, direction, **kw):
    return {"sentence": sentence, "start": 0, "end": len(sentence), "subject": subject, "subject_norm": subject.lower(),
            "subject_ticker": kw.pop("ticker", None), "metric": metric, "direction": direction,
            "magnitude": kw.pop("magnitude", None), "horizon": kw.pop("horizon", None),
            "benchmark": kw.pop("benchmark", None), "hedged": kw.pop("hedged", False), "negated": False,
            "sectors": [], "confidence": 0.8}


CLAIMS = [
    c("Asia ex-Japan small caps have returned 14% year-to-date.", "Asia ex-Japan small caps", "price_return", "up",
      magnitude="14%", horizon="year-to-date"),
    c("The Hang Seng fell 8% in a single session.", "The Hang Seng", "index_level", "down", magnitude="8%",
      horizon="in a single session"),
    c("The Hang Seng slipped 3% in a single session.", "The Hang Seng", "index_level", "down", magnitude="3%",
      horizon="in a single session"),
    c("Zhejiang Asia-Pacific's earnings are growing far faster than its industry's 8%.",
      "Zhejiang Asia-Pacific", "earnings_growth", "outperform", ticker="002284.SZ", magnitude="8%",
      benchmark="its industry's 8%"),
    c("GMO Internet's EBIT covers interest 56 times.", "GMO Internet", "interest_coverage", "high", ticker="4784.T",
      magnitude="56 times"),
    c("GMO Internet's EBIT covers interest 30 times.", "GMO Internet", "interest_coverage", "high", ticker="4784.T",
      magnitude="30 times"),
    c("The Hang Seng will rebound 10% next year.", "The Hang Seng", "index_level", "up", magnitude="10%",
      horizon="next year", hedged=True),
    c("The Hang Seng fell sharply.", "The Hang Seng", "index_level", "down"),
]


def test_as_stated_at_publication(store, settings, data):
    with store.transaction() as db:
        story = db.execute("INSERT INTO stories (title, created_at) VALUES ('t', ?)", [iso()]).lastrowid
        a = db.execute("INSERT INTO articles (story_id, title, text, content_hash, fetched_at, published_at) VALUES "
                       "(?, 'Asia small caps', 'x', 'h', ?, '2025-12-21T02:00:00Z')", [story, iso()]).lastrowid
    xq.save_extraction(store, a, {"claims": CLAIMS}, {"t": "1"}, published=PUB)
    evaluate(store, settings, today=date(2026, 1, 30), progress=False, providers=[CsvProvider(data)])
    got = {r["sentence"]: (r["as_stated"], r["as_stated_value"], r["as_stated_note"]) for r in store.db.query(
        "SELECT c.sentence, s.as_stated, s.as_stated_value, s.as_stated_note FROM claims c "
        "JOIN claim_status s ON s.claim_id = c.id")}
    small = got["Asia ex-Japan small caps have returned 14% year-to-date."]
    assert small[:2] == ("confirmed", 14.0) and "from 2024-12-31 to 2025-12-19" in small[2]
    assert got["The Hang Seng fell 8% in a single session."][:2] == ("confirmed", -8.0)
    wrong = got["The Hang Seng slipped 3% in a single session."]
    assert wrong[:2] == ("contradicted", -8.0) and "stated -3%" in wrong[2]
    assert got["Zhejiang Asia-Pacific's earnings are growing far faster than its industry's 8%."][:2] == ("confirmed", 25.0)
    assert got["GMO Internet's EBIT covers interest 56 times."][:2] == ("confirmed", 56.0)
    assert got["GMO Internet's EBIT covers interest 30 times."][:2] == ("contradicted", 56.0)
    assert got["The Hang Seng will rebound 10% next year."] == (None, None, None)  # forward-looking: tracked instead
    assert got["The Hang Seng fell sharply."] == ("uncheckable", None, "no figure stated")
