"""The board's speed: each page's first render with AppTest, and the similar-meaning search latency.

    python benchmarks/board.py [--articles 10000] [--theses 100] [--claims 2000] [--queries 200] [--keep DIR]

Builds a store in a temporary folder: ``--articles`` articles from 10 feeds (two company mentions and a sector
each, full-text indexed), a securities master of 500 companies with aliases, ``--claims`` claims on ``--theses``
articles (so ``--theses`` article theses) linked to daily close series (alone or against one of 10 benchmarks;
500 sessions each), each claim and thesis with a status and 30 days of status history, 200 alerts with two
deliveries each, and one 384-dim vector per article. Then:

- **pages**: each page's first render (the query cache emptied before it) with ``streamlit.testing.AppTest``,
  after one warm-up run of the app (imports); the first run of a fresh process is reported on its own. Aim < 1.5 s.
- **search**: the similar-meaning search as the board runs it (MiniLM encodes the query, one matrix-vector product
  over the vectors, top 500) over ``--queries`` different queries, p50/p95, at 10,000 and at 100,000 article
  vectors; the model load, the query encoding and the matrix load from the store are reported on their own.
  Aim < 100 ms. The article vectors are random unit vectors (the latency does not depend on their values).
- **vectors**: what the article vector adds to the extract stage per article (MiniLM of the title and the start of
  the text), next to the extraction of the same generated articles in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.evaluate import _sessions  # noqa: E402  (business days up to the same fixed date)

WORDS = ("demand margin guidance shares rally chip memory export yen rate bank capex orders revenue profit "
         "outlook supply price cloud retail consumer energy oil index small caps inflation growth dividend "
         "buyback valuation earnings forecast analysts broker quarter year").split()
SECTORS = ("semiconductors", "banks", "internet", "energy", "retail", "consumer", "software", "materials")
QUERIES = ["memory chip prices recover", "central bank rate hike lifts bank margins", "oil producers cut output",
           "consumer demand slows in china", "cloud revenue growth accelerates", "yen weakness helps exporters",
           "small caps lag large caps", "dividend increase and share buyback", "retail sales beat forecasts",
           "capital spending on AI data centres"]


def build(path: Path, n_articles: int, n_theses: int, n_claims: int, seed: int = 5) -> None:
    from tracker.names import alias_norm
    from tracker.store import alerts as aq
    from tracker.store import open_store
    from tracker.store import theses as tq
    from tracker.store import vectors as vq
    from tracker.timeutil import iso

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    store = open_store(path)
    conn = store.conn
    now = iso()
    companies = [(f"C{i:04d}.T", f"Company {i} Holdings", f"company-{i}") for i in range(500)]
    benches = [f"^B{i:02d}" for i in range(10)]
    dates = _sessions(500)
    with store.transaction():
        conn.executemany("INSERT INTO feeds (id, url, name, kind, added_at, last_outcome) VALUES (?, ?, ?, 'feed', ?, "
                         "'ok')", [(f + 1, f"https://feed{f}.example.com/rss", f"Feed {f}", now) for f in range(10)])
        conn.executemany("INSERT INTO securities (symbol, name, company_key, country, is_primary, source, updated_at) "
                         "VALUES (?, ?, ?, 'Japan', 1, 'curated', ?)", [(s, n, k, now) for s, n, k in companies])
        conn.executemany("INSERT INTO security_aliases (symbol, alias, alias_norm, kind, source) VALUES "
                         "(?, ?, ?, 'short', 'curated')", [(s, n.split(" Holdings")[0], alias_norm(n.split(" Holdings")[0]))
                                                          for s, n, _ in companies])
        for a in range(1, n_articles + 1):
            c1, c2 = rnd.sample(companies, 2)
            title = f"{c1[1].split(' Holdings')[0]} {' '.join(rnd.choices(WORDS, k=6))}"
            text = " ".join(f"{c1[1]} " + " ".join(rnd.choices(WORDS, k=14)) + "." for _ in range(8)) + \
                f" {c2[1]} " + " ".join(rnd.choices(WORDS, k=12)) + "."
            pub = dates[rnd.randrange(0, len(dates))] + "T08:00:00Z"
            conn.execute("INSERT INTO stories (id, title, created_at) VALUES (?, ?, ?)", [a, title, now])
            conn.execute("INSERT INTO articles (id, story_id, feed_id, source_name, url, title, author, published_at, "
                         "fetched_at, summary, text, content_hash, is_duplicate) VALUES (?, ?, ?, ?, ?, ?, 'desk', ?, "
                         "?, ?, ?, ?, 0)", [a, a, a % 10 + 1, f"Feed {a % 10}", f"https://feed{a % 10}.example.com/{a}",
                                            title, pub, now, text[:200], text, f"h{a}"])
            body = f"{title}\n\n{text}"
            for sym, name, key in (c1, c2):
                at = body.find(name)
                conn.execute("INSERT INTO mentions (article_id, name, canonical, symbol, company_key, start, \"end\", "
                             "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, 0.9)", [a, name, name, sym, key, max(at, 0),
                                                                              max(at, 0) + len(name)])
            conn.execute("INSERT INTO article_sectors VALUES (?, ?, 0.8)", [a, rnd.choice(SECTORS)])
        used = companies[:300]
        obs = []
        for sym in [s for s, _, _ in used] + benches:
            walk = 100 * np.exp(np.cumsum(rng.normal(0.0002, 0.015, len(dates))))
            obs += [(f"close:{sym}", "csv", d, float(v), now) for d, v in zip(dates, walk)]
        conn.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?)", obs)
        for sid in {o[0] for o in obs}:
            conn.execute("INSERT INTO series (series_id, kind, symbol, provider, first_date, last_date, requested_at, "
                         "last_fetched_at) VALUES (?, 'close', ?, 'csv', ?, ?, ?, ?)",
                         [sid, sid.split(":")[1], dates[0], dates[-1], now, now])
        thesis_articles = rnd.sample(range(1, n_articles + 1), n_theses)
        history_days = dates[-30:]
        for i in range(n_claims):
            a = thesis_articles[i % n_theses]
            pub = conn.execute("SELECT substr(published_at, 1, 10) FROM articles WHERE id = ?", [a]).fetchone()[0]
            sym, name, _ = rnd.choice(used)
            relative = rnd.random() < 0.3
            series = [f"close:{sym}"] + ([f"close:{rnd.choice(benches)}"] if relative else [])
            cid = conn.execute(
                "INSERT INTO claims (claim_key, article_id, sentence, start, \"end\", subject, subject_ticker, metric, "
                "direction, confidence, sectors, horizon_kind, created_at) VALUES (?, ?, ?, 0, 10, ?, ?, ?, ?, ?, ?, "
                "'open', ?)", [f"k{i}", a, f"{name} will keep rising {i}.", name, sym,
                              "relative_return" if relative else "price_return",
                              "outperform" if relative else "up", round(rnd.uniform(0.5, 1), 2),
                              json.dumps([rnd.choice(SECTORS)]), now]).lastrowid
            conn.execute("INSERT INTO claim_links (claim_id, recipe, symbols, benchmark, series, params, baseline_date, "
                         "explanation, linked_at) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?)",
                         [cid, "relative" if relative else "close", json.dumps([sym]),
                          series[1].split(":")[1] if relative else None, json.dumps(series), pub,
                          f"close of {name} ({sym}) since {pub}", now])
            status = rnd.choices(["holding", "weakening", "broken", "unknown"], [6, 2, 1, 1])[0]
            conn.execute("INSERT INTO claim_status (claim_id, status, score, reason, baseline_value, baseline_date, "
                         "latest_value, latest_date, provider, evidence, evaluated_at, changed_at) VALUES "
                         "(?, ?, 0.1, 'synthetic', 100, ?, 104, ?, 'csv', '{}', ?, ?)",
                         [cid, status, pub, dates[-1], now, history_days[rnd.randrange(30)] + "T22:00:00Z"])
            conn.executemany("INSERT INTO claim_status_history (claim_id, as_of, status, score, latest_value, "
                             "evaluated_at) VALUES (?, ?, ?, 0.1, 100, ?)",
                             [(cid, d, status if k > 20 else "holding", now) for k, d in enumerate(history_days)])
    tq.sync_article_theses(store)
    with store.transaction():
        for tid, in conn.execute("SELECT id FROM theses").fetchall():
            conn.execute("UPDATE theses SET status = ?, counts = ?, changed_at = ? WHERE id = ?",
                         [rnd.choice(["holding", "weakening", "broken", "unknown"]),
                          json.dumps({"holding": 12, "weakening": 5, "broken": 2, "unknown": 1}),
                          history_days[rnd.randrange(30)] + "T22:00:00Z", tid])
            conn.executemany("INSERT INTO thesis_status_history (thesis_id, as_of, status, counts, evaluated_at) "
                             "VALUES (?, ?, 'holding', '{}', ?)", [(tid, d, now) for d in history_days])
        claims = [r[0] for r in conn.execute("SELECT id FROM claims LIMIT 200")]
        for k, cid in enumerate(claims):
            aq.insert_alert(conn, {"dedup_key": f"claim:{cid}:reversed:1", "claim_id": cid, "kind": "reversed",
                                   "title": f"Claim reversed: claim {cid}", "message": "synthetic", "as_of": dates[-1]},
                            [("a1", "log://"), ("b2", "json://127.0.0.1:9/hook")])
    vecs = rng.normal(size=(n_articles, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vq.save(store, [(a, f"h{a}", vecs[a - 1]) for a in range(1, n_articles + 1)], "random")
    store.close()


def time_pages(db: Path) -> list[tuple[str, float, float]]:
    """(page, first render, render again) in seconds: the first time the page runs in this process (one-time
    imports such as altair's included) and a second time; the query cache is emptied before each."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tracker.store import board

    with board.reader(db) as conn:
        thesis = conn.execute("SELECT id FROM theses ORDER BY id LIMIT 1").fetchone()[0]
        claim = conn.execute("SELECT claim_id FROM claim_links WHERE recipe = 'relative' LIMIT 1").fetchone()[0]
        article = conn.execute("SELECT article_id FROM claims WHERE id = ?", [claim]).fetchone()[0]
    pages = [("board", None, None), ("thesis", {"id": str(thesis)}, None), ("claim", {"id": str(claim)}, None),
             ("article", {"id": str(article)}, None), ("search", None, None),
             ("search", None, ("Company", "Company 7")), ("search", None, ("Words", "memory demand")),
             ("claims", None, None), ("companies", None, None), ("alerts", None, None), ("sources", None, None)]
    out = []
    for page, params, query in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(params or {})
        at.run()  # the first page; its own renders are timed below as "board"
        times = []
        for _ in range(2):
            st.cache_data.clear()
            t = time.perf_counter()
            if page == "board":
                at.run()
            else:
                at.switch_page(f"tracker/ui/pages/{page}.py").run()
            if query:
                st.cache_data.clear()
                t = time.perf_counter()
                at.segmented_control(key="mode").set_value(query[0]).run()
                at.text_input(key=f"q_{query[0]}").input(query[1] + " " * len(times)).run()
            times.append(time.perf_counter() - t)
            assert not at.exception, (page, [e.value for e in at.exception])
        label = page + (f" ?id={params['id']}" if params else "") + (f" ({query[0].lower()}: {query[1]!r})" if query else "")
        out.append((label, *times))
    return out


def time_search(db: Path, n_queries: int) -> dict:
    from tracker.nlp.article_vectors import VectorIndex, encode, query_encoder
    from tracker.store import board

    t = time.perf_counter()
    query_encoder()  # as the board sets it up (tracker.ui.data.encoder)
    encode(["warm up"])
    load_s = time.perf_counter() - t
    queries = [f"{q} {w}" for q in QUERIES for w in WORDS][:n_queries]
    with board.reader(db) as conn:
        t = time.perf_counter()
        small = VectorIndex.load(conn)
        load_10k = time.perf_counter() - t
    rng = np.random.default_rng(1)
    extra = rng.normal(size=(100_000 - len(small), 384)).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    big = VectorIndex(np.arange(1, 100_001, dtype=np.int64), np.vstack([small.matrix, extra]))
    big_db = db.with_name("vectors100k.db")
    _store_vectors(big_db, big)
    with board.reader(big_db) as conn:
        t = time.perf_counter()
        VectorIndex.load(conn)
        load_100k = time.perf_counter() - t
    result = {"model_load_s": load_s, "matrix_load_s": {len(small): load_10k, len(big): load_100k}}
    for index in (small, big):
        total, searched, encoded = [], [], []
        for q in queries:
            t0 = time.perf_counter()
            vec = encode([q])[0]
            t1 = time.perf_counter()
            index.search(vec, 500)
            t2 = time.perf_counter()
            total.append(t2 - t0)
            encoded.append(t1 - t0)
            searched.append(t2 - t1)
        result[len(index)] = {name: (statistics.median(v), np.percentile(v, 95)) for name, v in
                              (("encode + search", total), ("encode", encoded), ("search", searched))}
    return result


def _store_vectors(path: Path, index) -> None:
    from tracker.store import open_store
    from tracker.store import vectors as vq

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    store = open_store(path)
    with store.transaction():
        store.conn.execute("INSERT INTO stories (id, title, created_at) VALUES (1, 's', 'now')")
        store.conn.executemany("INSERT INTO articles (id, story_id, title, content_hash, fetched_at) VALUES "
                               "(?, 1, 't', 'h', 'now')", [(int(i),) for i in index.ids])
    vq.save(store, [(int(i), "h", v) for i, v in zip(index.ids, index.matrix)], "random")
    store.close()


def time_vectors(n: int = 64, rounds: int = 2) -> tuple[float, float, float]:
    """What the article vectors add to the extract stage, on the extraction benchmark's generated articles (real
    length, ~380 words): (ms per article for the vectors, ms per article for the extraction, vectors / extraction),
    interleaved rounds, best of each, the extract stage's torch threads."""
    from benchmarks.extract import make_articles
    from tracker.nlp.article_vectors import encode, vector_text
    from tracker.nlp.extract import Extractor

    texts = make_articles(n)
    articles = [{"title": t.split(". ")[0][:120], "text": t} for t in texts]
    ex = Extractor(None, None)  # loads spaCy and sets the encoder's threads as the extract stage does
    list(ex.extract(texts[:8]))
    vec, full = [], []
    for r in range(rounds):
        for what in ("vec", "full") if r % 2 == 0 else ("full", "vec"):
            t = time.perf_counter()
            if what == "vec":
                for i in range(0, n, 32):  # the extract stage's batch
                    encode([vector_text(a) for a in articles[i:i + 32]])
                vec.append(time.perf_counter() - t)
            else:
                list(ex.extract(texts))
                full.append(time.perf_counter() - t)
    v, f = min(vec) / n * 1000, min(full) / n * 1000
    return v, f, v / f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--theses", type=int, default=100)
    ap.add_argument("--claims", type=int, default=2_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", help="build the store in this folder and keep it")
    args = ap.parse_args()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-board-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "board.db"
    for stale in folder.glob("*.db*"):
        stale.unlink()
    t = time.perf_counter()
    build(db, args.articles, args.theses, args.claims)
    print(f"built {db}: {args.articles} articles, {args.theses} theses, {args.claims} claims with 500 sessions of "
          f"closes and 30 days of status history, 200 alerts, {args.articles} vectors in {time.perf_counter() - t:.0f} s")
    os.environ["TRACKER_DB"] = str(db)
    os.environ.pop("TRACKER_CONFIG", None)
    os.chdir(folder)

    from streamlit.testing.v1 import AppTest

    t = time.perf_counter()
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    print(f"\nfirst run of a fresh process (imports of streamlit, pandas, altair, the tracker): "
          f"{time.perf_counter() - t:.2f} s")
    print("\neach page rendered with AppTest, the query cache emptied before each; aim < 1.5 s")
    print(f"  {'page':<48}{'first':>8}{'again':>8}")
    for label, first, again in time_pages(db):
        print(f"  {label:<48}{first:>7.2f}s{again:>7.2f}s")

    s = time_search(db, args.queries)
    print(f"\nsimilar-meaning search over {args.queries} queries (top 500); aim < 100 ms")
    print(f"  model load (once per board process): {s['model_load_s']:.1f} s")
    for n, took in s["matrix_load_s"].items():
        print(f"  vectors loaded from the store (once, again when they change): {n:,} in {took:.2f} s")
    for n in (args.articles, 100_000):
        for name, (p50, p95) in s[n].items():
            print(f"  {n:>7,} vectors  {name:<16} p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms")

    vec_ms, extract_ms, share = time_vectors()
    print(f"\nextract stage, per article (64 generated articles of ~380 words, best of 2 interleaved rounds): "
          f"extraction {extract_ms:.0f} ms, article vector {vec_ms:.0f} ms (+{share:.0%})")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
