"""Building the master: the sources merged into companies, and the store's copy replaced.

``update(store, from_file)`` merges the curated list, pytickersymbols and FinanceDatabase into
listings grouped by company (``company_key``), classifies each listing (primary / secondary / adr /
otc) from its suffix and the company's country, picks one home listing per company (``is_primary``)
and replaces the store's securities and aliases in one transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable

from tracker.names import alias_norm
from tracker.securities.listings import Listing, home_rank, listing_kind, market_of
from tracker.securities.master import clear_cache
from tracker.securities.naming import PAREN, core_tokens, legal_tokens, short_tokens
from tracker.securities.sources import (curated_rows, fetch_financedatabase, name_rows, pytickersymbols_rows,
                                        read_financedatabase_file)

SOURCE_RANK = {"curated": 0, "pytickersymbols": 1, "financedatabase": 2}


@dataclass
class _Group:
    key: str
    canonical: str
    country: str | None
    source: str
    home: str | None = None  # curated home listing (authoritative)
    aliases: dict = field(default_factory=dict)  # alias text -> (kind, source)
    listings: list = field(default_factory=list)


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

    def add_names(self, rows: Iterable[dict]):
        """Former and later names of curated companies (their dates live in the repository's names.csv and are
        applied when the master is loaded); indexed so that stale names in the other sources join the company."""
        for r in rows:
            g = self.groups.get(r["symbol"])
            if g is not None and g.source == "curated":
                self.add_alias(g.key, r["name"], "former", "curated")
                self._index_name(g.key, r["name"], g.country)

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
                name = PAREN.sub(" ", r["name"]).strip()
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
    m.add_names(name_rows())
    m.add_external(pytickersymbols_rows() if pts_rows is None else pts_rows, "pytickersymbols")
    m.add_external(fd_rows or [], "financedatabase")
    return m.finish()


def update(store, from_file=None, progress: bool = True, *, fd_rows: list[dict] | None = None,
           base_url: str | None = None) -> UpdateReport:
    """Rebuild the master in the store from the curated list, pytickersymbols and FinanceDatabase: rows already
    fetched (``fd_rows``), else a local file (``from_file``), else a download (from ``base_url``, default the
    package's address; a failed download builds without it, with a warning). A bad file raises SecuritiesError
    and leaves the old master intact. Every build is recorded (``securities_builds``)."""
    from tracker.store import securities as sq
    from tracker.timeutil import iso

    t0, started = time.perf_counter(), iso()
    rep = UpdateReport()
    source = "file" if from_file is not None else "financedatabase"
    if fd_rows is not None:
        pass
    elif from_file is not None:
        fd_rows = read_financedatabase_file(from_file, progress=progress)
    else:
        fd_rows = []
        try:
            fd_rows = fetch_financedatabase(base_url)
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
    sq.record_build(store, started_at=started, source=source if fd_rows else "curated", outcome="ok",
                    financedatabase_rows=len(fd_rows), listings=len(securities))
    clear_cache()
    return rep

