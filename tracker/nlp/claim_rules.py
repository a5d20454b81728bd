"""Rule and parse based claim reading: which sentences are candidates, where the movement predicates are,
and the slots of each claim (subject, metric, direction, magnitude, horizon, benchmark, hedged, negated).

Everything here works on a parsed spaCy sentence (``Span``); nothing loads a model. The learned part
(tracker/nlp/claim_model.py) decides and types at sentence level; these rules split a sentence into one
claim per predicate and fill the slots from the dependency parse and NER entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Span, Token

from tracker.nlp.doctext import doc_text  # noqa: F401  (claims.py reads it as R.doc_text)

from tracker.vocab import DIRECTIONS, METRICS  # noqa: F401  (re-exported for the rule readers)

# Verbs (lemmas) that state a movement or a comparison.
VERB_DIRECTION = {
    **dict.fromkeys("rise climb gain jump surge soar rally advance increase grow expand accelerate improve rebound "
                    "recover strengthen boost lift raise double triple spike balloon swell widen climb rocket "
                    "outgrow upgrade firm add return".split(), "up"),
    **dict.fromkeys("fall drop decline slide slip plunge tumble sink shrink contract slow decelerate weaken ease "
                    "dip lose retreat slump crash shed cut narrow compress erode deteriorate halve sag fade "
                    "plummet collapse downgrade reduce lower trim dive tank deflate evaporate stumble soften cool "
                    "moderate".split(), "down"),
    **dict.fromkeys("outperform outpace outstrip outrun beat eclipse lead overtake".split(), "outperform"),
    **dict.fromkeys("underperform lag trail".split(), "underperform"),
    **dict.fromkeys("stabilise stabilize flatline plateau steady".split(), "stable"),
}
# Words that carry a direction after a linking verb ("remained stable", "closed 2% higher", "is up 5%").
WORD_DIRECTION = {
    **dict.fromkeys("higher up stronger positive rising bigger larger faster".split(), "up"),
    **dict.fromkeys("lower down weaker falling smaller slower".split(), "down"),
    **dict.fromkeys("flat unchanged stable steady".split(), "stable"),
    **dict.fromkeys("high elevated record rich expensive stretched strong robust resilient healthy "
                    "premium".split(), "high"),
    **dict.fromkeys("low depressed cheap cheaper weak thin undemanding subdued sluggish soft negative".split(), "low"),
}
LINKING_VERBS = frozenset("be remain stay end close finish trade hold turn look sit keep hover open stand leave "
                          "edge".split())
# Nouns that name a movement ("a 14% rise in revenue", "revenue growth of 20%").
NOUN_DIRECTION = {
    **dict.fromkeys("rise increase growth gain jump surge rally rebound recovery expansion acceleration upturn "
                    "improvement boost".split(), "up"),
    **dict.fromkeys("fall drop decline slide slump plunge contraction slowdown deceleration downturn loss "
                    "selloff sell-off correction crash cut".split(), "down"),
    **dict.fromkeys("outperformance".split(), "outperform"),
    **dict.fromkeys("underperformance".split(), "underperform"),
}

# Metric keywords: lower-case words or phrases, most specific first ("other" first: FX, macro data and
# balance-sheet ratios that would otherwise look like a rate, a margin or a price).
METRIC_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other", ("unemployment rate", "jobless rate", "inflation", "gdp", "payrolls", "market share", "net debt",
               "gearing", "dividend yield", "utilisation", "utilization", "headcount", "solvency ratio",
               "loan-to-value", "bad loans", "non-performing", "exchange rate", "dollar index", "take rate",
               "take rates", "output", "production", "retail sales", "consumer confidence", "pmi", "cpi", "exports",
               "imports", "loan-loss", "provisions", "impairments", "trade balance")),
    ("interest_coverage", ("interest coverage", "coverage ratio", "interest cover", "times interest", "cover its interest",
                           "covers its interest", "cover interest", "covers interest", "interest expense",
                           "interest costs", "interest bill", "ebit to interest", "ebit/interest", "coverage")),
    ("free_cash_flow", ("free cash flow", "free-cash-flow", "fcf", "cash flow", "cash-flow", "cash burn",
                        "cash generation", "operating cash", "burn")),
    ("capex", ("capex", "capital expenditure", "capital expenditures", "capital spending", "capital investment",
               "investment plans", "spending on", "to spend", "plans to spend", "spend on", "investment")),
    ("margin", ("margin", "margins", "profitability", "return on equity", "return on tangible", "return on assets",
                "roe", "rote",
                "roa", "spreads", "spread")),
    ("valuation", ("valuation", "valuations", "multiple", "multiples", "p/e", "price-to-earnings", "price/earnings",
                   "price to earnings", "price-to-book", "price-to-sales", "ev/ebitda", "times earnings",
                   "times book", "times forward earnings", "forward earnings", "earnings multiple", "rerating",
                   "re-rating", "derating", "de-rating", "cheap", "cheaper", "expensive", "valued", "priced",
                   "premium", "discount", "embedded value")),
    ("earnings_growth", ("earnings", "profit", "profits", "eps", "net income", "operating income", "ebitda", "ebita", "ebit",
                         "money",
                         "bottom line", "earnings per share", "operating profit", "net profit", "pre-tax profit",
                         "net interest income", "loss", "losses", "value of new business")),
    ("demand", ("demand", "orders", "order book", "order inflow", "backlog", "bookings", "shipments",
                "deliveries", "volumes", "unit sales", "vehicles", "units", "appetite", "consumption", "traffic",
                "subscribers", "enrolment", "users", "engagement", "usage", "prescriptions", "loan growth", "spending", "loan book", "loans",
                "lending", "credit growth", "sell-through")),
    ("revenue_growth", ("revenue", "revenues", "sales", "turnover", "top line", "top-line", "billings",
                        "fee income", "arpu", "same-store")),
    ("volatility", ("volatility", "vix", "volatile", "daily swings", "price swings", "implied vol", "realised vol",
                    "realized vol", "move index")),
    ("rate", ("yield", "yields", "interest rate", "interest rates", "policy rate", "rate", "rates", "borrowing costs",
              "treasuries", "bund", "bunds", "gilts", "coupon", "mortgage rate", "funds rate", "deposit costs",
              "repo rate", "rate cut", "rate cuts")),
    ("price_return", ("shares", "share price", "stock price", "stock", "share", "market value", "market cap",
                      "market capitalisation", "market capitalization", "etf", "iron ore", "crude", "brent", "oil",
                      "gold", "copper", "rents", "bitcoin", "home prices", "house prices", "property prices",
                      "steel prices", "rare earths", "lithium", "aluminium", "aluminum", "nickel", "zinc", "coal prices",
                      "gas prices", "wheat", "soybeans", "palm oil", "uranium", "silver", "platinum", "commodity prices",
                      "metal prices", "cocoa", "coffee", "sugar prices")),
    ("other", ("prices", "price", "pricing")),  # prices of a product (DRAM, cement) are "other"
    ("other", ("economic growth", "economy", "wage growth", "wages", "population growth")),
    ("revenue_growth", ("growth",)),  # a business's bare "growth" ("cloud growth accelerated") is its sales
)
FX_WORDS = frozenset("dollar yen euro yuan renminbi won rupee sterling pound franc ringgit baht rupiah peso real "
                     "lira currency".split())
NEGATIVE_QUANTITIES = frozenset("loss losses burn deficit outflow outflows".split())
MARKET_WORDS = frozenset("stocks shares equities market markets bourse".split())
LEVEL_VERBS = frozenset("reach hit total stand come run sit generate post report deliver record top".split())
MOVE_PARTICLE_VERBS = frozenset("pick turn go come tick edge move head creep inch trend shoot".split())
HOLD_VERBS = frozenset("keep hold leave maintain stay remain".split())
INDEX_PATTERN = re.compile(
    r"\b(s&p(?: 500)?|nasdaq(?: composite| 100)?|dow(?: jones)?|nikkei(?: 225)?|topix|kospi|kosdaq|taiex|"
    r"hang seng|hsi|csi 300|shanghai composite|sensex|nifty(?: 50)?|stoxx(?: 600| europe 600)?|euro stoxx(?: 50)?|"
    r"ftse(?: 100| 250)?|dax|cac(?: 40)?|ibex|russell(?: 2000| 1000)?|msci [a-z ]+|asx 200|index|indices|"
    r"benchmark|the market|broader market|broad market)\b", re.I)
HEDGES = frozenset("may might could should would likely unlikely possibly probably perhaps expect forecast anticipate "
                   "project predict estimate suggest seem appear believe think guide risk potentially "
                   "hope plan aim target guidance outlook".split())
HEDGE_PHRASES = ("is expected", "are expected", "is likely", "are likely", "on track to", "set to", "poised to",
                 "widely expected", "guides for", "guided for")
NEGATIONS = frozenset("not n't never no neither nor without".split())

# Sentences that are never claims.
DISCLAIMER = re.compile(  # whole words only: "subscribers rose" is not "subscribe"
    r"\b(not (?:investment|financial) advice|past performance|for informational purposes|for information purposes|"
    r"do your own research|consult (?:a|your) (?:financial|professional)|disclaimer|this (?:article|material) is not|"
    r"may hold (?:a )?position|go down as well as up|value of (?:your )?investments? (?:can|may)|no position in|holds? no position|does not constitute|forward-looking statements|"
    r"subject to risks|all rights reserved|terms of (?:use|service)|privacy policy|cookies?|subscribe|sign up|"
    r"newsletter|click here|read more|data delayed|quotes delayed|delayed by \d+ minutes|\bcopyright\b|"
    r"reporting by|editing by|writing by|\bmin read\b|share this (?:article|story)|follow us on|advertisement|"
    r"this (?:email|message) was sent|unsubscribe|forward this (?:email|newsletter))\b", re.I)
_WIDGET_TOKEN = re.compile(r"^([A-Z0-9.\-:$^]{1,12}|[+\-−]?[\d.,]+%?|[+\-−]|\(|\)|%|▲|▼|USD|JPY|KRW|HKD|EUR)$")
HORIZON_PATTERNS = re.compile(
    r"\b(year[- ]to[- ]date|ytd|month[- ]to[- ]date|quarter[- ]to[- ]date|year[- ]on[- ]year|year[- ]over[- ]year|"
    r"y/y|yoy|q/q|quarter[- ]on[- ]quarter|(?:in|over|during) (?:a|one|the|a single|the past|the last|the next) "
    r"(?:\w+ )?(?:session|sessions|day|days|week|weeks|month|months|quarter|quarters|year|years)|"
    r"since (?:the start of the year|the beginning of the year|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4})|"
    r"this (?:year|quarter|month|week)|last (?:year|quarter|month|week)|next (?:year|quarter|month|decade|\d+ years)|"
    r"in (?:early|mid|late)?[- ]?\d{4}|through \d{4}|by \d{4}|overnight|intraday|on the day|on the week|"
    r"over the (?:past|last|next) [\w\-]+ (?:days|weeks|months|years|quarters))\b", re.I)
PERCENT = re.compile(r"(?<![\w.])[+\-−]?\d+(?:\.\d+)?\s?%")
MULTIPLE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:x|times)\b", re.I)
BPS = re.compile(r"\b\d+(?:\.\d+)?\s?(?:bps|bp|basis points?|percentage points?|pts|points)\b", re.I)
NUMBERISH = re.compile(r"\d")
CURRENCY_SYMBOLS = frozenset("$ € £ ¥ ₩ ₹ US$ HK$ A$ C$ S$ NT$ R$".split())
HORIZON_PREPS = frozenset(("since", "through", "until", "till", "by", "over", "during", "throughout"))
BENCH_PREPS = frozenset(("than", "versus", "vs", "vs.", "against", "behind", "relative", "compared", "of"))


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


# ---------------------------------------------------------------- sentence units


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


# ---------------------------------------------------------------- sentence-level tests

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

# ---------------------------------------------------------------- predicates and clauses


_SIGNED = re.compile(r"^[+−\-]\d[\d.,]*%?$")
_LOW_CUES = frozenset(("below", "cheaper", "discount", "half", "less", "lower", "only", "undemanding", "modest"))
_HIGH_CUES = frozenset(("above", "premium", "pricier", "richer", "expensive", "higher", "more", "record", "highest"))
_STABLE_CUES = ("in line with", "fairly valued", "unchanged", "steady", "flat", "stable")


def _has_number(tokens) -> bool:
    return any(c.like_num or NUMBERISH.search(c.text) for c in tokens)


def _valuation_direction(sent: Span) -> str:
    text = sent.text.lower()
    if any(c in text for c in _STABLE_CUES):
        return "stable"
    words = {x.lower_ for x in sent}
    low = len(words & _LOW_CUES)
    high = len(words & _HIGH_CUES)
    return "low" if low > high else "high"


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


_GUIDANCE_VERBS = frozenset("cut raise lower lift trim boost reduce increase slash hike".split())


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


def _predicates(sent: Span) -> list[tuple[Token, str, bool]]:
    """Tokens that head a movement, comparison or level statement: (token, direction, direction stated)."""
    preds: list[tuple[Token, str, bool]] = []
    taken: set[int] = set()
    for t in sent:
        lemma = t.lemma_.lower()
        d, stated = None, True
        nxt = sent.doc[t.i + 1] if t.i + 1 < sent.end else None
        if t.pos_ in ("VERB", "AUX") and (t.dep_ == "amod" or t.dep_ == "pcomp" and t.tag_ == "VBG") \
                and not _guidance_change(t) and not _absolute(t):
            continue  # "worries about slowing demand": background, not a claim
        if t.pos_ == "VERB" and lemma in MOVE_PARTICLE_VERBS and nxt is not None and \
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
        elif lemma == "change" and any(c.lower_ in ("little", "barely", "largely", "broadly") for c in t.children):
            d = "stable"  # "little changed from a year ago"
        elif lemma in ("trade", "value", "price") and MULTIPLE.search(sent.text):
            d = _valuation_direction(sent)  # "trades at 56x forward earnings": a valuation level
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
        elif t.pos_ in ("VERB", "AUX") and lemma in ("exceed", "surpass") and _has_number(t.subtree):
            d = "high"  # "net cash now exceeds $3bn"
        elif lemma == "be" and any(c.dep_ == "prep" and c.lower_ in ("at", "near", "around", "above", "below")
                                   and _has_number(c.subtree) for c in t.children) and \
                not any(c.lower_ in WORD_DIRECTION for c in t.children):
            bound = next(c.lower_ for c in t.children if c.dep_ == "prep" and c.lower_ in
                         ("at", "near", "around", "above", "below") and _has_number(c.subtree))
            d, stated = {"above": ("high", True), "below": ("low", True)}.get(bound, ("high", False))
        elif t.pos_ in ("VERB", "AUX") and lemma in LEVEL_VERBS and (
                _has_number(t.subtree) or any(c.lower_ in ("record", "highest", "lowest") for c in t.subtree)):
            d, stated = "high", False  # "reached $3.2bn", "hit a record": a level; cues below may set it
            moved = [c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in NOUN_DIRECTION]
            if moved:
                d, stated = NOUN_DIRECTION[moved[0].lemma_.lower()], True  # "reported a 10% drop in profit"
        elif _SIGNED.match(t.text) or (t.text in ("+", "−") and t.i + 1 < sent.end and sent.doc[t.i + 1].like_num):
            d = "down" if t.text[0] in "−-" else "up"  # headline style "revenue +14% yoy"
            if t.text[0] == "-" and t.i > sent.start and sent.doc[t.i - 1].like_num:
                continue  # a range "2-3%"
        elif t.lower_ in WORD_DIRECTION and t.dep_ in ("acomp", "advmod", "prt", "oprd", "attr", "amod", "npadvmod",
                                                         "prep", "ROOT", "xcomp", "conj", "compound", "nmod", "appos",
                                                         "pcomp"):
            head = t.head
            if t.dep_ == "amod" and head.pos_ == "NOUN" and head.dep_ in ("attr", "dobj", "pobj") and \
                    head.head.lemma_.lower() in LINKING_VERBS | {"see", "report", "post", "deliver", "show"}:
                d = WORD_DIRECTION[t.lower_]  # "remains a strong market", "posted record revenue"
            elif t.lower_ == "record" and t.dep_ in ("compound", "amod", "nmod") and t.head.dep_ in ("dobj", "attr"):
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
                if head.lemma_.lower() == "be" and t.lower_ in ("higher", "lower", "stronger", "weaker") and \
                        any(c.lower_ == "than" for c in t.subtree):
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
        else:
            continue
        if t.i in taken:
            continue
        preds.append((t, d, stated))
        taken.add(t.i)
    # A noun predicate under or above another predicate ("rose on a rebound in demand", "growth of 8%, down
    # from 16%") is not a claim of its own.
    others = [p for p, _, _ in preds if p.pos_ != "NOUN"]
    out = []
    for p, d, st in preds:
        if p.pos_ == "NOUN" and p.lemma_.lower() in NOUN_DIRECTION and \
                any(v in p.ancestors or p in v.ancestors for v in others):
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


_DROP_DEPS = frozenset(("relcl", "acl", "appos", "advcl", "cc", "conj", "prep"))


def _phrase(tok: Token, keep_prep: bool = True, keep_det: bool = False) -> list[Token]:
    """The noun phrase of ``tok``: its subtree minus relative clauses, appositions and trailing punctuation."""
    out = [tok]
    stack = list(tok.children)
    while stack:
        c = stack.pop()
        if c.dep_ in _DROP_DEPS and not (keep_prep and c.dep_ == "prep" and c.lower_ in ("of", "on", "for", "at")) \
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
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    for metric, kws in METRIC_KEYWORDS:
        for k in kws:
            if f" {k} " in text or (" " in k and k in text):
                return metric, True
    if MULTIPLE.search(text) and any(t.lemma_.lower() in ("trade", "value", "earning") for t in tokens):
        return "valuation", True
    return "other", False


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


def _strip_ent(text: str) -> str:
    """NER sometimes glues a price to a change ("182.33 +1.25%"): keep the last number-with-unit; a leading
    "up to"/"down to"/"by" belongs to the verb, not the size."""
    text = re.sub(r"^(?:up to|down to|up|down|to|by|only|just|merely)\s+", "", text.strip(), flags=re.I)
    parts = text.split()
    if len(parts) > 1 and re.fullmatch(r"[\d.,]+", parts[0]) and re.search(r"[%]$", parts[-1]):
        return parts[-1]
    return text.strip(" ,.;")


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


_PEER_WORDS = frozenset("peers peer rivals rival competitors sector industry market index benchmark average "
                       "consensus estimates forecasts expectations".split())


def _comparable(phrase: list[Token]) -> bool:
    """Whether a phrase can be a benchmark: a number, an index, peers or a named company."""
    text = " ".join(t.lower_ for t in phrase)
    return (_has_number(phrase) or bool(INDEX_PATTERN.search(text)) or any(t.lower_ in _PEER_WORDS for t in phrase)
            or any(t.ent_type_ in ("ORG", "GPE") or t.pos_ == "PROPN" for t in phrase))


def _benchmark(pred: Token, direction: str, clause: list[Token]) -> tuple[list[Token], str | None]:
    """What a relative or comparative statement is measured against, and the word that says so."""
    ids = {t.i for t in clause}
    if direction in ("outperform", "underperform") and pred.pos_ in ("VERB", "AUX"):
        for c in pred.children:
            if c.dep_ == "dobj":
                return _phrase(c, keep_det=True), pred.lemma_.lower()
    for t in clause:
        low = t.lower_
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


def _text(tokens: list[Token]) -> str | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx: tokens[-1].idx + len(tokens[-1])]


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
        if node.lemma_.lower() == "fail" and node is not pred:
            return True
    if pred.head.lemma_.lower() == "fail" and pred.dep_ == "xcomp":
        return True
    return False


_VALUATION_MULTIPLE = re.compile(
    r"\d+(?:\.\d+)?\s?(?:x|times)\s+(?:\w+\s+){0,3}?(?:earnings|book|sales|ebitda|embedded value|p/e|profits?)\b"
    r"|\b(?:at|of)\s+\d+(?:\.\d+)?\s?x\b", re.I)


def _is_company(tokens: list[Token], company_spans: list[tuple[int, int]]) -> bool:
    if not tokens:
        return False
    a, b = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    if any(x < b and y > a for x, y in company_spans):
        return True
    head = max(tokens, key=lambda t: (t.dep_ in ("nsubj", "nsubjpass", "ROOT", "pobj", "dobj"), t.i))
    return any(t.ent_type_ in ("ORG", "PRODUCT") for t in tokens) or \
        (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "NORP", "PERSON", "DATE"))


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
    if _is_company(subject_toks, company_spans):
        return "price_return", percent
    if percent and head.is_title and head.pos_ in ("PROPN", "NOUN") and head.ent_type_ not in ("GPE", "LOC", "NORP") \
            and not _metric_of([head])[1]:
        return "price_return", True  # a capitalised name moving by a percentage: a stock ("Tencent advanced 2.6%")
    if head.tag_ == "NNS" and head.pos_ == "NOUN":
        return "price_return", False  # a group of stocks: "chipmakers rallied", "miners led"
    return None, False


def _relative(direction: str, cue: str | None, magnitude: str | None, bench: list[Token]) -> str | None:
    """outperform/underperform for a move measured against a benchmark, else None."""
    if cue in ("ahead", "better", "outpacing", "beating", "above"):
        return "outperform"
    if cue in ("behind", "worse", "lagging", "trailing", "below"):
        return "underperform"
    if cue in ("against", "versus", "vs", "vs.", "compared", "relative") and magnitude:
        mine = _number(magnitude)
        theirs = next((_number(t.text) for t in bench if _number(t.text) is not None), None)
        if mine is not None and theirs is not None:
            sign = -1 if direction == "down" else 1
            return "outperform" if sign * mine > theirs else "underperform"
    return None


def _number(text: str) -> float | None:
    m = re.search(r"[-+−]?\d+(?:\.\d+)?", text.replace(",", ""))
    return float(m.group(0).replace("−", "-")) if m else None


_AGAINST_NORM = re.compile(r"\b(above|over|below|under) (?:its|their|the|a) (?:[\w-]+ ){0,3}?"
                           r"(?:average|norm|mean|history|historical|long-run|long-term)", re.I)


def _superlative(clause: list[Token]) -> tuple[str | None, bool]:
    """high/low when the clause says the level is extreme, and whether it says so strongly (highest/lowest
    rather than a bare "record" or "peak", which often just decorates a move)."""
    # "from the 2021 peak", "off its highs": a reference point for a move, not a level
    words = [t.lower_ for t in clause]
    for i, w in enumerate(words):
        if w in ("from", "off", "below", "above") and i + 1 < len(words):
            words[i + 1: i + 5] = ["_"] * len(words[i + 1: i + 5])
    text = " ".join(words)
    if re.search(r"\b(record low|lowest|all-time low|multi-year low)\b", text):
        return "low", True
    if re.search(r"\b(record high|highest|all-time high|multi-year high)\b", text):
        return "high", True
    if re.search(r"\b(record|peak|highs)\b", text):
        return "high", False
    return None, False


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
    for pred, direction, stated in preds:
        clause = clauses[pred.i]
        subj_tok = _subject_token(pred)
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
            m2, f2 = _metric_of([t for t in _main_clause(clause, pred) if t.i not in bench_ids and t.i not in subj_ids])
            if _guides(pred):
                metric = "revenue_growth"  # "raises its guidance", "cuts its outlook": the business, not the shares
            elif direct and default:
                metric, sure = default, strong
            elif f2:
                metric, found, sure = m2, True, True
            elif default:
                metric = default
        if direction in ("outperform", "underperform"):
            if not bench:
                continue  # "MediaTek lagged, dropping 0.8%": the drop is the claim
            if metric in ("price_return", "index_level", "other") or not found:
                metric, sure = "relative_return", True
        elif bench and direction in ("up", "down") and (metric in ("price_return", "index_level") or not found) \
                and (rel := _relative(direction, cue, magnitude, bench)):
            direction, metric, sure = rel, "relative_return", True
        if metric == "valuation" and magnitude is None:
            m = MULTIPLE.search(_text(list(sent)) or "")
            magnitude = m.group(0) if m else None
        elif metric != "valuation" and magnitude and MULTIPLE.fullmatch(magnitude) and \
                _VALUATION_MULTIPLE.search(sent.text) and pred.lemma_.lower() not in ("cover",):
            magnitude = None  # "tripled ... and trade at 38x earnings": the multiple is the valuation's
        if metric == "valuation" and direction in ("up", "down") and pred.lemma_.lower() in ("trade", "be", "value"):
            direction = _valuation_direction(sent)
        if metric != "relative_return":
            judged = _AGAINST_NORM.search(_text(clause) or "")
            sent_text = sent.text
            to_level = magnitude is None or f"to {magnitude}" in sent_text or f"at {magnitude}" in sent_text
            if judged and direction in ("up", "down") and to_level:  # "fell to 15, well below its average"
                direction = "high" if judged.group(1).lower() in ("above", "over") else "low"
            sup, strong = _superlative(clause)
            if sup and (not stated or strong and direction in ("up", "down")):
                direction, stated = sup, True  # "climbed to the highest since 2011"; "rose 1% to a record" stays up
            clause_text = " ".join(t.lower_ for t in clause)
            if direction in ("high", "low", "stable") and re.search(r"\b(down|up) from\b", clause_text):
                direction = "down" if "down from" in clause_text else "up"  # "only 3.1 times, down from 8"
            if direction == "up" and any(t.lower_ in ("only", "just", "merely", "modest") and t.i in
                                         {x.i for x in clause} for t in clause):
                direction = "low"  # "grew only 4%": the point is that it is low
        if moved and moved[-1].lower_ in NEGATIVE_QUANTITIES and direction in ("up", "down"):
            direction = "down" if direction == "up" else "up"  # "losses narrowed" is an improvement
        negated = _negated(pred)
        if negated and direction in ("up", "down"):
            direction = "down" if direction == "up" else "up"  # "demand is not slowing": the claim is "up"
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
    return _dedupe(out)


_SUBORDINATE = frozenset(("acl", "relcl", "advcl", "ccomp", "pcomp", "csubj"))


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


def _inside(tokens: list[Token], sent: Span) -> list[Token]:
    """The contiguous part of ``tokens`` inside ``sent`` that ends at the phrase's last in-sentence token."""
    inside = [t for t in tokens if sent.start <= t.i < sent.end]
    out: list[Token] = []
    for t in inside:
        if out and t.i != out[-1].i + 1:
            out = []
        out.append(t)
    return out


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
            if c.dep_ in ("dobj", "nsubjpass") and not _has_number([c]) and c.i not in bench_ids]
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
