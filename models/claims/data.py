"""Labelled-set helpers for the claim classifier: read a split, match sentences, label candidate sentences.

Sentence matching follows the team's scoring rule: normalised equality, containment either way, or token
Jaccard >= 0.6.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.paths import models_dir  # noqa: E402

_WS = re.compile(r"\s+")
_TOK = re.compile(r"\w+(?:[.,']\w+)*|[%$]")


def norm(s: str) -> str:
    return _WS.sub(" ", s.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def tokens(s: str) -> set[str]:
    return set(_TOK.findall(norm(s)))


def sentences_match(a: str, b: str, jaccard: float = 0.6) -> bool:
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb or na in nb or nb in na:
        return True
    ta, tb = tokens(na), tokens(nb)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= jaccard


def split_paths(split: str, folder: Path | None = None) -> tuple[Path, Path]:
    d = folder or models_dir() / "labelled"
    return d / f"{split}.passages.jsonl", d / f"{split}.gold.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_split(split: str, folder: Path | None = None) -> list[tuple[dict, dict]]:
    """[(passage, gold)] for a split, joined on id (a passage without gold has no claims)."""
    pp, gp = split_paths(split, folder)
    if not pp.exists() or not gp.exists():
        raise SystemExit(f"labelled split {split!r} not found ({pp}, {gp}): merge the labels branch first")
    gold = {g["id"]: g for g in read_jsonl(gp)}
    return [(p, gold.get(p["id"], {"id": p["id"], "claims": [], "sectors": []})) for p in read_jsonl(pp)]


def files_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def label_sentences(nlp, pairs: list[tuple[dict, dict]], all_sentences: bool = True):
    """Sentences of each passage with their gold claims: all of them (the non-candidates are the easy
    negatives: opinions, questions, boilerplate), or only candidates and gold-matched ones.

    Yields (doc, sent, [gold claims whose sentence matches]) - the rows the classifier learns from.
    """
    from tracker.nlp.claim_rules import ensure_line_sentences, is_candidate, sentence_units

    ensure_line_sentences(nlp)

    docs = nlp.pipe([p["text"] for p, _ in pairs], batch_size=16)
    for (p, g), doc in zip(pairs, docs):
        golds = g.get("claims", [])
        for sent in sentence_units(doc):
            matched = [c for c in golds if sentences_match(sent.text, c["sentence"])]
            if matched or is_candidate(sent) or all_sentences:
                yield doc, sent, matched
