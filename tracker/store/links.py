"""Queries on claim links: which claims need (re)linking, saving auto links, users' overrides."""

from __future__ import annotations

from tracker.store import Store
from tracker.timeutil import iso

_LINK_COLUMNS = ("recipe", "symbols", "benchmark", "series", "params", "baseline_date", "explanation", "proxy",
                 "proxy_label", "unlinked_reason")


def claims_to_link(store: Store, *, relink: bool = False, claim_ids=None) -> list[dict]:
    """Active claims with no link, or an automatic link older than the claim (or every automatic one with
    ``relink``), with the dates their baseline comes from. Users' links are never returned."""
    sql = """SELECT c.*, a.published_at AS article_published_at, a.fetched_at AS article_fetched_at,
                    (SELECT m.symbol FROM mentions m WHERE m.article_id = c.article_id AND m.symbol IS NOT NULL
                     GROUP BY m.symbol ORDER BY count(*) DESC, min(m.start) LIMIT 1) AS article_main_ticker,
                    (SELECT count(DISTINCT coalesce(m.company_key, m.symbol, m.canonical)) FROM mentions m
                     WHERE m.article_id = c.article_id) AS article_companies
             FROM claims c LEFT JOIN articles a ON a.id = c.article_id
             LEFT JOIN claim_links l ON l.claim_id = c.id
             WHERE c.retracted_at IS NULL AND (l.claim_id IS NULL OR (l.source = 'auto' AND
                   (? OR l.linked_at < coalesce(c.updated_at, c.created_at, ''))))"""
    params: list = [int(relink)]
    if claim_ids is not None:
        ids = list(claim_ids)
        sql += f" AND c.id IN ({','.join('?' * len(ids))})"
        params += ids
    return [dict(r) for r in store.db.query(sql + " ORDER BY c.id", params)]


def save(store: Store, links: list[tuple[int, dict]], source: str = "auto") -> None:
    """Upsert (claim_id, link row) pairs in one transaction."""
    now = iso()
    cols = ("claim_id",) + _LINK_COLUMNS + ("source", "linked_at")
    sql = (f"INSERT INTO claim_links ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
           f"ON CONFLICT (claim_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in cols[1:]))
    with store.transaction():
        store.conn.executemany(sql, [(cid, *(row.get(c) for c in _LINK_COLUMNS), source, now) for cid, row in links])


def get(conn, claim_id: int) -> dict | None:
    cur = conn.execute("SELECT * FROM claim_links WHERE claim_id = ?", [claim_id])
    row = cur.fetchone()
    return dict(zip([c[0] for c in cur.description], row)) if row else None


def reset_user_link(store: Store, claim_id: int) -> bool:
    """Give a claim back to automatic linking. Returns whether a user link was removed."""
    with store.transaction():
        return store.conn.execute("DELETE FROM claim_links WHERE claim_id = ? AND source = 'user'",
                                  [claim_id]).rowcount > 0
