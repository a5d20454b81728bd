"""Word lists and patterns the claim rules read: movement/comparison/level words, metric keywords,
index names, hedges, negations, exclusions (disclaimers, widgets), horizons and numbers."""

from __future__ import annotations

import re

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
                    "premium generous hefty".split(), "high"),
    **dict.fromkeys("low depressed cheap cheaper weak thin undemanding subdued sluggish soft negative muted tepid".split(), "low"),
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
    ("demand", ("net deposits",)),  # money customers bring, like net new assets (plain "deposits" are a balance)
    ("other", ("unemployment rate", "jobless rate", "inflation", "gdp", "payrolls", "market share", "net debt",
               "gearing", "dividend yield", "utilisation", "utilization", "headcount", "solvency ratio",
               "loan-to-value", "bad loans", "non-performing", "exchange rate", "dollar index", "take rate",
               "take rates", "output", "production", "retail sales", "consumer confidence", "pmi", "cpi", "exports",
               "imports", "loan-loss", "provisions", "impairments", "trade balance",
               # issue #12: ratios, costs and operating figures that are no metric of their own
               "occupancy", "leverage", "deposits", "bad-loan", "npl ratio", "combined ratio", "freight rates",
               "room rates", "cargo yields", "yield per", "shareholder return", "average daily rate", "spot rates",
               # credit quality
               "default rate", "default rates", "charge-offs", "delinquencies", "delinquency rate",
               # balance-sheet sizes and capital ratios
               "assets under management", "capital ratio", "cet1")),
    ("interest_coverage", ("interest coverage", "coverage ratio", "interest cover", "times interest", "cover its interest",
                           "covers its interest", "cover interest", "covers interest", "interest expense",
                           "interest costs", "interest bill", "ebit to interest", "ebit/interest", "coverage")),
    ("free_cash_flow", ("free cash flow", "free-cash-flow", "fcf", "cash flow", "cash-flow", "cash burn",
                        "cash generation", "operating cash", "burn")),
    ("capex", ("capex", "capital expenditure", "capital expenditures", "capital spending", "capital investment",
               "investment plans", "spending on", "to spend", "plans to spend", "spend on", "capital budget",
               "capex budget", "investment")),
    ("revenue_growth", ("premium growth", "written premiums", "premiums written", "premium income")),  # insurers' sales
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
                         "net interest income", "loss", "losses", "value of new business", "new business value",
                         "distribution per unit", "distributions per unit", "dpu")),
    ("demand", ("demand", "orders", "order book", "order inflow", "backlog", "bookings", "shipments",
                "deliveries", "volumes", "unit sales", "vehicles", "units", "appetite", "consumption", "traffic",
                "subscribers", "enrolment", "users", "engagement", "usage", "prescriptions", "loan growth", "spending", "loan book", "loans",
                "lending", "credit growth", "mortgage book", "home loans", "sell-through", "purchases", "payment volume", "payment volumes",
                "customers", "subscriber", "inflows", "outflows", "flows", "order intake", "intake", "car sales",
                # sales counted in units of a product (README: unit sales are demand)
                "engine sales", "truck sales", "ev sales", "phone sales", "smartphone sales", "handset sales",
                "motorcycle sales", "tractor sales", "home sales",
                "vehicle sales", "client additions", "clients", "job postings", "loan portfolio", "passengers",
                # money and contracts that customers bring ("net new assets", "total contract value", "contracted sales")
                "net new assets", "net new money", "net inflows", "contract value", "deal wins", "contracted sales",
                "customer numbers", "customer count")),
    ("revenue_growth", ("revenue", "revenues", "sales", "turnover", "top line", "top-line", "billings",
                        "fee income", "arpu", "same-store", "gross merchandise value", "gross merchandise volume", "gmv", "total income", "recurring income")),
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
                      "metal prices", "cocoa", "coffee", "sugar prices", "lng", "spodumene", "oxide", "rubber prices",
                      "apartment prices", "commodity costs")),
    ("other", ("prices", "price", "pricing")),  # prices of a product (DRAM, cement) are "other"
    # generic words that name a figure only when nothing more specific does ("deposit costs" is a rate)
    ("other", ("dividend", "dividends", "payout", "payouts", "jobs", "costs", "fees")),
    ("other", ("economic growth", "economy", "wage growth", "wages", "population growth")),
    ("revenue_growth", ("growth",)),  # a business's bare "growth" ("cloud growth accelerated") is its sales
)

FX_WORDS = frozenset("dollar yen euro yuan renminbi won rupee sterling pound franc ringgit baht rupiah peso real "
                     "lira currency".split())

# what analysts expected of a figure: beating it does not make a stated rise a level
FORECAST_WORDS = frozenset("estimate estimates consensus expectation expectations forecast forecasts guidance "
                           "projection projections".split())

NEGATIVE_QUANTITIES = frozenset("loss losses burn deficit outflow outflows".split())

MARKET_WORDS = frozenset("stocks shares equities market markets bourse".split())

LEVEL_VERBS = frozenset("reach hit total stand come run sit generate post report deliver record top".split())
# level verbs that say a figure got somewhere: ending at a record or an n-year extreme is a move (labelling rules)
ARRIVAL_VERBS = frozenset("reach hit top touch notch".split())

MOVE_PARTICLE_VERBS = frozenset("pick turn go come tick edge move head creep inch trend shoot drift".split())

HOLD_VERBS = frozenset("keep hold leave maintain stay remain".split())

INDEX_PATTERN = re.compile(
    r"\b(s&p(?: 500)?|nasdaq(?: composite| 100)?|dow(?: jones)?|nikkei(?: 225)?|topix|kospi|kosdaq|taiex|"
    r"hang seng|hsi|csi 300|shanghai composite|sensex|nifty(?: 50)?|stoxx(?: 600| europe 600)?|euro stoxx(?: 50)?|"
    r"ftse(?: 100| 250)?|dax|cac(?: 40)?|ibex|smi|aex|omx|set index|jci|klci|sti|psei|"
    r"russell(?: 2000| 1000)?|msci [a-z ]+|asx 200|index|indices|"
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

_SIGNED = re.compile(r"^[+−\-]\d[\d.,]*%?$")

_LOW_CUES = frozenset(("below", "cheaper", "discount", "half", "less", "lower", "only", "undemanding", "modest"))

_HIGH_CUES = frozenset(("above", "premium", "pricier", "richer", "expensive", "higher", "more", "record", "highest"))

_STABLE_CUES = ("in line with", "fairly valued", "unchanged", "steady", "flat", "stable")

_GUIDANCE_VERBS = frozenset("cut raise lower lift trim boost reduce increase slash hike".split())

_DROP_DEPS = frozenset(("relcl", "acl", "appos", "advcl", "cc", "conj", "prep"))

_PEER_WORDS = frozenset("peers peer rivals rival competitors sector industry market index benchmark average "
                       "consensus estimates forecasts expectations".split())

_VALUATION_MULTIPLE = re.compile(
    r"\d+(?:\.\d+)?\s?(?:x|times)\s+(?:\w+\s+){0,3}?(?:earnings|book|sales|ebitda|embedded value|p/e|profits?)\b"
    r"|\b(?:at|of)\s+\d+(?:\.\d+)?\s?x\b", re.I)

_AGAINST_NORM = re.compile(r"\b(above|over|below|under) (?:its|their|the|a) (?:[\w-]+ ){0,3}?"
                           r"(?:average|norm|mean|history|historical|long-run|long-term)", re.I)

_SUBORDINATE = frozenset(("acl", "relcl", "advcl", "ccomp", "pcomp", "csubj"))
# Direction flips (issue #12): profit/loss words, the words that make a noun the base of a comparison, verbs that
# move their object ("pulled the index down", "sent its shares down 7%"), and expectations of rate cuts.
LOSS_WORDS = frozenset("loss losses deficit".split())
PROFIT_WORDS = frozenset("profit profits income earnings".split())
BASE_PREPS = frozenset(("against", "versus", "vs", "vs.", "from"))
CAUSE_VERBS = frozenset("pull drag push send knock drive lift weigh take".split())
EXPECTATION_WORDS = frozenset("expectations expectation bets bet odds pricing hopes hope chances probability "
                              "wagers".split())
BOND_WORDS = frozenset("treasuries treasury bunds bund gilts gilt bonds jgbs".split())
