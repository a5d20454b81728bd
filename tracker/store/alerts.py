"""Queries on alerts: per-claim alert state, the outbox (alerts + per-channel deliveries), mutes.

An alert and its pending deliveries are committed in one transaction, before any delivery is attempted (outbox);
its ``dedup_key`` is unique, so the same episode can never be stored twice, whatever re-runs or crashes happen.
"""

from __future__ import annotations

import json
import sqlite3

from tracker.store import Store
from tracker.timeutil import iso


def _rows(conn, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def states(conn) -> dict[int, dict]:
    return {r["claim_id"]: r for r in _rows(conn, "SELECT * FROM alert_state")}


def save_state(conn, claim_id: int, st: dict) -> None:
    cols = ("state", "pending_days", "last_as_of", "episode", "alerted", "last_alert_at", "nodata_since",
            "nodata_alerted", "since")
    conn.execute(f"INSERT INTO alert_state (claim_id, {', '.join(cols)}, updated_at) VALUES "
                 f"({', '.join('?' * (len(cols) + 2))}) ON CONFLICT (claim_id) DO UPDATE SET " +
                 ", ".join(f"{c} = excluded.{c}" for c in cols) + ", updated_at = excluded.updated_at",
                 [claim_id, *(st.get(c) for c in cols), iso()])


def insert_alert(conn, alert: dict, channels: list[tuple[str, str]]) -> int | None:
    """Store one alert and a pending delivery per channel (inside the caller's transaction). Returns its id, or
    None when an alert with the same key already exists (a re-run, a duplicate evaluation)."""
    try:
        alert_id = conn.execute(
            "INSERT INTO alerts (dedup_key, claim_id, kind, title, message, details, as_of, created_at, suppressed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [alert["dedup_key"], alert.get("claim_id"), alert["kind"], alert["title"], alert["message"],
             json.dumps(alert.get("details") or {}, default=str), alert.get("as_of"), alert.get("created_at") or iso(),
             alert.get("suppressed")]).lastrowid
    except sqlite3.IntegrityError:
        return None
    if not alert.get("suppressed"):
        conn.executemany("INSERT INTO deliveries (alert_id, channel, channel_label, updated_at) VALUES (?, ?, ?, ?)",
                         [(alert_id, cid, label, iso()) for cid, label in channels])
    return alert_id


def due_deliveries(conn, now: str, *, ignore_backoff: bool = False, limit: int = 200) -> list[dict]:
    sql = ("SELECT d.*, a.dedup_key, a.kind, a.title, a.message, a.claim_id, a.created_at AS alert_created_at "
           "FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.status = 'pending'")
    params: list = []
    if not ignore_backoff:
        sql += " AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)"
        params.append(now)
    return _rows(conn, sql + " ORDER BY a.id, d.id LIMIT ?", params + [limit])


def pending_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM deliveries WHERE status = 'pending'").fetchone()[0]


def record_attempt(store: Store, delivery_ids: list[int], *, ok: bool, error: str | None, next_attempt_at: str | None,
                   give_up: bool) -> None:
    now = iso()
    status = "sent" if ok else ("failed" if give_up else "pending")
    with store.transaction():
        store.conn.executemany(
            "UPDATE deliveries SET attempts = attempts + 1, status = ?, last_error = ?, next_attempt_at = ?, "
            "sent_at = CASE WHEN ? THEN ? ELSE sent_at END, updated_at = ? WHERE id = ? AND status = 'pending'",
            [(status, None if ok else error, None if ok or give_up else next_attempt_at, int(ok), now, now, i)
             for i in delivery_ids])


def list_alerts(conn, *, limit: int = 200, claim_id: int | None = None) -> list[dict]:
    sql = ("SELECT a.*, c.subject, c.subject_ticker, c.metric, c.direction FROM alerts a "
           "LEFT JOIN claims c ON c.id = a.claim_id")
    params: list = []
    if claim_id is not None:
        sql += " WHERE a.claim_id = ?"
        params.append(claim_id)
    alerts = _rows(conn, sql + " ORDER BY a.id DESC LIMIT ?", params + [limit])
    if alerts:
        ids = [a["id"] for a in alerts]
        by: dict[int, list] = {}
        for d in _rows(conn, f"SELECT alert_id, channel_label AS channel, status, attempts, last_error, sent_at, "
                             f"next_attempt_at FROM deliveries WHERE alert_id IN ({','.join('?' * len(ids))}) "
                             f"ORDER BY id", ids):
            by.setdefault(d.pop("alert_id"), []).append(d)
        for a in alerts:
            a["details"] = json.loads(a["details"] or "{}")
            a["deliveries"] = by.get(a["id"], [])
    return alerts


def ack(store: Store, alert_id: int) -> bool:
    """Acknowledge an alert: retries of its unsent deliveries stop (they are cancelled)."""
    now = iso()
    with store.transaction():
        if not store.conn.execute("UPDATE alerts SET acked_at = coalesce(acked_at, ?) WHERE id = ?",
                                  [now, alert_id]).rowcount:
            return False
        store.conn.execute("UPDATE deliveries SET status = 'cancelled', updated_at = ? WHERE alert_id = ? "
                           "AND status = 'pending'", [now, alert_id])
    return True


def add_mute(store: Store, scope: str, target: str, until: str) -> int:
    with store.transaction():
        return store.conn.execute("INSERT INTO mutes (scope, target, until, created_at) VALUES (?, ?, ?, ?)",
                                  [scope, target, until, iso()]).lastrowid


def remove_mutes(store: Store, scope: str, target: str) -> int:
    with store.transaction():
        return store.conn.execute("DELETE FROM mutes WHERE scope = ? AND target = ?", [scope, target]).rowcount


def active_mutes(conn, now: str) -> list[dict]:
    return _rows(conn, "SELECT * FROM mutes WHERE until > ? ORDER BY until", [now])


def channel_health(conn) -> list[dict]:
    """Per channel: deliveries sent, pending, failed; the last error and the last success."""
    return _rows(conn, """SELECT channel_label AS channel, sum(status = 'sent') AS sent, sum(status = 'pending') AS
                          pending, sum(status = 'failed') AS failed, max(sent_at) AS last_sent_at,
                          (SELECT last_error FROM deliveries d2 WHERE d2.channel = d.channel AND last_error IS NOT NULL
                           ORDER BY updated_at DESC LIMIT 1) AS last_error
                          FROM deliveries d GROUP BY channel ORDER BY channel_label""")
