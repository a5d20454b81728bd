"""Queries on metric series: which series are wanted and due, cached observations with provenance, provider state.

A series is wanted when a claim link reads it (``request``); the refresh fetches the due ones and saves their
observations (``save_fetch``) or the error (``record_error``). Evaluation reads the observations of the provider that
served the series last (``read_many``), so data of two providers (live and sample, say) are never mixed in one series.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.metrics.series import parse
from tracker.store import Store
from tracker.timeutil import iso


def request(store: Store, wants: dict[str, str]) -> int:
    """Make sure each series id is tracked from at least its ``want_from`` date (YYYY-MM-DD). Returns new series."""
    new = 0
    now = iso()
    with store.transaction() as db:
        for series_id, want_from in wants.items():
            key = parse(series_id)
            row = db.execute("SELECT want_from, first_date FROM series WHERE series_id = ?", [series_id]).fetchone()
            if row is None:
                db.execute("INSERT INTO series (series_id, kind, symbol, field, want_from, requested_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", [series_id, key.kind, key.symbol, key.field, want_from, now])
                new += 1
            elif want_from and (row[0] is None or want_from < row[0]):
                # an older baseline: fetch again from there (now, unless the data already reaches back)
                due = row[1] is None or want_from < row[1]
                db.execute("UPDATE series SET want_from = ?" + (", next_fetch_at = NULL" if due else "") +
                           " WHERE series_id = ?", [want_from, series_id])
    return new


def due(store: Store, now: str, limit: int) -> tuple[list[dict], int]:
    """(the due series, at most ``limit`` of them, oldest first; how many more are due)."""
    rows = [dict(r) for r in store.db.query(
        "SELECT * FROM series WHERE next_fetch_at IS NULL OR next_fetch_at <= ? "
        "ORDER BY next_fetch_at IS NOT NULL, next_fetch_at, requested_at LIMIT ?", [now, limit + 1])]
    more = 0
    if len(rows) > limit:
        more = store.conn.execute("SELECT count(*) FROM series WHERE next_fetch_at IS NULL OR next_fetch_at <= ?",
                                  [now]).fetchone()[0] - limit
        rows = rows[:limit]
    return rows, more


def start_for(series: dict, provider: str, overlap_days: int) -> date | None:
    """First date to ask ``provider`` for: only what is missing (the last few days again, for late revisions),
    or everything wanted when the provider has not served this series or the wanted range grew backwards."""
    want = date.fromisoformat(series["want_from"]) if series.get("want_from") else None
    if series.get("provider") != provider or not series.get("last_date") or not series.get("first_date"):
        return want
    if want is not None and want.isoformat() < series["first_date"]:
        return want
    return date.fromisoformat(series["last_date"]) - timedelta(days=overlap_days)


def save_fetch(store: Store, series_id: str, provider: str, observations, unit: str | None, next_fetch_at: str) -> int:
    """Store a provider's observations of one series (idempotent) and mark the series served. Returns rows written."""
    now = iso()
    with store.transaction() as db:
        before = db.execute("SELECT count(*) FROM observations WHERE series_id = ? AND provider = ?",
                            [series_id, provider]).fetchone()[0]
        db.conn.executemany("INSERT INTO observations (series_id, provider, date, value, fetched_at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (series_id, provider, date) DO UPDATE SET value = excluded.value, "
                       "fetched_at = excluded.fetched_at",
                       [(series_id, provider, o.date, o.value, o.fetched_at) for o in observations])
        first, last, count = db.execute("SELECT min(date), max(date), count(*) FROM observations "
                                        "WHERE series_id = ? AND provider = ?", [series_id, provider]).fetchone()
        db.execute("UPDATE series SET provider = ?, unit = coalesce(?, unit), first_date = ?, last_date = ?, "
                   "last_fetched_at = ?, next_fetch_at = ?, last_error = NULL, error_count = 0 WHERE series_id = ?",
                   [provider, unit, first, last, now, next_fetch_at, series_id])
    return count - before


def record_error(store: Store, series_id: str, error: str, next_fetch_at: str) -> None:
    with store.transaction() as db:
        db.execute("UPDATE series SET last_error = ?, error_count = error_count + 1, next_fetch_at = ?, "
                   "last_fetched_at = ? WHERE series_id = ?", [error[:500], next_fetch_at, iso(), series_id])


def provider_states(store: Store) -> dict[str, dict]:
    return {r["provider"]: dict(r) for r in store.db.query("SELECT * FROM provider_state")}


def save_provider_state(store: Store, provider: str, *, failures: int, open_until: str | None,
                        last_error: str | None, ok: bool) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO provider_state (provider, failures, open_until, last_error, last_ok_at, calls) "
                   "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (provider) DO UPDATE SET failures = excluded.failures, "
                   "open_until = excluded.open_until, last_error = excluded.last_error, "
                   "last_ok_at = coalesce(excluded.last_ok_at, provider_state.last_ok_at), calls = calls + 1",
                   [provider, failures, open_until, last_error, iso() if ok else None])


def series_rows(conn, series_ids) -> dict[str, dict]:
    ids = list(series_ids)
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        cur = conn.execute(f"SELECT * FROM series WHERE series_id IN ({','.join('?' * len(part))})", part)
        cols = [c[0] for c in cur.description]
        out.update({r[0]: dict(zip(cols, r)) for r in cur})
    return out


def read_many(conn, series_ids, since: str | None = None) -> dict[str, tuple]:
    """series id -> (dates as a numpy datetime64[D] array, values as a float array, provider) from the provider
    that serves it, oldest first (``since`` bounds it). One query per series, served by the primary key."""
    import numpy as np

    rows = series_rows(conn, series_ids)
    out: dict[str, tuple] = {}
    empty = (np.zeros(0, dtype="datetime64[D]"), np.zeros(0))
    for sid, row in rows.items():
        provider = row.get("provider")
        if provider is None:
            out[sid] = (*empty, None)
            continue
        data = conn.execute("SELECT date, value FROM observations WHERE series_id = ? AND provider = ? AND date >= ? "
                            "ORDER BY date", [sid, provider, since or ""]).fetchall()
        if not data:
            out[sid] = (*empty, provider)
            continue
        dates, values = zip(*data)
        out[sid] = (np.array(dates, dtype="datetime64[D]"), np.array(values, dtype=float), provider)
    return out


def observations(conn, series_id: str) -> list[dict]:
    """The cached observations of a series from the provider that serves it, with provenance, oldest first."""
    row = series_rows(conn, [series_id]).get(series_id)
    if row is None or row.get("provider") is None:
        return []
    cur = conn.execute("SELECT date, value, provider, fetched_at FROM observations "
                       "WHERE series_id = ? AND provider = ? ORDER BY date", [series_id, row["provider"]])
    return [dict(zip(("date", "value", "provider", "fetched_at"), r)) for r in cur]
