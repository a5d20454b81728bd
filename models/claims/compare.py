"""Score the claim extractor's modes (rules / classifier / hybrid) and the sector tagger on a labelled split.

    python models/claims/compare.py            # dev split
    python models/claims/compare.py --split train --json

Claim-sentence F1: predicted and gold claims are paired one-to-one within a passage when their sentences
match (normalised equality, containment, token Jaccard >= 0.6), preferring a gold claim with the same
metric and direction; metric+direction accuracy is over the paired claims. Sector F1 is micro over passages.
Never run this to tune on the test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split, sentences_match  # noqa: E402


def pair_claims(pred: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    used: set[int] = set()
    pairs = []
    for p in pred:
        options = [i for i, g in enumerate(gold) if i not in used and sentences_match(p["sentence"], g["sentence"])]
        if not options:
            continue
        same = [i for i in options if gold[i].get("metric") == p["metric"] and gold[i].get("direction") == p["direction"]]
        i = (same or options)[0]
        used.add(i)
        pairs.append((p, gold[i]))
    return pairs


def score(results: list[tuple[dict, dict]]) -> dict:
    """results: [(extract contract dict, gold dict)] -> claim and sector figures."""
    tp = n_pred = n_gold = md_ok = 0
    s_tp = s_pred = s_gold = 0
    metric_ok = dir_ok = 0
    for r, g in results:
        gold = g.get("claims", [])
        pairs = pair_claims(r["claims"], gold)
        tp += len(pairs)
        n_pred += len(r["claims"])
        n_gold += len(gold)
        md_ok += sum(p["metric"] == q.get("metric") and p["direction"] == q.get("direction") for p, q in pairs)
        metric_ok += sum(p["metric"] == q.get("metric") for p, q in pairs)
        dir_ok += sum(p["direction"] == q.get("direction") for p, q in pairs)
        ps = {s["sector"] for s in r["sectors"]}
        gs = set(g.get("sectors", []))
        s_tp += len(ps & gs)
        s_pred += len(ps)
        s_gold += len(gs)

    def f1(t, p, g):
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        return {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(2 * pr * rc / (pr + rc), 3) if pr + rc else 0.0}

    return {"claims": {**f1(tp, n_pred, n_gold), "predicted": n_pred, "gold": n_gold, "matched": tp},
            "metric_direction_accuracy": round(md_ok / tp, 3) if tp else 0.0,
            "metric_accuracy": round(metric_ok / tp, 3) if tp else 0.0,
            "direction_accuracy": round(dir_ok / tp, 3) if tp else 0.0,
            "sectors": f1(s_tp, s_pred, s_gold)}


def run_mode(mode: str, pairs) -> dict:
    from tracker.nlp.extract import Extractor

    ex = Extractor()
    ex.nlp.get_pipe("claim_extractor").mode = mode
    results = list(ex.extract([p["text"] for p, _ in pairs]))
    return score(list(zip(results, [g for _, g in pairs])))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--modes", default="rules,classifier,hybrid")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.split == "test":
        print("note: scoring the test split - report it, never tune on it", file=sys.stderr)
    pairs = load_split(args.split)
    out = {m: run_mode(m, pairs) for m in args.modes.split(",")}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"split={args.split} passages={len(pairs)} gold claims={next(iter(out.values()))['claims']['gold']}")
    print(f"{'mode':<11} {'claim P':>8} {'claim R':>8} {'claim F1':>8} {'metric+dir':>10} {'metric':>7} {'dir':>6} {'sector F1':>9}")
    for m, r in out.items():
        c = r["claims"]
        print(f"{m:<11} {c['precision']:>8.3f} {c['recall']:>8.3f} {c['f1']:>8.3f} {r['metric_direction_accuracy']:>10.3f}"
              f" {r['metric_accuracy']:>7.3f} {r['direction_accuracy']:>6.3f} {r['sectors']['f1']:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
