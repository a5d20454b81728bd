"""List the sector tagger's mistakes on a labelled split: gold vs predicted sectors per passage, with the evidence.

    python models/claims/sector_errors.py --split dev [--origin paraphrase] [--only-wrong]

Per passage: gold and predicted sectors, false positives (+) and negatives (-), and for each the evidence the
tagger saw (keyword words, linked companies with their sector and mention count, lead-sentence similarity).
Ends with false positives and negatives counted by sector and micro P/R/F1. Never run it on the test split.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split  # noqa: E402


def _evidence(tagger, doc) -> dict[str, list[str]]:
    """Per sector, the words and companies that gave it evidence (for reading, not scoring)."""
    sc = tagger.scorer
    out: dict[str, list[str]] = {}
    for span in sc._matches(doc):
        out.setdefault(span.label_, []).append(span.text.lower())
    for c in doc._.companies or []:
        s = sc.company_sectors([c])
        if s:
            out.setdefault(s[0], []).append(f"<{c.get('canonical') or c.get('name')}>")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--origin", default=None)
    ap.add_argument("--only-wrong", action="store_true")
    args = ap.parse_args(argv)
    from tracker.nlp.extract import Extractor
    from tracker.nlp.sectors import SectorTagger

    pairs = load_split(args.split)
    ex = Extractor()
    tagger = ex.nlp.get_pipe("sector_tagger")
    seen: dict[str, dict] = {}
    orig = SectorTagger.__call__

    def spy(self, doc):
        doc = orig(self, doc)
        seen[doc.text] = _evidence(self, doc)
        return doc

    SectorTagger.__call__ = spy
    try:
        results = list(ex.extract([p["text"] for p, _ in pairs]))
    finally:
        SectorTagger.__call__ = orig
    del tagger
    fp, fn, tp_c = Counter(), Counter(), Counter()
    tp = npred = ngold = 0
    for (p, g), r in zip(pairs, results):
        if args.origin and g.get("origin") != args.origin:
            continue
        gold, pred = set(g.get("sectors") or ()), {s["sector"] for s in r["sectors"]}
        tp += len(gold & pred)
        npred += len(pred)
        ngold += len(gold)
        fp.update(pred - gold)
        fn.update(gold - pred)
        tp_c.update(gold & pred)
        if args.only_wrong and gold == pred:
            continue
        ev = seen.get(p["text"], {})
        conf = {s["sector"]: s["confidence"] for s in r["sectors"]}
        print(f"[{p['id']}] gold={sorted(gold)} pred={sorted(pred)}")
        for s in sorted(pred - gold):
            print(f"   + {s} {conf[s]:.2f}: {', '.join(ev.get(s, [])) or '(embedding)'}")
        for s in sorted(gold - pred):
            print(f"   - {s}: {', '.join(ev.get(s, [])) or '(nothing)'}")
    prec = tp / npred if npred else 0.0
    rec = tp / ngold if ngold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print("\nfalse positives:", ", ".join(f"{s} {n}" for s, n in fp.most_common()))
    print("false negatives:", ", ".join(f"{s} {n}" for s, n in fn.most_common()))
    print(f"sector P {prec:.3f} R {rec:.3f} F1 {f1:.3f}  (pred {npred}, gold {ngold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
