"""The level of a valuation multiple: its cue words ("a steep premium", "just 1.5x book", "not cheap"), else its size."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from tracker.nlp.claim_rules.lexicon import MULTIPLE, _HIGH_CUES, _LOW_CUES, _STABLE_CUES

_CHEAP = frozenset(("cheap", "cheapest", "inexpensive", "undervalued"))  # with lexicon._LOW_CUES
_DEAR = frozenset(("steep", "stretched", "perfection", "rich", "demanding", "pricey", "overvalued"))  # with _HIGH_CUES
_PRIOR_MULTIPLE = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:x|times)\s+(?:[\w'’]+\s+){0,3}?(book|earnings|eps|p/?e|profits?)\b", re.I)


def _valuation_scope(sent: Span, pred: Token) -> list[Token]:
    """The sentence less the other clauses, those that do not hold the predicate ("trades at 0.45x book, and its yield
    is near the highest": the second clause judges the yield, not the multiple)."""
    other = set()
    for c in sent:
        if c.dep_ in ("conj", "ccomp", "advcl", "parataxis") and c.pos_ in ("VERB", "AUX") and c.i != pred.i and \
                c not in pred.ancestors:
            other.update(x.i for x in c.subtree)
    return [t for t in sent if t.i not in other]


def _cue_balance(toks) -> tuple[int, int]:
    low = high = 0
    for x in toks:
        w = x.lower_
        if w in ("only", "just") and not (x.i + 1 < len(x.doc) and (x.doc[x.i + 1].like_num or
                                                                   MULTIPLE.match(x.doc[x.i + 1].text))):
            continue  # "growth is only mid-teens" says nothing about the multiple
        side = "low" if w in _LOW_CUES or w in _CHEAP or w == "just" else "high" if w in _HIGH_CUES or w in _DEAR \
            else None
        if side is None:
            continue
        if any(c.dep_ == "neg" for c in (x, x.head)) or x.i > 0 and x.doc[x.i - 1].lower_ in ("not", "n't", "never"):
            side = "high" if side == "low" else "low"  # "the stock is not cheap"
        low += side == "low"
        high += side == "high"
    return low, high


def _valuation_direction(sent: Span, pred: Token) -> str:
    """A multiple's level: cue words in the predicate's own phrase, then in its clause ("a steep premium", "just 1.5x
    book", "not cheap": a negation turns a cue round; an extreme such as "near the highest" may judge another figure
    and counts only in the predicate's phrase); with no cue, the size of an earnings or book multiple against the usual
    bands (at most 12x earnings or 1x book is low, more is high: "trades at 9x next year's EPS")."""
    text = sent.text.lower()
    if any(c in text for c in _STABLE_CUES):
        return "stable"
    clause = _valuation_scope(sent, pred)
    phrase = {x.i for x in pred.subtree}
    low, high = _cue_balance([t for t in clause if t.i in phrase])
    if low == high == 0:
        low, high = _cue_balance([t for t in clause if t.lower_ not in ("record", "highest")])
    if low != high:
        return "low" if low > high else "high"
    m = _PRIOR_MULTIPLE.search(text)
    if m and low == high == 0:
        size, base = float(m.group(1)), m.group(2)
        if base == "book":
            return "low" if size <= 1.0 else "high"
        return "low" if size <= 12 else "high"
    return "high"
