"""Per-pipeline resources built once: the dictionary, blocking phrases, curated casing and near-miss names."""

from __future__ import annotations

import re

from tracker.names import norm_tokens
from tracker.paths import models_dir
from tracker.securities.sources import curated_rows


def lexicon_words(nlp) -> frozenset:
    """English dictionary words (from the pipeline's lemmatizer tables): names that are words need context."""
    try:
        lem = nlp.get_pipe("lemmatizer")
        idx = lem.lookups.get_table("lemma_index")
        words = set()
        for pos in ("noun", "verb", "adj", "adv"):
            words.update(w for w in idx.get(pos, []) if "_" not in w)
        words.update(_plural(w) for w in idx.get("noun", []) if "_" not in w)  # "Employers" is a word too
        return frozenset(words)
    except Exception:  # noqa: BLE001 - a blank pipeline has no lemmatizer: no dictionary
        return frozenset()


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def given_names() -> frozenset:
    """models/securities/given_names.txt: given names that make the next word a person's surname."""
    path = models_dir() / "securities" / "given_names.txt"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            out.update(w.lower() for w in line.split())
    return frozenset(out)


def load_blockers() -> tuple[frozenset, dict]:
    path = models_dir() / "securities" / "not_companies.txt"
    phrases = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            t = norm_tokens(line)
            if t:
                phrases.add(t)
    max_len: dict[str, int] = {}
    for p in phrases:
        max_len[p[0]] = max(max_len.get(p[0], 0), len(p))
    return frozenset(phrases), max_len


def fuzzy_index() -> tuple[list[str], list[str]]:
    """Normalised curated names and aliases of two or more words (and their companies) for near misses."""
    choices, keys = [], []
    for r in curated_rows():
        for a in {r["name"], *r["aliases"].split("|")}:
            t = norm_tokens(a)
            if len(t) >= 2 and len(" ".join(t)) >= 8:
                choices.append(" ".join(t))
                keys.append(r["symbol"].upper())
    return choices, keys


def curated_casing() -> tuple[frozenset, frozenset]:
    """Curated aliases written lower-case first (eBay, onsemi, argenx) and short all-caps ones (ING, BAT)."""
    lower, caps = set(), set()
    for r in curated_rows():
        for a in [r["name"], *r["aliases"].split("|")]:
            if not a:
                continue
            n = " ".join(norm_tokens(a))
            if a[0].islower():
                lower.add(n)
            letters = re.sub(r"[^A-Za-z]", "", a)
            if a.isupper() and len(letters) <= 4:
                caps.add(n)
    return frozenset(lower), frozenset(caps)

