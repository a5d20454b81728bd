"""Score the claim extractor's modes (rules / classifier / hybrid) and the sector tagger on a labelled split.

    python models/claims/compare.py            # dev split
    python models/claims/compare.py --split train --json

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


def run_mode(ex, mode: str, pairs) -> dict:
    from tracker.nlp.scoring import score

    ex.nlp.get_pipe("claim_extractor").mode = mode
    results = list(ex.extract([p["text"] for p, _ in pairs]))
    return score({p["id"]: r for (p, _), r in zip(pairs, results)}, {p["id"]: g for p, g in pairs})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--modes", default="rules,classifier,hybrid")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.split == "test":
        print("note: scoring the test split - report it, never tune on it", file=sys.stderr)
    from tracker.nlp.extract import Extractor

    pairs = load_split(args.split)
    ex = Extractor()
    out = {m: run_mode(ex, m, pairs) for m in args.modes.split(",")}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"split={args.split} passages={len(pairs)} gold claims={sum(len(g['claims']) for _, g in pairs)}")
    print(f"{'mode':<11} {'claim P':>8} {'claim R':>8} {'claim F1':>8} {'metric+dir':>10} {'metric':>7} {'dir':>6} {'sector F1':>9}")
    for m, r in out.items():
        c = r["claims"]
        print(f"{m:<11} {c['precision']:>8.3f} {c['recall']:>8.3f} {c['f1']:>8.3f} {c['metric_direction_accuracy']:>10.3f}"
              f" {c['metric_accuracy']:>7.3f} {c['direction_accuracy']:>6.3f} {r['sectors']['f1']:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
