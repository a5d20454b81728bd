"""Score the claim extractor's modes (rules / classifier / hybrid) and the sector tagger on a labelled split.

    python models/claims/compare.py            # dev split
    python models/claims/compare.py --split train --json
    python models/claims/compare.py --modes rules,classifier,hybrid,finetuned,finetuned@0.9   # after finetune.py

Scored with the team's official scorer (tracker.nlp.scoring, as ``tracker score``): claim-sentence F1,
metric+direction accuracy on matched claims, sector F1. Never tune on the test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split  # noqa: E402


def extract(ex, mode: str, pairs) -> list[dict]:
    ex.nlp.get_pipe("claim_extractor").mode = mode
    return list(ex.extract([p["text"] for p, _ in pairs]))


def scored(results: list[dict], pairs) -> dict:
    from tracker.nlp.scoring import score

    return score({p["id"]: r for (p, _), r in zip(pairs, results)}, {p["id"]: g for p, g in pairs})


def run_mode(ex, mode: str, pairs) -> dict:
    return scored(extract(ex, mode, pairs), pairs)


def retyped(results: list[dict], typer, threshold: float = 0.0) -> list[dict]:
    """The hybrid's claims with metric and direction replaced by the fine-tuned model's where its probability
    reaches ``threshold`` (0: every claim)."""
    from finetune import claim_text

    flat = [c for r in results for c in r.get("claims") or []]
    preds = typer.predict([claim_text(c.get("subject"), c["sentence"]) for c in flat]) if flat else []
    out, k = [], 0
    for r in results:
        claims = []
        for c in r.get("claims") or []:
            m, pm, d, pd = preds[k]
            k += 1
            c = dict(c)
            if pm >= threshold:
                c["metric"] = m
            if pd >= threshold:
                c["direction"] = d
            claims.append(c)
        out.append({**r, "claims": claims})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--modes", default="rules,classifier,hybrid")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--finetuned", type=Path, default=None, help="fine-tuned weights folder (finetune.py --out)")
    args = ap.parse_args(argv)
    if args.split == "test":
        print("note: scoring the test split - report it, never tune on it", file=sys.stderr)
    from tracker.nlp.extract import Extractor

    pairs = load_split(args.split)
    ex = Extractor()
    modes = args.modes.split(",")
    out = {m: run_mode(ex, m, pairs) for m in modes if not m.startswith("finetuned")}
    if any(m.startswith("finetuned") for m in modes):
        # "finetuned": the hybrid's claims (sentences, subjects) typed by the fine-tuned MiniLM (finetune.py);
        # "finetuned@0.9": retyped only where the fine-tuned head is at least 0.9 sure
        from finetune import OUT, ClaimTyper

        typer = ClaimTyper(args.finetuned or OUT, threads=1)
        hybrid = extract(ex, "hybrid", pairs)
        for m in modes:
            if m.startswith("finetuned"):
                threshold = float(m.split("@", 1)[1]) if "@" in m else 0.0
                out[m] = scored(retyped(hybrid, typer, threshold), pairs)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"split={args.split} passages={len(pairs)} gold claims={sum(len(g['claims']) for _, g in pairs)}")
    print(f"{'mode':<15} {'claim P':>8} {'claim R':>8} {'claim F1':>8} {'metric+dir':>10} {'metric':>7} {'dir':>6} {'sector F1':>9}")
    for m, r in out.items():
        c = r["claims"]
        po = {o: v["claims"]["metric_direction_accuracy"] for o, v in r.get("per_origin", {}).items()}
        print(f"{m:<15} {c['precision']:>8.3f} {c['recall']:>8.3f} {c['f1']:>8.3f} {c['metric_direction_accuracy']:>10.3f}"
              f" {c['metric_accuracy']:>7.3f} {c['direction_accuracy']:>6.3f} {r['sectors']['f1']:>9.3f}"
              + "".join(f"  m+d {o} {v:.3f}" for o, v in po.items() if v is not None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
