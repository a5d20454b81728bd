"""Queries on extraction results: mentions, sectors, claims. One article's results are saved atomically."""

from __future__ import annotations

import json
from datetime import date

from tracker.store import Store
from tracker.store.claims import upsert_article_claims
from tracker.timeutil import iso


def pending_articles(store: Store, *, reprocess: bool = False, limit: int | None = None) -> list[dict]:
    """Canonical (non-duplicate) articles not yet extracted or whose text changed since their extraction
    (their content hash differs from the one extracted), or all of them with ``reprocess``."""
    rows = _pending(store, "a.id, a.title, a.summary, a.text, a.content_hash, a.published_at, a.fetched_at", reprocess)
    return rows[:limit] if limit else rows


def _pending(store: Store, columns: str, reprocess: bool) -> list[dict]:
    sql = f"SELECT {columns} FROM articles a"
    if not reprocess:
        sql += (" LEFT JOIN extractions e ON e.article_id = a.id WHERE a.is_duplicate = 0"
                " AND (e.article_id IS NULL OR e.content_hash IS NOT a.content_hash)")
    else:
        sql += " WHERE a.is_duplicate = 0"
    return [dict(r) for r in store.db.query(sql + " ORDER BY a.id")]


def pending_ids(store: Store, *, reprocess: bool = False) -> list[int]:
    """Ids of the articles ``pending_articles`` would return (without loading their texts)."""
    return [a["id"] for a in _pending(store, "a.id", reprocess)]


def articles_by_id(store: Store, ids: list[int]) -> list[dict]:
    """id, title, summary, text, content_hash, published_at, fetched_at of these articles, in the order of ``ids`` (missing ones left out)."""
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in store.db.query(
        f"SELECT id, title, summary, text, content_hash, published_at, fetched_at FROM articles WHERE id IN ({marks})", ids)}
    return [rows[i] for i in ids if i in rows]


def extracted_since(store: Store, since: str) -> tuple[int, int]:
    """(extractions saved, of which failed) at or after ``since`` (ISO time, second resolution)."""
    row = store.conn.execute("SELECT count(*), count(error) FROM extractions WHERE extracted_at >= ?", [since]).fetchone()
    return row[0], row[1]


def save_extraction(store: Store, article_id: int, result: dict, models: dict, *, error: str | None = None,
                    truncated: bool = False, content_hash: str | None = None, capped: dict | None = None,
                    published: date | None = None) -> dict:
    """Replace the article's mentions and sectors with ``result`` (the extract contract dict) and upsert its claims
    by their stable keys (tracker.store.claims), all in one transaction. A failed extraction (``error``) records
    the error and keeps the article's previous results. Returns the claim counts of the upsert.

    ``content_hash``: the article's content hash the text was read under (a later change of the article makes
    it pending again); ``capped``: {kind: found} where a per-article cap kept fewer; ``published``: the date the
    claims' horizons resolve against."""
    with store.transaction() as db:
        if content_hash is None:  # callers that did not read the article themselves: its current text
            row = db.execute("SELECT content_hash FROM articles WHERE id = ?", [article_id]).fetchone()
            content_hash = row[0] if row else None
        counts: dict = {}
        if error is None:
            for table in ("mentions", "article_sectors"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
            db["mentions"].insert_all(
                {"article_id": article_id, "name": c["name"], "canonical": c["canonical"], "symbol": c.get("ticker"),
                 "company_key": c.get("company_key"), "start": c["start"], "end": c["end"],
                 "confidence": c["confidence"]}
                for c in result.get("companies", [])
            )
            db["article_sectors"].insert_all(
                {"article_id": article_id, "sector": s["sector"], "confidence": s["confidence"]}
                for s in result.get("sectors", [])
            )
            counts = upsert_article_claims(store, article_id, result.get("claims", []), published)
        db["extractions"].upsert(
            {"article_id": article_id, "extracted_at": iso(), "models": json.dumps(models, sort_keys=True),
             "error": error, "truncated": int(truncated), "content_hash": content_hash,
             "capped": json.dumps(capped, sort_keys=True) if capped else None},
            pk="article_id",
        )
    return counts
