"""Token and phrase helpers shared by the predicate and slot readers: noun phrases, metric keywords in a
phrase, text of a token run, numbers, the main clause of a predicate."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from tracker.nlp.doctext import doc_text
from tracker.nlp.claim_rules.lexicon import MULTIPLE, NUMBERISH, _DROP_DEPS, _SUBORDINATE
from tracker.nlp.claim_rules.metric_cues import METRIC_TABLE, PRICE_WORDS, commodity_price, without_units


def _has_number(tokens) -> bool:
    return any(c.like_num or NUMBERISH.search(c.text) for c in tokens)


_KEPT_PREPS = frozenset(("of", "on", "for", "at", "per"))  # "distribution per unit" is one figure


def _phrase(tok: Token, keep_prep: bool = True, keep_det: bool = False) -> list[Token]:
    """The noun phrase of ``tok``: its subtree minus relative clauses, appositions and trailing punctuation."""
    out = [tok]
    stack = list(tok.children)
    while stack:
        c = stack.pop()
        if c.dep_ in _DROP_DEPS and not (keep_prep and c.dep_ == "prep" and c.lower_ in _KEPT_PREPS) \
                and not (c.dep_ == "appos" and c.like_num and c.i == c.head.i + 1):  # "CSI 300" parsed as an apposition
            continue
        out.append(c)
        stack.extend(c.children)
    out.sort(key=lambda x: x.i)
    # contiguous run around the head
    idx = {t.i for t in out}
    lo = hi = tok.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    run = [t for t in out if lo <= t.i <= hi]
    while run and ((run[0].dep_ == "det" and not keep_det) or run[0].dep_ in ("punct", "cc")):
        run = run[1:]
    while run and run[-1].dep_ in ("punct", "cc"):
        run = run[:-1]
    return run


def _metric_of(tokens: list[Token]) -> tuple[str, bool]:
    """Metric named in ``tokens`` (most specific keyword first), and whether a keyword was found."""
    # the tokenizer splits hyphenated compounds ("money - market", "sell - through"); rejoin them so that a
    # compound is read as one word ("money-market yields" are no "money")
    text = without_units((" " + " ".join(t.lower_ for t in tokens) + " ").replace(" - ", "-"))
    for metric, kws in METRIC_TABLE:
        for k in kws:
            if f" {k} " in text or (" " in k and k in text):
                if k in PRICE_WORDS and commodity_price(text):
                    return "price_return", True  # "hot-rolled coil prices", "the selling price of coal"
                return metric, True
    if MULTIPLE.search(text) and any(t.lemma_.lower() in ("trade", "value", "earning") for t in tokens):
        return "valuation", True
    return "other", False


def _text(tokens: list[Token]) -> str | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx: tokens[-1].idx + len(tokens[-1])]


def _inside(tokens: list[Token], sent: Span) -> list[Token]:
    """The contiguous part of ``tokens`` inside ``sent`` that ends at the phrase's last in-sentence token."""
    inside = [t for t in tokens if sent.start <= t.i < sent.end]
    out: list[Token] = []
    for t in inside:
        if out and t.i != out[-1].i + 1:
            out = []
        out.append(t)
    return out


def _number(text: str) -> float | None:
    m = re.search(r"[-+−]?\d+(?:\.\d+)?", text.replace(",", ""))
    return float(m.group(0).replace("−", "-")) if m else None


def _strip_ent(text: str) -> str:
    """NER sometimes glues a price to a change ("182.33 +1.25%"): keep the last number-with-unit; a leading
    "up to"/"down to"/"by" belongs to the verb, not the size."""
    text = re.sub(r"^(?:up to|down to|up|down|to|by|only|just|merely)\s+", "", text.strip(), flags=re.I)
    parts = text.split()
    if len(parts) > 1 and re.fullmatch(r"[\d.,]+", parts[0]) and re.search(r"[%]$", parts[-1]):
        return parts[-1]
    return text.strip(" ,.;")


def _main_clause(clause: list[Token], pred: Token) -> list[Token]:
    """Clause tokens not inside a subordinate clause of their own ("ahead of results expected to show ...")
    nor in a coordinated clause with its own subject ("..., and its implied volatility has stayed ...")."""
    out = []
    for t in clause:
        node, keep = t, True
        while node.i != pred.i and node.head.i != node.i:
            if node.dep_ in _SUBORDINATE or node.dep_ == "conj" and node.pos_ in ("VERB", "AUX") and any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
                keep = False
                break
            node = node.head
        if keep:
            out.append(t)
    return out


def _is_company(tokens: list[Token], company_spans: list[tuple[int, int]]) -> bool:
    if not tokens:
        return False
    a, b = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    if any(x < b and y > a for x, y in company_spans):
        return True
    head = max(tokens, key=lambda t: (t.dep_ in ("nsubj", "nsubjpass", "ROOT", "pobj", "dobj"), t.i))
    return any(t.ent_type_ in ("ORG", "PRODUCT") for t in tokens) or \
        (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "NORP", "PERSON", "DATE"))


_VERSUS = re.compile(r"\b(?:compared with|compared to|versus|vs\.?|against|from)\s+(?:a |an |about |around )?"
                     r"[^\d,;]{0,12}?([\d.,]+)\s?(%|x|times)?([^,;.]*)", re.I)
_EARLIER = re.compile(r"\b(a year (?:earlier|ago|before)|last (?:year|quarter)|the previous|the prior|a year-ago|"
                      r"the same (?:period|quarter)|previously)\b", re.I)


def _versus(sent_text: str, magnitude: str | None) -> tuple[str, bool] | None:
    """A level set against another figure ("24.6%, compared with 25.6% last year"; "24x, against 45x for a
    rival"): (up/down, True) when the other figure is an earlier one, (high/low, False) when it is a peer's."""
    mine = _number(magnitude) if magnitude else None
    m = _VERSUS.search(sent_text)
    if mine is None or m is None:
        return None
    try:
        theirs = float(m.group(1).replace(",", "").rstrip("."))
    except ValueError:
        return None
    if theirs == mine:
        return None
    if _EARLIER.search(m.group(0)):
        return ("up" if mine > theirs else "down"), True
    return ("high" if mine > theirs else "low"), False
