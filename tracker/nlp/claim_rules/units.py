"""Sentence units (line breaks end a sentence), sentences that are never claims (questions, disclaimers,
quote widgets), the cheap candidate test, the classifier's rule features and the Doc's cached entities."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span, Token

from tracker.nlp.claim_rules.lexicon import BPS, DISCLAIMER, HEDGES, HORIZON_PATTERNS, METRIC_KEYWORDS, MULTIPLE, NOUN_DIRECTION, NUMBERISH, VERB_DIRECTION, WORD_DIRECTION, _WIDGET_TOKEN


@Language.component("line_sentences")
def line_sentences(doc):
    """A line break starts a sentence (bullets, headlines, widget rows); runs before the parser, which keeps it."""
    for t in doc[1:]:
        prev = doc[t.i - 1]
        if prev.is_space and "\n" in prev.text and not t.is_space:
            t.is_sent_start = True
    return doc


def ensure_line_sentences(nlp) -> None:
    if "line_sentences" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("line_sentences", before="parser")


def sentence_units(doc) -> list[Span]:
    """spaCy's sentences, further cut at line breaks (a bullet, headline or widget row is its own unit)."""
    if not doc.has_annotation("SENT_START"):
        sents = [doc[:]] if len(doc) else []
    else:
        sents = list(doc.sents)
    out: list[Span] = []
    for sent in sents:
        start = sent.start
        for t in sent:
            if t.is_space and "\n" in t.text:
                if t.i > start:
                    out.append(doc[start:t.i])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return [u for u in out if u.text.strip()]


def is_question(sent: Span) -> bool:
    return sent.text.rstrip().rstrip("\"'”’)").endswith("?")


def is_disclaimer(sent: Span) -> bool:
    return bool(DISCLAIMER.search(sent.text))


def is_quote_widget(sent: Span) -> bool:
    """Ticker/price/percent strings with no verb: a live-quote strip, not prose."""
    words = [t for t in sent if not t.is_space and not t.is_punct]
    if len(words) < 3:
        return False
    has_verb = any(t.pos_ in ("VERB", "AUX") and t.is_alpha and t.is_lower for t in words)
    widgetish = sum(bool(_WIDGET_TOKEN.match(t.text)) for t in words) / len(words)
    return widgetish >= 0.75 or (widgetish >= 0.6 and not has_verb)


def excluded(sent: Span) -> str | None:
    """Why the sentence can never be a claim ("question", "disclaimer", "widget"), else None."""
    if is_question(sent):
        return "question"
    if is_disclaimer(sent):
        return "disclaimer"
    if is_quote_widget(sent):
        return "widget"
    return None


def cue_direction(tok: Token) -> str | None:
    low = tok.lower_
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        d = VERB_DIRECTION.get(tok.lemma_.lower()) or VERB_DIRECTION.get(low)
        if d:
            return d
    if tok.pos_ in ("ADJ", "ADV", "ADP", "NOUN", "PART", "VERB") and low in WORD_DIRECTION:  # VERB: "subdued"
        return WORD_DIRECTION[low]
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_DIRECTION:
        return NOUN_DIRECTION[tok.lemma_.lower()]
    return None


def is_candidate(sent: Span) -> bool:
    """Cheap test for the sentences worth embedding: a number, or a movement/comparison/metric word."""
    if not sent.text.strip() or excluded(sent):
        return False
    for t in sent:
        if t.like_num or NUMBERISH.search(t.text):
            return True
        if cue_direction(t):
            return True
    return False


def rule_features(sent: Span) -> list[float]:
    """A few generic features for the classifier, next to the sentence embedding."""
    toks = [t for t in sent if not t.is_space]
    n = max(len(toks), 1)
    labels = {e.label_ for e in sentence_ents(sent)}
    cues = sum(cue_direction(t) is not None for t in toks)
    text = sent.text.lower()
    return [
        float("PERCENT" in labels or "%" in text),
        float("MONEY" in labels),
        float("DATE" in labels or bool(HORIZON_PATTERNS.search(text))),
        float(bool(MULTIPLE.search(text)) or bool(BPS.search(text))),
        min(cues, 3) / 3.0,
        float(any(k in text for _, kws in METRIC_KEYWORDS for k in kws)),
        float(is_question(sent)),
        float(is_disclaimer(sent)),
        float(is_quote_widget(sent)),
        float(any(t.lemma_.lower() in HEDGES for t in toks)),
        min(n, 60) / 60.0,
    ]


N_RULE_FEATURES = 11


def _ent_bounds(doc) -> list[tuple[int, int, str]]:
    """The Doc's entities as (start, end, label). ``doc.ents`` rescans every token on each access, so
    their bounds are read once per Doc and kept in user_data."""
    cached = doc.user_data.get("tracker_ents")
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), [(e.start, e.end, e.label_) for e in doc.ents])
        doc.user_data["tracker_ents"] = cached
    return cached[1]


def _ents(doc, labels=None, within: set[int] | None = None) -> list[Span]:
    """Entity Spans, optionally only those with a label in ``labels`` whose tokens all lie in ``within``
    (token indices). Filtering on the cached bounds first keeps this cheap on long, entity-rich Docs."""
    out = []
    for a, b, lab in _ent_bounds(doc):
        if labels is not None and lab not in labels:
            continue
        if within is not None and not all(i in within for i in range(a, b)):
            continue
        out.append(Span(doc, a, b, label=lab))
    return out


def sentence_ents(sent: Span) -> list[Span]:
    return [Span(sent.doc, a, b, label=lab) for a, b, lab in _ent_bounds(sent.doc) if sent.start <= a < sent.end]
