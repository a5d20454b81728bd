"""Queries on claim status: the claims to evaluate with their links, and saving verdicts with their history."""

from __future__ import annotations

import json

from tracker.store import Store
from tracker.timeutil import iso

STATUS_COLUMNS = ("status", "score", "reason", "baseline_value", "baseline_date", "latest_value", "latest_date",
                  "change", "move_sigma", "window_start", "window_end", "provider", "final", "as_stated",
                  "as_stated_value", "as_stated_note", "evidence")


def claims_to_evaluate(conn) -> list[dict]:
    """Active claims with their link (JSON fields parsed), article date and previous status."""
    cur = conn.execute(
        """SELECT c.id, c.article_id, c.origin, c.sentence, c.subject, c.subject_ticker, c.metric, c.direction,
                  c.magnitude_value, c.magnitude_unit, c.horizon_kind, c.horizon_start, c.horizon_end, c.level,
                  c.since, c.hedged, c.confidence, a.published_at, a.fetched_at,
                  l.recipe, l.symbols, l.benchmark, l.series, l.params, l.baseline_date, l.unlinked_reason,
                  s.status AS previous_status, s.score AS previous_score, s.final AS previous_final, s.changed_at AS previous_changed_at
           FROM claims c LEFT JOIN articles a ON a.id = c.article_id
           LEFT JOIN claim_links l ON l.claim_id = c.id LEFT JOIN claim_status s ON s.claim_id = c.id
           WHERE c.retracted_at IS NULL ORDER BY c.id""")
    cols = [c[0] for c in cur.description]
    out = []
    for r in cur:
        d = dict(zip(cols, r))
        d["link"] = None if d["recipe"] is None and d["unlinked_reason"] is None else {
            "recipe": d["recipe"], "symbols": json.loads(d["symbols"] or "[]"), "benchmark": d["benchmark"],
            "series": json.loads(d["series"] or "[]"), "params": json.loads(d["params"] or "{}"),
            "baseline_date": d["baseline_date"], "unlinked_reason": d["unlinked_reason"]}
        out.append(d)
    return out


def save_claim_statuses(store: Store, rows: list[tuple[int, dict, str]]) -> list[tuple[int, str | None, str]]:
    """Upsert each claim's current status and its history row for ``as_of`` (a data date). Returns the
    transitions [(claim_id, previous status, new status)] where the status changed."""
    now = iso()
    changes = []
    with store.transaction():
        conn = store.conn
        prev = {r[0]: r[1] for r in conn.execute("SELECT claim_id, status FROM claim_status")}
        cols = ("claim_id",) + STATUS_COLUMNS + ("evaluated_at", "changed_at")
        upsert = (f"INSERT INTO claim_status ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                  "ON CONFLICT (claim_id) DO UPDATE SET " +
                  ", ".join(f"{c} = excluded.{c}" for c in cols[1:-1]) +
                  ", changed_at = CASE WHEN claim_status.status = excluded.status THEN claim_status.changed_at "
                  "ELSE excluded.changed_at END")
        batch, hist = [], []
        for claim_id, v, as_of in rows:
            values = [v.get(c) for c in STATUS_COLUMNS]
            values[STATUS_COLUMNS.index("evidence")] = json.dumps(v.get("evidence") or {}, default=float)
            values[STATUS_COLUMNS.index("final")] = int(bool(v.get("final")))
            batch.append((claim_id, *values, now, now))
            hist.append((claim_id, as_of, v["status"], v.get("score"), v.get("latest_value"), now))
            if prev.get(claim_id) != v["status"] and (prev.get(claim_id) or v["status"] != "unknown"):
                changes.append((claim_id, prev.get(claim_id), v["status"]))
        conn.executemany(upsert, batch)
        conn.executemany("INSERT INTO claim_status_history (claim_id, as_of, status, score, latest_value, "
                         "evaluated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (claim_id, as_of) DO UPDATE SET "
                         "status = excluded.status, score = excluded.score, latest_value = excluded.latest_value, "
                         "evaluated_at = excluded.evaluated_at", hist)
    return changes
