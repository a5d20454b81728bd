"""Queries on theses: article theses (every article's claims), users' theses from the config (their own claims
and selections of extracted claims by ticker, theme or article), membership, and status with history."""

from __future__ import annotations

import json

from tracker.store import Store
from tracker.timeutil import iso


def sync_article_theses(store: Store) -> int:
    """One thesis per original article that has active extracted claims; membership follows the claims."""
    now = iso()
    with store.transaction():
        conn = store.conn
        conn.execute(
            """INSERT INTO theses (thesis_key, title, kind, article_id, created_at)
               SELECT 'article:' || a.id, coalesce(nullif(a.title, ''), '(untitled article ' || a.id || ')'),
                      'article', a.id, ?
               FROM articles a WHERE EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id
                                             AND c.retracted_at IS NULL AND c.origin = 'extracted')
               ON CONFLICT (thesis_key) DO UPDATE SET title = excluded.title, retired_at = NULL""", [now])
        conn.execute("""UPDATE theses SET retired_at = ? WHERE kind = 'article' AND retired_at IS NULL AND NOT EXISTS
                        (SELECT 1 FROM claims c WHERE c.article_id = theses.article_id AND c.retracted_at IS NULL)""",
                     [now])
        conn.execute("DELETE FROM thesis_claims WHERE thesis_id IN (SELECT id FROM theses WHERE kind = 'article')")
        conn.execute("""INSERT INTO thesis_claims (thesis_id, claim_id)
                        SELECT t.id, c.id FROM theses t JOIN claims c ON c.article_id = t.article_id
                        WHERE t.kind = 'article' AND c.retracted_at IS NULL AND c.origin = 'extracted'""")
        return conn.execute("SELECT count(*) FROM theses WHERE kind = 'article' AND retired_at IS NULL").fetchone()[0]


def upsert_user_thesis(store: Store, key: str, title: str, definition: dict, claim_rows: list[dict],
                       selection_sql: tuple[str, list] | None) -> int:
    """A thesis from the config: its own claims (origin 'user', keyed by content) and the extracted claims its
    selection picks. Returns the thesis id."""
    now = iso()
    with store.transaction():
        conn = store.conn
        conn.execute("INSERT INTO theses (thesis_key, title, kind, definition, created_at) VALUES (?, ?, 'user', ?, ?) "
                     "ON CONFLICT (thesis_key) DO UPDATE SET title = excluded.title, definition = excluded.definition, "
                     "retired_at = NULL", [key, title, json.dumps(definition, default=str), now])
        thesis_id = conn.execute("SELECT id FROM theses WHERE thesis_key = ?", [key]).fetchone()[0]
        members = []
        keep_keys = []
        for row in claim_rows:
            keep_keys.append(row["claim_key"])
            cols = list(row)
            conn.execute(f"INSERT INTO claims ({', '.join(cols)}, created_at, updated_at) VALUES "
                         f"({', '.join('?' * len(cols))}, ?, ?) ON CONFLICT (claim_key) DO UPDATE SET " +
                         ", ".join(f"{c} = excluded.{c}" for c in cols if c != "claim_key") +
                         ", retracted_at = NULL, updated_at = CASE WHEN " +
                         " OR ".join(f"claims.{c} IS NOT excluded.{c}" for c in cols if c != "claim_key") +
                         " THEN excluded.updated_at ELSE claims.updated_at END",
                         [*row.values(), now, now])
            members.append(conn.execute("SELECT id FROM claims WHERE claim_key = ?", [row["claim_key"]]).fetchone()[0])
        prefix = f"{key}:"
        keep = f" AND claim_key NOT IN ({','.join('?' * len(keep_keys))})" if keep_keys else ""
        conn.execute("UPDATE claims SET retracted_at = ? WHERE origin = 'user' AND claim_key LIKE ? AND retracted_at "
                     "IS NULL" + keep, [now, prefix + "%", *keep_keys])
        if selection_sql:
            sql, params = selection_sql
            members += [r[0] for r in conn.execute(sql, params)]
        conn.execute("DELETE FROM thesis_claims WHERE thesis_id = ?", [thesis_id])
        conn.executemany("INSERT OR IGNORE INTO thesis_claims (thesis_id, claim_id) VALUES (?, ?)",
                         [(thesis_id, m) for m in members])
    return thesis_id


def retire_user_theses(store: Store, keep: list[str]) -> int:
    """Theses removed from the config are retired (kept with their history, no longer shown or evaluated)."""
    now = iso()
    with store.transaction():
        conn = store.conn
        rest = f" AND thesis_key NOT IN ({','.join('?' * len(keep))})" if keep else ""
        gone = [r[0] for r in conn.execute(
            "SELECT thesis_key FROM theses WHERE kind = 'user' AND retired_at IS NULL" + rest, keep)]
        for key in gone:
            conn.execute("UPDATE theses SET retired_at = ? WHERE thesis_key = ?", [now, key])
            conn.execute("UPDATE claims SET retracted_at = ? WHERE origin = 'user' AND claim_key LIKE ? "
                         "AND retracted_at IS NULL", [now, f"{key}:%"])
    return len(gone)


def members(conn) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for tid, cid in conn.execute("SELECT tc.thesis_id, tc.claim_id FROM thesis_claims tc JOIN theses t ON "
                                 "t.id = tc.thesis_id WHERE t.retired_at IS NULL"):
        out.setdefault(tid, []).append(cid)
    return out


def save_statuses(store: Store, rows: list[tuple[int, str, float | None, dict]], as_of: str) -> list[tuple]:
    """Store each thesis's status now and in its history for ``as_of``; returns [(thesis_id, before, after)]."""
    now = iso()
    changes = []
    with store.transaction():
        conn = store.conn
        prev = {r[0]: r[1] for r in conn.execute("SELECT id, status FROM theses")}
        for tid, status, score, counts in rows:
            c = json.dumps(counts, sort_keys=True)
            conn.execute("UPDATE theses SET status = ?, score = ?, counts = ?, evaluated_at = ?, changed_at = CASE "
                         "WHEN status = ? AND changed_at IS NOT NULL THEN changed_at ELSE ? END WHERE id = ?",
                         [status, score, c, now, status, now, tid])
            conn.execute("INSERT INTO thesis_status_history (thesis_id, as_of, status, score, counts, evaluated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (thesis_id, as_of) DO UPDATE SET status = "
                         "excluded.status, score = excluded.score, counts = excluded.counts, evaluated_at = "
                         "excluded.evaluated_at", [tid, as_of, status, score, c, now])
            if prev.get(tid) != status and not (prev.get(tid) == "unknown" and status == "unknown"):
                changes.append((tid, prev.get(tid), status))
    return changes
