"""Memory and time of the extraction pipeline on ONE document of a given size (what MAX_CHUNK_CHARS and
EXTRACT_BATCH_CHARS in tracker/defaults.py were chosen from).

    python benchmarks/chunk_memory.py normal 100000     # commentary paragraphs
    python benchmarks/chunk_memory.py line 20000        # the same text without full stops or newlines

Run each size in its own process: peak RSS only grows. Prints the peak RSS before and after parsing the
document, the time, and the sentences, claims and companies found.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None) -> int:
    kind, size = (argv or sys.argv[1:])[:2]
    size = int(size)
    from limits import commentary  # benchmarks/limits.py's generated commentary

    text = commentary(size)
    if kind == "line":
        text = text.replace(".", " ").replace("\n", " ")
    from tracker.nlp.extract import Extractor

    ex = Extractor(None, None)
    ex.nlp.max_length = max(ex.nlp.max_length, size + 1)
    list(ex.extract(["Warm-up: Sony rose 3%."]))  # encoder and description vectors loaded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    doc = ex.nlp(text)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sents = [len(s) for s in doc.sents]
    print(f"{kind} {size} chars: {seconds:.1f} s, peak RSS {before:.0f} -> {after:.0f} MB (+{after - before:.0f}); "
          f"{len(sents)} sentences (longest {max(sents)} tokens), {len(doc._.claims or [])} claims, "
          f"{len(doc._.companies or [])} companies")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
