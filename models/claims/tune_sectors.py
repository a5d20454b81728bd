"""Grid-search the sector tagger's evidence weights on the TRAIN split, then report them on DEV.

    python models/claims/tune_sectors.py

Text evidence only (keyword hits and the best MiniLM similarity of a lead sentence to each description);
the company evidence needs the securities master and keeps its default weight. Prints the best settings
by train micro-F1 and their dev figure; copy them into tracker/defaults.py by hand.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split  # noqa: E402


def gold_company_sectors(pairs, equities: Path) -> list[list[str]]:
    """Sectors of each passage's gold companies through a FinanceDatabase equities file: what the tagger
    will see once the company linker and the securities master are in place."""
    import pandas as pd

    from tracker.nlp.sectors import company_sector, load_spec

    df = pd.read_csv(equities, usecols=["symbol", "sector", "industry_group", "industry"])
    rows = df.dropna(subset=["symbol"]).drop_duplicates("symbol").set_index("symbol").to_dict("index")
    master = {k: {kk: (vv if isinstance(vv, str) else None) for kk, vv in v.items()} for k, v in rows.items()}

    class Master:
        def company_of_symbol(self, ticker):
            return master.get(ticker)

    spec = load_spec()
    return [[s for c in g.get("companies", []) if (s := company_sector(Master(), {"ticker": c.get("ticker")}, spec))]
            for _, g in pairs]


def features(pairs):
    from tracker.nlp.embed import embed_spans
    from tracker.nlp.models import load_spacy
    from tracker.nlp.sectors import SectorScorer, description_vectors, lead_spans, load_spec

    nlp = load_spacy()
    from tracker.nlp.claim_rules import ensure_line_sentences

    ensure_line_sentences(nlp)
    spec = load_spec()
    scorer = SectorScorer(nlp.vocab, spec)
    desc = description_vectors()
    rows = []
    for (p, g), doc in zip(pairs, nlp.pipe([p["text"] for p, _ in pairs])):
        spans = lead_spans(doc)
        sims = embed_spans(doc, spans) @ desc.T if spans else np.zeros((0, len(spec.names)))
        rows.append((scorer.keyword_hits(doc), sims, set(g.get("sectors", []))))
    return spec.names, rows


def aggregate(sims: np.ndarray, how: str) -> np.ndarray:
    if len(sims) == 0:
        return np.zeros(sims.shape[1])
    if how == "centroid":
        return sims.mean(axis=0)
    k = 1 if how == "top1" else 2
    top = np.sort(sims, axis=0)[::-1][:k]
    return top.mean(axis=0)


def f1(names, rows, kw, ew, floor, span, thr, how, cw=0.0, comps=None):
    tp = npred = ngold = 0
    for k, (hits, sims, gold) in enumerate(rows):
        agg = aggregate(sims, how)
        pred = set()
        for j, s in enumerate(names):
            if s == "other":
                continue
            miss = (1 - kw) ** hits.get(s, 0)
            miss *= 1 - ew * float(np.clip((agg[j] - floor) / span, 0, 1))
            if comps is not None:
                miss *= (1 - cw) ** comps[k].count(s)
            if 1 - miss >= thr:
                pred.add(s)
        tp += len(pred & gold)
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 0
    r = tp / ngold if ngold else 0
    return 2 * p * r / (p + r) if p + r else 0.0, p, r


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--equities", type=Path, default=None,
                    help="FinanceDatabase equities file: also weigh the gold companies' sectors")
    args = ap.parse_args()
    tr_pairs, dv_pairs = load_split("train"), load_split("dev")
    names, train = features(tr_pairs)
    _, dev = features(dv_pairs)
    if args.equities:
        ctr, cdv = gold_company_sectors(tr_pairs, args.equities), gold_company_sectors(dv_pairs, args.equities)
        grid = itertools.product((0.3, 0.4, 0.5), (0.3, 0.6, 0.9), (0.2, 0.3), (0.1, 0.3), (0.35, 0.5),
                                 ("top1",), (0.2, 0.3, 0.45, 0.6))
        scored = sorted(((f1(names, train, *g, comps=ctr)[0], g) for g in grid), reverse=True)[:5]
        for score, g in scored:
            d = f1(names, dev, *g, comps=cdv)
            print(f"train F1 {score:.3f}  dev F1 {d[0]:.3f} (P {d[1]:.3f} R {d[2]:.3f})  keyword={g[0]} "
                  f"embed={g[1]} floor={g[2]} span={g[3]} threshold={g[4]} company={g[6]}")
        return 0
    grid = itertools.product((0.25, 0.3, 0.35, 0.4, 0.5), (0.3, 0.5, 0.7, 0.9), (0.15, 0.2, 0.25, 0.3, 0.35),
                             (0.1, 0.2, 0.3), (0.35,), ("top1",))
    scored = sorted(((f1(names, train, *g)[0], g) for g in grid), reverse=True)[:5]
    for score, g in scored:
        d = f1(names, dev, *g)
        print(f"train F1 {score:.3f}  dev F1 {d[0]:.3f} (P {d[1]:.3f} R {d[2]:.3f})  "
              f"keyword={g[0]} embed={g[1]} floor={g[2]} span={g[3]} threshold={g[4]} aggregate={g[5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
