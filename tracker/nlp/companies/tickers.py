"""Explicit tickers: cashtags, exchange-qualified codes, Yahoo symbols and Bloomberg codes, resolved to
companies of the master; quote-widget rows ("TSLA 241.10 -1.8%") are masked first."""

from __future__ import annotations

import re

from tracker.nlp.companies.mention import Mention
from tracker.nlp.companies.words import ACRONYMS

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
    "HOSE": ".VN", "TSE PRIME": ".T", "TSE STANDARD": ".T", "TSE GROWTH": ".T",
    "NASDAQ STOCKHOLM": ".ST", "NASDAQ COPENHAGEN": ".CO", "NASDAQ HELSINKI": ".HE", "EURONEXT PARIS": ".PA",
    "EURONEXT AMSTERDAM": ".AS", "EURONEXT BRUSSELS": ".BR", "EURONEXT LISBON": ".LS", "EURONEXT DUBLIN": ".IR",
    "EURONEXT MILAN": ".MI", "OSLO BORS": ".OL",
    "SECURITIES CODE": None, "STOCK CODE": None, "CODE": None,
}
# filing headers ("Code: 4911", "Securities Code: 8985", "Stock code: 175", "Stock code: 002284"): the market
# follows from the digits and the wording; only a code the master knows counts
_TITLE_CASE_EXCHANGES = frozenset({"Nasdaq", "Nyse", "Euronext", "Oslo"})  # also written so: "Euronext Paris: RNO"
_FILING_MARKETS = {"SECURITIES CODE": (".T", ".HK"), "CODE": (".T", ".HK"), "STOCK CODE": (".HK", ".T")}
_EX_NAMES = sorted(_EXCHANGES, key=len, reverse=True)
EXCHANGE_RE = re.compile(
    r"(?<![\w$])(?P<ex>" + "|".join(re.escape(e) for e in _EX_NAMES) + r")\s?:\s?(?P<code>[A-Z0-9][A-Z0-9.\-&]{0,11})",
    re.IGNORECASE)
CASHTAG_RE = re.compile(r"(?<![\w$])\$(?P<code>[A-Z][A-Za-z0-9&]{0,9}(?:[.\-][A-Z0-9]{1,3})?|\d{6}|\d{3}[A-Z]|\d{4})"
                        r"(?![\w$]|[.,]\d)")
# "$7974 Switch 2 sold ..." is a Tokyo (or Taiwan) code; "$1500 a month" or "$2000 million" is money
_MONEY_AFTER = re.compile(r"\s*(?:million|billion|trillion|bn|mn|m|k|per|a|an|each|apiece|worth|in|of|to|"
                          r"for|from)\b|[-–]\d", re.I)
_CASHTAG_MARKETS = (".NS", ".L", ".AX", ".TO", ".DE", ".PA", ".AS", ".SW", ".MI", ".MC", ".ST", ".CO", ".SI", ".VN",
                    ".JK", ".BK", ".KL")
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
BBG_RE = re.compile(r"(?<![\w$.])(?P<base>\d{1,6}|[A-Z]{2,10})(?: (?P<cls>[AB]))?\s(?P<suf>" + "|".join(_BBG)
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


def _filing_candidates(code: str, order: tuple[str, str]) -> list[str]:
    """Symbols a filing's numeric code may be: six digits on Shenzhen/Shanghai (or Korea), four in Tokyo or Hong
    Kong (in the wording's order), fewer in Hong Kong."""
    if len(code) == 6:
        return [code + s for s in (".SZ", ".SS", ".KS", ".KQ")]
    if len(code) == 4:
        return [c for s in order for c in _candidates(code, s)]
    return _candidates(code, ".HK") if len(code) <= 5 else []


_QUOTE_ROW = re.compile(r"(?<![\w$:])\$?[A-Z][A-Z0-9.\-]{0,9}\s+\$?\d[\d,]*\.\d+\s+\(?[+\-−]?\d+(?:\.\d+)?%\)?")


def mask_quote_rows(text: str) -> str:
    """Blank quote-widget entries ("TSLA 241.10 -1.8%") keeping offsets: their symbols are not mentions."""
    if "%" not in text:
        return text
    return _QUOTE_ROW.sub(lambda m: " " * (m.end() - m.start()), text)


def _resolve(master, cands: list[str], prefer_curated: bool = False) -> str | None:
    """The company of the first candidate symbol the master knows; with ``prefer_curated`` (a cashtag, whose
    market is a guess) the first that is a curated company wins over one only the big lists know ("$3443" is
    Global Unichip in Taipei, not a Tokyo small cap; "$REA" is REA Group)."""
    keys = [k for k in (master.symbols.get(s) for s in cands) if k]
    if prefer_curated:
        keys = [k for k in keys if master.companies[k].source == "curated"] or keys
    return keys[0] if keys else None


def find_tickers(text: str, master) -> tuple[list[tuple[int, int, str]], list[Mention], list[tuple]]:
    """(ticker spans as written, mentions of the companies the master knows, and the tickers it does not know as
    (start, end, Yahoo symbol))."""
    found: list[tuple[int, int, str]] = []
    mentions: list[Mention] = []
    unknown: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []

    def add(a, b, cands, conf, strict=False, guess=False):
        if any(a < y and x < b for x, y in spans):
            return
        key = _resolve(master, cands, prefer_curated=guess)
        if key is None and strict:
            return
        spans.append((a, b))
        found.append((a, b, text[a:b]))
        if key:
            mentions.append(Mention(a, b, key, conf, "ticker"))
        elif cands:
            unknown.append((a, b, cands[0]))

    for m in EXCHANGE_RE.finditer(text):
        ex = " ".join(m.group("ex").upper().split())
        code = m.group("code").rstrip(".-")
        if ex not in _EXCHANGES or not code or code != code.upper():
            continue
        written = m.group("ex")
        if not (written[:2].isupper() or written.split()[0] in _TITLE_CASE_EXCHANGES
                or (ex in _FILING_MARKETS and written[0].isupper())):
            continue  # lower-case 'she: ...' is prose
        b = m.start("code") + len(code)
        if ex in _FILING_MARKETS:
            if code.isdigit():
                add(m.start(), b, _filing_candidates(code, _FILING_MARKETS[ex]), 0.99, strict=True)
            continue
        cls = re.match(r" ([AB])\b", text[b:b + 3])  # "NASDAQ STOCKHOLM:ERIC B"
        if cls and _EXCHANGES[ex] in (".ST", ".CO", ".HE", ".OL"):
            code, b = f"{code}-{cls.group(1)}", b + 2
        if _EXCHANGES[ex] == ".L" and re.match(r"\.[)\],;]", text[b:b + 2]):
            b += 1  # "LSE:RR." keeps the LSE's trailing dot
        add(m.start(), b, _candidates(code, _EXCHANGES[ex]), 0.99)
    for m in CASHTAG_RE.finditer(text):
        code = m.group("code").upper()
        if code.isdigit() and len(code) == 4:  # $7974: a Tokyo (else Taiwan) code the master knows, not money
            if not _MONEY_AFTER.match(text, m.end()):
                add(m.start(), m.end(), [code + ".T", code + ".TW", code + ".TWO"], 0.95, strict=True, guess=True)
            continue
        if code.isdigit():  # $035720: a Korean (or mainland Chinese) code, when the master knows it
            add(m.start(), m.end(), [code + s for s in (".KS", ".KQ", ".SS", ".SZ")], 0.97, strict=True, guess=True)
            continue
        if code[:3].isdigit():  # $285A: a Tokyo code
            add(m.start(), m.end(), [code + ".T"], 0.97, strict=True)
            continue
        # a US symbol first, else the same code on the other big markets ($ADANIENT -> ADANIENT.NS)
        add(m.start(), m.end(), [code, code.replace(".", "-")] + [code + s for s in _CASHTAG_MARKETS], 0.98,
            guess=True)
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
        elif suf in _DIGIT_MARKETS:  # "8963 JP": a code on a market, known or not; "fiscal 2025 JP Morgan" is not
            if len(base) < 3 and not (suf == ".HK" and text[m.start() - 1:m.start()] == "("):
                continue  # "Galaxy (27 HK)": short codes only in Hong Kong, in parentheses
            doubtful = re.match(r"(?:19|20)\d\d$", base) or re.match(r" [A-Z]", text[m.end():m.end() + 2])
            add(m.start(), m.end(), _candidates(base, suf), 0.97, strict=bool(doubtful))
    return found, mentions, unknown
