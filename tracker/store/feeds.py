"""Queries on feeds and the fetch log."""

from __future__ import annotations

from tracker.store import Store
from tracker.timeutil import iso


def add_feed(store: Store, url: str, name: str | None = None, kind: str = "feed") -> bool:
    """Register a feed; returns False when the URL is already known (its name is updated if given)."""
    with store.transaction() as db:
        row = db.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()
        if row:
            if name:
                db.execute("UPDATE feeds SET name = ? WHERE id = ?", [name, row[0]])
            return False
        db["feeds"].insert({"url": url, "name": name, "kind": kind, "added_at": iso()})
        return True


def sync_config_feeds(store: Store, feeds) -> int:
    """Register every ``[[feeds]]`` entry of the config that the store does not know yet."""
    return sum(add_feed(store, f.url, f.name) for f in feeds)


def list_feeds(store: Store) -> list[dict]:
    return [dict(r) for r in store.db.query("SELECT * FROM feeds ORDER BY id")]


def get_feed(store: Store, feed_id: int) -> dict | None:
    rows = list(store.db.query("SELECT * FROM feeds WHERE id = ?", [feed_id]))
    return rows[0] if rows else None


def remove_feed(store: Store, url_or_id: str) -> bool:
    with store.transaction() as db:
        if url_or_id.isdigit():
            cur = db.execute("DELETE FROM feeds WHERE id = ?", [int(url_or_id)])
        else:
            cur = db.execute("DELETE FROM feeds WHERE url = ?", [url_or_id])
        return cur.rowcount > 0
