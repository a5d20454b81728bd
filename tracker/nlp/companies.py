"""company_linker: companies and tickers in text, linked to the securities master.

Three kinds of evidence, each with character offsets into ``doc.text``:

1. explicit tickers: cashtags (``$NVDA``), exchange-qualified codes (``NASDAQ: MSFT``, ``HK:1211``,
   ``KRX:005930``, ``TYO: 7203``, ``NSE: RELIANCE``), Yahoo symbols (``2330.TW``) and Bloomberg codes
   (``6758 JP``). They go to ``doc._.tickers`` as written and, when the master knows them, become mentions.
2. names: a longest-match scan of the text's normalised words against the master's alias index
   (a dict keyed by token tuples; no fuzzy matching needed on the hot path). Possessives, legal forms
   ("Co., Ltd.", "Inc."), line breaks inside a name and accents are absorbed by the normalisation.
   Phrases in models/securities/not_companies.txt (central banks, agencies, indices, page chrome)
   win over any overlapping name.
3. short forms after a first mention: a parenthesised acronym or the distinctive first word of a
   long name, valid for the rest of the document.

Common-word names ("Apple", "Target", "Shell", "Next") and names only the big external lists know are
kept only with context: a legal form or ticker next to them, the company named unambiguously elsewhere
in the text, spaCy's NER label, finance words around them, and finally the cosine similarity between the
text around the mention and the company's description (MiniLM via ``embed_spans``), which also picks
between companies that share a name.

Each mention: {name (as written), canonical, ticker (home listing, or None when only foreign secondary
lines are known), company_key, start, end, confidence}. Every occurrence is kept.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.language import Language

from tracker import defaults as D
from tracker.nlp.doctext import doc_text
from tracker.nlp.securities import (CAP_RANK, Master, curated_other_senses, curated_rows, display_name, norm_tokens,
                                    norm_word, tokens_with_offsets)
from tracker.paths import models_dir

# All-caps words that are not tickers or companies when written bare.
ACRONYMS = frozenset("""
A I AI ALL AND ARE AT BE BIG CEO CFO COO CTO CIO CPI PPI PCE PMI GDP EV EVS IT US USA UK EU UN IPO IPOS ETF ETFS FX
ESG EPS PE PB API USD JPY EUR CNY RMB KRW TWD INR HKD GBP CHF AUD CAD ARPU YOY QOQ MOM Q1 Q2 Q3 Q4 FY H1 H2 AGM M&A
R&D CAPEX OPEX EBIT EBITDA ROE ROI ROIC HBM DRAM NAND GPU GPUS CPU CPUS ASIC ASICS LLM LLMS SAAS AR VR OK TV PC PCS
IOT NEW ON GO SO FOR KEY NOW LOW CAT DE BA MA MS C F T V OR IN OF TO BY AS IS NO UP AN ONE TWO YES NOT BUT HAS
WAS ANY OUR ITS WHO WHY HOW HIGH MORE OUT OUTLOOK NEWS LIVE UPDATE BREAKING NOTE ET PM AM GMT UTC EST PST BST JST
KST HKT CST NYSE NASDAQ LSE TSE HKEX KRX NSE BSE ASX SGX SEC FED FOMC ECB BOJ BOE PBOC RBI IMF OPEC WTO WHO FDA
DOJ FTC IRS EPA IEA OECD BIS CFTC FINRA SIX TSX USMCA NATO G7 G20 BRICS ASEAN APAC EMEA EM DM LATAM CEE MENA GCC
EBT DCF NAV AUM TAM SAM OEM ODM EMS RFP SKU B2B B2C DTC SME SMES VC PE LBO SPAC SPACS IRR CAGR YTD MTD WTD
BPS PPS PT TP BUY SELL HOLD OW UW EW NEUTRAL ADR ADRS ADS GDR REIT REITS MLP LP GP TBD TBA FAQ PDF CSV
""".split())

FINANCE_CUES = frozenset("""
shares share stock stocks equity earnings revenue revenues sales profit profits margin margins guidance quarter
quarterly results outlook forecast forecasts ceo chief executive cfo investors analysts analyst rallied rallies
rose rise fell falls fall jumped jumps slumped slid gained gains dropped surged plunged downgrade downgraded
upgrade upgraded rating target-price buyback dividend dividends valuation listed listing ipo acquisition acquire
acquired deal stake merger bid shareholders board customers orders supplier suppliers chips chip smartphones
iphone stores store retailer brand brands company group inc corp plc ltd subsidiary unit units capex
""".split())

# Words right after (or just before) a name that say it is traded: "Rexel rose", "shares of Nexans".
MARKET_CUES = frozenset("""
shares share stock stocks rose rise rises rising fell fall falls falling gained gains gain jumped jumps surged
surges slumped slumps slid slides dropped drops plunged plunges climbed climbs rallied rallies advanced declined
declines lagged lags outperformed underperformed traded trades beat beats missed misses higher lower soared
sank tumbled tumbles edged listed reported reports posted raised cut cuts upgraded downgraded earnings revenue
profit sales guidance dividend buyback slipped slips eased eases firmed firms popped sold won wins warned
announced announces
""".split())
# Capitalised words that follow a company's name as its product or unit ("Apple Pay", "Amazon Prime").
_PRODUCT_WORDS = frozenset("pay watch tv music store card intelligence vision silicon prime web cloud ads search "
                           "maps office azure windows xbox play pixel android chrome services foundry".split())
# "retailer Next", "jeweller Titan", "carmaker Kia": the noun before a name says it is a business.
_BUSINESS_NOUNS = frozenset("retailer retailers jeweller jeweler carmaker automaker chipmaker lender bank insurer "
                            "miner operator developer airline brewer drugmaker maker manufacturer supplier group "
                            "firm company conglomerate giant rival peer peers owner operator broker platform "
                            "telco utility utilities".split())
_HEADLINE_SMALL_WORDS = frozenset("the a an and or as at by for from in of on to vs with after before over amid "
                                  "while why how what".split())
_HEADLINE_VERBS = frozenset("soars sinks tops lifts hikes plans buys sells agrees expands launches unveils sues "
                            "cuts raises beats misses jumps slumps falls rises surges plunges warns reports posts "
                            "cut raise buy sell launch expand acquire acquires invest invests hire hires".split())
_TITLES = frozenset("mr mrs ms dr chair chairman chairwoman president governor secretary minister premier "
                    "senator commissioner ceo cfo analyst economist professor sir lord".split())
_LIST_SEP = re.compile(r"\s*(?:,|;|/|&|and|or|,\s*and|,\s*or)\s*")

_PLACE_OR_PERSON = {"PERSON", "GPE", "LOC", "FAC", "NORP"}
_NOT_ORG = {"PERSON", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_CONNECTORS = frozenset({"and", "of", "the", "de", "la", "du", "des", "und", "et", "y", "e", "for", "s"})
_GENERIC_FIRST = frozenset("""
china chinese japan japanese korea korean taiwan hong kong india indian american america national first united
general international global new great royal asia asian pacific european europe euro shanghai shenzhen beijing
zhejiang jiangsu guangdong shandong sichuan fujian hubei hunan anhui henan hebei tianjin chongqing tokyo osaka
nippon nihon singapore thai thailand indonesia malaysia vietnam australia australian canada canadian british
london german germany france french swiss italian spanish dutch nordic north south east west central standard
capital city metro golden silver green blue red
""".split())
_LEGAL_TAIL = frozenset("inc incorporated corp corporation co ltd limited plc llc ag se sa nv spa ab asa oyj kgaa "
                        "holdings holding group company".split())
_ABBREVIATIONS = frozenset({"co", "ltd", "inc", "corp", "bhd", "intl"})
_GAP = re.compile(r"[ \t\u00a0.,\-]*\n?[ \t\u00a0.,\-]*")

# ------------------------------------------------------------------------------- explicit tickers
_EXCHANGES = {
    "NASDAQ": "", "NASDAQGS": "", "NASDAQGM": "", "NASDAQCM": "", "NYSE": "", "NYSEARCA": "", "NYSE AMERICAN": "",
    "AMEX": "", "OTC": "", "OTCMKTS": "", "BATS": "", "CBOE": "",
    "TSX": ".TO", "TSXV": ".V", "CVE": ".V", "LSE": ".L", "LON": ".L", "AIM": ".L", "EPA": ".PA", "ETR": ".DE",
    "XETRA": ".DE", "FRA": ".F", "FWB": ".F", "SWX": ".SW", "SIX": ".SW", "VTX": ".SW", "AMS": ".AS", "EBR": ".BR",
    "BIT": ".MI", "BME": ".MC", "STO": ".ST", "CPH": ".CO", "HEL": ".HE", "OSL": ".OL", "ISE": ".IR", "ELI": ".LS",
    "VIE": ".VI", "TYO": ".T", "JPX": ".T", "TSE": ".T", "HK": ".HK", "HKG": ".HK", "HKEX": ".HK", "SEHK": ".HK",
    "KRX": ".KS", "KOSPI": ".KS", "KSE": ".KS", "KOSDAQ": ".KQ", "TPE": ".TW", "TWSE": ".TW", "TWO": ".TWO",
    "TPEX": ".TWO", "GTSM": ".TWO", "SHA": ".SS", "SSE": ".SS", "SH": ".SS", "SHE": ".SZ", "SZSE": ".SZ",
    "SZ": ".SZ", "NSE": ".NS", "BSE": ".BO", "ASX": ".AX", "SGX": ".SI", "JSE": ".JO", "B3": ".SA", "BVMF": ".SA",
    "TADAWUL": ".SR", "NZX": ".NZ", "IDX": ".JK", "BURSA": ".KL", "KLSE": ".KL", "SET": ".BK", "PSE": ".PS",
    "HOSE": ".VN",
}
_EX_NAMES = sorted(_EXCHANGES, key=len, reverse=True)
EXCHANGE_RE = re.compile(
    r"(?<![\w$])(?P<ex>" + "|".join(re.escape(e) for e in _EX_NAMES) + r")\s?:\s?(?P<code>[A-Z0-9][A-Z0-9.\-&]{0,11})",
    re.IGNORECASE)
CASHTAG_RE = re.compile(r"(?<![\w$])\$(?P<code>[A-Z][A-Za-z0-9&]{0,9}(?:[.\-][A-Z0-9]{1,3})?|\d{6}|\d{3}[A-Z])"
                        r"(?![\w$]|[.,]\d)")
_CASHTAG_MARKETS = (".NS", ".L", ".AX", ".TO", ".DE", ".PA", ".AS", ".SW", ".MI", ".MC", ".ST", ".CO", ".SI")
_SUFFIXES = ["TWO", "TW", "HK", "KS", "KQ", "SS", "SZ", "NS", "BO", "DE", "PA", "AS", "SW", "MI", "MC", "ST", "CO",
             "HE", "OL", "BR", "IR", "LS", "VI", "AX", "TO", "SI", "SA", "SR", "JK", "KL", "BK", "NZ", "L", "T",
             "F", "BE", "MU", "SG", "DU", "HM", "IL", "V"]
YAHOO_RE = re.compile(r"(?<![\w$.])(?P<base>\d{3,6}|\d{3}[A-Z]|[A-Z][A-Z0-9&]{0,9}(?:-[A-Z]{1,2})?)\.(?P<suf>"
                      + "|".join(_SUFFIXES) + r")(?![\w])")
_BBG = {"JP": ".T", "JT": ".T", "KS": ".KS", "KQ": ".KQ", "TT": ".TW", "HK": ".HK", "CH": None, "C1": ".SS",
        "C2": ".SZ", "IN": ".NS", "IB": ".BO", "LN": ".L", "GY": ".DE", "GR": ".DE", "FP": ".PA", "NA": ".AS",
        "SW": ".SW", "VX": ".SW", "IM": ".MI", "SM": ".MC", "SS": ".ST", "DC": ".CO", "FH": ".HE", "NO": ".OL",
        "BB": ".BR", "AU": ".AX", "AT": ".AX", "CN": ".TO", "CT": ".TO", "SP": ".SI", "US": "", "UN": "", "UW": "",
        "UQ": ""}
BBG_RE = re.compile(r"(?<![\w$.])(?P<base>\d{3,6}|[A-Z]{2,6})(?: (?P<cls>[AB]))?\s(?P<suf>" + "|".join(_BBG)
                    + r")(?![\w&'])")
_DIGIT_MARKETS = {".T": (4, 4), ".TW": (4, 6), ".TWO": (4, 6), ".HK": (1, 5), ".KS": (6, 6), ".KQ": (6, 6),
                  ".SS": (6, 6), ".SZ": (6, 6), ".BO": (6, 6), ".SR": (4, 4)}


def _candidates(base: str, suffix: str) -> list[str]:
    """Yahoo symbols a code on a market may be: HK codes are zero-padded, KRX may be KOSPI or KOSDAQ."""
    base = base.upper().rstrip(".")
    if suffix == "" and "." in base:
        base = base.replace(".", "-")  # BRK.B -> BRK-B
    if base.isdigit() and suffix in _DIGIT_MARKETS:
        lo, hi = _DIGIT_MARKETS[suffix]
        if suffix == ".HK":
            base = base.lstrip("0").zfill(4) if len(base) <= 5 else base
        if not lo <= len(base) <= hi:
            return []
    out = [base + suffix]
    if suffix == ".KS":
        out.append(base + ".KQ")
    if suffix == ".TW":
        out.append(base + ".TWO")
    if suffix == ".T" and not base[:1].isdigit():
        out = [base + ".TO"]  # TSE: RY is Toronto
    return out


@dataclass
class Mention:
    start: int
    end: int
    key: str
    confidence: float
    how: str  # ticker | name | short | bare
    tokens: tuple = ()
    alternatives: list = field(default_factory=list)  # same-name companies, best first
    extended: bool = False  # a legal form followed the name ("Target Corp.")
    curated: bool = False

    def as_dict(self, text: str, master: Master) -> dict:
        c = master.companies[self.key]
        canonical = c.canonical if c.source == "private" else display_name(c.canonical)
        return {"name": text[self.start:self.end], "canonical": canonical, "ticker": c.home,
                "company_key": c.key, "start": self.start, "end": self.end, "confidence": round(self.confidence, 3)}


class CompanyLinker:
    def __init__(self, nlp, name):
        self.name = name
        self.master: Master | None = None
        self.settings = None
        self.min_confidence = D.COMPANY_MIN_CONFIDENCE
        self.lexicon = _lexicon(nlp)
        self.blockers, self.block_max = _blockers()
        self.lowercase_ok, self.caps_aliases = _curated_casing()
        self.apostrophe_names = frozenset(norm_tokens(a) for r in curated_rows()
                                          for a in [r["name"], *r["aliases"].split("|")] if a.endswith(("'s", "’s")))
        self.exact_aliases = frozenset(a for r in curated_rows() for a in [r["name"], *r["aliases"].split("|")] if a)
        self.other_senses = curated_other_senses()
        self.fuzzy_choices, self.fuzzy_keys = _fuzzy_index()
        self._other_vectors: dict = {}

    def bind(self, master=None, settings=None):
        self.master = master
        self.settings = settings
        nlp_settings = getattr(settings, "nlp", None)
        self.min_confidence = getattr(nlp_settings, "company_min_confidence", D.COMPANY_MIN_CONFIDENCE)

    # ------------------------------------------------------------------------------------------ main
    def __call__(self, doc):
        if self.master is None:
            from tracker.nlp.securities import load_master

            self.master = load_master(None)
        text = doc_text(doc)
        work = _mask_quote_rows(text)  # "TSLA 241.10 -1.8%" rows are page furniture, not mentions
        tickers, mentions = self._tickers(work)
        taken = [(m.start, m.end) for m in mentions] + [(a, b) for a, b, _ in tickers]
        toks = tokens_with_offsets(work)
        ctx = _Context(doc, toks)
        names = self._names(work, toks, taken, ctx)
        confirmed = {m.key for m in mentions}
        kept = self._decide(doc, work, names, confirmed, ctx, mentions)
        mentions += kept
        mentions += self._short_forms(work, toks, mentions, ctx)
        mentions = self._near_misses(work, mentions, ctx)
        mentions.sort(key=lambda m: m.start)
        doc._.companies = [m.as_dict(text, self.master) for m in mentions if m.confidence >= self.min_confidence]
        doc._.tickers = [text[a:b] for a, b, _ in sorted(tickers)]
        return doc

    # ------------------------------------------------------------------------------- explicit tickers
    def _resolve(self, cands: list[str]) -> str | None:
        for s in cands:
            k = self.master.symbols.get(s)
            if k:
                return k
        return None

    def _tickers(self, text: str):
        found: list[tuple[int, int, str]] = []
        mentions: list[Mention] = []
        spans: list[tuple[int, int]] = []

        def add(a, b, cands, conf, strict=False):
            if any(a < y and x < b for x, y in spans):
                return
            key = self._resolve(cands)
            if key is None and strict:
                return
            spans.append((a, b))
            found.append((a, b, text[a:b]))
            if key:
                mentions.append(Mention(a, b, key, conf, "ticker"))

        for m in EXCHANGE_RE.finditer(text):
            ex = m.group("ex").upper()
            code = m.group("code").rstrip(".-")
            if ex not in _EXCHANGES or not code:
                continue
            if m.group("ex") != ex and m.group("ex") not in ("Nasdaq", "Nyse"):
                continue  # lower-case 'she: ...' is prose
            b = m.start("code") + len(code)
            add(m.start(), b, _candidates(code, _EXCHANGES[ex]), 0.99)
        for m in CASHTAG_RE.finditer(text):
            code = m.group("code").upper()
            if code.isdigit():  # $035720: a Korean (or mainland Chinese) code, when the master knows it
                add(m.start(), m.end(), [code + s for s in (".KS", ".KQ", ".SS", ".SZ")], 0.97, strict=True)
                continue
            if code[:3].isdigit():  # $285A: a Tokyo code
                add(m.start(), m.end(), [code + ".T"], 0.97, strict=True)
                continue
            # a US symbol first, else the same code on the other big markets ($ADANIENT -> ADANIENT.NS)
            add(m.start(), m.end(), [code, code.replace(".", "-")] + [code + s for s in _CASHTAG_MARKETS], 0.98)
        for m in YAHOO_RE.finditer(text):
            base, suf = m.group("base"), "." + m.group("suf")
            cands = _candidates(base, suf)
            strict = not (base[:3].isdigit() and suf in _DIGIT_MARKETS)
            if cands:
                add(m.start(), m.end(), cands, 0.98, strict=strict)
        for m in BBG_RE.finditer(text):
            base, code = m.group("base"), m.group("suf")
            suf = _BBG[code]
            if suf is None:
                suf = ".SS" if base.startswith(("6", "9")) else ".SZ"
            if m.group("cls"):
                base = f"{base}-{m.group('cls')}"  # NOVO B DC -> NOVO-B.CO
            if not base[:1].isdigit():
                if base in ACRONYMS:
                    continue
                add(m.start(), m.end(), _candidates(base, suf), 0.95, strict=True)
            elif suf in _DIGIT_MARKETS:
                add(m.start(), m.end(), _candidates(base, suf), 0.97, strict=True)
        return found, mentions

    # -------------------------------------------------------------------------------------- names
    def _names(self, text, toks, taken, ctx) -> list[Mention]:
        aliases, max_len = self.master.aliases, self.master.max_len
        taken_starts = sorted(taken)
        out: list[Mention] = []
        n = len(toks)
        i = 0
        while i < n:
            t0, s0, _ = toks[i]
            if _inside(s0, taken_starts):
                i += 1
                continue
            longest = max(max_len.get(t0, 0), self.block_max.get(t0, 0))
            best = None
            for L in range(min(longest, n - i), 0, -1):
                if not self._contiguous(text, toks, i, L):
                    continue
                key = tuple(t for t, _, _ in toks[i:i + L])
                if key in self.blockers:
                    best = ("block", L)
                    break
                if key in aliases:
                    best = ("alias", L)
                    break
            if best is None:
                bare = self._bare_ticker(text, toks[i])
                if bare:
                    out.append(bare)
                i += 1
                continue
            kind, L = best
            if kind == "block":
                i += L
                continue
            a, b = toks[i][1], toks[i + L - 1][2]
            if tuple(t for t, _, _ in toks[i:i + L]) not in self.apostrophe_names:  # keep "Moody's"
                b = _trim_possessive(text, a, b)
            # absorb a following legal form: "Samsung Electronics Co., Ltd." / "Apple Inc."
            j, extended = i + L, False
            while j < n and toks[j][0] in _LEGAL_TAIL and self._contiguous(text, toks, j - 1, 2):
                if toks[j][0] in ("group", "holdings", "holding", "company") and not text[toks[j][1]].isupper():
                    break
                b = _trim_possessive(text, a, toks[j][2])
                j += 1
                extended = True
            key = tuple(t for t, _, _ in toks[i:i + L])
            last = toks[j - 1][0]
            extended = extended or (L > 1 and last in _LEGAL_TAIL)
            if last in _ABBREVIATIONS and text[b:b + 1] == ".":
                b += 1
            m = self._choose(text, a, b, key, extended, ctx)
            if m is not None:
                out.append(m)
            i = j
        return out

    def _contiguous(self, text, toks, i, L) -> bool:
        for k in range(i, i + L - 1):
            gap = text[toks[k][2]:toks[k + 1][1]]
            if len(gap) > D.COMPANY_MAX_GAP_CHARS or not _GAP.fullmatch(gap):
                return False
        return True

    def _bare_ticker(self, text, tok) -> Mention | None:
        """An all-caps word that is a curated company's ticker (NVDA, TSLA), not a common acronym."""
        _, a, b = tok
        w = text[a:b]
        if len(w) < 3 or not w.isupper() or not w.isalpha() or w in ACRONYMS or w.lower() in self.lexicon:
            return None
        key = self.master.symbols.get(w)
        if key is None or self.master.companies[key].source != "curated":
            return None
        return Mention(a, b, key, 0.8, "bare")

    def _choose(self, text, a, b, key_tokens, extended, ctx) -> Mention | None:
        """Pick a company for the alias at [a, b) and give it a prior confidence (decided later)."""
        written = text[a:b]
        entries = self.master.aliases[key_tokens]
        curated = [e for e in entries if e[2] == "curated"]
        if curated:
            entries = curated
        elif not self._external_ok(key_tokens, written):
            return None
        if not self._case_ok(written, key_tokens, bool(curated)):
            return None
        companies = self.master.companies
        if len(entries) > 1:
            entries = sorted(entries, key=lambda e: (companies[e[0]].home is None,
                                                     CAP_RANK.get(companies[e[0]].market_cap or "", 9),
                                                     companies[e[0]].key))
            with_home = [e for e in entries if companies[e[0]].home]
            entries = (with_home or entries)[:5]
        return Mention(a, b, entries[0][0], 0.0, "name", key_tokens, [e[0] for e in entries], extended,
                       bool(curated))

    def _external_ok(self, toks: tuple, written: str) -> bool:
        """Names only FinanceDatabase/pytickersymbols know: never bare acronyms or single dictionary words."""
        if len(toks) == 1:
            w = toks[0]
            if len(w) <= 3 or w in self.lexicon or w.upper() in ACRONYMS or w in _GENERIC_FIRST or w.isdigit():
                return False
        return True

    def _case_ok(self, written: str, toks: tuple, curated: bool) -> bool:
        words = [w for w in re.findall(r"[^\W_]+", written)]
        if not words:
            return False
        if " ".join(toks) in self.lowercase_ok or written in self.exact_aliases:
            return True  # "eBay", "JD.com": written as the curated list spells it
        caps = [w for w in words if w.lower() not in _CONNECTORS and w.lower() not in _LEGAL_TAIL]
        if not caps:
            return False
        if not all(w[0].isupper() or w[0].isdigit() or not w[0].isalpha() or not w.isascii() for w in caps):
            return False
        if " ".join(toks) in self.caps_aliases and not written.isupper():
            return False  # 'ING', 'BAT', 'TIM' only in capitals
        return True

    # ------------------------------------------------------------------------------------ decisions
    def _decide(self, doc, text, names: list[Mention], confirmed: set, ctx, explicit: list[Mention]) -> list[Mention]:
        """Keep the names that are companies here. Plain names go first; ambiguous ones (common words,
        single words only the external lists know) then use context, including being listed next to a
        company already kept ("Sopra Steria, Rexel and Nexans rose")."""
        out, pending = [], []
        for m in names:
            verdict = self._plain(doc, m, confirmed, ctx)
            if verdict == "keep":
                out.append(m)
            elif verdict == "ambiguous":
                pending.append(m)
        confirmed = confirmed | {m.key for m in out if m.confidence >= 0.85}
        for m in list(pending):  # "Apple Inc. ... Apple": the short word is the company named before
            if m.key in confirmed:
                m.confidence = 0.9
                out.append(m)
                pending.remove(m)
        changed = True
        while pending and changed:
            changed = False
            kept = sorted((x.start, x.end) for x in out + explicit)
            for m in list(pending):
                if ctx.list_neighbour(m.start, m.end, kept):
                    m.confidence = 0.75
                    if len(m.alternatives) > 1:
                        self._disambiguate(doc, m)
                    out.append(m)
                    pending.remove(m)
                    changed = True
        undecided = []
        for m in pending:
            verdict = self._without_context(doc, m, ctx)
            if verdict is None:
                undecided.append(m)
            elif verdict:
                out.append(m)
        self._prefetch_vectors(doc, undecided)  # only the mentions the context must decide are encoded
        out += [m for m in undecided if self._by_context(doc, m, ctx)]
        return out

    def _prefetch_vectors(self, doc, mentions: list[Mention]) -> None:
        """Encode every context window and description these mentions may need in two batched calls."""
        if not mentions:
            return
        from tracker.nlp.embed import embed_spans, encode_texts

        embed_spans(doc, [self._context_span(doc, m) for m in mentions])
        cache = self.master._desc_vectors
        keys = list(dict.fromkeys(k for m in mentions for k in (m.alternatives or [m.key]) if k not in cache))
        others = [k for k in dict.fromkeys(m.key for m in mentions)
                  if k in self.other_senses and k not in self._other_vectors]
        texts = [self.master.description(k) for k in keys] + [self.other_senses[k] for k in others]
        if texts:
            vecs = encode_texts(texts)
            for k, v in zip(keys, vecs[:len(keys)]):
                cache[k] = v
            for k, v in zip(others, vecs[len(keys):]):
                self._other_vectors[k] = v

    def _plain(self, doc, m: Mention, confirmed: set, ctx) -> str:
        """keep | drop | ambiguous, setting the confidence of kept mentions."""
        if m.how == "bare":
            return "drop" if ctx.ent_is(m.start, m.end, _NOT_ORG) else "keep"
        company = self.master.companies[m.key]
        single = len(m.tokens) == 1
        external = not m.curated
        container = ctx.containing_ent(m.start, m.end)
        if container is not None and container[2] in _PLACE_OR_PERSON and not ctx.title_case_line(m.start):
            return "drop"  # inside a longer person/place name ("Harrison Ford", "Apple Valley")
        alts = [k for k in (m.alternatives or [m.key]) if k in confirmed]
        if alts:  # named unambiguously elsewhere in the text (a ticker, a full name)
            m.key, m.confidence = alts[0], 0.95
            return "keep"
        word = m.curated and "word" in company.flags and single
        all_words = all(t in self.lexicon or t in _CONNECTORS for t in m.tokens)
        if word or (external and (single or all_words)):
            return "ambiguous"
        label = ctx.ent_label(m.start, m.end)
        if external and label in ("GPE", "LOC", "NORP", "FAC", "EVENT"):
            return "drop"
        if external and label == "PERSON" and not ctx.market_cue(m.start, m.end):
            return "drop"  # "Carl Zeiss Meditec rose" is kept; a bare person's name is not
        if m.curated:
            m.confidence = 0.95 if len(m.tokens) > 1 else 0.9
        else:
            m.confidence = 0.85
        if len(m.alternatives) > 1:
            self._disambiguate(doc, m)
        return "keep"

    def _without_context(self, doc, m: Mention, ctx) -> bool | None:
        """A common-word name or an externally known single word, decided by the parse and the words
        around it where they settle it: True (a company), False (not one), None (the context window's
        meaning must decide: ``_by_context``)."""
        external, single = not m.curated, len(m.tokens) == 1
        if m.curated and ctx.verb_follows(m.end) and not ctx.after_title(m.start) and not ctx.prev_capitalised(m.start):
            m.confidence = 0.8  # the subject of a market verb: "Oracle Soars On Cloud Deal", "Amazon to cut"
            return True
        if ctx.in_longer_name(m.start, m.end) or (ctx.title_case_line(m.start) and ctx.prev_capitalised(m.start)):
            return False  # "Apple Valley", "the Big Apple", "Target Field", "Inflation Target Rises"
        if ctx.after_title(m.start):
            return False  # "Chair Powell", "Mr Lagarde"
        if external and single and m.tokens[0] in self.lexicon:
            # a dictionary word only the big lists know ("Vanguard", "Focus"): only with its legal form
            m.confidence = 0.8
            return m.extended
        if m.extended or ctx.possessive(m.end) or ctx.business_noun_before(m.start):
            m.confidence = 0.85  # "Target Corp.", "Shell's", "clothing retailer Next"
            return True
        label = ctx.ent_label(m.start, m.end)
        market = ctx.market_cue(m.start, m.end)
        if external and single and m.tokens[0] not in self.lexicon:
            # a capitalised non-dictionary word: a company when used like one
            if label == "ORG" or market:
                m.confidence = 0.75 if label == "ORG" else 0.7
                if len(m.alternatives) > 1:
                    self._disambiguate(doc, m)
                return True
        if label in ("PERSON", "GPE", "LOC", "NORP") and not (m.curated and self.other_senses.get(m.key)):
            return False
        if external and not single and ctx.title_case_line(m.start) and label != "ORG":
            return False  # "Global Markets Outlook" in a headline
        return None

    def _by_context(self, doc, m: Mention, ctx) -> bool:
        """The rest of ``_without_context``: the context window against the company's description (and,
        for a common word, against its everyday meaning)."""
        external = not m.curated
        label = ctx.ent_label(m.start, m.end)
        market = ctx.market_cue(m.start, m.end)
        other = self._other_vector(m.key) if m.curated else None
        cue = market or ctx.finance_cue(m.start, m.end)
        initial = ctx.sentence_initial(m.start)
        sim = self._similarity(doc, m)
        if other is not None:
            # the company's description against the word's everyday meaning, on the same context window
            from tracker.nlp.embed import embed_spans

            s_other = float(embed_spans(doc, [self._context_span(doc, m)])[0] @ other)
            margin = (sim - s_other + (0.05 if market else 0.0) + (0.05 if label == "ORG" else 0.0)
                      - (0.05 if label in _NOT_ORG else 0.0) - (0.03 if initial else 0.0)
                      - (0.1 if ctx.modifies_common_noun(m.start, m.end) else 0.0))
            if margin >= D.COMPANY_SENSE_MARGIN and sim >= D.COMPANY_SENSE_MIN_SIMILARITY:
                m.confidence = min(0.9, 0.6 + margin)
                return True
            return False
        score = sim + (0.1 if label == "ORG" else 0.0) + (0.08 if cue else 0.0) - (0.1 if initial else 0.0)
        threshold = D.COMPANY_AMBIGUOUS_MIN_SIMILARITY + (0.05 if external else 0.0)
        if score >= threshold:
            m.confidence = min(0.9, 0.5 + score)
            return True
        return False

    def _context_span(self, doc, m: Mention) -> tuple[int, int]:
        a = max(0, m.start - D.COMPANY_CONTEXT_CHARS)
        b = min(len(doc_text(doc)), m.end + D.COMPANY_CONTEXT_CHARS)
        return a, b

    def _similarity(self, doc, m: Mention) -> float:
        from tracker.nlp.embed import embed_spans

        vec = embed_spans(doc, [self._context_span(doc, m)])[0]
        best, best_key = -1.0, m.key
        for k in (m.alternatives or [m.key]):
            s = float(vec @ self._desc_vector(k))
            if s > best:
                best, best_key = s, k
        m.key = best_key
        return best

    def _disambiguate(self, doc, m: Mention) -> None:
        """Several listed companies share this name: take the one whose description fits the context."""
        self._similarity(doc, m)

    def _other_vector(self, key: str):
        """Vector of the everyday meaning of a common-word company name (None when there is none)."""
        text = self.other_senses.get(key)
        if not text:
            return None
        if key not in self._other_vectors:
            from tracker.nlp.embed import encode_texts

            self._other_vectors[key] = encode_texts([text])[0]
        return self._other_vectors[key]

    def _desc_vector(self, key: str):
        cache = self.master._desc_vectors
        if key not in cache:
            from tracker.nlp.embed import encode_texts

            cache[key] = encode_texts([self.master.description(key)])[0]
        return cache[key]

    # ---------------------------------------------------------------------------------- near misses
    def _near_misses(self, text, mentions: list[Mention], ctx) -> list[Mention]:
        """``mentions`` plus (or, for a shorter match inside, instead of) organisation names (spaCy ORG) that no alias matched but that are a close spelling of a curated
        name ("Hon Hai Precision Industries", "Samsung Electornics"): rapidfuzz, curated names only."""
        from rapidfuzz import fuzz, process

        out = list(mentions)
        for a, b, label in ctx.ents:
            if label != "ORG":
                continue
            inside = [m for m in out if m.start < b and a < m.end]
            if any(m.start < a or m.end > b or m.how in ("ticker", "fuzzy") for m in inside):
                continue
            if inside and sum(m.end - m.start for m in inside) >= (b - a) - 4:
                continue  # already matched (up to a legal form or possessive)
            toks = norm_tokens(text[a:b])
            q = " ".join(toks)
            if len(toks) < 2 or len(q) < 8 or toks in self.blockers:
                continue
            hit = process.extractOne(q, self.fuzzy_choices, scorer=fuzz.ratio,
                                     score_cutoff=D.COMPANY_FUZZY_MIN_RATIO)
            if hit:
                key = self.fuzzy_keys[hit[2]]
                if key in self.master.companies:
                    out = [m for m in out if m not in inside]
                    out.append(Mention(a, _trim_possessive(text, a, b), key, 0.7, "fuzzy", toks))
        out.sort(key=lambda m: m.start)
        return out

    # ---------------------------------------------------------------------------------- short forms
    def _short_forms(self, text, toks, mentions: list[Mention], ctx) -> list[Mention]:
        """Acronyms in parentheses after a name, and the first word of long names, after the first mention."""
        local: dict[tuple, tuple[str, int]] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            if m.how not in ("name",):
                continue
            after = text[m.end:m.end + 14]
            pm = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z&]{1,6})\)", after)
            if pm and pm.group("acr").upper() not in ACRONYMS:
                local.setdefault((norm_word(pm.group("acr")),), (m.key, m.end))
            toks_m = m.tokens
            if len(toks_m) >= 2:
                first = toks_m[0]
                if (len(first) >= 3 and first not in self.lexicon and first not in _GENERIC_FIRST
                        and not first.isdigit() and first.upper() not in ACRONYMS):
                    local.setdefault((first,), (m.key, m.end))
        if not local:
            return []
        covered = sorted((m.start, m.end) for m in mentions)
        out = []
        for t, a, b in toks:
            hit = local.get((t,))
            if hit is None or a < hit[1] or _inside(a, covered):
                continue
            written = text[a:b]
            if not written[:1].isupper() or (t,) in self.master.aliases or ctx.ent_is(a, b, _NOT_ORG):
                continue
            out.append(Mention(a, _trim_possessive(text, a, b), hit[0], 0.8, "short", (t,)))
        return out


_QUOTE_ROW = re.compile(r"(?<![\w$:])\$?[A-Z][A-Z0-9.\-]{0,9}\s+\$?\d[\d,]*\.\d+\s+\(?[+\-−]?\d+(?:\.\d+)?%\)?")


def _mask_quote_rows(text: str) -> str:
    """Blank quote-widget entries ("TSLA 241.10 -1.8%") keeping offsets: their symbols are not mentions."""
    if "%" not in text:
        return text
    return _QUOTE_ROW.sub(lambda m: " " * (m.end() - m.start()), text)


def _trim_possessive(text: str, a: int, b: int) -> int:
    """End offset without a trailing possessive: "Samsung's" -> "Samsung"."""
    return b - 2 if b - a > 2 and text[b - 2:b] in ("'s", "’s") else b


def _inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


class _Context:
    """Per-doc helpers: entity labels and sentence starts by character offset."""

    def __init__(self, doc, toks):
        self.doc = doc
        self.toks = toks
        self.tok_starts = [a for _, a, _ in toks]
        self.ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self._sent_starts: list[int] | None = None

    @property
    def sent_starts(self) -> list[int]:
        """Character offsets where sentences start (computed on first use: most docs never need them)."""
        if self._sent_starts is None:
            from spacy.attrs import SENT_START

            doc = self.doc
            starts = [0]
            if len(doc) and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
                flags = doc.to_array([SENT_START])
                starts += [doc[int(i)].idx for i in (flags == 1).nonzero()[0] if i > 0]
            self._sent_starts = starts
        return self._sent_starts

    def _overlapping(self, a, b):
        return [e for e in self.ents if e[0] < b and a < e[1]]

    def ent_label(self, a, b) -> str | None:
        ov = self._overlapping(a, b)
        return ov[0][2] if ov else None

    def ent_is(self, a, b, labels) -> bool:
        return any(e[2] in labels for e in self._overlapping(a, b))

    def containing_ent(self, a, b):
        for e in self._overlapping(a, b):
            if e[0] <= a and b <= e[1] and (e[0] < a or b < e[1]):
                # ignore containers that only add a legal form or possessive
                extra = (doc_text(self.doc)[e[0]:a] + " " + doc_text(self.doc)[b:e[1]]).strip()
                if extra and not all(t in _LEGAL_TAIL or t in _BUSINESS_NOUNS or t in ("s", "the")
                                     for t in norm_tokens(extra)):
                    return e
        return None

    def in_longer_name(self, a, b) -> bool:
        """Capitalised words (not a legal form) right before or after [a, b), or an entity containing it."""
        if self.containing_ent(a, b) is not None:
            return True
        t = doc_text(self.doc)
        if self.title_case_line(a):
            return False  # headline: every word is capitalised
        nxt = re.match(r" ([A-Z][\w&]*)", t[b:b + 30])
        if nxt and not {norm_word(nxt.group(1))} & (_LEGAL_TAIL | FINANCE_CUES | _PRODUCT_WORDS):
            return True
        prev = re.search(r"(?:^|[^\w])([A-Z][\w&]*) $", t[max(0, a - 30):a])
        if prev and not self.sentence_initial(a - len(prev.group(1)) - 1) and prev.group(1) not in ("The", "A"):
            return True
        return False

    def title_case_line(self, a) -> bool:
        t = doc_text(self.doc)
        line = t[t.rfind("\n", 0, a) + 1: (t.find("\n", a) + 1 or len(t) + 1) - 1]
        words = [w for w in re.findall(r"[A-Za-z][\w']*", line) if w.lower() not in _CONNECTORS and len(w) > 3]
        return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.9 * len(words)

    def list_neighbour(self, a, b, kept: list[tuple[int, int]]) -> bool:
        """Separated from a kept mention only by a comma, 'and', '&' or '/' ("Rexel, Nexans and Ipsen")."""
        t = doc_text(self.doc)
        for x, y in kept:
            if 0 <= x - b <= 8 and _LIST_SEP.fullmatch(t[b:x]):
                return True
            if 0 <= a - y <= 8 and _LIST_SEP.fullmatch(t[y:a]):
                return True
        return False

    def prev_capitalised(self, a) -> bool:
        """A capitalised word right before ("Inflation Target Rises"), other than a sentence's first 'The'."""
        m = re.search(r"(?:^|[^\w])([A-Z][\w&]*) $", doc_text(self.doc)[max(0, a - 30):a])
        return bool(m and m.group(1).lower() not in _HEADLINE_SMALL_WORDS)

    def verb_follows(self, b) -> bool:
        """The next word is a market verb ("Target slumps", "Amazon To Cut"): the name is its subject."""
        m = re.match(r"\s([A-Za-z]+)(?:\s([A-Za-z]+))?", doc_text(self.doc)[b:b + 40])
        if not m:
            return False
        w = m.group(1).lower()
        if w == "to" and m.group(2):
            w = m.group(2).lower()
        return w in MARKET_CUES or w in _HEADLINE_VERBS

    def business_noun_before(self, a) -> bool:
        m = re.search(r"([A-Za-z]+) $", doc_text(self.doc)[max(0, a - 25):a])
        return bool(m and m.group(1).lower() in _BUSINESS_NOUNS)

    def after_title(self, a) -> bool:
        m = re.search(r"([A-Za-z]+)\.? $", doc_text(self.doc)[max(0, a - 20):a])
        return bool(m and m.group(1).lower() in _TITLES)

    def market_cue(self, a, b, window: int = 5) -> bool:
        i = bisect.bisect_left(self.tok_starts, a)
        j = bisect.bisect_left(self.tok_starts, b)
        near = self.toks[max(0, i - 2):i] + self.toks[j:j + window]
        return any(t in MARKET_CUES for t, _, _ in near)

    def modifies_common_noun(self, a, b) -> bool:
        """The name is a modifier of a following ordinary noun ("Visa applications", "Canon law"),
        the everyday reading; "Apple shares" or "Target stores" do not count."""
        span = self.doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            return False
        tok = span[-1]
        head = tok.head
        if tok.dep_ != "compound" or head.i <= tok.i or head.pos_ != "NOUN" or head.text[:1].isupper():
            return False
        lemma = head.lemma_.lower()
        return lemma not in FINANCE_CUES and lemma not in MARKET_CUES and head.lower_ not in FINANCE_CUES

    def possessive(self, end) -> bool:
        t = doc_text(self.doc)
        return t[end:end + 2] in ("'s", "’s")

    def sentence_initial(self, a) -> bool:
        i = bisect.bisect_right(self.sent_starts, a) - 1
        s = self.sent_starts[i] if i >= 0 else 0
        lead = doc_text(self.doc)[s:a]
        line = doc_text(self.doc).rfind("\n", 0, a)
        return not re.search(r"\w", lead) or not re.search(r"\w", doc_text(self.doc)[line + 1:a])

    def finance_cue(self, a, b, window: int = 6) -> bool:
        i = bisect.bisect_left(self.tok_starts, a)
        j = bisect.bisect_left(self.tok_starts, b)
        near = self.toks[max(0, i - window):i] + self.toks[j:j + window]
        return any(t in FINANCE_CUES for t, _, _ in near)


def _lexicon(nlp) -> frozenset:
    """English dictionary words (from the pipeline's lemmatizer tables): names that are words need context."""
    try:
        lem = nlp.get_pipe("lemmatizer")
        idx = lem.lookups.get_table("lemma_index")
        words = set()
        for pos in ("noun", "verb", "adj", "adv"):
            words.update(w for w in idx.get(pos, []) if "_" not in w)
        return frozenset(words)
    except Exception:  # noqa: BLE001 - a blank pipeline has no lemmatizer: no dictionary
        return frozenset()


def _blockers() -> tuple[frozenset, dict]:
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


def _fuzzy_index() -> tuple[list[str], list[str]]:
    """Normalised curated names and aliases of two or more words (and their companies) for near misses."""
    choices, keys = [], []
    for r in curated_rows():
        for a in {r["name"], *r["aliases"].split("|")}:
            t = norm_tokens(a)
            if len(t) >= 2 and len(" ".join(t)) >= 8:
                choices.append(" ".join(t))
                keys.append(r["symbol"].upper())
    return choices, keys


def _curated_casing() -> tuple[frozenset, frozenset]:
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


@Language.factory("company_linker", assigns=["doc._.companies", "doc._.tickers"])
def make_company_linker(nlp, name):
    return CompanyLinker(nlp, name)
