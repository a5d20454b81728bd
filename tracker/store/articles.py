"""Queries on articles and stories: insert (atomic, with dedupe keys), FTS search grouped by story."""

from __future__ import annotations

from tracker.store import Store


def search(store: Store, query: str, limit: int = 20) -> list[dict]:
    """One result per story: {story_id, article_id, title, url, published_at, snippet, sources:[...], companies:[...]}."""
    raise NotImplementedError("search: implemented by the collect work")
