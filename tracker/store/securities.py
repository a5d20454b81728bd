"""Queries on the securities master (tables securities, security_aliases)."""

from __future__ import annotations

import sys

from tracker.store import Store

_COLUMNS = ("symbol", "name", "company_key", "exchange", "country", "currency", "sector", "industry",
            "market_cap", "isin", "description", "is_primary", "listing_kind", "source")
_BATCH = 5000


def count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM securities").fetchone()[0]


def stamp(store: Store) -> str:
    """Changes whenever the master changes (cache key for the in-memory master)."""
    n, latest = store.conn.execute("SELECT count(*), max(updated_at) FROM securities").fetchone()
    na = store.conn.execute("SELECT count(*) FROM security_aliases").fetchone()[0]
    return f"{n}:{na}:{latest}"


def replace_master(store: Store, securities: list[dict], aliases: list[dict], progress: bool = False) -> None:
    """Replace the whole master in one transaction (a failure leaves the previous one intact).

    Rows whose content did not change keep their ``updated_at``, so a re-run stores the same rows.
    """
    from tqdm import tqdm

    old = {r[0]: (r[1:-1], r[-1]) for r in store.conn.execute(
        f"SELECT {', '.join(_COLUMNS)}, updated_at FROM securities")}
    for s in securities:
        prev = old.get(s["symbol"])
        if prev is not None and prev[0] == tuple(s[c] for c in _COLUMNS[1:]):
            s["updated_at"] = prev[1]
    with store.transaction() as db:
        db.execute("DELETE FROM security_aliases")
        db.execute("DELETE FROM securities")
        bar = tqdm(total=len(securities) + len(aliases), desc="securities", unit=" rows", disable=not progress,
                   file=sys.stderr, mininterval=0.5)
        for i in range(0, len(securities), _BATCH):
            chunk = securities[i : i + _BATCH]
            db["securities"].insert_all(chunk, batch_size=_BATCH)
            bar.update(len(chunk))
        for i in range(0, len(aliases), _BATCH):
            chunk = aliases[i : i + _BATCH]
            db["security_aliases"].insert_all(chunk, batch_size=_BATCH, ignore=True)
            bar.update(len(chunk))
        bar.close()


def master_rows(store: Store) -> tuple[list[dict], list[dict]]:
    """Securities (without descriptions: loaded lazily) and aliases for building the in-memory master."""
    conn = store.conn
    cols = [c for c in _COLUMNS if c != "description"]
    sec = [dict(zip(cols, r)) for r in conn.execute(
        f"SELECT {', '.join(cols)} FROM securities ORDER BY is_primary DESC, symbol")]
    ali = [{"symbol": r[0], "alias_norm": r[1], "kind": r[2], "source": r[3]}
           for r in conn.execute("SELECT symbol, alias_norm, kind, source FROM security_aliases")]
    return sec, ali


def lookup(store: Store, symbol: str, norm: str) -> list[dict]:
    """Every listing of the companies whose symbol is ``symbol`` or that have the alias ``norm``."""
    conn = store.conn
    keys = [r[0] for r in conn.execute(
        "SELECT company_key FROM securities WHERE symbol = ? UNION "
        "SELECT s.company_key FROM security_aliases a JOIN securities s ON s.symbol = a.symbol WHERE a.alias_norm = ?",
        [symbol, norm])]
    if not keys:
        return []
    q = (f"SELECT symbol, name, company_key, exchange, country, currency, sector, industry, market_cap, isin, "
         f"is_primary, listing_kind, source FROM securities WHERE company_key IN ({','.join('?' * len(keys))}) "
         "ORDER BY company_key, is_primary DESC, listing_kind = 'primary' DESC, symbol")
    cur = conn.execute(q, keys)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur]


def alias_norms(store: Store, prefix: str | None = None) -> list[str]:
    """Distinct normalised aliases (those starting with ``prefix`` when given)."""
    if prefix:
        q = "SELECT DISTINCT alias_norm FROM security_aliases WHERE alias_norm >= ? AND alias_norm < ?"
        return [r[0] for r in store.conn.execute(q, [prefix, prefix + "\uffff"])]
    return [r[0] for r in store.conn.execute("SELECT DISTINCT alias_norm FROM security_aliases")]


def record_build(store: Store, *, started_at: str, source: str, outcome: str, financedatabase_rows: int = 0,
                 listings: int = 0, error: str | None = None, finished_at: str | None = None) -> None:
    """One attempt at building the master (see ``tracker.securities.ensure``)."""
    from tracker.timeutil import iso

    with store.transaction() as db:
        db["securities_builds"].insert({
            "started_at": started_at, "finished_at": finished_at or iso(), "source": source, "outcome": outcome,
            "financedatabase_rows": financedatabase_rows, "listings": listings, "error": error})


def last_build(store: Store, *, with_financedatabase: bool = False) -> dict | None:
    """The latest build attempt; with ``with_financedatabase``, the latest successful one that had FinanceDatabase
    rows (downloaded or from a file)."""
    q = "SELECT * FROM securities_builds"
    if with_financedatabase:
        q += " WHERE outcome = 'ok' AND financedatabase_rows > 0"
    rows = list(store.db.query(q + " ORDER BY started_at DESC, id DESC LIMIT 1"))
    return rows[0] if rows else None
