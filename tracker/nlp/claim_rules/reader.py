"""Reading a sentence into claims: one RuleClaim per predicate with its slots, sentence-level slots for
the classifier's claims, subject normalisation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from tracker.nlp.claim_rules.lexicon import ARRIVAL_VERBS, BOND_WORDS, EXPECTATION_WORDS, FORECAST_WORDS, LOSS_WORDS, \
    MULTIPLE, NEGATIVE_QUANTITIES, NOUN_DIRECTION, VERB_DIRECTION, _AGAINST_NORM, _VALUATION_MULTIPLE
from tracker.nlp.claim_rules.units import excluded
from tracker.nlp.claim_rules.funds import _fund_against_index, _index_beside_fund
from tracker.nlp.claim_rules.metric_cues import company_default
from tracker.nlp.claim_rules.phrases import _has_number, _versus, _inside, _is_company, _main_clause, _metric_of, _phrase, _text
from tracker.nlp.claim_rules.predicates import _cause_particle, _clause_tokens, _guides, _loss_object, _predicates, \
    _valuation_direction, swing
from tracker.nlp.claim_rules.slots import _benchmark, _choose_metric, _default_metric, _hedged, _horizon, _magnitude, _negated, _relative, _subject_token, _superlative, _among_peers


# ", up 65% in a year" after a level ("reported a backlog of $9.4bn, up 65% in a year"); clause text is lower-case,
# its tokens joined by spaces
_CHANGE_AFTER = re.compile(r", (up|down) (?:about |around |some |nearly |almost |more than |over )?[\d.]+ ?"
                           r"(?:%|percent|per cent|bps|basis points)")


@dataclass
class RuleClaim:
    """One claim read from one predicate of a sentence (char offsets are absolute in the Doc)."""

    predicate: int  # token index of the predicate
    direction: str
    metric: str
    metric_evidence: bool  # the metric is written (a keyword) or safely implied, not a guess
    subject: str | None
    subject_span: tuple[int, int] | None  # char offsets of the subject as written
    magnitude: str | None
    horizon: str | None
    benchmark: str | None
    hedged: bool
    negated: bool
    confidence: float
    tokens: list[int] = field(default_factory=list)  # token indices of the clause
    direction_evidence: bool = True  # False when the direction is a default (a level verb with no cue)


def read_sentence(sent: Span, company_spans: list[tuple[int, int]] | None = None) -> list[RuleClaim]:
    """Claims of one sentence by rules: one per movement/comparison/level predicate, slots from the parse."""
    company_spans = company_spans or []
    if excluded(sent):
        return []
    preds = _predicates(sent)
    if not preds:
        return []
    clauses = _clause_tokens(sent, [p for p, _, _ in preds])
    pred_ids = {p.i for p, _, _ in preds}
    out: list[RuleClaim] = []
    swung = swing(sent)
    for pred, direction, stated in preds:
        clause = clauses[pred.i]
        is_swing = swung is not None and pred.i == swung[0].i
        if is_swing:  # "Streaming turned a profit of $352m, against a loss ...": the sentence's own subject
            subj_tok = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < pred.i
                             and not t.like_num and t.ent_type_ not in ("MONEY", "PERCENT")), None)
        elif _cause_particle(pred) is not None:  # "pulled the Dow down 0.9%": the object moves
            subj_tok = next(c for c in pred.children if c.dep_ == "dobj")
        else:
            subj_tok = _subject_token(pred)
        if subj_tok is not None and subj_tok.lower_ in ("which", "that", "who") and \
                (rel := next((a for a in [pred, *pred.ancestors] if a.dep_ == "relcl"), None)) is not None and \
                rel.head.pos_ in ("NOUN", "PROPN"):
            subj_tok = rel.head  # "..., ahead of global car production, which rose about 3%": the noun it describes
        if subj_tok is not None and subj_tok.lower_ in ("which", "that", "who", "it", "this"):
            subj_tok = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < subj_tok.i
                             and t.lower_ not in ("which", "that", "who", "it", "this")), subj_tok)
        if subj_tok is not None and not (sent.start <= subj_tok.i < sent.end):
            subj_tok = None  # the parse ran across a line break
        subject_toks = _inside(_phrase(subj_tok), sent) if subj_tok is not None else []
        if pred in subject_toks:  # verbless "e-commerce up 20%": the subject stops before the predicate
            subject_toks = [t for t in subject_toks if t.i < pred.i]
        while subject_toks and (subject_toks[0].is_punct or subject_toks[0].text in ("•", "·", "–", "—", "-", "*")):
            subject_toks = subject_toks[1:]  # bullets, dashes
        subj_ids = {t.i for t in subject_toks}
        bench, cue = _benchmark(pred, direction, clause)
        bench = _inside(bench, sent)
        bench_ids = {t.i for t in bench}
        magnitude = _magnitude(clause, subj_ids | bench_ids, pred)
        horizon = _horizon(clause, subj_ids | bench_ids, pred)
        metric, found, moved = _choose_metric(pred, direction, subject_toks, clause, bench_ids, pred_ids, sent)
        sure = found
        if not found:
            # a company/index that is itself the subject of the move: its price; otherwise the clause's words
            direct = subj_tok is not None and (subj_tok.head.i == pred.i or (  # "the Stoxx 600 was flat"
                pred.dep_ in ("acomp", "attr", "oprd", "advmod") and subj_tok.head.i == pred.head.i))
            default, strong = _default_metric(subject_toks, company_spans, magnitude)
            default = company_default(pred, default, subject_toks)  # "is still growing at 12%", "added 272 stores": no share price
            cause = _cause_ids(clause, pred)
            m2, f2 = _metric_of([t for t in _main_clause(clause, pred)
                                 if t.i not in bench_ids and t.i not in subj_ids and t.i not in cause])
            if _guides(pred):
                metric = "revenue_growth"  # "raises its guidance", "cuts its outlook": the business, not the shares
            elif direct and default:
                metric, sure = default, strong
            elif f2:
                metric, found, sure = m2, True, True
            elif default:
                metric = default
        if pred.lemma_.lower() == "yield" and pred.pos_ == "VERB" or metric == "rate" and _holder_yield(clause):
            metric, sure = "other", True  # a share's or a fund's yield is its dividend yield, not an interest rate
        if direction in ("outperform", "underperform"):
            if not bench:
                continue  # "MediaTek lagged, dropping 0.8%": the drop is the claim
            if metric in ("price_return", "index_level", "other") or not found:
                metric, sure = "relative_return", True
            else:  # "SUV volumes outpaced the market": a company figure judged against a benchmark is a level
                direction = "high" if direction == "outperform" else "low"
        elif bench and direction in ("up", "down") and (rel := _relative(direction, cue, magnitude, bench)):
            if metric in ("price_return", "index_level") or not found:
                if cue not in ("above", "below"):  # "above its 200-day average" is a level, not a relative return
                    direction, metric, sure = rel, "relative_return", True
            elif cue not in ("against", "versus", "vs", "vs.", "compared", "relative") and not (
                    any(t.lemma_.lower() in FORECAST_WORDS for t in bench) and not _has_number(bench)
                    and _change_stated(magnitude, sent.text)) and not _own_figure(cue, direction, bench):
                # "revenue grew 17%, well ahead of global car production" or "ahead of its guidance of 4.5%": high
                # against the benchmark; but "profit rose 17%, beating the average estimate" (no figure set against
                # it) is the rise
                direction = "high" if rel == "outperform" else "low"
        if metric == "valuation" and magnitude is None:
            m = MULTIPLE.search(_text(list(sent)) or "")
            magnitude = m.group(0) if m else None
        elif metric != "valuation" and magnitude and MULTIPLE.fullmatch(magnitude) and \
                _VALUATION_MULTIPLE.search(sent.text) and pred.lemma_.lower() not in ("cover",):
            magnitude = None  # "tripled ... and trade at 38x earnings": the multiple is the valuation's
        if metric == "valuation" and direction in ("up", "down") and pred.lemma_.lower() in ("trade", "be", "value"):
            direction = _valuation_direction(sent, pred)
        if direction in ("high", "low", "stable") and metric not in ("relative_return",) and magnitude and \
                pred.lemma_.lower() in ("be", "trade", "stand", "come", "total", "reach", "value") and \
                (vs := _versus(sent.text, magnitude)) is not None and (vs[1] or metric == "valuation"):
            direction = vs[0]  # "margin was 24.6%, compared with 25.6% last year": down; "24x, against 45x": low
        if direction == "low" and metric == "earnings_growth" and magnitude and _loss_object(pred) and \
                (vs := _versus(sent.text, magnitude)) is not None and vs[1] and _loss_base(sent.text):
            # "a net loss of $40m, against a loss of $95m": the loss shrank; the loss rule below turns it into "up"
            direction = vs[0]
        if metric != "relative_return":
            judged = _AGAINST_NORM.search(_text(clause) or "")
            sent_text = sent.text
            to_level = magnitude is None or f"to {magnitude}" in sent_text or f"at {magnitude}" in sent_text
            if judged and direction in ("up", "down") and to_level:  # "fell to 15, well below its average"
                direction = "high" if judged.group(1).lower() in ("above", "over") else "low"
            sup, _ = _superlative(clause)
            clause_text = " ".join(t.lower_ for t in clause)
            if sup and not _CHANGE_AFTER.search(clause_text) and (not stated or direction in ("up", "down") and _among_peers(clause)):
                # a level verb with an extreme is the level ("is at a 13-year low"); a movement verb keeps its move
                # ("rose to 1.86%, its highest since 2008", "fell to 5.1%, its lowest in years": labelling rules)
                direction, stated = sup, True
                if pred.lemma_.lower() in ARRIVAL_VERBS:
                    direction = "up" if sup == "high" else "down"  # "hit a record", "reached its lowest": the move
            if direction in ("high", "low", "stable") and re.search(r"\b(down|up) from\b", clause_text):
                direction = "down" if "down from" in clause_text else "up"  # "only 3.1 times, down from 8"
            elif direction in ("high", "low") and not stated and (ch := _CHANGE_AFTER.search(clause_text)):
                direction = ch.group(1)  # "reported a backlog of $9.4bn, up 65% in a year": the change is the claim
            if direction == "up" and any(t.lower_ in ("only", "just", "merely") or t.lower_ == "modest" and not
                                         VERB_DIRECTION.get(pred.lemma_.lower()) for t in clause):
                direction = "low"  # "grew only 4%": the point is that it is low
        if is_swing:
            metric, sure = "earnings_growth", True
        elif direction in ("up", "down") and _negative_quantity(moved, subject_toks, clause, pred):
            direction = "down" if direction == "up" else "up"  # "losses narrowed" is an improvement
        elif direction in ("up", "down") and (neg := _negative_head(subj_tok, pred, metric)) is not None:
            # "the deficit actually narrowed", "its discount to NAV has narrowed to 6%", "third-quarter loss narrows":
            # what moves is a shortfall, so a narrowing is an improvement (labelling README, direction_flip)
            direction = "down" if direction == "up" else "up"
            if neg.lower_ in LOSS_WORDS and metric not in ("earnings_growth", "free_cash_flow"):
                metric, sure = "earnings_growth", True
        if direction in ("up", "down") and metric in ("rate", "other", "price_return") and subject_toks:
            words = {t.lower_ for t in subject_toks}
            owords = _expected_words(subj_tok, pred, subject_toks)
            if owords & EXPECTATION_WORDS and owords & {"cut", "cuts", "easing"}:
                # "expectations of rate cuts jumped": rates are expected to fall
                direction, metric, sure = ("down" if direction == "up" else "up"), "rate", True
            elif metric == "rate" and subject_toks[-1].lower_ in BOND_WORDS and not words & {"yield", "yields"}:
                direction = "down" if direction == "up" else "up"  # "Treasuries rallied": bond prices up, yields down
        if metric == "price_return" and len(subject_toks) > 1 and \
                subject_toks[-1].lower_ in ("shares", "stocks", "equities") and \
                not _is_company(subject_toks, company_spans) and all(t.tag_ != "POS" for t in subject_toks) and \
                any(t.ent_type_ in ("GPE", "NORP", "LOC") for t in subject_toks[:-1]):
            metric = "index_level"  # "Seoul shares tumbled 3.8%": the market, not one stock
        negated = _negated(pred)
        if direction == "up" and pred.i - 2 >= sent.start and \
                [x.lower_ for x in sent.doc[pred.i - 2: pred.i]] == ["yet", "to"]:
            direction = "low"  # "orders have yet to recover": still depressed, a level
        elif negated and direction in ("up", "down") and not _change_denied(pred):
            direction = "down" if direction == "up" else "up"  # "demand is not slowing": the claim is "up"
        if direction in ("up", "down") and _change_denied(pred):
            direction = "stable"  # "we see no slowdown in demand", "prices have stopped falling": no change
        elif negated and metric == "valuation" and direction in ("high", "low"):
            direction = "high" if direction == "low" else "low"  # "at 32x the stock is not cheap": high
        conf = 0.45 + 0.2 * found + 0.15 * (magnitude is not None) + 0.1 * bool(subject_toks) + 0.05 * bool(horizon)
        if not found and magnitude is None and metric == "other":
            conf -= 0.25  # weak: no metric word, no number, nothing known moving
        out.append(RuleClaim(
            predicate=pred.i, direction=direction, metric=metric, metric_evidence=sure,
            subject=_text(subject_toks),
            subject_span=(subject_toks[0].idx, subject_toks[-1].idx + len(subject_toks[-1])) if subject_toks else None,
            magnitude=magnitude, horizon=horizon, benchmark=_text(bench),
            hedged=_hedged(pred, clause), negated=negated, confidence=round(min(conf, 0.95), 3),
            tokens=[t.i for t in clause], direction_evidence=stated))
    doc = sent.doc
    out = [c for c in out if not (  # "reported a backlog of $5.2bn, up 40%": the change, not a guessed level
        c.direction in ("high", "low") and not c.direction_evidence and any(
            o is not c and o.metric == c.metric and o.direction in ("up", "down") and
            (o.subject == c.subject or c.predicate in {a.i for a in doc[o.predicate].ancestors}) for o in out))]
    out = [c for c in out if not (  # "still lost money, though its loss shrank to 390 million euros": the change
        c.metric == "earnings_growth" and c.direction == "low" and _loss_level(doc[c.predicate]) and any(
            o is not c and o.metric == "earnings_growth" and o.direction in ("up", "down") for o in out))]
    _fund_against_index(out)
    _index_beside_fund(out, doc)
    _inherit_metric(out, doc)
    return _dedupe(out)


def _inherit_metric(claims: list[RuleClaim], doc) -> None:
    """ "Sales volumes fell 7%, with China down 18% and North America down 4%": a part named under "with" moves the
    figure of the clause it hangs on, when it names no metric of its own."""
    for c in claims:
        if c.metric_evidence:
            continue
        p = doc[c.predicate]
        chain = [p, *p.ancestors]
        if not any(a.lower_ == "with" and a.dep_ == "prep" for a in chain):
            continue
        owner = next((o for o in claims if o is not c and o.metric_evidence and o.metric not in (
            "relative_return", "price_return", "index_level") and doc[o.predicate] in chain), None)
        if owner is not None:
            c.metric, c.metric_evidence = owner.metric, True


def _dedupe(claims: list[RuleClaim]) -> list[RuleClaim]:
    """Two predicates of one movement ("rose ... higher") on the same subject and metric make one claim."""
    out: list[RuleClaim] = []
    for c in claims:
        twin = next((o for o in out if o.subject == c.subject and o.metric == c.metric and
                     (o.magnitude == c.magnitude or c.magnitude is None or o.magnitude is None)
                     and o.direction == c.direction), None)
        if twin is None:
            out.append(c)
        else:
            twin.magnitude = twin.magnitude or c.magnitude
            twin.horizon = twin.horizon or c.horizon
            twin.confidence = max(twin.confidence, c.confidence)
    return out


def sentence_slots(sent: Span) -> dict:
    """Sentence-level slots (for a claim the classifier finds but no predicate rule reads)."""
    toks = list(sent)
    subj = next((t for t in toks if t.dep_ in ("nsubj", "nsubjpass")), None)
    subject_toks = _phrase(subj) if subj is not None else []
    root = sent.root
    ids = {t.i for t in subject_toks}
    return {
        "subject": _text(subject_toks),
        "subject_span": (subject_toks[0].idx, subject_toks[-1].idx + len(subject_toks[-1])) if subject_toks else None,
        "magnitude": _magnitude(toks, ids, root),
        "horizon": _horizon(toks, ids, root),
        "hedged": _hedged(root, toks),
        "negated": _negated(root),
    }


def normalise_subject(subject: str | None) -> str | None:
    """Lower-case, possessive and determiners dropped, spaces collapsed: "Nvidia's shares" -> "nvidia shares"."""
    if not subject:
        return None
    s = subject.lower().replace("’", "'")
    s = re.sub(r"'s\b|'\B", "", s)
    s = re.sub(r"^(the|a|an|its|their|our|this|these|those)\s+", "", s)
    s = re.sub(r"[^\w&%$.\- ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" .-")
    return s or None


def _negative_quantity(moved: list, subject_toks: list, clause: list, pred) -> bool:
    """Whether what moves is a loss, a deficit or an outflow ("losses narrowed", "trimmed its loss", "Net loss:
    KRW 38 billion, narrowed from 112 billion"): then a fall is an improvement."""
    if moved:
        return any(t.lower_ in NEGATIVE_QUANTITIES for t in moved) and not any(
            t.lower_ in ("profit", "profits", "income", "earnings") for t in moved)
    if subject_toks:
        return False
    before = [t for t in clause if t.i < pred.i]
    return bool(before) and before[0].lower_ in ("net", "operating", "pre-tax") + tuple(NEGATIVE_QUANTITIES) and \
        any(t.lower_ in NEGATIVE_QUANTITIES for t in before[:3])


def _negative_head(subj_tok, pred, metric: str):
    """The shortfall a movement verb moves, when it heads the subject: "the deficit narrowed", "losses widened", a
    discount to NAV or book (a valuation), or the noun written right before a headline verb ("third-quarter loss
    narrows", which the parser may hang on the company). None when the subject is something else."""
    if pred.pos_ not in ("VERB", "ADJ"):
        return None
    cands = [subj_tok] if subj_tok is not None else []
    prev = pred.doc[pred.i - 1] if pred.i > pred.sent.start else None
    if prev is not None and prev.pos_ == "NOUN" and subj_tok is not None and prev in subj_tok.subtree:
        cands.append(prev)
    for t in cands:
        if t.lower_ in LOSS_WORDS or t.lower_ in ("outflow", "outflows") or \
                t.lemma_.lower() == "discount" and metric == "valuation":
            return t
    return None


def _expected_words(subj_tok, pred, subject_toks: list) -> set[str]:
    """The words of what is expected: the whole subject ("expectations of a December rate cut by the Fed jumped") or
    the object a verb moves ("markets lifted the odds of a rate cut to 70%"); else the subject's own words."""
    objects = [c for c in pred.children if c.dep_ == "dobj"]
    if subj_tok is not None and subj_tok.lower_ in EXPECTATION_WORDS or \
            pred.pos_ == "VERB" and any(c.lower_ in EXPECTATION_WORDS for c in objects):
        return {x.lower_ for t in (subj_tok, *objects) if t is not None for x in t.subtree}
    return {t.lower_ for t in subject_toks}


def _change_denied(pred) -> bool:
    """A change that the sentence says is absent or over: a change noun with "no"/"any" under a negation ("we see no
    slowdown in demand", "we are not seeing any slowdown") or a movement verb under "stop"/"cease" ("prices have
    stopped falling"). The figure is stable."""
    if pred.pos_ == "NOUN" and pred.lemma_.lower() in NOUN_DIRECTION:
        det = {c.lower_ for c in pred.children if c.dep_ == "det"}
        return "no" in det or "any" in det and any(c.dep_ == "neg" for c in pred.head.children)
    return pred.dep_ == "xcomp" and pred.tag_ == "VBG" and pred.head.lemma_.lower() in ("stop", "cease")


def _change_stated(magnitude: str | None, sent_text: str) -> bool:
    """Whether the sentence gives the size of a change ("rose 17% to NT$57bn", "rose to $2.5bn from $1.4bn"), not only
    the level reached ("improved to 7.8%")."""
    if magnitude and f"to {magnitude}" not in sent_text and f"at {magnitude}" not in sent_text:
        return True
    return re.search(r"\bfrom (?:a |an |about |around )?[$€£¥]?\d", sent_text) is not None


def _loss_level(pred) -> bool:
    """ "lost money", "posted a loss": the predicate of a loss-making level."""
    return pred.lemma_.lower() == "lose" or _loss_object(pred)


def _holder_yield(toks: list) -> bool:
    """ "the fund's yield", "offers a 6% yield": a yield that a share or a fund pays (not "Japan's 10-year yield",
    "insurers' bond yields")."""
    return any(t.lower_ in ("yield", "yields") and not any(
        c.dep_ in ("compound", "nmod") and c.lower_ not in ("dividend", "distribution", "earnings", "cash")
        and not c.like_num and "%" not in c.text or c.lower_ in ("benchmark", "sovereign", "government")
        for c in t.children) and (
        any(c.dep_ == "poss" and c.ent_type_ not in ("GPE", "NORP") and c.lower_ not in ("country", "nation")
            for c in t.children)
        or t.head.lemma_.lower() in ("offer", "pay", "carry")) for t in toks)


def _own_figure(cue: str | None, direction: str, bench: list) -> bool:
    """ "Revenue grew 10%, slower than orders", "deposits grew 12%, faster than its loans": growth set beside another
    figure of the same business is still growth (a peer, a market or a rival's figure makes it a level)."""
    if cue == "slower" and direction == "up":
        return not _has_number(bench) and not any(t.pos_ == "PROPN" or t.ent_type_ == "ORG" for t in bench)
    return cue == "faster" and bool(bench) and bench[0].lower_ in ("its", "their")


def _loss_base(sent_text: str) -> bool:
    """ "compared with a loss of 9.9 billion", "against a loss of $95m": the earlier figure is a loss too."""
    return re.search(r"\b(?:compared (?:with|to)|versus|vs\.?|against|from)\s+(?:a |an )?(?:net |operating )?"
                     r"(?:loss|losses|deficit)\b", sent_text, re.I) is not None


CAUSE_PREPS = frozenset(("on", "amid", "after", "despite", "following"))


def _cause_ids(clause: list, pred) -> set[int]:
    """Tokens of an adverbial cause ("rising 2.3% on hopes of more tech spending", "+4% today on new export orders"):
    why the figure moved, not which figure it is."""
    out: set[int] = set()
    for t in clause:
        if t.dep_ == "prep" and t.lower_ in CAUSE_PREPS and (t.head.i == pred.i or t.head.dep_ == "ROOT") and \
                t.head.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "ADV", "ADJ") and t.i > pred.i:
            out.update(x.i for x in t.subtree)
    return out
