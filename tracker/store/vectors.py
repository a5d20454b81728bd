"""Queries on article vectors (the board's similar-meaning search): the articles that lack a current vector,
saving vectors, and reading them all at once as one float32 matrix.

A vector is current when it was computed from the article's present content (``content_hash``); syndicated copies
(``is_duplicate``) get none: a search result is a story, shown through its original article.
"""

from __future__ import annotations

import numpy as np

from tracker.store import Store
from tracker.timeutil import iso


def missing(store: Store, limit: int) -> list[dict]:
    """Up to ``limit`` original articles without a current vector, oldest first."""
    return [dict(r) for r in store.db.query(
        "SELECT a.id, a.title, a.summary, a.text, a.content_hash FROM articles a "
        "LEFT JOIN article_vectors v ON v.article_id = a.id "
        "WHERE a.is_duplicate = 0 AND (v.article_id IS NULL OR v.content_hash != a.content_hash) "
        "ORDER BY a.id LIMIT ?", [int(limit)])]


def articles(store: Store, article_ids: list[int]) -> list[dict]:
    """The original (non-duplicate) articles among ``article_ids``, with what their vector is computed from."""
    ids = [int(i) for i in article_ids]
    if not ids:
        return []
    return [dict(r) for r in store.db.query(
        f"SELECT id, title, summary, text, content_hash FROM articles WHERE is_duplicate = 0 "
        f"AND id IN ({','.join('?' * len(ids))}) ORDER BY id", ids)]


def save(store: Store, rows: list[tuple[int, str, np.ndarray]], model: str) -> None:
    """Store (article_id, content_hash, vector) rows in one transaction (a vector replaces the previous one)."""
    now = iso()
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO article_vectors (article_id, content_hash, model, vector, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash, model = excluded.model, "
            "vector = excluded.vector, created_at = excluded.created_at",
            [(a, h, model, np.asarray(v, dtype="<f4").tobytes(), now) for a, h, v in rows])


def stamp(conn) -> tuple[int, str | None]:
    """(count, newest created_at): changes whenever a vector is added, replaced or removed."""
    n, newest = conn.execute("SELECT count(*), max(created_at) FROM article_vectors").fetchone()
    return int(n), newest


def matrix(conn, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(article ids as int64, vectors as a float32 matrix of ``dim`` columns), in article id order."""
    ids, blobs = [], []
    for article_id, blob in conn.execute("SELECT article_id, vector FROM article_vectors ORDER BY article_id"):
        if len(blob) == 4 * dim:  # a vector of another size (another model) is skipped, never misread
            ids.append(article_id)
            blobs.append(blob)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
    return np.array(ids, dtype=np.int64), np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), dim)
