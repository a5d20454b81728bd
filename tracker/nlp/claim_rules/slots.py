"""Slot filling for one predicate: subject token, metric, magnitude, horizon, benchmark (and relative
direction), hedged, negated, superlatives."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from tracker.nlp.doctext import doc_text
from tracker.nlp.claim_rules.lexicon import BPS, CURRENCY_SYMBOLS, FX_WORDS, HEDGES, HEDGE_PHRASES, HORIZON_PATTERNS, HORIZON_PREPS, INDEX_PATTERN, MARKET_WORDS, MULTIPLE, NEGATIONS, NOUN_DIRECTION, PERCENT, _PEER_WORDS, _SIGNED, _VALUATION_MULTIPLE
from tracker.nlp.claim_rules.units import _ents
from tracker.nlp.claim_rules.phrases import _has_number, _is_company, _metric_of, _number, _phrase, _strip_ent, _text
from tracker.nlp.claim_rules.predicates import _headline_subject, _headline_verb


def _subject_token(pred: Token) -> Token | None:
    if _SIGNED.match(pred.text) or pred.text in ("+", "−"):
        prev = [t for t in pred.doc[pred.sent.start if pred.doc.has_annotation("SENT_START") else 0: pred.i]
                if t.pos_ in ("NOUN", "PROPN")]
        return prev[-1] if prev else None
    if pred.pos_ not in ("VERB", "AUX") and pred.dep_ != "amod" and pred.head.pos_ in ("NOUN", "PROPN", "ADJ") \
            and pred.head.i < pred.i:
        return pred.head  # verbless "$AMD up 22%"
    if pred.pos_ == "NOUN" and _headline_verb(pred):
        return _headline_subject(pred)
    node = pred
    for _ in range(6):
        for c in node.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") and c.dep_ != "expl":
                return c
        if pred.pos_ == "NOUN" and pred.lemma_.lower() in NOUN_DIRECTION:
            # "a 14% rise in revenue": the thing moving is the "in"/"of" object, else the owner
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "of", "for"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
            for c in node.children:
                if c.dep_ in ("poss", "compound"):
                    return c
        if node.dep_ in ("xcomp", "conj", "ccomp", "advcl", "acomp", "advmod", "prt", "oprd", "attr", "amod",
                         "npadvmod", "relcl", "pcomp", "prep", "compound", "nmod", "dobj", "pobj")\
                and node.head.i != node.i:
            if node.dep_ == "relcl":
                return node.head
            node = node.head
            continue
        break
    return None


def _magnitude(clause: list[Token], exclude: set[int], pred: Token) -> str | None:
    doc = pred.doc
    cand: list[tuple[int, str]] = []
    ids = {t.i for t in clause} - exclude
    for ent in _ents(doc, ("PERCENT", "MONEY"), ids):
        if ent.root.head.lower_ == "from" and ent.root.dep_ == "pobj":
            continue  # "up from $55bn": the old value, not the size of the move
        text = _strip_ent(ent.text)
        if ent.start > 0 and doc[ent.start - 1].text in CURRENCY_SYMBOLS and ent.start - 1 in ids:
            text = doc[ent.start - 1].text + text
        cand.append((ent.start, text))
    span_text_start = min((t.idx for t in clause), default=0)
    span_text_end = max((t.idx + len(t) for t in clause), default=0)
    text = doc_text(doc)[span_text_start:span_text_end]
    if not cand:  # a percent NER missed ("+14% yoy" in a headline): the number, without its sign
        for m in PERCENT.finditer(text):
            a = span_text_start + m.start()
            tok = doc.char_span(a, span_text_start + m.end(), alignment_mode="expand")
            if tok is not None and all(t.i in ids for t in tok):
                cand.append((tok.start, m.group(0).lstrip("+-−")))
    for rx in (MULTIPLE, BPS):
        for m in rx.finditer(text):
            a = span_text_start + m.start()
            tok = doc.char_span(a, a + len(m.group(0)), alignment_mode="expand")
            if tok is not None and all(t.i in ids for t in tok):
                cand.append((tok.start, m.group(0)))
    if not cand:
        # "$2.1bn" split oddly, or "doubled to 40": a CARDINAL directly governed by the predicate
        for ent in _ents(doc, ("CARDINAL",), ids):
            if ent.root.head.i == pred.i:
                cand.append((ent.start, ent.text))
    if not cand:
        return None
    # the number nearest after the predicate, else the nearest one
    after = [c for c in cand if c[0] > pred.i]
    best = min(after or cand, key=lambda c: abs(c[0] - pred.i))
    return best[1]


def _horizon(clause: list[Token], exclude: set[int], pred: Token) -> str | None:
    doc = pred.doc
    ids = {t.i for t in clause} - exclude
    cand: list[tuple[int, str]] = []
    for ent in _ents(doc, ("DATE", "TIME"), ids):
        txt = ent.text
        if re.fullmatch(r"\d+-(year|month|day|week)", txt):  # "10-year" Treasuries is a tenor, not a horizon
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_ in HORIZON_PREPS and ent.start - 1 in ids:
            txt = doc_text(doc)[doc[ent.start - 1].idx: ent.end_char]  # "since January", "through 2026"
        cand.append((ent.start, txt))
    if clause:
        a, b = clause[0].idx, clause[-1].idx + len(clause[-1])
        for m in HORIZON_PATTERNS.finditer(doc_text(doc)[a:b]):
            span = doc.char_span(a + m.start(), a + m.end(), alignment_mode="expand")
            if span is None or not all(t.i in ids for t in span):
                continue
            if any(s <= span.start < s + 1 or span.start <= s < span.end for s, _ in cand):
                continue
            cand.append((span.start, m.group(0)))
    if not cand:
        return None
    cand.sort()
    # prefer the nearest to the predicate; ties to the earlier one
    return min(cand, key=lambda c: abs(c[0] - pred.i))[1]


def _comparable(phrase: list[Token]) -> bool:
    """Whether a phrase can be a benchmark: a number, an index, peers or a named company."""
    text = " ".join(t.lower_ for t in phrase)
    return (_has_number(phrase) or bool(INDEX_PATTERN.search(text)) or any(t.lower_ in _PEER_WORDS for t in phrase)
            or any(t.ent_type_ in ("ORG", "GPE") or t.pos_ == "PROPN" for t in phrase) or _other_quantity(phrase))


_EVENT_WORDS = frozenset("earnings results report reports figures data numbers release meeting decision print "
                         "announcement call update".split())


def _other_quantity(phrase: list[Token]) -> bool:
    """ "ahead of global car production", "slower than orders": another measurable quantity (not an event such as
    "ahead of earnings", which is time)."""
    return bool(phrase) and phrase[-1].lower_ not in _EVENT_WORDS and _metric_of(phrase)[1]


_RELATIVE_VERBS = {**dict.fromkeys("outpace outperform beat outstrip outrun outgrow".split(), "outperform"),
                   **dict.fromkeys("lag trail underperform".split(), "underperform")}


def _named_benchmark(phrase: list[Token]) -> bool:
    """A phrase that names a yardstick (peers, consensus, an index, a company), not just a number or a norm."""
    text = " ".join(t.lower_ for t in phrase)
    return (any(t.lower_ in _PEER_WORDS for t in phrase) or bool(INDEX_PATTERN.search(text))
            or any(t.ent_type_ == "ORG" or t.pos_ == "PROPN" for t in phrase)
            or _has_number(phrase) and any(t.tag_ == "POS" for t in phrase))  # "above the system's 6%"


def _benchmark(pred: Token, direction: str, clause: list[Token]) -> tuple[list[Token], str | None]:
    """What a relative or comparative statement is measured against, and the word that says so."""
    ids = {t.i for t in clause}
    if pred.lower_ == "among":  # "among the fastest of the big banks"
        peers = [g for c in pred.children for p in c.children if p.dep_ == "prep" and p.lower_ in ("of", "among")
                 for g in p.children if g.dep_ == "pobj"]
        return (_phrase(peers[0], keep_det=True), "among") if peers else ([], None)
    if direction in ("outperform", "underperform") and pred.pos_ in ("VERB", "AUX"):
        for c in pred.children:
            if c.dep_ == "dobj":
                return _phrase(c, keep_det=True), pred.lemma_.lower()
    for t in clause:
        low = t.lower_
        if any(a.dep_ == "appos" for a in t.ancestors if a.i != pred.i):
            continue  # "Pop Mart, the toy company behind Labubu, has fallen 35%": a description, no benchmark
        if t.i != pred.i and t.pos_ == "VERB" and t.lemma_.lower() in _RELATIVE_VERBS:
            # "volumes rose 31%, outpacing the market", "lagging the whole AI trade"
            objs = [c for c in t.children if c.dep_ == "dobj" and c.i in ids]
            if objs and _comparable(_phrase(objs[0])):
                return _phrase(objs[0], keep_det=True), ("ahead" if _RELATIVE_VERBS[t.lemma_.lower()] == "outperform"
                                                          else "behind")
        if low in ("above", "below") and t.dep_ == "prep":
            # "above analysts' forecasts", "below the industry average": a benchmark only when it names one
            objs = [g for g in t.children if g.dep_ == "pobj" and g.i in ids]
            if objs and _named_benchmark(_phrase(objs[0])):
                return _phrase(objs[0], keep_det=True), low
            continue
        if low in ("than", "versus", "vs", "vs.", "against", "behind", "relative", "compared", "ahead", "outpacing"):
            # "ahead of X", "behind X", "than X", "compared with X", "relative to X"
            objs = [g for g in t.subtree if g.dep_ == "pobj" and g.i in ids]
            if not objs and low in ("ahead", "relative", "compared", "behind"):
                for c in t.children:
                    if c.dep_ == "prep":
                        objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and low in ("ahead", "behind") and not _comparable(_phrase(objs[0])):
                objs = []  # "ahead of results", "behind schedule": time, not a benchmark
            if objs:
                cue = low
                if low == "than" and t.i > 0:
                    prev = t.doc[t.i - 1].lower_
                    cue = {"better": "better", "worse": "worse", "more": "more", "less": "less"}.get(prev, prev)
                return _phrase(objs[0], keep_det=True), cue
    return [], None


def _hedged(pred: Token, clause: list[Token]) -> bool:
    near = {pred.i} | {t.i for t in pred.ancestors}
    for t in clause:
        if t.lemma_.lower() in HEDGES and (t.head.i in near or t.i in near or t.dep_ in ("aux", "advmod")):
            return True
    text = " ".join(t.lower_ for t in clause)
    return any(h in text for h in HEDGE_PHRASES)


def _negated(pred: Token) -> bool:
    chain = [pred] + [a for a in list(pred.ancestors)[:2] if pred.dep_ in ("xcomp", "acomp", "advmod", "prt")]
    for node in chain:
        for c in node.children:
            if c.dep_ == "neg" or (c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det", "neg")):
                return True
            if c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return True
        if node.lemma_.lower() == "fail" and node is not pred and any(
                x.dep_ == "xcomp" and x.head.i == node.i for x in chain):
            return True  # "failed to rise"; but "failed to hold early gains and closed 1% lower" is the fall
    if pred.head.lemma_.lower() == "fail" and pred.dep_ == "xcomp":
        return True
    return False


# nouns that name a company by its trade ("the drugmaker", "the lender"); "-maker" words are matched by ending
COMPANY_ROLES = frozenset("drugmaker carmaker automaker chipmaker lender insurer miner retailer brewer airline carrier "
                          "developer conglomerate utility bank shipbuilder shipper".split())


def _default_metric(subject_toks: list[Token], company_spans: list[tuple[int, int]], magnitude) -> tuple[str | None, bool]:
    """Metric from what the subject is when no metric word is written (FX, index, market, fund, company,
    a group of stocks), and whether that is a safe reading (else the classifier gets a say)."""
    words = [t.lower_ for t in subject_toks]
    text = " ".join(words)
    if not words:
        return None, False
    percent = bool(magnitude) and "%" in magnitude
    if any(w in FX_WORDS for w in words) and "index" not in words[:-1]:
        return "other", True
    company = _is_company(subject_toks, company_spans) and not any(
        t.ent_type_ in ("GPE", "NORP", "LOC") for t in subject_toks)
    if INDEX_PATTERN.search(text) or (subject_toks[-1].lower_ in MARKET_WORDS and not company and any(
            t.ent_type_ in ("GPE", "NORP", "LOC") or (t.tag_ == "JJ" and t.is_title)  # "Australian shares"
            or t.lower_ in ("mainland", "european", "asian", "global", "local", "domestic")
            for t in subject_toks[:-1])):
        return "index_level", True
    if any(w in ("fund", "portfolio", "trust", "partnership", "strategy") for w in words):
        return "price_return", percent
    head = subject_toks[-1]
    if head.lower_ in ("segment", "division", "unit", "business", "arm", "games", "products") and len(words) > 1:
        return "revenue_growth", False  # "the aluminium products segment doubled": a part of a business grows its sales
    if head.pos_ == "NOUN" and head.is_lower and head.lower_ not in MARKET_WORDS | {"stock", "price", "etf"} and any(
            t.tag_ == "POS" for t in subject_toks):
        return "other", False  # "Schwab's client assets climbed 18%": a figure of the company, not its share price
    if _is_company(subject_toks, company_spans) or percent and head.lower_ in COMPANY_ROLES:
        return "price_return", percent  # "the Danish drugmaker tumbled 9%": a company named by its trade
    if percent and head.is_title and head.pos_ in ("PROPN", "NOUN") and head.ent_type_ not in ("GPE", "LOC", "NORP") \
            and not _metric_of([head])[1]:
        return "price_return", True  # a capitalised name moving by a percentage: a stock ("Tencent advanced 2.6%")
    if head.tag_ == "NNS" and head.pos_ == "NOUN":
        return "price_return", False  # a group of stocks: "chipmakers rallied", "miners led"
    return None, False


def _relative(direction: str, cue: str | None, magnitude: str | None, bench: list[Token]) -> str | None:
    """outperform/underperform for a move measured against a benchmark, else None."""
    if cue in ("ahead", "better", "outpacing", "beating", "above", "faster", "stronger"):
        return "outperform"
    if cue in ("behind", "worse", "lagging", "trailing", "below", "slower", "weaker"):
        return "underperform"
    if cue in ("against", "versus", "vs", "vs.", "compared", "relative") and magnitude:
        mine = _number(magnitude)
        theirs = next((_number(t.text) for t in bench if _number(t.text) is not None), None)
        if mine is not None and theirs is not None:
            sign = -1 if direction == "down" else 1
            return "outperform" if sign * mine > theirs else "underperform"
    return None


# how long a level has not been seen, in figures or words ("13-year", "five-year", "several-month")
_SPAN = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several)"


def _superlative(clause: list[Token]) -> tuple[str | None, bool]:
    """high/low when the clause says the level is extreme, and whether it says so strongly (highest/lowest
    rather than a bare "record" or "peak", which often just decorates a move)."""
    # "from the 2021 peak", "off its highs": a reference point for a move, not a level
    words = [t.lower_ for t in clause]
    for i, w in enumerate(words):
        if w in ("from", "off", "below", "above") and i + 1 < len(words):
            words[i + 1: i + 5] = ["_"] * len(words[i + 1: i + 5])
    text = " ".join(words)
    if re.search(rf"\b(record low|lowest|all-time low|multi-year low|{_SPAN} ?-? ?(?:year|month|week) low)\b", text):
        return "low", True  # "at a 13-year low", "a one-year low"
    if re.search(rf"\b(record high|highest|all-time high|multi-year high|{_SPAN} ?-? ?(?:year|month|week) high)\b", text):
        return "high", True
    if re.search(r"\b(record|peak|highs)\b", text):
        return "high", False
    return None, False


_PEER_SUPERLATIVE = re.compile(r"\bamong the \w+est\b|\b\w+est (?:\w+ )?(?:in|of|among) (?:the |its |their )?(?:\w+ )?"
                                r"(?:industry|sector|peers|rivals|competitors|region|market|group)\b")


def _among_peers(clause: list[Token]) -> bool:
    """ "among the lowest in the industry", "the highest of its peers": an extreme judged against peers is a level
    even after a move (unlike an extreme against the figure's own history)."""
    return _PEER_SUPERLATIVE.search(" ".join(t.lower_ for t in clause)) is not None


def _choose_metric(pred: Token, direction: str, subject_toks: list[Token], clause: list[Token], bench_ids: set[int],
                   pred_ids: set[int], sent: Span) -> tuple[str, bool, list[Token]]:
    """The metric the predicate is about: a written multiple, then the moved object, the subject, complements."""
    lemma = pred.lemma_.lower()
    own = [t for t in clause if t.i not in bench_ids]
    if lemma in ("trade", "value", "price") or _VALUATION_MULTIPLE.search(_text(own) or ""):
        if lemma in ("trade", "value", "price", "be") or pred.pos_ not in ("VERB",):
            return "valuation", True, subject_toks
    if lemma == "cover":
        return "interest_coverage", True, subject_toks
    # transitive moves ("raised its capex guidance", "pushed gross margin down"): the object is what moves
    objs = [c for c in (pred.children if pred.pos_ in ("VERB", "AUX") else pred.head.children)
            if c.dep_ in ("dobj", "nsubjpass") and not _has_number([c]) and c.i not in bench_ids
            and not any(x.lower_ == "per" for x in c.subtree)]  # "$11 per million British thermal units": a unit
    if pred.dep_ == "amod" and pred.head.pos_ == "NOUN":
        objs = [pred.head] + objs  # "reported weaker profits", "posted record revenue": the noun described moves
    for o in objs:
        phrase = _phrase(o)
        m, f = _metric_of(phrase)
        if f:
            return m, True, phrase
    if subject_toks:
        m, f = _metric_of(subject_toks)
        if f:
            return m, True, subject_toks
    evidence: list[Token] = []
    for c in pred.children:
        if c.i in bench_ids or c.dep_ not in ("attr", "pobj", "prep", "compound", "amod", "acomp", "oprd", "dobj"):
            continue
        if c.dep_ == "prep" and c.lower_ not in ("in", "of", "for", "at"):
            continue  # "fell after cutting its sales forecast": the cause is not the metric
        evidence.extend(x for x in c.subtree if x.i not in bench_ids and x.i not in pred_ids)
    if pred.pos_ == "NOUN":
        evidence.extend(pred.subtree)
    if pred.pos_ in ("ADJ", "ADV", "ADP") and pred.head.i != pred.i:
        evidence.extend(x for x in pred.head.children if x.dep_ in ("attr", "dobj", "prep"))
        evidence.append(pred.head)
    evidence.append(pred)
    m, f = _metric_of(evidence)
    return (m, True, subject_toks) if f else ("other", False, subject_toks)

