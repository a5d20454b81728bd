"""Predicates: the tokens that head a movement, comparison or level statement, with their direction, and
the clause (tokens) each one owns."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from tracker.nlp.claim_rules.lexicon import ARRIVAL_VERBS, BASE_PREPS, FORECAST_WORDS, CAUSE_VERBS, HOLD_VERBS, LOSS_WORDS, PROFIT_WORDS, LEVEL_VERBS, LINKING_VERBS, MARKET_WORDS, MOVE_PARTICLE_VERBS, MULTIPLE, NOUN_DIRECTION, VERB_DIRECTION, WORD_DIRECTION, _GUIDANCE_VERBS, _SIGNED
from tracker.nlp.claim_rules.phrases import _has_number, _metric_of, _phrase, _versus
from tracker.nlp.claim_rules.valuation import _valuation_direction


def _modal_adjective(t: Token) -> bool:
    """ "sales would more than double": a movement verb the tagger read as an adjective, under a modal."""
    return t.pos_ == "ADJ" and t.dep_ in ("ccomp", "xcomp", "conj", "ROOT") and any(
        c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "should", "may", "might", "to") for c in t.children)


def _headline_verb(t: Token) -> bool:
    """A movement verb in headline style that the tagger read as a plural noun heading its clause, after the
    noun phrase that is its subject ("Li Auto stumbles", "demand steadies")."""
    return t.pos_ == "NOUN" and t.tag_ == "NNS" and t.dep_ in ("ROOT", "ccomp", "advcl", "conj") and \
        VERB_DIRECTION.get(t.lemma_.lower()) is not None and _headline_subject(t) is not None


def _headline_subject(t: Token) -> Token | None:
    before = [c for c in t.children if c.dep_ in ("compound", "nsubj") and c.i < t.i and c.pos_ in ("NOUN", "PROPN")]
    return before[-1] if before else None


def _absolute(t: Token) -> bool:
    """ "with interest coverage improving", "with revenue up 26%": a clause under "with" that has its own
    subject states a fact, unlike background such as "worries about slowing demand"."""
    return t.dep_ == "pcomp" and t.head.lower_ == "with" and any(c.dep_ == "nsubj" for c in t.children)


def _noun_as_verb(t: Token) -> bool:
    """A headline noun the tagger read as a verb ("Coal India volumes down", "developers index down 8%")."""
    return t.pos_ == "VERB" and t.tag_ in ("VBZ", "VBP", "VB") and (
        _metric_of([t])[1] or t.lower_ in MARKET_WORDS or t.lower_ in ("index", "indices"))


def _changed_objects(t: Token) -> list[Token]:
    """The direct objects of a verb that changes a figure ("cuts its sales forecast", "raises guidance")."""
    return [c for c in t.children if c.dep_ == "dobj"] if t.lemma_.lower() in _GUIDANCE_VERBS else []


def _guidance_change(t: Token) -> bool:
    """ "after cutting its full-year sales forecast": a company changing its own figures is a claim even in
    a background clause, when the object names a metric."""
    return any(_metric_of(_phrase(c))[1] for c in _changed_objects(t))


def _guides(pred: Token) -> bool:
    """A company changing its guidance with no metric named ("raises guidance", "cuts its outlook")."""
    return any(c.lemma_.lower() in ("guidance", "outlook", "forecast", "forecasts") for c in _changed_objects(pred))


def _comparison_base(t: Token) -> bool:
    """ "against a loss", "compared with a profit", "from a loss a year earlier": the noun is the old figure."""
    if t.dep_ == "dobj" and t.head.lemma_.lower() == "reverse":
        return True  # "net income of ¥1.15 trillion, reversing a loss a year earlier"
    if t.dep_ != "pobj":
        return False
    if t.head.lower_ == "of" and t.head.head.lemma_.lower() in FORECAST_WORDS and t.head.head.i != t.i:
        return _comparison_base(t.head.head)  # "compared with a previous forecast of net profit of ¥8bn"
    prep = t.head
    return prep.lower_ in BASE_PREPS or (prep.lower_ == "with" and prep.head.lemma_.lower() == "compare")


def swing(sent: Span) -> tuple[Token, str] | None:
    """A profit set against a loss (or the reverse) in one sentence: the base of the comparison and the direction
    of the earnings ("a profit of $352m, against a loss of $387m" is up; "a $1.1bn loss against a $3.1bn profit a
    year earlier" is down)."""
    for t in sent:
        low = t.lower_
        if low not in LOSS_WORDS and low not in PROFIT_WORDS or not _comparison_base(t):
            continue
        other = LOSS_WORDS if low in PROFIT_WORDS else PROFIT_WORDS
        if any(x.lower_ in other and x.i != t.i for x in sent):
            return t, ("down" if low in PROFIT_WORDS else "up")
    return None


def _cause_particle(t: Token) -> Token | None:
    """ "pulled the Dow down 0.9%", "sent its shares down 7%": a verb that moves its object, and the word saying
    which way."""
    if t.pos_ != "VERB" or t.lemma_.lower() not in CAUSE_VERBS or not any(c.dep_ == "dobj" for c in t.children):
        return None
    return next((c for c in t.children if c.lower_ in ("up", "down", "higher", "lower") and c.i > t.i and
                 c.dep_ in ("prt", "advmod", "oprd", "acomp", "npadvmod", "prep", "conj", "xcomp")), None)


def _loss_object(t: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lower_ in LOSS_WORDS for c in t.children)


def _result(t: Token) -> str | None:
    """ "posted another quarterly loss": loss-making, low; "posts second straight quarterly profit" (no figure): profitable,
    high. The verb may be a headline noun ("Paytm posts ... profit")."""
    headline = t.pos_ == "NOUN" and t.lower_ in ("posts", "reports", "books") and t.dep_ == "ROOT"
    if not (t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in ("post", "report", "record", "book") or headline):
        return None
    for c in (t.subtree if headline else t.children):
        if c.dep_ in ("dobj", "appos") and c.lower_ in LOSS_WORDS:
            return "low"
        if c.dep_ in ("dobj", "appos") and c.lower_ in ("profit", "profits") and \
                not any(ch.isdigit() for x in t.subtree for ch in x.text) and \
                not any(WORD_DIRECTION.get(a.lower_) in ("up", "down") for a in c.children):  # "weaker profits"
            return "high"
    return None


def _was_versus_earlier(t: Token, sent: Span) -> str | None:
    attrs = [c for c in t.children if c.dep_ == "attr" and _has_number(c.subtree)]
    if not attrs:
        return None
    vs = _versus(sent.text, " ".join(x.text for x in attrs[0].subtree))
    return vs[0] if vs is not None and vs[1] else None


_EARLIER_PERIOD = re.compile(
    r"\b(?:(?:a|one|the) (?:year|quarter|month)s? (?:earlier|ago|before)|(?:prior|previous|last|year-ago|year-earlier)"
    r"(?: corresponding)? (?:year|quarter|half|period|month)|(?:same|corresponding) (?:period|quarter|half|month)|"
    r"pcp|last year|a year ago)\b", re.I)


def _earlier_period(toks) -> bool:
    """ "below the prior corresponding period", "higher than a year earlier": the base is the figure's own past."""
    return _EARLIER_PERIOD.search(" ".join(t.text for t in toks)) is not None


def _appended_change(t: Token, taken: set[int]) -> bool:
    """ "posted an operating profit of 601 billion won, up 34%", "trades at 45x, down from 70x": a change appended to
    a level that a predicate already reads belongs to that claim (one quantity, one claim)."""
    return t.lower_ in ("up", "down") and t.i > 0 and t.doc[t.i - 1].text == "," and any(
        a.i in taken and a.lemma_.lower() in LEVEL_VERBS | {"trade", "be"} for a in t.ancestors)


_RANK = {**dict.fromkeys("fastest highest strongest best biggest largest".split(), "high"),
         **dict.fromkeys("slowest lowest weakest worst smallest".split(), "low")}


def _peer_rank(t: Token) -> str | None:
    """ "remains among the fastest of the big banks": a figure ranked among its peers is a level."""
    if t.lower_ != "among" or t.head.lemma_.lower() not in LINKING_VERBS:
        return None
    return next((_RANK[c.lower_] for c in t.children if c.dep_ == "pobj" and c.lower_ in _RANK), None)


def _predicates(sent: Span) -> list[tuple[Token, str, bool]]:
    """Tokens that head a movement, comparison or level statement: (token, direction, direction stated)."""
    preds: list[tuple[Token, str, bool]] = []
    taken: set[int] = set()
    swung = swing(sent)
    if swung is not None:
        preds.append((swung[0], swung[1], True))
        taken.add(swung[0].i)
    for t in sent:
        if swung is not None and (t.lower_ in LOSS_WORDS | PROFIT_WORDS or t.lemma_.lower() in LEVEL_VERBS
                                  and any(c.dep_ == "dobj" and c.lower_ in LOSS_WORDS | PROFIT_WORDS
                                          for c in t.children)):
            continue  # the swing is the sentence's earnings claim
        if (particle := _cause_particle(t)) is not None and t.i not in taken:
            preds.append((t, "up" if particle.lower_ in ("up", "higher") else "down", True))
            taken.update((t.i, particle.i))
            continue
        lemma = t.lemma_.lower()
        d, stated = None, True
        nxt = sent.doc[t.i + 1] if t.i + 1 < sent.end else None
        if nxt is not None and nxt.lower_ == "back" and t.i + 2 < sent.end and \
                sent.doc[t.i + 2].lower_ in ("up", "down", "higher", "lower"):
            nxt = sent.doc[t.i + 2]  # "drifted back up to 1.8%"
        if t.pos_ in ("VERB", "AUX") and (t.dep_ == "amod" or t.dep_ == "pcomp" and t.tag_ == "VBG") \
                and not _guidance_change(t) and not _absolute(t):
            continue  # "worries about slowing demand": background, not a claim
        if t.pos_ == "VERB" and lemma in ("give", "hand") and nxt is not None and nxt.lower_ in ("up", "back") and \
                _has_number(t.subtree):
            d = "down"  # "the shares have given up 30% from their peak", "handed back 2%": a fall
            taken.add(nxt.i)
        elif t.pos_ == "VERB" and lemma in MOVE_PARTICLE_VERBS and nxt is not None and \
                nxt.lower_ in ("up", "down", "higher", "lower"):
            d = "up" if nxt.lower_ in ("up", "higher") else "down"  # "picked up to 8%", "came down"
            taken.add(nxt.i)
        elif lemma == "lose" and any(c.dep_ == "dobj" and c.lower_ == "money" for c in t.children):
            d = "low"  # "has lost money for three quarters": loss-making, a level
        elif (t.pos_ in ("VERB", "AUX") or _modal_adjective(t)) and (VERB_DIRECTION.get(lemma) or VERB_DIRECTION.get(t.lower_)):
            d = VERB_DIRECTION.get(lemma) or VERB_DIRECTION[t.lower_]
            objs = [c for c in t.children if c.dep_ == "dobj"]
            if lemma in ("lead", "beat") and (not objs or objs[0].lower_ in ("way", "charge", "pack")):
                continue  # "led the way" / "lead" with no object compares nothing
            if lemma in ("add", "return") and not any(
                    c.like_num or "%" in c.text or c.ent_type_ in ("PERCENT", "MONEY")
                    for c in t.subtree if c.head.i == t.i or c.head.head.i == t.i):
                continue  # "added 1.2%" is a move; "added a product" is not
            if lemma in ("cut", "reduce", "lower", "raise", "boost", "lift", "trim") and not any(
                    c.dep_ in ("dobj", "nsubjpass") for c in t.children) and t.dep_ != "ROOT":
                continue
            if any(c.lower_ in ("estimate", "estimates", "target", "targets", "rating", "ratings") and
                   not _metric_of(_phrase(c))[1] for c in objs):
                continue  # analysts' ratings and targets are not claims about the business
        elif _headline_verb(t):
            d = VERB_DIRECTION[lemma]  # "Li Auto stumbles", "IT services demand steadies": a verb tagged as a noun
        elif lemma == "yield" and t.pos_ == "VERB" and _has_number(t.subtree):
            d, stated = "high", False  # "$WDS yielding 7%", "the two yield about 4%": a dividend yield worth naming
        elif (lvl := _peer_rank(t)) is not None:
            d = lvl  # "loan growth of 13% remains among the fastest of the big banks"
        elif t.lower_ in ("high", "low") and t.dep_ in ("advcl", "amod", "appos", "conj") and t.i + 1 < sent.end \
                and sent.doc[t.i + 1].lower_ == "for" and _has_number(sent):
            d = t.lower_  # "a dividend yield of 4%, high for a phone company": a level against a reference
        elif lemma == "change" and any(c.lower_ in ("little", "barely", "largely", "broadly") for c in t.children):
            d = "stable"  # "little changed from a year ago"
        elif lemma in ("trade", "value", "price") and MULTIPLE.search(sent.text):
            d = _valuation_direction(sent, t)  # "trades at 56x forward earnings": a valuation level
        elif lemma == "cover" and any(c.lower_ in ("interest", "interest expense") for c in t.subtree):
            words = {x.lower_ for x in sent}
            d = "low" if words & {"only", "barely", "not", "longer", "n't"} else "high"
            stated = False
        elif t.pos_ in ("VERB", "AUX") and lemma in HOLD_VERBS and any(
                (c.dep_ == "prep" and c.lower_ in ("at", "around", "near", "about", "above", "below")
                 or c.dep_ in ("attr", "npadvmod")) and _has_number(c.subtree) for c in t.children) \
                and not any(c.lower_ in WORD_DIRECTION for c in t.children):
            bound = {c.lower_ for c in t.children if c.dep_ == "prep"}
            # "stayed at 21%", "left its cash rate at 3.6%"; "stayed above 45%" is a high level
            d = "high" if "above" in bound else "low" if "below" in bound else "stable"
        elif lemma == "be" and (vs := _was_versus_earlier(t, sent)) is not None:
            d = vs  # "Gross margin was 41.2%, against 39.8% a year earlier": a change, not a level
        elif t.pos_ in ("VERB", "AUX") and lemma in ("exceed", "surpass") and _has_number(t.subtree):
            d = "high"  # "net cash now exceeds $3bn"
        elif lemma == "be" and any(c.dep_ == "prep" and c.lower_ in ("at", "near", "around", "above", "below")
                                   and _has_number(c.subtree) for c in t.children) and \
                not any(c.lower_ in WORD_DIRECTION for c in t.children):
            bound = next(c.lower_ for c in t.children if c.dep_ == "prep" and c.lower_ in
                         ("at", "near", "around", "above", "below") and _has_number(c.subtree))
            d, stated = {"above": ("high", True), "below": ("low", True)}.get(bound, ("high", False))
            if bound in ("above", "below") and _earlier_period(next(
                    c for c in t.children if c.dep_ == "prep" and c.lower_ == bound).subtree):
                d = "up" if bound == "above" else "down"  # "2% below the prior corresponding period": a change
        elif (res := _result(t)) is not None:
            d = res  # "posted another quarterly loss" low; "posts second straight quarterly profit" high
        elif t.pos_ in ("VERB", "AUX") and lemma in LEVEL_VERBS and t.dep_ != "dobj" and (
                _has_number(t.subtree) or any(c.lower_ in ("record", "highest", "lowest") for c in t.subtree)):
            d, stated = "high", False  # "reached $3.2bn", "hit a record": a level; cues below may set it
            moved = [c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in NOUN_DIRECTION]
            if _loss_object(t) and lemma in ("post", "report", "record", "deliver"):
                d, stated = "low", True  # "posted a quarterly loss": loss-making, a level
            elif moved:
                d, stated = NOUN_DIRECTION[moved[0].lemma_.lower()], True  # "reported a 10% drop in profit"
        elif _SIGNED.match(t.text) or (t.text in ("+", "−") and t.i + 1 < sent.end and sent.doc[t.i + 1].like_num):
            d = "down" if t.text[0] in "−-" else "up"  # headline style "revenue +14% yoy"
            if t.text[0] == "-" and t.i > sent.start and sent.doc[t.i - 1].like_num:
                continue  # a range "2-3%"
        elif t.lower_ in ("high", "low") and t.i > sent.start and sent.doc[t.i - 1].lower_ in ("record", "all-time") \
                and any(a.lemma_.lower() in ARRIVAL_VERBS for a in t.ancestors):
            continue  # "hits record high": the arrival verb is the claim
        elif t.lower_ in ("behind", "ahead") and any(a.dep_ == "appos" for a in t.ancestors):
            continue  # "Pop Mart, the toy company behind Labubu": a description, not a comparison
        elif _appended_change(t, taken):
            continue
        elif t.lower_ in WORD_DIRECTION and t.i - 2 >= sent.start and sent.doc[t.i - 1].text == "-" and \
                not sent.doc[t.i - 2].whitespace_:
            continue  # the second half of a hyphenated word ("start-up", "pick-up", "build-up")
        elif t.lower_ in WORD_DIRECTION and t.dep_ in ("acomp", "advmod", "prt", "oprd", "attr", "amod", "npadvmod",
                                                         "prep", "ROOT", "xcomp", "conj", "compound", "nmod", "appos",
                                                         "pcomp"):
            head = t.head
            if t.dep_ == "amod" and head.pos_ == "NOUN" and head.dep_ in ("attr", "dobj", "pobj") and \
                    head.head.lemma_.lower() in LINKING_VERBS | {"see", "report", "post", "deliver", "show"}:
                d = WORD_DIRECTION[t.lower_]  # "remains a strong market", "posted record revenue"
            elif t.lower_ == "record" and t.dep_ in ("compound", "amod", "nmod") and t.head.dep_ in ("dobj", "attr") \
                    and t.head.head.lemma_.lower() not in ARRIVAL_VERBS and not (
                        t.head.head.i in taken and t.head.head.lemma_.lower() == "deliver"):
                # "reached a record $3bn", "delivered a record 70,300 cars, up 84%": the verb's claim
                d = "high"
            elif _absolute(t):
                d = WORD_DIRECTION[t.lower_]  # "with advertising revenue up 26%"
            elif t.dep_ == "amod" and head.dep_ == "npadvmod" and head.head.lemma_.lower() in LINKING_VERBS and \
                    head.i == t.i + 1:
                d = WORD_DIRECTION[t.lower_]  # "shipments remained flat quarter on quarter"
            elif head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ") and head.i < t.i and t.dep_ != "amod" and \
                    t.lower_ in ("up", "down", "higher", "lower", "flat", "unchanged", "steady", "stable"):
                d = WORD_DIRECTION[t.lower_]  # verbless: "$AMD up 22% YTD", "search ads flat"
            elif t.dep_ != "amod" and (head.lemma_.lower() in LINKING_VERBS or head.pos_ in ("VERB", "AUX")
                                       or t.dep_ == "ROOT"):
                if head.i in taken or (head.pos_ == "VERB" and VERB_DIRECTION.get(head.lemma_.lower())):
                    continue
                if t.lower_ in ("up", "down") and t.dep_ == "prt" and head.lemma_.lower() not in LINKING_VERBS \
                        and head.lemma_.lower() not in MOVE_PARTICLE_VERBS and not _noun_as_verb(head):
                    continue  # "set up", "shut down"; but "picked up", "came down", "turning up" are moves
                if t.lower_ == "up" and head.lemma_.lower() == "hold":
                    preds.append((head, "stable", True))  # "margins holding up"
                    taken.update((head.i, t.i))
                    continue
                if t.lower_ in ("up", "down") and head.lemma_.lower() in ("set", "shut", "step", "wind", "trade",
                                                                         "break", "back", "cut", "turn"):
                    continue
                d = WORD_DIRECTION[t.lower_]
                if t.lower_ == "negative" and head.lemma_.lower() in ("turn", "swing", "go", "flip"):
                    d = "down"  # "free cash flow turns negative": the figure fell through zero
                if t.lower_ in ("faster", "slower") and head.pos_ == "VERB" and any(c.lower_ == "than" for c in t.subtree):
                    d = "high" if d == "up" else "low"  # "booking orders faster than they can build ships": a pace
                if head.lemma_.lower() == "be" and t.lower_ in ("higher", "lower", "stronger", "weaker") and \
                        any(c.lower_ == "than" for c in t.subtree) and not _earlier_period(t.subtree):
                    d = "high" if d == "up" else "low"  # "lower than expected": a level judged against a yardstick
            if d is None:
                continue
        elif t.pos_ == "NOUN" and lemma in NOUN_DIRECTION and t.dep_ in ("nsubj", "dobj", "ROOT", "attr",
                                                                        "pobj", "appos", "nsubjpass"):
            d = NOUN_DIRECTION[lemma]
            # only when it is about something measurable: "a 14% rise in revenue", "revenue growth of 20%"
            window = list(t.subtree)
            if not _has_number(window) and not _metric_of(window)[1]:
                continue
            level = [WORD_DIRECTION[c.lower_] for c in t.children if c.dep_ == "amod" and
                     WORD_DIRECTION.get(c.lower_) in ("high", "low")]
            if level:
                d = level[0]  # "strong loan growth of about 11%": how strong the flow is, a level
        else:
            continue
        if t.i in taken:
            continue
        preds.append((t, d, stated))
        taken.add(t.i)
    # A noun predicate under or above another predicate ("rose on a rebound in demand", "growth of 8%, down
    # from 16%") is not a claim of its own.
    others = [p for p, _, _ in preds if p.pos_ != "NOUN" and not (  # "a 6% slide in X pulled the Dow down": two claims
        p.lemma_.lower() in CAUSE_VERBS and _cause_particle(p) is not None)]
    out = []
    for p, d, st in preds:
        if p.pos_ == "NOUN" and p.lemma_.lower() in NOUN_DIRECTION and \
                any(v in p.ancestors or p in v.ancestors or (v.dep_ in ("acomp", "oprd") or v.lower_ == "among")
                    and v.head in p.ancestors
                    for v in others):  # "growth should stay muted": the adjective's verb holds the noun
            continue
        out.append((p, d, st))
    return out


def _clause_tokens(sent: Span, preds: list[Token]) -> dict[int, list[Token]]:
    """Each token goes to its nearest predicate ancestor; tokens under no predicate are shared context."""
    pset = {p.i for p in preds}
    own: dict[int, list[Token]] = {p.i: [] for p in preds}
    shared: list[Token] = []
    for t in sent:
        node, owner = t, None
        while True:
            if node.i in pset:
                owner = node.i
                break
            if node.head.i == node.i or node.head.i < sent.start or node.head.i >= sent.end:
                break
            node = node.head
        (own[owner] if owner is not None else shared).append(t)
    for p in preds:
        own[p.i] = sorted(own[p.i] + shared, key=lambda x: x.i)
    return own
