"""Queries on extraction results: mentions, sectors, claims. One article's results are replaced atomically."""

from __future__ import annotations

import json

from tracker.store import Store
from tracker.timeutil import iso


def pending_articles(store: Store, *, reprocess: bool = False, limit: int | None = None) -> list[dict]:
    """Canonical (non-duplicate) articles not yet extracted, or all of them with ``reprocess``; ``published_at``
    falls back to when the article was fetched (the linker needs a date for names that changed hands)."""
    sql = "SELECT a.id, a.title, a.summary, a.text, coalesce(a.published_at, a.fetched_at) AS published_at FROM articles a"
    if not reprocess:
        sql += " LEFT JOIN extractions e ON e.article_id = a.id WHERE e.article_id IS NULL AND a.is_duplicate = 0"
    else:
        sql += " WHERE a.is_duplicate = 0"
    sql += " ORDER BY a.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) for r in store.db.query(sql)]


def save_extraction(store: Store, article_id: int, result: dict, models: dict, *, error: str | None = None,
                    truncated: bool = False) -> None:
    """Replace the article's mentions, sectors and claims with ``result`` (the extract contract dict)."""
    with store.transaction() as db:
        for table in ("mentions", "article_sectors", "claims"):
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
        db["claims"].insert_all(
            {"article_id": article_id, "sentence": c["sentence"], "start": c["start"], "end": c["end"],
             "subject": c.get("subject"), "subject_norm": c.get("subject_norm"),
             "subject_ticker": c.get("subject_ticker"), "metric": c["metric"], "direction": c["direction"],
             "magnitude": c.get("magnitude"), "horizon": c.get("horizon"), "benchmark": c.get("benchmark"),
             "hedged": int(bool(c.get("hedged"))), "negated": int(bool(c.get("negated"))),
             "sectors": json.dumps(c.get("sectors", [])), "confidence": c["confidence"]}
            for c in result.get("claims", [])
        )
        db["extractions"].upsert(
            {"article_id": article_id, "extracted_at": iso(), "models": json.dumps(models, sort_keys=True),
             "error": error, "truncated": int(truncated)},
            pk="article_id",
        )
