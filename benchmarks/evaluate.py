"""Claim evaluation throughput: 10,000 claims over cached series, next to reading the same series from the store.

    python benchmarks/evaluate.py [--claims 10000] [--companies 1000] [--days 750] [--rounds 3] [--keep DIR]

Builds a store in a temporary folder: ``--companies`` daily close series of ``--days`` sessions (plus 20
benchmarks), quarterly statements for a tenth of the companies, and ``--claims`` claims linked with the recipes'
usual mix (close 60%, relative 20%, statement growth/ratio 10%, baskets 5%, macro rates 5%). Then, in interleaved
rounds, times (a) reading every series the claims use (``tracker.store.metrics.read_many``, what evaluation reads)
and (b) evaluating every claim (``tracker.evaluate.evaluate_claims``: the same read plus value series, status and
the as-stated check). Prints claims per second, the ratio (b)/(a) (aim: within 2x) and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 1)


def _sessions(n: int) -> list[str]:
    out, d = [], TODAY
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d -= timedelta(days=1)
    return out[::-1]


def build(path: Path, n_claims: int, n_companies: int, days: int, seed: int = 3) -> None:
    from tracker.store import open_store
    from tracker.timeutil import iso

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    store = open_store(path)
    conn = store.conn
    dates = _sessions(days)
    now = iso()
    symbols = [f"C{i:04d}.T" for i in range(n_companies)]
    benches = [f"^B{i:02d}" for i in range(20)]
    with store.transaction():
        obs = []
        for sym in symbols + benches:
            walk = 100 * np.exp(np.cumsum(rng.normal(0.0002, 0.015, days)))
            obs += [(f"close:{sym}", "csv", d, float(v), now) for d, v in zip(dates, walk)]
        for code in ("DGS10", "DGS2"):
            walk = 4 + np.cumsum(rng.normal(0, 0.04, days))
            obs += [(f"macro:{code}", "fred", d, float(v), now) for d, v in zip(dates, walk)]
        quarters = [(date(TODAY.year - 3, 3, 31) + timedelta(days=91 * q)).isoformat() for q in range(12)]
        for sym in symbols[: n_companies // 10]:
            for fld, base in (("TotalRevenue", 1e9), ("NetIncome", 1e8), ("EBIT", 2e8), ("InterestExpense", 1e7)):
                vals = base * np.exp(np.cumsum(rng.normal(0.02, 0.05, 12)))
                obs += [(f"stmt:{sym}:{fld}", "csv", q, float(v), now) for q, v in zip(quarters, vals)]
        conn.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?)", obs)
        for sid in {o[0] for o in obs}:
            kind = {"close": "close", "stmt": "statement", "macro": "macro"}[sid.split(":")[0]]
            prov = "fred" if kind == "macro" else "csv"
            conn.execute("INSERT INTO series (series_id, kind, symbol, provider, first_date, last_date, requested_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", [sid, kind, sid.split(":")[1], prov, dates[0], dates[-1], now])
        n_articles = max(1, n_claims // 5)
        conn.execute("INSERT INTO stories (id, title, created_at) VALUES (1, 's', ?)", [now])
        for a in range(1, n_articles + 1):
            pub = dates[rnd.randrange(days // 2, days - 5)]
            conn.execute("INSERT INTO articles (id, story_id, title, text, content_hash, fetched_at, published_at) "
                         "VALUES (?, 1, 'a', 'x', ?, ?, ?)", [a, f"h{a}", now, pub + "T08:00:00Z"])
        for i in range(n_claims):
            a = i // 5 + 1
            pub = conn.execute("SELECT substr(published_at, 1, 10) FROM articles WHERE id = ?", [a]).fetchone()[0]
            r = rnd.random()
            sym = rnd.choice(symbols)
            direction = rnd.choice(["up", "down"])
            if r < 0.6:
                recipe, series, params, metric = "close", [f"close:{sym}"], {}, "price_return"
            elif r < 0.8:
                b = rnd.choice(benches)
                recipe, series, params, metric = "relative", [f"close:{sym}", f"close:{b}"], {}, "relative_return"
                direction = rnd.choice(["outperform", "underperform"])
            elif r < 0.9:
                s2 = rnd.choice(symbols[: n_companies // 10])
                if rnd.random() < 0.5:
                    recipe, series, params, metric = "statement_growth", [f"stmt:{s2}:TotalRevenue"], {"field": "TotalRevenue"}, "revenue_growth"
                else:
                    recipe, series, params, metric = "statement_ratio", [f"stmt:{s2}:EBIT", f"stmt:{s2}:InterestExpense"], \
                        {"numerator": "EBIT", "denominator": "InterestExpense", "scale": 1.0}, "interest_coverage"
                    direction = "high"
            elif r < 0.95:
                members = rnd.sample(symbols, 4)
                recipe, series, params, metric = "group", [f"close:{m}" for m in members], {}, "demand"
            else:
                recipe, series, params, metric = "macro", ["macro:DGS10"], {"kind": "rate"}, "rate"
            cid = conn.execute(
                "INSERT INTO claims (claim_key, article_id, sentence, start, \"end\", subject, metric, direction, "
                "confidence, horizon_kind, created_at) VALUES (?, ?, 's', 0, 1, 'x', ?, ?, 0.7, 'open', ?)",
                [f"k{i}", a, metric, direction, now]).lastrowid
            conn.execute("INSERT INTO claim_links (claim_id, recipe, symbols, series, params, baseline_date, "
                         "linked_at) VALUES (?, ?, '[]', ?, ?, ?, ?)",
                         [cid, recipe, json.dumps(series), json.dumps(params), pub, now])
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--companies", type=int, default=1_000)
    ap.add_argument("--days", type=int, default=750)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", help="build the store in this folder and keep it")
    args = ap.parse_args()

    from tracker.config import Settings
    from tracker.evaluate import evaluate_claims
    from tracker.store import metrics as mq
    from tracker.store import open_store
    from tracker.store import status as sq

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-evaluate-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.db"
    if db.exists():
        db.unlink()
    t = time.perf_counter()
    build(db, args.claims, args.companies, args.days)
    print(f"built {db}: {args.claims} claims, {args.companies + 22} daily series x {args.days} sessions "
          f"in {time.perf_counter() - t:.1f} s")
    store = open_store(db)
    p = Settings().evaluate
    claims = sq.claims_to_evaluate(store.conn)
    wanted = {s for c in claims if c["link"] for s in c["link"]["series"]}
    evaluate_claims(store.conn, claims[:200], p, TODAY)  # warm-up (imports, page cache)
    reads, evals = [], []
    for r in range(args.rounds):
        order = ("read", "eval") if r % 2 == 0 else ("eval", "read")
        for what in order:
            t = time.perf_counter()
            if what == "read":
                mq.read_many(store.conn, wanted)
                reads.append(time.perf_counter() - t)
            else:
                verdicts = evaluate_claims(store.conn, claims, p, TODAY)
                evals.append(time.perf_counter() - t)
    read, ev = min(reads), min(evals)
    counts = {}
    for v in verdicts:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"series read ({len(wanted)} series): {read:.2f} s (best of {args.rounds})")
    print(f"evaluation ({len(claims)} claims, read included): {ev:.2f} s = {len(claims) / ev:,.0f} claims/s")
    print(f"ratio evaluation / read: {ev / read:.2f}x (aim: within 2x)")
    print(f"statuses: {counts}")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
