"""Queries on pipeline runs: one row per pass of ``tracker run`` with its per-stage summary."""

from __future__ import annotations

import json
import os

from tracker.store import Store
from tracker.timeutil import iso


def start(store: Store) -> int:
    with store.transaction():
        return store.conn.execute("INSERT INTO runs (started_at, pid) VALUES (?, ?)", [iso(), os.getpid()]).lastrowid


def finish(store: Store, run_id: int, outcome: str, summary: dict) -> None:
    with store.transaction():
        store.conn.execute("UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE id = ?",
                           [iso(), outcome, json.dumps(summary, default=str), run_id])


def recent(conn, limit: int = 20) -> list[dict]:
    cur = conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit])
    cols = [c[0] for c in cur.description]
    out = []
    for r in cur:
        d = dict(zip(cols, r))
        d["summary"] = json.loads(d["summary"] or "{}")
        out.append(d)
    return out
