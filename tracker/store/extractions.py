"""Queries on extraction results: mentions, sectors, claims. One article's results are saved atomically."""

from __future__ import annotations

import json
from datetime import date

from tracker.store import Store
from tracker.store.claims import upsert_article_claims
from tracker.timeutil import iso


def pending_articles(store: Store, *, reprocess: bool = False, limit: int | None = None) -> list[dict]:
    """Canonical (non-duplicate) articles not yet extracted, or all of them with ``reprocess``."""
    sql = "SELECT a.id, a.title, a.summary, a.text, a.published_at, a.fetched_at FROM articles a"
    if not reprocess:
        sql += " LEFT JOIN extractions e ON e.article_id = a.id WHERE e.article_id IS NULL AND a.is_duplicate = 0"
    else:
        sql += " WHERE a.is_duplicate = 0"
    sql += " ORDER BY a.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) for r in store.db.query(sql)]


def save_extraction(store: Store, article_id: int, result: dict, models: dict, *, error: str | None = None,
                    truncated: bool = False, published: date | None = None) -> dict:
    """Replace the article's mentions and sectors with ``result`` (the extract contract dict) and upsert its claims
    by their stable keys (tracker.store.claims), all in one transaction. A failed extraction (``error``) records
    the error and keeps the article's previous results. Returns the claim counts of the upsert."""
    with store.transaction() as db:
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
             "error": error, "truncated": int(truncated)},
            pk="article_id",
        )
    return counts
