"""The thesis board's fixture store: tests/_seed.py's feeds, articles, securities and claims, then the real stages
on top of them, evaluated day by day over CSV series with the clock pinned to each evening:

- claims linked by the catalogue (one through a proxy: small caps -> Russell 2000), statuses and history;
- Reliance "outperforms the Nifty" rises, then reverses hard: broken, with a reversal alert delivered to a
  ``log://`` channel and pending on a refused webhook whose URL holds a password (masked everywhere);
- an article with a claim about the past ("risen 25% so far this year"): checked "as stated at publication";
- SK hynix's earnings come from the bundled-sample provider (``sample``): SAMPLE DATA wherever shown;
- Tencent's revenue series is missing: unknown; a user thesis from the config ("Asian memory upcycle") with a
  claim of its own that states a level (Sony's operating margin at 11.5%);
- a mute on a ticker (active until 2099) and an expired one; article vectors for the similar-meaning search.

``build(path)`` takes ~10 s: tests build it once per session (``board_db`` in conftest) and copy the file.
"""

from __future__ import annotations

import contextlib
import math
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from tests import _seed
from tests._series import business_days
from tracker.config import Settings, ThesisClaimConfig, ThesisConfig
from tracker.store import open_store

START = date(2025, 9, 1)
FIRST_EVAL = date(2026, 11, 16)
TODAY = date(2026, 12, 4)  # the last evaluation: before the machines' clock (board times stay in the past)
SECRET = "s3cr3tpass"
WEBHOOK = f"json://tracker:{SECRET}@127.0.0.1:9/hook"  # port 9: refused at once (loopback only)

PAST_TITLE = "Samsung leads Korean chip rally into year end"
PAST_SENTENCE = "Samsung Electronics shares have risen 25% so far this year, brokers said."
USER_THESIS = "Asian memory upcycle"
RELIANCE_SENTENCE = _seed.ARTICLES[5]["claims"][0][0]
RELIANCE_TITLE = _seed.ARTICLES[5]["title"]


def _closes(end: date, daily) -> list[tuple[str, float]]:
    """Closes on business days up to ``end``; ``daily(d)`` is the log return of day ``d``."""
    value, out = 100.0, []
    for d in business_days(START, end):
        value *= math.exp(daily(d))
        out.append((d.isoformat(), round(value, 4)))
    return out


def _quarters(values: list[float]) -> list[tuple[str, float]]:
    ends = ["2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"]
    return list(zip(ends[-len(values):], values))


def _wiggle(d: date, size: float = 0.004) -> float:
    return size * math.sin(d.toordinal() * 1.7)


def write_series(live: Path, sample: Path, end: date) -> None:
    """Every series as known on the evening of ``end``."""
    def csv(folder: Path, name: str, rows, header="date,close"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.csv").write_text(header + "\n" + "\n".join(f"{d},{v}" for d, v in rows) + "\n")

    turn = date(2026, 11, 24)
    csv(live, "RELIANCE.NS", _closes(end, lambda d: _wiggle(d) + (0.004 if d < turn else -0.03)))
    csv(live, "^NSEI", _closes(end, lambda d: _wiggle(d, 0.002)))
    csv(live, "^RUT", _closes(end, lambda d: _wiggle(d) + (0.0025 if d >= date(2026, 11, 23) else -0.002)))
    csv(live, "^GSPC", _closes(end, lambda d: _wiggle(d, 0.002) + 0.001))
    csv(live, "005930.KS", _closes(end, lambda d: _wiggle(d) + (0.25 / 230 if d.year == 2026 else 0.0)))
    csv(live, "2330.TW@CapitalExpenditure", _quarters([9.0, 9.5, 10.1, 10.8, 11.6, 12.9]), "date,value")
    csv(live, "2330.TW@TotalRevenue", _quarters([600, 640, 700, 720, 800, 900]), "date,value")
    csv(live, "6758.T@OperatingIncome", _quarters([300, 310, 320, 330, 345, 360]), "date,value")
    csv(live, "6758.T@TotalRevenue", _quarters([3000, 3000, 3000, 3000, 3000, 3000]), "date,value")
    csv(sample, "000660.KS@NetIncome", _quarters([10, 12, 15, 18, 22, 30]), "date,value")


@contextlib.contextmanager
def _clock(at: datetime):
    import tracker.timeutil as tu

    real = tu.now
    tu.now = lambda: at
    try:
        yield
    finally:
        tu.now = real


def settings_for(db: Path, work: Path) -> Settings:
    s = Settings()
    s.store.path = str(db)
    s.metrics.refresh_interval_s = 0  # every evaluation reads the CSV files again
    s.alerts.channels = [f"log://{work / 'alerts.log'}", WEBHOOK]
    s.theses = [ThesisConfig(title=USER_THESIS, tickers=["000660.KS"], claims=[
        ThesisClaimConfig(subject="Samsung Electronics", ticker="005930.KS", metric="price_return", direction="up",
                          since=date(2026, 11, 16)),
        ThesisClaimConfig(subject="Sony", ticker="6758.T", metric="margin", direction="high", level=11.5)])]
    return s


def build(path: str | Path, work: Path) -> Path:
    """Create the board's fixture store at ``path`` (``work``: a scratch folder for series and logs)."""
    from tracker.evaluate import evaluate
    from tracker.metrics.providers import CsvProvider
    from tracker.nlp.article_vectors import backfill
    from tracker.store import alerts as aq
    from tracker.store import extractions as xq

    db = _seed.seed(path)
    live, sample = work / "series", work / "sample"
    settings = settings_for(db, work)
    store = open_store(db)
    try:
        with _clock(datetime(2026, 11, 26, 9, tzinfo=timezone.utc)):
            with store.transaction() as d:
                d.execute("INSERT INTO stories (id, title, created_at) VALUES (9, ?, '2026-11-26T09:00:00Z')",
                          [PAST_TITLE])
                text = (f"{PAST_SENTENCE} Foreign investors bought a net 2 trillion won of Korean shares in November, "
                        "with memory makers taking most of it.")
                d.execute("INSERT INTO articles (id, story_id, feed_id, source_name, url, title, author, published_at, "
                          "fetched_at, summary, text, content_hash, is_duplicate) VALUES (9, 9, 2, "
                          "'Korea Herald Business', 'https://business.example.org/news/samsung-rally', ?, 'Seoul desk', "
                          "'2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z', ?, ?, 'hash-9', 0)", [PAST_TITLE, text[:120], text])
            body = f"{PAST_TITLE}\n\n{text}"
            start = body.index(PAST_SENTENCE)
            xq.save_extraction(store, 9, {
                "companies": [{"name": "Samsung Electronics", "canonical": "Samsung Electronics", "ticker": "005930.KS",
                               "company_key": "samsung-electronics", "start": start, "end": start + 19,
                               "confidence": 0.95}],
                "sectors": [{"sector": "semiconductors", "confidence": 0.9}],
                "claims": [{"sentence": PAST_SENTENCE, "start": start, "end": start + len(PAST_SENTENCE),
                            "subject": "Samsung Electronics", "subject_norm": "samsung electronics",
                            "subject_ticker": "005930.KS", "metric": "price_return", "direction": "up",
                            "magnitude": "25%", "horizon": "so far this year", "sectors": ["semiconductors"],
                            "confidence": 0.9}]}, {"test": "1"}, published=date(2026, 11, 26))
        day = FIRST_EVAL
        while day <= TODAY:
            if day.weekday() < 5:
                evening = datetime.combine(day, time(22), timezone.utc)
                write_series(live, sample, day)
                with _clock(evening):
                    evaluate(store, settings, now=evening, progress=False,
                             providers=[CsvProvider(live), CsvProvider(sample, name="sample")])
            day += timedelta(days=1)
        with _clock(datetime.combine(TODAY, time(23), timezone.utc)):
            aq.add_mute(store, "ticker", "0700.HK", "2099-01-01T00:00:00Z")
            aq.add_mute(store, "claim", "1", "2026-11-30T00:00:00Z")  # expired
            backfill(store)
    finally:
        store.close()
    return Path(path)
