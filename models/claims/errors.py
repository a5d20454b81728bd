"""List the claim extractor's mistakes on a labelled split, by error kind (for reading rules against train/dev).

    python models/claims/errors.py --split dev [--kind direction_flip] [--origin paraphrase] [--missed]

Prints, for every matched claim whose metric or direction is wrong, the sentence, gold and predicted
(subject, metric, direction); with --missed also the gold claims no prediction matched, and the predictions
that matched nothing. Ends with the headline figures (claim F1, metric+direction overall and per origin).
Never run it on the test split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--kind", default=None)
    ap.add_argument("--origin", default=None)
    ap.add_argument("--missed", action="store_true")
    ap.add_argument("--mode", default="hybrid")
    ap.add_argument("--quiet", action="store_true", help="only the headline figures")
    args = ap.parse_args(argv)
    from tracker.nlp.extract import Extractor
    from tracker.nlp.scoring import match_claims, score

    pairs = load_split(args.split)
    ex = Extractor()
    ex.nlp.get_pipe("claim_extractor").mode = args.mode
    results = list(ex.extract([p["text"] for p, _ in pairs]))
    for (p, g), r in zip(pairs, results):
        if args.quiet or (args.origin and g.get("origin") != args.origin):
            continue
        preds = list(r.get("claims") or [])
        matched = match_claims(preds, g["claims"])
        for pc, gc in matched:
            if args.kind and args.kind not in (gc.get("kinds") or ()):
                continue
            if (pc.get("metric"), pc.get("direction")) != (gc["metric"], gc["direction"]):
                print(f"[{p['id']}] {','.join(gc.get('kinds') or ())}\n  {gc['sentence']}\n"
                      f"  gold: {gc.get('subject')!r} {gc['metric']} {gc['direction']}  bench={gc.get('benchmark')!r}\n"
                      f"  pred: {pc.get('subject')!r} {pc.get('metric')} {pc.get('direction')}")
        if args.missed:
            got_g = {id(gc) for _, gc in matched}
            got_p = {id(pc) for pc, _ in matched}
            for gc in g["claims"]:
                if id(gc) not in got_g and (not args.kind or args.kind in (gc.get("kinds") or ())):
                    print(f"[{p['id']}] MISSED {','.join(gc.get('kinds') or ())}\n  {gc['sentence']}\n"
                          f"  gold: {gc.get('subject')!r} {gc['metric']} {gc['direction']}")
            if not args.kind:
                for pc in preds:
                    if id(pc) not in got_p:
                        print(f"[{p['id']}] EXTRA\n  {pc.get('sentence')}\n"
                              f"  pred: {pc.get('subject')!r} {pc.get('metric')} {pc.get('direction')}")
    s = score({p["id"]: r for (p, _), r in zip(pairs, results)}, {p["id"]: g for p, g in pairs})
    c = s["claims"]
    line = [f"{args.split}: claim F1 {c['f1']:.3f} m+d {c['metric_direction_accuracy']:.3f}"]
    for o, so in s.get("per_origin", {}).items():
        line.append(f"{o} F1 {so['claims']['f1']:.3f} m+d {so['claims']['metric_direction_accuracy']:.3f}")
    kinds = " ".join(f"{k[:8]}={v['metric_direction_accuracy']:.3f}" for k, v in c["per_kind"].items()
                     if v["metric_direction_accuracy"] is not None)
    print(" | ".join(line) + "\n  " + kinds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
