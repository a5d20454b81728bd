"""Extraction throughput: the full Extractor next to bare ``nlp.pipe`` of the same spaCy pipeline.

    python benchmarks/extract.py [--articles 300] [--db tracker.db] [--seed 7] [--rounds 4]

Articles are generated offline from templates filled with companies from the curated securities list,
tickers in the forms the linker reads, index and macro sentences, and the dev passages in
tests/fixtures/companies/dev.jsonl. Both runs see the same texts in the same process, after a warm-up,
in interleaved rounds (a quarter of the texts each, alternating which run goes first); the ratio
(Extractor / bare) is what to compare across machines. Peak RSS is the process maximum.
With --db, the store's securities master is used (e.g. after `tracker securities update --from ...`).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENERS = [
    "{a} rose {p}% on {day} after the company raised its full-year guidance, while {b} slipped {q}%.",
    "Shares of {a} ({ta}) jumped {p}% as quarterly revenue beat estimates; peers {b} and {c} also gained.",
    "{a}'s outlook disappointed investors: the company now expects margins to narrow, and {b} fell in sympathy.",
    "Analysts at a large broker upgraded {a} to buy, citing demand for its products, and cut {b} to hold.",
    "{a} said orders from China would recover next year. {b} and {c} were little changed.",
    "${ca} popped {p}% premarket while ${cb} slid after a downgrade.",
    "In {city}, {a} led gains after a record month of sales; {b} lagged on weaker pricing.",
]
MACRO = [
    "The Fed held rates steady and the S&P 500 ended {p}% higher, while the Nikkei 225 slipped.",
    "The European Central Bank signalled a pause; the Stoxx 600 was flat and Bund yields fell.",
    "The Bank of Japan kept policy unchanged, and the yen weakened against the dollar.",
    "The Kospi rose {p}% and the Taiex added {q}% as chip stocks rallied across Asia.",
    "Hang Seng Tech gained {p}% while the CSI 300 was little changed; the People's Bank of China cut rates.",
    "Treasury yields climbed after CPI came in hot; IT spending and AI capex remain the market's focus.",
    "OPEC+ extended output cuts and Brent crude rose {p}% to ${px} a barrel.",
]
FILLER = [
    "Investors weighed the outlook for rates, earnings and the dollar over the coming quarters.",
    "Valuations remain stretched relative to history, though earnings revisions have turned positive.",
    "Management reiterated its capital return plans and said demand had stabilised in recent weeks.",
    "Volumes were light ahead of the holiday, and many desks expect volatility to stay elevated.",
    "The company plans to invest heavily in capacity, which should support growth into next year.",
    "Supply chains have normalised, but input costs are still higher than before the pandemic.",
    "Consumers are trading down, according to retailers, while services spending holds up.",
    "Subscribe to our newsletter. Share this article. All rights reserved.",
]
CITIES = ["Tokyo", "Seoul", "Taipei", "Hong Kong", "Shanghai", "Mumbai", "Frankfurt", "Paris", "London", "New York"]


def make_articles(n: int, seed: int = 7) -> list[str]:
    from tracker.securities import curated_rows

    rnd = random.Random(seed)
    rows = [r for r in curated_rows() if "word" not in r["flags"]]
    us = [r for r in rows if "." not in r["symbol"]]
    dev = ROOT / "tests" / "fixtures" / "companies" / "dev.jsonl"
    samples = [json.loads(x)["text"] for x in dev.read_text().splitlines() if x.strip()] if dev.exists() else []

    def name(r):
        aliases = [a for a in r["aliases"].split("|") if a]
        return rnd.choice(aliases or [r["name"]])

    out = []
    for _ in range(n):
        paras = []
        for _ in range(rnd.randint(3, 6)):
            a, b, c = rnd.sample(rows, 3)
            ca, cb = rnd.sample(us, 2)
            fill = dict(a=name(a), b=name(b), c=name(c), ta=a["symbol"], ca=ca["symbol"], cb=cb["symbol"],
                        p=rnd.randint(1, 9), q=rnd.randint(1, 5), px=rnd.randint(60, 95),
                        day=rnd.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
                        city=rnd.choice(CITIES))
            sents = [rnd.choice(OPENERS).format(**fill), rnd.choice(MACRO).format(**fill)]
            sents += rnd.sample(FILLER, rnd.randint(2, 4))
            if samples and rnd.random() < 0.5:
                sents.append(rnd.choice(samples))
            rnd.shuffle(sents)
            paras.append(" ".join(sents))
        out.append("\n\n".join(paras))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--db", help="use this store's securities master")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=4, help="interleaved bare/full rounds (default 4)")
    args = ap.parse_args(argv)

    from tracker.nlp.extract import Extractor
    from tracker.nlp.pipeline import COMPONENTS

    store = None
    if args.db:
        from tracker.store import open_store

        store = open_store(args.db)
    t0 = time.perf_counter()
    ex = Extractor(None, store)
    load_s = time.perf_counter() - t0
    texts = make_articles(args.articles, args.seed)
    words = sum(len(t.split()) for t in texts)

    # warm-up (first-call costs: encoder load, description vectors, caches)
    list(ex.extract(texts[:20]))
    with ex.nlp.select_pipes(disable=list(COMPONENTS)):
        list(ex.nlp.pipe(texts[:20]))

    def bare(chunk):
        t = time.perf_counter()
        with ex.nlp.select_pipes(disable=list(COMPONENTS)):
            for _ in ex.nlp.pipe(chunk, batch_size=16):
                pass
        return time.perf_counter() - t

    def full(chunk):
        t = time.perf_counter()
        results.extend(ex.extract(chunk))
        return time.perf_counter() - t

    # interleaved rounds, alternating which run goes first, so that a slow spell of a noisy machine
    # lands on both runs instead of skewing the ratio
    results: list[dict] = []
    bare_s = full_s = 0.0
    n = max(1, min(args.rounds, len(texts)))
    for r in range(n):
        chunk = texts[r * len(texts) // n:(r + 1) * len(texts) // n]
        if r % 2:
            full_s += full(chunk)
            bare_s += bare(chunk)
        else:
            bare_s += bare(chunk)
            full_s += full(chunk)

    mentions = sum(len(r["companies"]) for r in results)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(texts)}  words: {words}  master: {len(ex.master)} companies "
          f"({'store ' + args.db if args.db else 'built-in'}), loaded in {load_s:.1f}s")
    print(f"{'run':<28}{'seconds':>9}{'articles/s':>12}{'words/s':>10}")
    print(f"{'bare nlp.pipe (spaCy only)':<28}{bare_s:>9.2f}{len(texts) / bare_s:>12.1f}{words / bare_s:>10.0f}")
    print(f"{'Extractor (full pipeline)':<28}{full_s:>9.2f}{len(texts) / full_s:>12.1f}{words / full_s:>10.0f}")
    print(f"ratio Extractor/bare: {bare_s / full_s:.2f}   (aim >= 0.5)")
    print(f"company mentions: {mentions} ({mentions / len(texts):.1f} per article)")
    print(f"peak RSS: {rss_mb:.0f} MB   (aim < 1500 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
