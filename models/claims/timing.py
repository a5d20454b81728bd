"""Cost of the sector tagger and claim extractor next to bare ``nlp.pipe``, in one run.

    python models/claims/timing.py [--repeat 3]

Texts: the train+dev passages (real-length commentary). Prints words/s for bare spaCy and for the full
pipeline (company linker + sector tagger + claim extractor, encoder warm), their ratio, the share of
sentences embedded, and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import load_split  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from tracker.nlp.claim_rules import is_candidate, sentence_units
    from tracker.nlp.models import load_encoder, load_spacy
    from tracker.nlp.pipeline import build_pipeline

    texts = [p["text"] for split in ("train", "dev") for p, _ in load_split(split)] * args.repeat
    words = sum(len(t.split()) for t in texts)
    bare = load_spacy()
    bare_names = [n for n in bare.pipe_names if n not in ("company_linker", "sector_tagger", "claim_extractor")]
    nlp = build_pipeline(None)
    load_encoder().encode(["warm up"])
    list(nlp.pipe(texts[:4]))  # load heads, description vectors

    t0 = time.perf_counter()
    with nlp.select_pipes(enable=bare_names):
        docs = list(nlp.pipe(texts, batch_size=16))
    bare_s = time.perf_counter() - t0
    units = [u for d in docs for u in sentence_units(d)]
    cands = sum(is_candidate(u) for u in units)

    t0 = time.perf_counter()
    full = list(nlp.pipe(texts, batch_size=16))
    full_s = time.perf_counter() - t0
    encoded = sum(len(d.user_data.get("tracker_embeddings", {})) for d in full)
    # each of our components on its own (per-doc calls, no cross-doc batching), fresh embedding caches
    for d in docs:
        d.user_data.clear()
    per: dict[str, float] = {}
    for name in ("company_linker", "sector_tagger", "claim_extractor"):
        proc = nlp.get_pipe(name)
        t0 = time.perf_counter()
        docs = [proc(d) for d in docs]
        per[name] = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(texts)} texts, {words} words, {len(units)} sentences, {cands} claim candidates, "
          f"{encoded} encoded by MiniLM ({encoded / len(units):.0%})")
    print(f"bare nlp.pipe : {words / bare_s:8.0f} words/s ({bare_s:.2f}s)")
    print(f"full pipeline : {words / full_s:8.0f} words/s ({full_s:.2f}s)  ratio {bare_s / full_s:.2f}")
    for name, sec in per.items():
        print(f"  {name:<16}: {sec:.2f}s ({sec / bare_s:.0%} of bare spaCy)")
    print(f"peak RSS      : {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
