"""Theses: every article's claims form one automatically; users define their own in the config.

``[[theses]]`` with a ``title``, optional ``since`` (the baseline of its own claims), its own claims
(``[[theses.claims]]``: subject, ticker, metric, direction, optional benchmark, level, since) and/or a selection
of extracted claims by ``tickers``, ``themes`` (sectors) or ``articles``. A thesis's status aggregates its claims
weighted by confidence; unknown claims are left out (a thesis with no known claim is unknown).
"""

from __future__ import annotations

import re
from collections import Counter

from tracker.store import theses as tq
from tracker.vocab import STATUSES


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "thesis"


def _claim_rows(key: str, thesis) -> list[dict]:
    rows = []
    for c in thesis.claims:
        since = (c.since or thesis.since)
        ident = f"{c.ticker or c.subject}|{c.metric}|{c.direction}|{c.benchmark or ''}".lower()
        rows.append({
            "claim_key": f"{key}:{ident}", "origin": "user", "article_id": None,
            "sentence": f"{c.subject or c.ticker}: {c.metric.replace('_', ' ')} {c.direction}"
                        + (f" against {c.benchmark}" if c.benchmark else "") + (f" (level {c.level:g})" if c.level is not None else ""),
            "start": 0, "end": 0, "subject": c.subject or c.ticker, "subject_norm": (c.subject or c.ticker).lower(),
            "subject_ticker": c.ticker, "metric": c.metric, "direction": c.direction, "benchmark": c.benchmark,
            "level": c.level, "since": since.isoformat() if since else None, "horizon_kind": "open",
            "sectors": "[]", "confidence": 1.0,
        })
    return rows


def _selection(thesis) -> tuple[str, list] | None:
    where, params = [], []
    if thesis.tickers:
        where.append(f"c.subject_ticker IN ({','.join('?' * len(thesis.tickers))})")
        params += thesis.tickers
    if thesis.themes:
        where.append(f"EXISTS (SELECT 1 FROM json_each(c.sectors) j WHERE j.value IN ({','.join('?' * len(thesis.themes))}))")
        params += thesis.themes
    if thesis.articles:
        where.append(f"c.article_id IN ({','.join('?' * len(thesis.articles))})")
        params += thesis.articles
    if not where:
        return None
    sql = ("SELECT c.id FROM claims c WHERE c.retracted_at IS NULL AND c.origin = 'extracted' AND (" +
           " OR ".join(where) + ")")
    return sql, params


def sync(store, settings) -> dict:
    """Article theses and the config's theses into the store. Returns counts."""
    articles = tq.sync_article_theses(store)
    keys = []
    for thesis in settings.theses:
        key = f"user:{slug(thesis.title)}"
        if key in keys:
            key = f"{key}-{len(keys)}"
        keys.append(key)
        tq.upsert_user_thesis(store, key, thesis.title, thesis.model_dump(mode="json"), _claim_rows(key, thesis),
                              _selection(thesis))
    retired = tq.retire_user_theses(store, keys)
    return {"article": articles, "user": len(keys), "retired": retired}


def aggregate(claims: list[dict], p) -> tuple[str, float | None, dict]:
    """(status, score, counts per status) of a thesis from its claims' {status, score, confidence}."""
    counts = Counter(c["status"] for c in claims)
    known = [c for c in claims if c["status"] != "unknown"]
    full = {s: counts.get(s, 0) for s in STATUSES}
    if not known:
        return "unknown", None, full
    weight = sum(max(c.get("confidence") or 0.5, 0.05) for c in known)
    share = {s: sum(max(c.get("confidence") or 0.5, 0.05) for c in known if c["status"] == s) / weight
             for s in STATUSES[:3]}
    score = sum(max(c.get("confidence") or 0.5, 0.05) * (c.get("score") or 0.0) for c in known) / weight
    if share["broken"] > p.thesis_broken_share:
        status = "broken"
    elif share["broken"] + share["weakening"] >= p.thesis_weakening_share:
        status = "weakening"
    else:
        status = "holding"
    return status, round(score, 3), full
