"""Claims as trackable rows: a stable key per claim, upserted by every extraction; vanished claims are retracted.

A claim's key is (article, sentence, subject, metric, occurrence): the sentence by its normalised text rather than
its offsets, so an edit elsewhere in the article (a new paragraph above it) keeps the claim, its links, status
history and alerts. A claim that a re-extraction no longer finds gets ``retracted_at`` and keeps its history; it
comes back (same id) if a later extraction finds it again.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date

from tracker.nlp.horizons import resolve as resolve_horizon
from tracker.nlp.quantities import parse_magnitude
from tracker.store import Store
from tracker.timeutil import iso

# Columns an extraction writes (the rest belong to user claims or bookkeeping).
EXTRACTED_FIELDS = ("sentence", "start", "end", "subject", "subject_norm", "subject_ticker", "metric", "direction",
                    "magnitude", "magnitude_value", "magnitude_unit", "horizon", "horizon_kind", "horizon_start",
                    "horizon_end", "benchmark", "hedged", "negated", "sectors", "confidence")


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def claim_key(article_id: int, sentence: str, subject_norm: str | None, metric: str, occurrence: int = 0) -> str:
    raw = f"{article_id}|{_norm(sentence)}|{_norm(subject_norm)}|{metric}|{occurrence}"
    return f"a{article_id}:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def structured(claim: dict, published: date | None) -> dict:
    """The claim's magnitude as value + unit and its horizon as a window resolved against ``published``."""
    m = parse_magnitude(claim.get("magnitude"))
    h = resolve_horizon(claim.get("horizon"), claim.get("sentence") or "", published,
                        forward=None if not claim.get("hedged") else True)
    return {"magnitude_value": m.value if m else None, "magnitude_unit": m.unit if m else None, **h.as_row()}


def _row(claim: dict, published: date | None) -> dict:
    row = {k: claim.get(k) for k in EXTRACTED_FIELDS}
    row.update(structured(claim, published))
    row["hedged"] = int(bool(claim.get("hedged")))
    row["negated"] = int(bool(claim.get("negated")))
    row["sectors"] = json.dumps(claim.get("sectors") or [])
    return row


def rekey_all(conn) -> None:
    """Give every extracted claim its stable key (used once, by the migration that introduced keys)."""
    seen: Counter = Counter()
    rows = conn.execute("SELECT id, article_id, sentence, subject_norm, metric FROM claims ORDER BY article_id, start, id")
    for claim_id, article_id, sentence, subject_norm, metric in rows.fetchall():
        base = (article_id, _norm(sentence), _norm(subject_norm), metric)
        conn.execute("UPDATE claims SET claim_key = ? WHERE id = ?",
                     [claim_key(article_id, sentence, subject_norm, metric, seen[base]), claim_id])
        seen[base] += 1


def upsert_article_claims(store: Store, article_id: int, claims: list[dict], published: date | None) -> dict:
    """Make the article's claims what ``claims`` says (inside the caller's transaction). Returns counts
    {"new", "updated", "kept", "retracted", "restored"}."""
    conn = store.conn
    existing = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT claim_key, id, retracted_at FROM claims WHERE article_id = ?", [article_id])}
    seen: Counter = Counter()
    found: set[str] = set()
    counts = Counter()
    now = iso()
    for c in claims:
        base = (_norm(c.get("sentence")), _norm(c.get("subject_norm")), c.get("metric"))
        key = claim_key(article_id, c.get("sentence") or "", c.get("subject_norm"), c["metric"], seen[base])
        seen[base] += 1
        if key in found:
            continue
        found.add(key)
        row = _row(c, published)
        if key in existing:
            claim_id, retracted = existing[key]
            cols = ", ".join(f'"{k}" = ?' for k in row)
            changed = conn.execute(
                f"UPDATE claims SET {cols}, updated_at = ?, retracted_at = NULL WHERE id = ? AND "
                f"(retracted_at IS NOT NULL OR " + " OR ".join(f'"{k}" IS NOT ?' for k in row) + ")",
                [*row.values(), now, claim_id, *row.values()]).rowcount
            counts["restored" if retracted else ("updated" if changed else "kept")] += 1
        else:
            row.update(claim_key=key, article_id=article_id, origin="extracted", created_at=now, updated_at=now)
            names = ", ".join(f'"{k}"' for k in row)
            conn.execute(f"INSERT INTO claims ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
            counts["new"] += 1
    gone = [existing[k][0] for k in existing.keys() - found if existing[k][1] is None]
    if gone:
        conn.executemany("UPDATE claims SET retracted_at = ? WHERE id = ?", [(now, i) for i in gone])
    counts["retracted"] = len(gone)
    return dict(counts)
