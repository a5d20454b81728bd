"""The in-memory master the company linker matches against: an alias index over normalised name
tokens, a symbol index, and per-company facts.

``load_master(store)`` builds it from the store's securities (cached per store and master stamp);
without a store, or with an empty one, ``builtin_master()`` builds it from the curated list and
pytickersymbols alone. The repository's curated list and private companies are laid over either.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from tracker import defaults as D
from tracker.names import norm_tokens
from tracker.securities.naming import without_legal_form
from tracker.securities.sources import (curated_descriptions, curated_flags, curated_path, curated_rows, name_rows,
                                        private_rows)


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
        # name without legal form -> {company_key: (valid_from, valid_to)}: names that belong to a company only
        # for a period (models/securities/names.csv); a document's date decides between their holders
        self.validity: dict[tuple, dict[str, tuple[date | None, date | None]]] = {}
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
        m.add_names(name_rows())
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
                                          source="private",
                                          flags=frozenset(f for f in (r.get("flags") or "").split("|") if f))
            for a in filter(None, r.get("aliases", "").split("|")):  # the aliases only: "Vanguard Group"
                self._add_alias(norm_tokens(a), key, "name", "curated")

    def add_names(self, rows: Iterable[dict]) -> None:
        """Former and later names with their validity (companies this master does not know are skipped)."""
        for r in rows:
            key = self.symbols.get(r["symbol"])
            if key is None:
                continue
            toks = norm_tokens(r["name"])
            self._add_alias(toks, key, "former", "curated")
            self.validity.setdefault(without_legal_form(toks), {})[key] = (r["valid_from"], r["valid_to"])

    def entries_on(self, toks: tuple, on: date | None) -> list[tuple[str, str, str]]:
        """The alias index's entries for ``toks`` as of ``on``: a name held by different companies over time
        ("GMO Internet") gives the company that held it that day; a former name no one holds any more
        gives its last holder; with ``on`` None, every entry."""
        entries = self.aliases.get(toks, [])
        dated = self.validity.get(without_legal_form(toks)) if on is not None else None
        if not dated:
            return entries
        cands = [e for e in entries if e[0] not in dated]
        cands += [next((e for e in entries if e[0] == k), (k, "former", "curated")) for k in dated]

        def days_off(e) -> int:
            if e[0] not in dated:
                return 0  # an undated alias holds at every date
            start, end = dated[e[0]]
            if start and on < start:  # a name not yet adopted: only when no one held it before either
                return 1_000_000 + (start - on).days
            if end and on > end:
                return (on - end).days
            return 0

        best = min(days_off(e) for e in cands)
        return [e for e in cands if days_off(e) == best]

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

    def resolve_text(self, text: str, on: date | None = None) -> list[str]:
        """Companies a ticker, name or alias names (as of ``on`` when the name changed hands)."""
        sym = text.strip().upper()
        if sym in self.symbols:
            return [self.symbols[sym]]
        return [k for k, _, _ in self.entries_on(norm_tokens(text), on)]

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
            listed = "listed" if c.home else "privately held"
            d = f"{c.canonical} is a {listed} {c.industry or c.sector or ''} company from {c.country or 'abroad'}."
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


def clear_cache() -> None:
    """Forget the masters built so far (after an update, or in tests that time a cold load)."""
    _MASTER_CACHE.clear()


def builtin_master() -> Master:
    """Curated list + pytickersymbols, built in memory (no store needed)."""
    key = f"builtin:{curated_path()}"
    if key not in _MASTER_CACHE:
        from tracker.securities.build import build_rows

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
