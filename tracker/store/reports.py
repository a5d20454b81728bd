"""Read-side views of claims and theses: the JSON contracts of ``tracker claims`` and ``tracker theses``.

Each claim object: ``id, article_id, sentence, subject, subject_ticker, metric, direction, magnitude, horizon,
benchmark, status, baseline_value, baseline_date, latest_value, latest_date, provider, as_stated, link`` with
``link`` = ``{symbols, recipe, explanation, proxy}`` or null, in which case ``unlinked_reason`` says why; plus
structured fields (magnitude_value/unit, horizon_kind/start/end), the status reason and score, the as-stated value
and note, and ``sample_data`` when the series comes from the bundled sample data set.
"""

from __future__ import annotations

import json

from tracker.vocab import STATUSES

_CLAIM_SQL = """
SELECT c.id, c.article_id, c.origin, c.sentence, c.subject, c.subject_ticker, c.metric, c.direction, c.magnitude,
       c.magnitude_value, c.magnitude_unit, c.horizon, c.horizon_kind, c.horizon_start, c.horizon_end, c.benchmark,
       c.hedged, c.negated, c.confidence, c.sectors,
       coalesce(s.status, 'unknown') AS status, s.score, s.reason, s.baseline_value, s.baseline_date, s.latest_value,
       s.latest_date, s.change, s.move_sigma, s.evidence, s.provider, s.final, s.as_stated, s.as_stated_value, s.as_stated_note,
       s.evaluated_at, s.changed_at,
       l.recipe, l.symbols, l.benchmark AS link_benchmark, l.explanation, l.proxy, l.proxy_label,
       l.unlinked_reason, l.source AS link_source,
       a.title AS article_title, a.url AS article_url, a.published_at
FROM claims c LEFT JOIN claim_status s ON s.claim_id = c.id LEFT JOIN claim_links l ON l.claim_id = c.id
LEFT JOIN articles a ON a.id = c.article_id
WHERE c.retracted_at IS NULL"""


def _claim(row: dict) -> dict:
    linked = row.get("recipe") is not None
    out = {k: row.get(k) for k in ("id", "article_id", "sentence", "subject", "subject_ticker", "metric", "direction",
                                   "magnitude", "horizon", "benchmark", "status", "baseline_value", "baseline_date",
                                   "latest_value", "latest_date", "provider", "as_stated")}
    out["link"] = {"symbols": json.loads(row.get("symbols") or "[]"), "recipe": row["recipe"],
                   "benchmark": row.get("link_benchmark"), "explanation": row.get("explanation"),
                   "proxy": bool(row.get("proxy")), "proxy_label": row.get("proxy_label"),
                   "source": row.get("link_source")} if linked else None
    if not linked:
        out["unlinked_reason"] = row.get("unlinked_reason") or "not linked yet: run 'tracker evaluate'"
    out.update({k: row.get(k) for k in ("origin", "magnitude_value", "magnitude_unit", "horizon_kind", "horizon_start",
                                        "horizon_end", "reason", "score", "change", "move_sigma", "as_stated_value",
                                        "as_stated_note", "evaluated_at", "changed_at", "confidence",
                                        "article_title", "article_url", "published_at")})
    out["evidence"] = json.loads(row.get("evidence") or "{}")
    out["final"] = bool(row.get("final"))
    out["hedged"], out["negated"] = bool(row.get("hedged")), bool(row.get("negated"))
    out["sectors"] = json.loads(row.get("sectors") or "[]")
    out["sample_data"] = "sample" in (row.get("provider") or "").split(",")
    return out


def _rows(conn, sql: str, params) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def claims(conn, *, ticker: str | None = None, status: str | None = None, ids=None, limit: int | None = None) -> list[dict]:
    sql, params = _CLAIM_SQL, []
    if ticker:
        sql += " AND upper(c.subject_ticker) = upper(?)"
        params.append(ticker)
    if status:
        sql += " AND coalesce(s.status, 'unknown') = ?"
        params.append(status)
    if ids is not None:
        ids = list(ids)
        sql += f" AND c.id IN ({','.join('?' * len(ids)) or 'NULL'})"
        params += ids
    sql += " ORDER BY coalesce(s.changed_at, c.created_at) DESC, c.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_claim(r) for r in _rows(conn, sql, params)]


def theses(conn, *, status: str | None = None, with_claims: bool = True) -> list[dict]:
    sql = ("SELECT t.id, t.thesis_key, t.title, t.kind, t.article_id, t.status, t.score, t.counts, t.evaluated_at, "
           "t.changed_at, t.definition, a.url AS article_url, a.published_at FROM theses t "
           "LEFT JOIN articles a ON a.id = t.article_id WHERE t.retired_at IS NULL")
    params = []
    if status:
        sql += " AND t.status = ?"
        params.append(status)
    sql += " ORDER BY coalesce(t.changed_at, t.created_at) DESC, t.id"
    out = []
    members: dict[int, list[int]] = {}
    for tid, cid in conn.execute("SELECT thesis_id, claim_id FROM thesis_claims"):
        members.setdefault(tid, []).append(cid)
    by_id = {c["id"]: c for c in claims(conn)} if with_claims else {}
    for r in _rows(conn, sql, params):
        counts = json.loads(r["counts"] or "{}")
        t = {"id": r["id"], "key": r["thesis_key"], "title": r["title"], "kind": r["kind"], "status": r["status"],
             "score": r["score"], "counts": {s: counts.get(s, 0) for s in STATUSES}, "changed_at": r["changed_at"],
             "evaluated_at": r["evaluated_at"], "article_id": r["article_id"], "article_url": r["article_url"],
             "published_at": r["published_at"]}
        if with_claims:
            t["claims"] = [by_id[i] for i in sorted(members.get(r["id"], [])) if i in by_id]
        out.append(t)
    return out
