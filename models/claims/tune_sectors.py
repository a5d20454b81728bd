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


def f1(names, rows, kw, ew, floor, span, thr, how):
    tp = npred = ngold = 0
    for hits, sims, gold in rows:
        agg = aggregate(sims, how)
        pred = set()
        for j, s in enumerate(names):
            if s == "other":
                continue
            miss = (1 - kw) ** hits.get(s, 0)
            miss *= 1 - ew * float(np.clip((agg[j] - floor) / span, 0, 1))
            if 1 - miss >= thr:
                pred.add(s)
        tp += len(pred & gold)
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 0
    r = tp / ngold if ngold else 0
    return 2 * p * r / (p + r) if p + r else 0.0, p, r


def main() -> int:
    names, train = features(load_split("train"))
    _, dev = features(load_split("dev"))
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
