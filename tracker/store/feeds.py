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


def feed_by_url(store: Store, url: str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM feeds WHERE url = ?", [url]))
    return rows[0] if rows else None


def remove_feed(store: Store, url_or_id: str) -> bool:
    if url_or_id.isdigit() and int(url_or_id) >= 2**63:  # no SQLite row id is that large
        return False
    with store.transaction() as db:
        if url_or_id.isdigit():
            cur = db.execute("DELETE FROM feeds WHERE id = ?", [int(url_or_id)])
        else:
            cur = db.execute("DELETE FROM feeds WHERE url = ?", [url_or_id])
        return cur.rowcount > 0


def due_feeds(store: Store, *, all_feeds: bool = False, at: str | None = None) -> list[dict]:
    """Active HTTP feeds to fetch now: those whose next_poll_at has passed (every one with ``all_feeds``).

    A feed the server asked to wait (retry_after_until in the future) is never due, even with ``all_feeds``.
    """
    at = at or iso()
    sql = ("SELECT * FROM feeds WHERE kind = 'feed' AND active = 1 "
           "AND (retry_after_until IS NULL OR retry_after_until <= :at)")
    if not all_feeds:
        sql += " AND (next_poll_at IS NULL OR next_poll_at <= :at)"
    return [dict(r) for r in store.db.query(sql + " ORDER BY id", {"at": at})]


def waiting_feeds(store: Store, at: str | None = None) -> list[dict]:
    """Feeds whose server asked us (Retry-After) to wait past ``at``: their hosts are skipped this pass."""
    return [dict(r) for r in store.db.query("SELECT id, url, retry_after_until FROM feeds WHERE retry_after_until > ?",
                                            [at or iso()])]


def record_fetch(store: Store, feed_id: int, fetch: dict, feed_update: dict) -> None:
    """Log one fetch and update the feed's status fields, atomically."""
    with store.transaction() as db:
        db["fetches"].insert({"feed_id": feed_id, **fetch})
        db["feeds"].update(feed_id, feed_update)


def local_feed(store: Store, url: str, name: str) -> int:
    """The feed row (kind='local') of a local source, created on first use. Returns its id."""
    with store.transaction() as db:
        row = db.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()
        if row:
            return row[0]
        return db["feeds"].insert({"url": url, "name": name, "kind": "local", "added_at": iso()}).last_pk


def fetch_log(store: Store, feed_id: int) -> list[dict]:
    return [dict(r) for r in store.db.query("SELECT * FROM fetches WHERE feed_id = ? ORDER BY id", [feed_id])]
