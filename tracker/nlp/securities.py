"""Securities master: curated list (models/securities) + pytickersymbols + FinanceDatabase.

``update(store, from_file)`` merges the three sources into listings grouped by company
(``company_key``), classifies each listing (primary / secondary / adr / otc) from its suffix and
the company's country, picks one home listing per company (``is_primary``) and replaces the
store's securities and aliases in one transaction.

``load_master(store)`` builds the in-memory ``Master`` the company linker matches against: an
alias index over normalised name tokens, a symbol index, and per-company facts. Without a store
(or with an empty one) it is built from the curated list and pytickersymbols alone.
"""

from __future__ import annotations

import bz2
import csv
import functools
import gzip
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from tracker import defaults as D
from tracker.errors import SecuritiesError
from tracker.paths import models_dir

SOURCE_RANK = {"curated": 0, "pytickersymbols": 1, "financedatabase": 2}

from tracker.names import alias_norm, norm_tokens, norm_word, tokens_with_offsets  # noqa: E402,F401  (re-exported)

# Legal-form words dropped from the end of a name ("Co., Ltd.", "Inc.", "plc", "AG"...).
LEGAL_WORDS = frozenset(
    "inc incorporated corp corporation co company ltd limited plc llc lp l p ag se sa s a nv n v bv spa s p a "
    "ab publ asa oyj as a s kgaa kk k k tbk pt bhd berhad sab de cv s a b pjsc jsc oao pcl public "
    "holding holdings group the class ordinary shares share adr ads depositary receipts receipt sponsored "
    "unsponsored common stock registered bearer pref preferred units gmbh sarl srl nvdr reg ord sh shs "
    "international intl".split()
)
# Only these are stripped for the "legal" alias (Group/Holdings/International stay).
_PURE_LEGAL = frozenset(
    "inc incorporated corp corporation co ltd limited plc llc lp l p ag se sa s a nv n v bv spa s p a ab publ "
    "asa oyj as a s kgaa kk k k tbk pt bhd berhad sab de cv pjsc jsc pcl gmbh sarl srl "
    "adr ads depositary receipts receipt sponsored unsponsored common stock registered bearer ordinary shares "
    "share class nvdr reg ord sh shs".split()
)
_PAREN = re.compile(r"\([^)]*\)")


def _strip_tail(tokens: tuple[str, ...], words: frozenset) -> tuple[str, ...]:
    t = list(tokens)
    while t and t[0] == "the":
        t.pop(0)
    while len(t) > 1 and (t[-1] in words or (len(t[-1]) == 1 and t[-1] not in "0123456789" and len(t) > 2)):
        t.pop()
    while len(t) > 1 and t[-1] == "and":
        t.pop()
    return tuple(t)


def core_tokens(name: str) -> tuple[str, ...]:
    """Name without parentheticals and trailing legal/grouping words: 'Sony Group Corporation' → (sony,)."""
    return _strip_tail(norm_tokens(_PAREN.sub(" ", name)), LEGAL_WORDS)


# Trailing descriptors that writers drop: "Fuyao Glass Industry Group" is "Fuyao Glass" in text.
DESCRIPTOR_WORDS = frozenset(
    "industrial industries industry technology technologies tech manufacturing enterprises enterprise products "
    "systems solutions services development investment investments resources co ltd limited".split()
)


def short_tokens(name: str) -> tuple[str, ...]:
    """Core name without trailing descriptors, kept only while at least two words remain."""
    t = core_tokens(name)
    while len(t) > 2 and t[-1] in DESCRIPTOR_WORDS:
        t = _strip_tail(t[:-1], LEGAL_WORDS)
    return t


def legal_tokens(name: str) -> tuple[str, ...]:
    """Name without its legal form only: 'Alibaba Group Holding Limited' → (alibaba, group, holding)."""
    return _strip_tail(norm_tokens(_PAREN.sub(" ", name)), _PURE_LEGAL)


# ------------------------------------------------------------------------------ listing classification
SUFFIX_MARKET = {
    "": "United States", "TW": "Taiwan", "TWO": "Taiwan", "T": "Japan", "HK": "Hong Kong", "KS": "South Korea",
    "KQ": "South Korea", "SS": "China", "SZ": "China", "NS": "India", "BO": "India", "L": "United Kingdom",
    "IL": "United Kingdom", "DE": "Germany", "F": "Germany", "BE": "Germany", "MU": "Germany", "SG": "Germany",
    "DU": "Germany", "HM": "Germany", "HA": "Germany", "PA": "France", "AS": "Netherlands", "SW": "Switzerland",
    "VX": "Switzerland", "MI": "Italy", "MC": "Spain", "ST": "Sweden", "CO": "Denmark", "HE": "Finland",
    "OL": "Norway", "BR": "Belgium", "IR": "Ireland", "LS": "Portugal", "VI": "Austria", "AX": "Australia",
    "TO": "Canada", "V": "Canada", "CN": "Canada", "NE": "Canada", "SI": "Singapore", "SA": "Brazil",
    "SR": "Saudi Arabia", "MX": "Mexico", "BA": "Argentina", "JK": "Indonesia", "KL": "Malaysia",
    "BK": "Thailand", "NZ": "New Zealand", "TA": "Israel", "JO": "South Africa", "IS": "Turkey", "WA": "Poland",
    "PR": "Czech Republic", "BD": "Hungary", "AT": "Greece", "SN": "Chile", "ME": "Russia", "QA": "Qatar",
    "CA": "Egypt", "AQ": "United Kingdom", "NX": "France", "IC": "Iceland", "TL": "Estonia", "RG": "Latvia",
    "VS": "Lithuania", "CM": "Sri Lanka", "CR": "Venezuela", "TI": "Italy", "S": "Switzerland",
}
# Markets that count as "home" for a company's country, with a preference rank (lower is better).
HOME_RANK = {
    "China": {"SS": 0, "SZ": 0, "HK": 1},
    "Hong Kong": {"HK": 0},
    "India": {"NS": 0, "BO": 1},
    "Germany": {"DE": 0},
    "Taiwan": {"TW": 0, "TWO": 0},
    "South Korea": {"KS": 0, "KQ": 0},
    "Canada": {"TO": 0, "V": 1, "NE": 2, "CN": 2},
    "Switzerland": {"SW": 0, "VX": 0},
    "United Kingdom": {"L": 0, "AQ": 2},
}
_SYMBOL = re.compile(r"^(?P<base>[A-Z0-9&][A-Z0-9&\-]*?)(?:\.(?P<suf>[A-Z]{1,3}))?$")


def split_symbol(symbol: str) -> tuple[str, str]:
    """('2330', 'TW') for '2330.TW', ('BRK-B', '') for 'BRK-B'."""
    m = _SYMBOL.match(symbol.upper())
    if not m:
        return symbol.upper(), ""
    return m.group("base"), m.group("suf") or ""


def market_of(symbol: str) -> str | None:
    return SUFFIX_MARKET.get(split_symbol(symbol)[1])


def home_rank(symbol: str, country: str | None) -> int | None:
    """Rank of ``symbol`` as a home listing of a company from ``country`` (None: not a home-market line)."""
    base, suf = split_symbol(symbol)
    if not country:
        return None
    ranks = HOME_RANK.get(country)
    if ranks is not None:
        r = ranks.get(suf)
    else:
        r = 0 if SUFFIX_MARKET.get(suf) == country else None
    if r is not None and suf == "" and re.fullmatch(r"[A-Z]{4}[FY]", base):
        return None  # OTC foreign ordinary (…F) or unsponsored ADR (…Y)
    if r is not None and suf == "L" and base[:1].isdigit():
        return None  # LSE international order-book lines (0XXX.L)
    return r


def listing_kind(symbol: str, country: str | None, name: str = "") -> str:
    """primary | secondary | adr | otc, from the symbol's market and the company's country."""
    base, suf = split_symbol(symbol)
    if home_rank(symbol, country) is not None:
        return "primary"
    low = name.lower()
    if suf == "IL" or "depositary" in low or re.search(r"\bad[rs]\b", low):
        return "adr"
    if suf == "":
        if re.fullmatch(r"[A-Z]{4}[FY]", base):
            return "otc"
        return "adr" if country and country != "United States" else "otc"
    return "secondary"


# ------------------------------------------------------------------------------------- source rows
@dataclass
class Listing:
    symbol: str
    name: str
    company_key: str
    exchange: str | None = None
    country: str | None = None
    currency: str | None = None
    sector: str | None = None
    industry: str | None = None
    market_cap: str | None = None
    isin: str | None = None
    description: str | None = None
    source: str = "curated"
    is_primary: int = 0
    listing_kind: str = "primary"


@dataclass
class _Group:
    key: str
    canonical: str
    country: str | None
    source: str
    home: str | None = None  # curated home listing (authoritative)
    aliases: dict = field(default_factory=dict)  # alias text -> (kind, source)
    listings: list = field(default_factory=list)


def curated_path() -> Path:
    return models_dir() / "securities" / "curated.csv"


CURATED_COLUMNS = ("symbol", "name", "aliases", "country", "sector", "other_listings", "flags")


@functools.lru_cache(maxsize=4)
def _read_curated(path: str) -> tuple[dict, ...]:
    p = Path(path)
    try:
        with p.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise SecuritiesError(f"cannot read the curated securities list {p}: {e.strerror or e}; restore it from git") from None
    if not rows or tuple(rows[0].keys()) != CURATED_COLUMNS:
        raise SecuritiesError(f"{p} must have the columns {', '.join(CURATED_COLUMNS)}; restore it from git")
    return tuple(rows)


def curated_rows() -> tuple[dict, ...]:
    return _read_curated(str(curated_path()))


@functools.lru_cache(maxsize=4)
def _read_descriptions(path: str) -> dict[str, str]:
    p = Path(path)
    if not p.exists():
        return {}
    with p.open(encoding="utf-8", newline="") as f:
        return {r["symbol"]: (r["description"], r.get("other_sense") or "") for r in csv.DictReader(f)}


def curated_descriptions() -> dict[str, str]:
    """symbol -> business description, for curated companies whose name is a common word."""
    return {k: v[0] for k, v in _read_descriptions(str(models_dir() / "securities" / "descriptions.csv")).items()}


def curated_other_senses() -> dict[str, str]:
    """symbol -> the common-word meaning of the company's name ("a target: a goal, a price target ...")."""
    return {k: v[1] for k, v in _read_descriptions(str(models_dir() / "securities" / "descriptions.csv")).items()
            if v[1]}


@functools.lru_cache(maxsize=4)
def _read_private(path: str) -> tuple[dict, ...]:
    p = Path(path)
    if not p.exists():
        return ()
    with p.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def private_rows() -> tuple[dict, ...]:
    """Well-known unlisted companies (OpenAI, ByteDance...): linked with ticker None, never stored as securities."""
    return _read_private(str(models_dir() / "securities" / "private.csv"))


_LEGAL_SUFFIX_RE = re.compile(
    r"(?:[\s,]+(?:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Limited|plc|PLC|p\.l\.c|LLC|AG|SE|SA|S\.A|NV|N\.V"
    r"|SpA|S\.p\.A|AB|ASA|Oyj|A/S|KGaA|Abp|Kabushiki Kaisha|K\.K|Bhd|Tbk|Holdings?|Group)\.?)+\s*$")


def display_name(name: str) -> str:
    """A company's name without its legal form: 'Samsung Electronics Co. Ltd.' -> 'Samsung Electronics'."""
    out = _PAREN.sub("", name).strip()
    if out.lower().startswith("the "):
        out = out[4:]
    short = _LEGAL_SUFFIX_RE.sub("", out).strip(" ,&")
    return " ".join((short or out).split())


def curated_flags() -> dict[str, set[str]]:
    """company_key (= curated home symbol) -> flags such as {'word'} (name is a common English word)."""
    return {r["symbol"]: {f for f in r["flags"].split("|") if f} for r in curated_rows()}


class _Merger:
    """Groups listings from all sources into companies."""

    def __init__(self):
        self.groups: dict[str, _Group] = {}
        self.by_symbol: dict[str, str] = {}
        self.by_isin: dict[str, str] = {}
        self.by_name: dict[tuple, str] = {}  # (core tokens, country) -> key
        self.listings: dict[str, Listing] = {}

    def _find(self, symbols: Iterable[str], isins: Iterable[str], names: Iterable[str], country: str | None):
        for s in symbols:
            if s.upper() in self.by_symbol:
                return self.by_symbol[s.upper()]
        for i in isins:  # FinanceDatabase has a few wrong ISINs: only join within one country
            k = self.by_isin.get(i) if i else None
            if k and (country is None or self.groups[k].country in (None, country)):
                return k
        for n in names:
            k = self.by_name.get((core_tokens(n), country))
            if k:
                return k
        return None

    def _index_name(self, key: str, name: str, country: str | None):
        ct = core_tokens(name)
        if ct:
            self.by_name.setdefault((ct, country), key)

    def add_listing(self, key: str, lst: Listing):
        g = self.groups[key]
        sym = lst.symbol.upper()
        old = self.listings.get(sym)
        if old is not None:  # enrich, never overwrite a better source's facts
            for f in ("exchange", "currency", "sector", "industry", "market_cap", "isin", "description"):
                if not getattr(old, f) and getattr(lst, f):
                    setattr(old, f, getattr(lst, f))
            return
        lst.symbol = sym
        lst.company_key = key
        self.listings[sym] = lst
        g.listings.append(sym)
        self.by_symbol[sym] = key
        if lst.isin:
            self.by_isin.setdefault(lst.isin, key)

    def add_alias(self, key: str, alias: str, kind: str, source: str):
        alias = alias.strip()
        if alias and alias_norm(alias):
            self.groups[key].aliases.setdefault(alias, (kind, source))

    # -- sources
    def add_curated(self, rows: Iterable[dict]):
        for r in rows:
            key = r["symbol"].upper()
            country = r["country"] or None
            g = _Group(key=key, canonical=r["name"], country=country, source="curated", home=key)
            self.groups[key] = g
            self.add_listing(key, Listing(symbol=key, name=r["name"], company_key=key, country=country,
                                          sector=r["sector"] or None, source="curated"))
            for other in filter(None, r["other_listings"].split("|")):
                self.add_listing(key, Listing(symbol=other, name=r["name"], company_key=key, country=country,
                                              sector=r["sector"] or None, source="curated"))
            self.add_alias(key, r["name"], "name", "curated")
            for a in filter(None, r["aliases"].split("|")):
                self.add_alias(key, a, "short", "curated")
            for n in [r["name"], *filter(None, r["aliases"].split("|"))]:
                self._index_name(key, n, country)

    def add_external(self, rows: Iterable[dict], source: str):
        """rows: dicts with symbol, name, country, exchange, currency, sector, industry, market_cap, isin,
        description; optionally 'symbols' (other lines of the same company)."""
        for r in rows:
            sym = r["symbol"].upper()
            country = r.get("country") or None
            symbols = [sym, *r.get("symbols", ())]
            isins = [r.get("isin")] + list(r.get("isins", ()))
            key = self._find(symbols, isins, [r["name"]], country)
            if key is None:
                key = f"{source[:2]}:{sym}"
                self.groups[key] = _Group(key=key, canonical=r["name"], country=country, source=source)
                self._index_name(key, r["name"], country)
            for s in symbols:
                self.add_listing(key, Listing(
                    symbol=s, name=r["name"], company_key=key, exchange=r.get("exchange") if s.upper() == sym else None,
                    country=country, currency=r.get("currency") if s.upper() == sym else None,
                    sector=r.get("sector"), industry=r.get("industry"), market_cap=r.get("market_cap"),
                    isin=r.get("isin") if s.upper() == sym else None,
                    description=r.get("description") if s.upper() == sym else None, source=source))
            for i in isins:
                if i:
                    self.by_isin.setdefault(i, key)
            g = self.groups[key]
            if g.source != "curated":
                name = _PAREN.sub(" ", r["name"]).strip()
                self.add_alias(key, name, "name", source)

    # -- result
    def finish(self) -> tuple[list[dict], list[dict]]:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        securities, aliases = [], []
        for g in self.groups.values():
            ls = [self.listings[s] for s in g.listings]
            country = g.country or next((x.country for x in ls if x.country), None)
            if country is None:
                country = next((market_of(x.symbol) for x in ls if market_of(x.symbol)), None)
            home = g.home
            if home is None:
                ranked = [(home_rank(x.symbol, country), SOURCE_RANK.get(x.source, 9), i, x.symbol)
                          for i, x in enumerate(ls) if home_rank(x.symbol, country) is not None]
                home = min(ranked)[3] if ranked else None
            key = g.key if g.source == "curated" else (home or g.key)
            for x in ls:
                x.company_key = key
                x.country = x.country or country
                x.listing_kind = "primary" if x.symbol == home else listing_kind(x.symbol, country, x.name)
                if x.symbol != home and x.listing_kind == "primary":
                    x.listing_kind = "secondary" if g.home else "primary"
                x.is_primary = int(x.symbol == home)
                if g.source == "curated" and x.symbol != home:
                    x.name = x.name  # keep the curated name on every line
                securities.append({
                    "symbol": x.symbol, "name": g.canonical if g.source == "curated" else x.name,
                    "company_key": key, "exchange": x.exchange, "country": x.country, "currency": x.currency,
                    "sector": x.sector, "industry": x.industry, "market_cap": x.market_cap, "isin": x.isin,
                    "description": x.description, "is_primary": x.is_primary, "listing_kind": x.listing_kind,
                    "source": x.source, "updated_at": now,
                })
            anchor = home or ls[0].symbol
            seen = set()
            for alias, (kind, source) in g.aliases.items():
                n = alias_norm(alias)
                if n in seen:
                    continue
                seen.add(n)
                aliases.append({"symbol": anchor, "alias": alias, "alias_norm": n, "kind": kind, "source": source})
                if source != "curated":
                    for variant in (" ".join(legal_tokens(alias)), " ".join(core_tokens(alias)),
                                    " ".join(short_tokens(alias))):
                        if variant and variant not in seen:
                            seen.add(variant)
                            aliases.append({"symbol": anchor, "alias": alias, "alias_norm": variant,
                                            "kind": "short", "source": source})
        return securities, aliases


def pytickersymbols_rows() -> list[dict]:
    """Index constituents shipped with pytickersymbols (offline)."""
    from pytickersymbols import PyTickerSymbols

    out = []
    known = set(SUFFIX_MARKET.values())
    for s in PyTickerSymbols().get_all_stocks():
        country = s.get("country")
        yahoo = [x["yahoo"].upper() for x in s.get("symbols", []) if x.get("yahoo")]
        if not yahoo:
            continue
        if country not in known:  # a few rows give a city ("Miami, Florida"): US index members are American
            country = "United States" if (s.get("symbol") or "").upper() in yahoo and "." not in s["symbol"] else None
        # The home line: a yahoo symbol on a home market, else the listed code with the home suffix.
        home = next((y for y in yahoo if home_rank(y, country) is not None), None)
        listed = (s.get("symbol") or "").upper()
        if home is None and "." in listed and home_rank(listed, country) is not None:
            home = listed
        if home is None and country == "Germany":  # Frankfurt and XETRA share the code
            home = next((split_symbol(y)[0] + ".DE" for y in yahoo if split_symbol(y)[1] == "F"), None)
        first = home or yahoo[0]
        out.append({"symbol": first, "name": s["name"], "country": country,
                    "industry": "; ".join(s.get("industries") or []) or None,
                    "isins": [i for i in (s.get("isins") or []) if i], "isin": (s.get("isins") or [None])[0],
                    "symbols": [y for y in yahoo if y != first]})
    return out


FD_REQUIRED = ("symbol", "name", "country", "exchange")
_FD_JUNK = re.compile(r"%|\bwarrants?\b|\brights?\b|\bunits?\b|\bnotes? due\b|\bbonds?\b", re.I)


def _clean(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        return None if v != v else str(v)
    v = str(v).strip()
    return v or None


def _fd_row(r: dict) -> dict | None:
    sym = _clean(r.get("symbol"))
    name = _clean(r.get("name"))
    if not sym or not name or "^" in sym or " " in sym:
        return None
    if str(r.get("delisted", "")).strip().lower() in ("true", "1"):
        return None
    if _FD_JUNK.search(name):
        return None
    country = _clean(r.get("country"))
    if country is None:
        country = market_of(sym)
    return {"symbol": sym.upper(), "name": name, "country": country, "exchange": _clean(r.get("exchange")),
            "currency": _clean(r.get("currency")), "sector": _clean(r.get("sector")),
            "industry": _clean(r.get("industry")), "market_cap": _clean(r.get("market_cap")),
            "isin": _clean(r.get("isin")), "description": _clean(r.get("summary"))}


def read_financedatabase_file(path: str | Path, progress: bool = False) -> list[dict]:
    """Rows of a local FinanceDatabase equities file (.csv, .csv.bz2/.bz2, .gz). Raises SecuritiesError."""
    p = Path(path)
    if not p.exists():
        raise SecuritiesError(f"{p} does not exist: give the path of a FinanceDatabase equities file (.csv or .bz2)")
    if not p.is_file():
        raise SecuritiesError(f"{p} is not a file: give the path of a FinanceDatabase equities file (.csv or .bz2)")
    opener = bz2.open if p.suffix == ".bz2" else gzip.open if p.suffix == ".gz" else open
    rows = []
    try:
        with opener(p, "rt", encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            cols = reader.fieldnames or []
            missing = [c for c in FD_REQUIRED if c not in cols]
            if missing:
                raise SecuritiesError(
                    f"{p} is not a FinanceDatabase equities file: missing column(s) {', '.join(missing)} "
                    f"(found {', '.join(cols[:8]) or 'none'}); download equities.csv from FinanceDatabase")
            from tqdm import tqdm

            for r in tqdm(reader, desc="financedatabase", unit=" rows", disable=not progress, file=sys.stderr,
                          mininterval=0.5):
                if None in r:  # more fields than the header: a broken line
                    raise SecuritiesError(f"{p} line {reader.line_num}: more fields than the header; the file is corrupt")
                row = _fd_row(r)
                if row:
                    rows.append(row)
    except SecuritiesError:
        raise
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, ValueError) as e:
        raise SecuritiesError(
            f"cannot read {p} ({type(e).__name__}: {e}): the file is truncated or corrupt; download it again") from None
    if not rows:
        raise SecuritiesError(f"{p} has no usable equity rows; download a complete FinanceDatabase equities file")
    return rows


def fetch_financedatabase() -> list[dict]:
    """Equities from the ``financedatabase`` package (downloads its data; needs the network)."""
    import financedatabase as fd

    df = fd.Equities().select()
    df = df.reset_index()
    return [r for r in (_fd_row(x) for x in df.to_dict("records")) if r]


@dataclass
class UpdateReport:
    securities: int = 0
    companies: int = 0
    aliases: int = 0
    primary: int = 0
    sources: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        src = ", ".join(f"{k} {v}" for k, v in self.sources.items())
        s = (f"securities master: {self.securities} listings of {self.companies} companies "
             f"({self.primary} with a home listing), {self.aliases} aliases [{src}] in {self.seconds:.1f}s")
        for w in self.warnings:
            s += f"\nwarning: {w}"
        return s


def build_rows(fd_rows: list[dict] | None = None, pts_rows: list[dict] | None = None):
    """(securities, aliases) rows merged from the curated list, pytickersymbols and FinanceDatabase rows."""
    m = _Merger()
    m.add_curated(curated_rows())
    m.add_external(pytickersymbols_rows() if pts_rows is None else pts_rows, "pytickersymbols")
    m.add_external(fd_rows or [], "financedatabase")
    return m.finish()


def update(store, from_file=None, progress: bool = True) -> UpdateReport:
    """Rebuild the master in the store. A bad file raises SecuritiesError and leaves the old master intact."""
    from tracker.store import securities as sq

    t0 = time.perf_counter()
    rep = UpdateReport()
    fd_rows: list[dict] = []
    if from_file is not None:
        fd_rows = read_financedatabase_file(from_file, progress=progress)
    else:
        try:
            fd_rows = fetch_financedatabase()
        except Exception as e:  # noqa: BLE001 - network or package trouble: keep going with the others
            rep.warnings.append(
                f"FinanceDatabase could not be downloaded ({type(e).__name__}: {str(e)[:120]}); built from the "
                "curated list and pytickersymbols only. Offline? Use 'tracker securities update --from equities.bz2'")
    try:
        pts = pytickersymbols_rows()
    except Exception as e:  # noqa: BLE001
        pts = []
        rep.warnings.append(f"pytickersymbols unavailable ({type(e).__name__}: {e}); reinstall it")
    securities, aliases = build_rows(fd_rows, pts)
    sq.replace_master(store, securities, aliases, progress=progress)
    rep.securities = len(securities)
    rep.companies = len({s["company_key"] for s in securities})
    rep.primary = sum(s["is_primary"] for s in securities)
    rep.aliases = len(aliases)
    rep.sources = {"curated": len(curated_rows()), "pytickersymbols": len(pts), "financedatabase": len(fd_rows)}
    rep.seconds = time.perf_counter() - t0
    _MASTER_CACHE.clear()
    return rep


def lookup(store, name: str) -> list[dict]:
    """Every listing of the companies that ``name`` (alias, name or ticker) resolves to, home listing first."""
    from tracker.store import securities as sq

    stored = sq.count(store) > 0
    norm = alias_norm(name)
    rows = sq.lookup(store, name.strip().upper(), norm) if stored else []
    if rows or not norm:
        return rows
    # the in-memory master: curated entries added since the last update, private companies, no store yet
    master = load_master(store)
    out = []
    for k in master.resolve_text(name):
        c = master.companies[k]
        out += [master.listing_dict(s) for s in sorted(c.listings, key=lambda s: s != c.home)] or [
            {"symbol": None, "name": c.canonical, "company_key": k, "country": c.country, "is_primary": 0,
             "listing_kind": "private"}]
    if out or not stored:
        return out
    # not an exact alias: names that start with it, else the closest spelling (rapidfuzz)
    cands = sq.alias_norms(store, prefix=norm + " ")
    if not cands:
        from rapidfuzz import fuzz, process

        best = process.extractOne(norm, sq.alias_norms(store), scorer=fuzz.ratio, score_cutoff=D.LOOKUP_FUZZY_MIN)
        cands = [best[0]] if best else []
    out, seen = [], set()
    for c in sorted(cands, key=len)[:5]:
        for r in sq.lookup(store, "", c):
            if r["symbol"] not in seen:
                seen.add(r["symbol"])
                out.append(r)
    return out


# ------------------------------------------------------------------------------------ the master
@dataclass
class Company:
    key: str
    canonical: str
    home: str | None
    country: str | None
    sector: str | None
    industry: str | None
    market_cap: str | None
    source: str
    flags: frozenset = frozenset()
    listings: list = field(default_factory=list)
    description: str | None = None


CAP_RANK = {"Mega Cap": 0, "Large Cap": 1, "Mid Cap": 2, "Small Cap": 3, "Micro Cap": 4, "Nano Cap": 5}


class Master:
    """In-memory securities master for linking: alias index, symbol index, company facts."""

    def __init__(self):
        self.companies: dict[str, Company] = {}
        self.symbols: dict[str, str] = {}  # SYMBOL -> company_key
        self.kinds: dict[str, str] = {}  # SYMBOL -> listing_kind
        self.aliases: dict[tuple, list[tuple[str, str, str]]] = {}  # tokens -> [(company_key, kind, source)]
        self.max_len: dict[str, int] = {}
        self.db_path: str | None = None
        self.stamp: str = ""
        self._desc_vectors: dict[str, object] = {}

    # -- building
    @classmethod
    def from_rows(cls, securities: Iterable[dict], aliases: Iterable[dict], db_path: str | None = None) -> "Master":
        m = cls()
        m.db_path = db_path
        flags = curated_flags()
        descs = curated_descriptions()
        sym_key = {}
        for s in securities:
            sym, key = s["symbol"], s["company_key"]
            sym_key[sym] = key
            m.symbols[sym] = key
            m.kinds[sym] = s["listing_kind"]
            c = m.companies.get(key)
            if c is None:
                c = m.companies[key] = Company(key=key, canonical=s["name"], home=None, country=s.get("country"),
                                               sector=s.get("sector"), industry=s.get("industry"),
                                               market_cap=s.get("market_cap"), source=s["source"],
                                               flags=frozenset(flags.get(key, ())))
            c.listings.append(sym)
            if s["is_primary"]:
                c.home = sym
                c.canonical = s["name"] if c.source != "curated" else c.canonical
            for f in ("sector", "industry", "market_cap", "country"):
                if not getattr(c, f) and s.get(f):
                    setattr(c, f, s[f])
            if s.get("description") and not c.description:
                c.description = s["description"]
        for a in aliases:
            key = sym_key.get(a["symbol"])
            if key is not None:
                m._add_alias(tuple(a["alias_norm"].split()), key, a["kind"], a["source"])
        m.overlay_curated(curated_rows())
        m.add_private(private_rows())
        for key, d in descs.items():
            if key in m.companies:
                m.companies[key].description = d
        return m

    def add_private(self, rows: Iterable[dict]) -> None:
        """Unlisted companies: known by name, no listing (ticker None)."""
        for r in rows:
            key = "private:" + "-".join(norm_tokens(r["name"]))
            if key in self.companies:
                continue
            self.companies[key] = Company(key=key, canonical=r["name"], home=None, country=r.get("country") or None,
                                          sector=r.get("sector") or None, industry=None, market_cap=None,
                                          source="private")
            for a in filter(None, r.get("aliases", "").split("|")):  # the aliases only: "Vanguard Group"
                self._add_alias(norm_tokens(a), key, "name", "curated")

    def _add_alias(self, toks: tuple, key: str, kind: str, source: str) -> None:
        if not toks:
            return
        lst = self.aliases.setdefault(toks, [])
        if not any(k == key for k, _, _ in lst):
            lst.append((key, kind, source))
        self.max_len[toks[0]] = max(self.max_len.get(toks[0], 0), len(toks))

    def overlay_curated(self, rows: Iterable[dict]) -> None:
        """The repository's curated list wins over an older copy in the store: names, aliases and flags
        take effect without a `securities update`."""
        for r in rows:
            sym = r["symbol"].upper()
            key = self.symbols.get(sym)
            if key is None:
                key = sym
                self.companies[key] = Company(key=key, canonical=r["name"], home=sym, country=r["country"] or None,
                                              sector=r["sector"] or None, industry=None, market_cap=None,
                                              source="curated")
                self.symbols[sym] = key
                self.kinds[sym] = "primary"
                self.companies[key].listings.append(sym)
            c = self.companies[key]
            c.canonical, c.source = r["name"], "curated"
            c.flags = frozenset(f for f in r["flags"].split("|") if f)
            for a in [r["name"], *filter(None, r["aliases"].split("|"))]:
                self._add_alias(norm_tokens(a), key, "short", "curated")

    # -- queries
    def company_of_symbol(self, symbol: str) -> Company | None:
        k = self.symbols.get(symbol.upper())
        return self.companies.get(k) if k else None

    def resolve_text(self, text: str) -> list[str]:
        sym = text.strip().upper()
        if sym in self.symbols:
            return [self.symbols[sym]]
        return [k for k, _, _ in self.aliases.get(norm_tokens(text), [])]

    def listing_dict(self, symbol: str) -> dict:
        c = self.company_of_symbol(symbol)
        return {"symbol": symbol, "name": c.canonical, "company_key": c.key, "country": c.country,
                "is_primary": int(c.home == symbol), "listing_kind": self.kinds.get(symbol)}

    def description(self, key: str) -> str:
        """Business description for embeddings: curated/FinanceDatabase text, else one built from the facts."""
        c = self.companies[key]
        if c.description is None and self.db_path:
            c.description = _db_description(self.db_path, c.listings) or ""
        d = c.description or ""
        if not d:
            d = f"{c.canonical} is a listed {c.industry or c.sector or ''} company from {c.country or 'abroad'}."
        # commentary talks about a company's shares and results: say so, so context about them matches
        return d[: D.COMPANY_DESCRIPTION_CHARS] + " Its shares, earnings, revenue and outlook."

    def __len__(self) -> int:
        return len(self.companies)


def _db_description(db_path: str, symbols: list[str]) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            q = f"SELECT description FROM securities WHERE symbol IN ({','.join('?' * len(symbols))}) " \
                "AND description IS NOT NULL ORDER BY is_primary DESC LIMIT 1"
            row = conn.execute(q, symbols).fetchone()
        finally:
            conn.close()
        return row[0] if row else None
    except sqlite3.Error:
        return None


_MASTER_CACHE: dict[str, Master] = {}


def builtin_master() -> Master:
    """Curated list + pytickersymbols, built in memory (no store needed)."""
    key = f"builtin:{curated_path()}"
    if key not in _MASTER_CACHE:
        securities, aliases = build_rows(None)
        _MASTER_CACHE[key] = Master.from_rows(securities, aliases)
    return _MASTER_CACHE[key]


def load_master(store=None) -> Master:
    """The master the company linker uses: the store's when it has one, else the built-in one. Cached."""
    from tracker.store import securities as sq

    if store is None or sq.count(store) == 0:
        return builtin_master()
    stamp = sq.stamp(store)
    key = f"{store.path}:{stamp}"
    if key not in _MASTER_CACHE:
        securities, aliases = sq.master_rows(store)
        m = Master.from_rows(securities, aliases, db_path=str(store.path) if store.path else None)
        m.stamp = stamp
        _MASTER_CACHE[key] = m
    return _MASTER_CACHE[key]
