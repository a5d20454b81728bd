"""``tracker securities lookup``: every listing of the companies a name, alias or ticker resolves to."""

from __future__ import annotations

from tracker import defaults as D
from tracker.names import alias_norm
from tracker.securities.master import load_master


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

