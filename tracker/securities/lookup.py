"""``tracker securities lookup``: every listing of the companies a name, alias or ticker resolves to."""

from __future__ import annotations

from datetime import date

from tracker import defaults as D
from tracker.names import alias_norm, norm_tokens
from tracker.securities.master import Master, load_master
from tracker.securities.naming import without_legal_form


def lookup(store, name: str, on: date | None = None) -> list[dict]:
    """Every listing of the companies that ``name`` (alias, name or ticker) resolves to, home listing first.

    A name that changed hands ("GMO Internet") lists the company that held it ``on`` that date (default today)
    first, then its other holders."""
    from tracker.store import securities as sq

    stored = sq.count(store) > 0
    norm = alias_norm(name)
    master = load_master(store)
    if without_legal_form(norm_tokens(name)) in master.validity and name.strip().upper() not in master.symbols:
        keys = master.resolve_text(name, on or date.today())
        keys += [k for k in master.resolve_text(name) if k not in keys]
        return [r for k in keys for r in _company_rows(store, master, k, stored)]
    rows = sq.lookup(store, name.strip().upper(), norm) if stored else []
    if rows or not norm:
        return rows
    # the in-memory master: curated entries added since the last update, private companies, no store yet
    out = [r for k in master.resolve_text(name) for r in _company_rows(store, master, k, False)]
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


def _company_rows(store, master: Master, key: str, stored: bool) -> list[dict]:
    """One company's listings, home first: from the store when it has them, else from the in-memory master
    (a private company is one row with no symbol)."""
    from tracker.store import securities as sq

    c = master.companies[key]
    if stored and c.listings:
        rows = sq.lookup(store, c.home or c.listings[0], "")
        if rows:
            return rows
    return [master.listing_dict(s) for s in sorted(c.listings, key=lambda s: s != c.home)] or [
        {"symbol": None, "name": c.canonical, "company_key": key, "country": c.country, "is_primary": 0,
         "listing_kind": "private"}]
