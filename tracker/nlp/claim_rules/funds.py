"""A fund's return set beside an index's: the fund's relative return, and the index's own move."""

from __future__ import annotations

from tracker.nlp.claim_rules.phrases import _has_number, _number, _text

_FUND_WORDS = frozenset(("fund", "portfolio", "trust", "strategy"))


def _fund_against_index(claims: list) -> None:
    """ "The fund fell 3.1% while the Nifty 50 rose 1.4%", "the fund was flat, while the SMI lost 1.2%": a fund's return
    set beside an index's return in one sentence is judged against it (the index keeps its own claim)."""
    idx = next((c for c in claims if c.metric == "index_level" and c.direction in ("up", "down") and c.magnitude), None)
    if idx is None or _number(idx.magnitude) is None:
        return
    theirs = _number(idx.magnitude) * (-1 if idx.direction == "down" else 1)
    for c in claims:
        if c is idx or c.metric != "price_return" or c.direction not in ("up", "down", "stable") or \
                not set((c.subject or "").lower().split()) & _FUND_WORDS:
            continue
        mine = 0.0 if c.direction == "stable" else _number(c.magnitude or "")
        if mine is None or abs(mine) == abs(theirs) and c.direction == idx.direction:
            continue
        mine *= -1 if c.direction == "down" else 1
        c.metric, c.direction, c.benchmark = "relative_return", ("outperform" if mine > theirs else "underperform"), \
            idx.subject
        c.metric_evidence = True


_FALL_WORDS = frozenset("fall falls decline declines drop drops loss losses slide retreat".split())


def _index_beside_fund(claims: list, doc) -> None:
    """ "The fund gained 9.4%, beating the Topix total return of 8.1%", "rose 14.2%, trailing the Kospi's 17.8%": the
    fund's own return is read into its relative claim, and what the sentence also states is the index's move (indices
    are claim subjects, an unlisted fund's raw return is not; labelling README, Companies)."""
    rel = next((c for c in claims if c.metric == "relative_return" and c.benchmark and
                set((c.subject or "").lower().split()) & _FUND_WORDS), None)
    if rel is None or any(c.metric == "index_level" for c in claims):
        return
    raw = next((c for c in claims if c is not rel and c.subject == rel.subject and c.metric == "price_return" and
                c.direction in ("up", "down")), None)
    bench = list(doc.char_span(*_bench_span(rel, doc), alignment_mode="expand") or []) if raw else []
    if not bench or not _has_number(bench) or not any(t.pos_ == "PROPN" for t in bench):
        return
    name = []
    for t in bench:
        if t.tag_ == "POS" or t.lower_ in ("total", "return", "returns", "of", "'s") or t.text == "%" or \
                t.like_num and (t.ent_type_ in ("PERCENT", "MONEY") or t.i + 1 < len(doc) and doc[t.i + 1].text == "%"):
            break
        if name or t.pos_ != "DET":  # no leading article
            name.append(t)
    if not name or not any(t.pos_ == "PROPN" for t in name):
        return
    start = bench[0].idx
    raw.subject, raw.subject_span = _text(name), (name[0].idx, name[-1].idx + len(name[-1]))
    raw.metric, raw.metric_evidence = "index_level", True
    raw.direction = "down" if any(t.lower_ in _FALL_WORDS or t.text.startswith(("-", "−")) for t in bench) else "up"
    raw.magnitude = next((e.text for e in doc.ents if e.label_ == "PERCENT" and e.start_char >= start
                          and e.end_char <= bench[-1].idx + len(bench[-1])), raw.magnitude)
    raw.benchmark = None


def _bench_span(c, doc) -> tuple[int, int]:
    """Char offsets of a claim's benchmark text inside its clause."""
    toks = [doc[i] for i in c.tokens]
    text = c.benchmark or ""
    for t in toks:
        if doc.text.startswith(text, t.idx):
            return t.idx, t.idx + len(text)
    return 0, 0
