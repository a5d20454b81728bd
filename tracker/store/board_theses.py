"""Read-only queries behind the thesis board: the cards of the first page, one thesis, one claim with its evidence.

Every function takes a read-only connection (``tracker.store.board.reader``) and returns plain dicts and lists,
so ``st.cache_data`` can keep them. Claims come as ``tracker.store.reports`` JSON objects (the contract of
``tracker claims --json``), with the board's extras added. Value series are built with the evaluation's own
recipes (``tracker.evaluate.recipes.value_series``), so a chart shows exactly what the claim was judged on.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np

from tracker import defaults as D
from tracker.store import alerts as aq
from tracker.store import metrics as mq
from tracker.store import reports
from tracker.store.articles import article_text
from tracker.store.board import _in, _rows, claim_context
from tracker.timeutil import iso
from tracker.vocab import STATUSES

SEVERITY = {"broken": 0, "weakening": 1, "holding": 2, "unknown": 3}  # the key claim of a thesis: worst first
_DAY = "substr(COALESCE(a.published_at, a.fetched_at), 1, 10)"
_MEMBER = ("FROM thesis_claims tc JOIN claims c ON c.id = tc.claim_id AND c.retracted_at IS NULL "
           "LEFT JOIN articles a ON a.id = c.article_id WHERE tc.thesis_id = t.id")


# ------------------------------------------------------------------------------------------- filters
def board_facets(conn) -> dict[str, list[str]]:
    """The tickers, sectors/themes and sources that occur in active theses (the board's filter choices)."""
    members = ("FROM thesis_claims tc JOIN theses t ON t.id = tc.thesis_id AND t.retired_at IS NULL "
               "JOIN claims c ON c.id = tc.claim_id AND c.retracted_at IS NULL")
    return {
        "ticker": [r[0] for r in conn.execute(
            f"SELECT DISTINCT c.subject_ticker {members} WHERE c.subject_ticker IS NOT NULL ORDER BY 1")],
        "sector": [r[0] for r in conn.execute(
            f"SELECT j.value {members}, json_each(c.sectors) j UNION "
            f"SELECT s.sector {members} JOIN article_sectors s ON s.article_id = c.article_id ORDER BY 1")],
        "source": [r[0] for r in conn.execute(
            f"SELECT DISTINCT a.source_name {members} JOIN articles a ON a.id = c.article_id "
            "WHERE a.source_name IS NOT NULL ORDER BY 1")],
    }


def _filters(ticker, sector, sources, date_from, date_to) -> tuple[list[str], list]:
    where, params = [], []
    if ticker:
        where.append(f"EXISTS (SELECT 1 {_MEMBER} AND upper(c.subject_ticker) = upper(?))")
        params.append(ticker)
    if sector:
        where.append(f"EXISTS (SELECT 1 {_MEMBER} AND (? IN (SELECT value FROM json_each(c.sectors)) OR EXISTS "
                     "(SELECT 1 FROM article_sectors s WHERE s.article_id = c.article_id AND s.sector = ?)))")
        params += [sector, sector]
    if sources:
        where.append(f"EXISTS (SELECT 1 {_MEMBER} AND a.source_name IN ({_in(sources)}))")
        params += list(sources)
    if date_from or date_to:
        where.append(f"EXISTS (SELECT 1 {_MEMBER} AND {_DAY} BETWEEN ? AND ?)")
        params += [str(date_from or "0000-00-00"), str(date_to or "9999-99-99")]
    return where, params


# --------------------------------------------------------------------------------------------- cards
def thesis_cards(conn, *, statuses=(), ticker: str | None = None, sector: str | None = None, sources=(),
                 date_from: str | None = None, date_to: str | None = None,
                 limit: int = D.BOARD_THESIS_CARDS) -> dict:
    """``{"counts": {status: n}, "total": n, "cards": [...]}``: the theses that pass the filters, recently
    changed first. ``counts`` ignores the status filter (the board's headline); ``cards`` holds at most ``limit``.

    A card: id, title, kind, status, counts (claims per status), changed_at, previous_status (before the last
    change), tickers, sources (its articles, newest first, at most BOARD_CARD_SOURCES; ``n_sources`` counts all)
    and ``key``: the claim that best shows where the thesis stands (the worst status, then the most confident)
    with a sparkline of its value series since its baseline (``spark``), or None when no claim is linked.
    """
    where, params = _filters(ticker, sector, sources, date_from, date_to)
    rows = _rows(conn, "SELECT t.id, t.title, t.kind, t.status, t.counts, t.changed_at, t.created_at, t.article_id "
                       "FROM theses t WHERE t.retired_at IS NULL" + "".join(f" AND {w}" for w in where) +
                       " ORDER BY coalesce(t.changed_at, t.created_at) DESC, t.id DESC", params)
    counts = {s: 0 for s in STATUSES}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    chosen = [r for r in rows if not statuses or r["status"] in statuses]
    cards = chosen[: int(limit)]
    _complete(conn, cards)
    return {"counts": counts, "total": len(chosen), "cards": cards}


def _complete(conn, cards: list[dict]) -> None:
    if not cards:
        return
    ids = [c["id"] for c in cards]
    members = _rows(conn, f"""
        SELECT tc.thesis_id, c.id, c.subject, c.subject_ticker, c.metric, c.direction, c.confidence, c.article_id,
               coalesce(s.status, 'unknown') AS status, s.provider, s.baseline_value, s.baseline_date,
               s.latest_value, s.latest_date, l.recipe, l.series, l.params, l.symbols, l.benchmark,
               l.baseline_date AS link_baseline, l.explanation, l.proxy, l.proxy_label
        FROM thesis_claims tc JOIN claims c ON c.id = tc.claim_id AND c.retracted_at IS NULL
        LEFT JOIN claim_status s ON s.claim_id = c.id LEFT JOIN claim_links l ON l.claim_id = c.id
        WHERE tc.thesis_id IN ({_in(ids)})""", ids)
    by_thesis: dict[int, list[dict]] = {}
    for m in members:
        by_thesis.setdefault(m["thesis_id"], []).append(m)
    keys = {}
    for tid, ms in by_thesis.items():
        linked = [m for m in ms if m["recipe"]]
        if linked:
            keys[tid] = min(linked, key=lambda m: (SEVERITY.get(m["status"], 3), -m["confidence"], m["id"]))
    charts = value_charts(conn, [_link(m) for m in keys.values()])
    articles = _card_sources(conn, ids)
    changes = _last_changes(conn, ids)
    for card in cards:
        ms = by_thesis.get(card["id"], [])
        card["counts"] = {s: json.loads(card["counts"] or "{}").get(s, 0) for s in STATUSES}
        card["tickers"] = sorted({m["subject_ticker"] for m in ms if m["subject_ticker"]})
        card["n_sources"] = len(articles.get(card["id"], []))
        card["sources"] = articles.get(card["id"], [])[: D.BOARD_CARD_SOURCES]
        card["previous_status"] = changes.get(card["id"])
        key = keys.get(card["id"])
        card["key"] = None if key is None else {
            "claim_id": key["id"], "subject": key["subject"], "ticker": key["subject_ticker"],
            "metric": key["metric"], "direction": key["direction"], "status": key["status"],
            "explanation": key["explanation"], "proxy": bool(key["proxy"]), "proxy_label": key["proxy_label"],
            "sample_data": _is_sample(key["provider"]), "provider": key["provider"],
            "baseline_value": key["baseline_value"], "latest_value": key["latest_value"],
            "latest_date": key["latest_date"], "kind": charts[key["id"]][2],
            "spark": _spark(charts.get(key["id"]), key["link_baseline"])}


def _card_sources(conn, thesis_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in _rows(conn, f"""
            SELECT DISTINCT tc.thesis_id, a.id, a.title, a.url, a.source_name,
                   COALESCE(a.published_at, a.fetched_at) AS published_at
            FROM thesis_claims tc JOIN claims c ON c.id = tc.claim_id AND c.retracted_at IS NULL
            JOIN articles a ON a.id = c.article_id WHERE tc.thesis_id IN ({_in(thesis_ids)})
            ORDER BY published_at DESC, a.id DESC""", thesis_ids):
        out.setdefault(r.pop("thesis_id"), []).append(r)
    return out


def _last_changes(conn, thesis_ids: list[int]) -> dict[int, str]:
    """thesis id -> the status it had before its latest change (from its history)."""
    history: dict[int, list[str]] = {}
    for tid, status in conn.execute(f"SELECT thesis_id, status FROM thesis_status_history WHERE thesis_id IN "
                                    f"({_in(thesis_ids)}) ORDER BY thesis_id, as_of", thesis_ids):
        history.setdefault(tid, []).append(status)
    out = {}
    for tid, seq in history.items():
        for before, after in zip(reversed(seq[:-1]), reversed(seq[1:])):
            if before != after:
                out[tid] = before
                break
    return out


def _is_sample(provider: str | None) -> bool:
    return "sample" in (provider or "").split(",")


# -------------------------------------------------------------------------------------- value series
def _link(row: dict) -> dict:
    """A claim_links row (JSON text fields) as the dict the evaluation's recipes read, keyed by its claim."""
    return {"claim_id": row.get("claim_id", row.get("id")), "recipe": row["recipe"],
            "series": json.loads(row.get("series") or "[]"), "params": json.loads(row.get("params") or "{}"),
            "symbols": json.loads(row.get("symbols") or "[]"), "benchmark": row.get("benchmark"),
            "baseline_date": row.get("link_baseline", row.get("baseline_date"))}


def value_charts(conn, links: list[dict]) -> dict[int, tuple]:
    """claim id -> (dates, values, kind, provider, note) of each link's value series (each series read once)."""
    from tracker.evaluate.recipes import value_series

    raw = mq.read_many(conn, {s for link in links for s in link["series"]})
    out = {}
    for link in links:
        vs = value_series(link, raw)
        out[link["claim_id"]] = (vs.dates, vs.values, vs.kind, vs.provider, vs.note)
    return out


def _since(dates: np.ndarray, day: str | None) -> int:
    """Index of the last observation on or before ``day`` (the baseline), else 0."""
    if not day or not len(dates):
        return 0
    k = int(np.searchsorted(dates, np.datetime64(day[:10], "D"), side="right")) - 1
    return max(k, 0)


def _spark(chart, baseline: str | None) -> list[float]:
    """At most BOARD_SPARK_POINTS values of the series from its baseline, evenly spaced, the latest last."""
    if chart is None or not len(chart[0]):
        return []
    values = chart[1][_since(chart[0], baseline):]
    if len(values) > D.BOARD_SPARK_POINTS:
        values = values[np.linspace(0, len(values) - 1, D.BOARD_SPARK_POINTS).round().astype(int)]
    return [round(float(v), 6) for v in values]


# -------------------------------------------------------------------------------------------- thesis
def thesis_detail(conn, thesis_id: int) -> dict | None:
    """One thesis: its row, definition, status history, source articles and claims (``reports`` objects)."""
    found = _rows(conn, "SELECT * FROM theses WHERE id = ?", [thesis_id])
    if not found:
        return None
    t = found[0]
    t["counts"] = {s: json.loads(t["counts"] or "{}").get(s, 0) for s in STATUSES}
    t["definition"] = json.loads(t["definition"] or "null")
    ids = [r[0] for r in conn.execute("SELECT claim_id FROM thesis_claims WHERE thesis_id = ?", [thesis_id])]
    claims = reports.claims(conn, ids=ids)
    claims.sort(key=lambda c: (SEVERITY.get(c["status"], 3), -(c.get("confidence") or 0), c["id"]))
    t["claims"] = claims
    t["history"] = _rows(conn, "SELECT as_of, status, score, counts FROM thesis_status_history WHERE thesis_id = ? "
                               "ORDER BY as_of", [thesis_id])
    t["sources"] = _card_sources(conn, [thesis_id]).get(thesis_id, [])
    t["previous_status"] = _last_changes(conn, [thesis_id]).get(thesis_id)
    return t


# --------------------------------------------------------------------------------------------- claim
def claim_page(conn, claim_id: int, *, today: str | None = None) -> dict | None:
    """One claim with everything its page shows: the ``reports`` object, its article with the sentence in context,
    the theses it belongs to, its series with provenance, its status history, the chart, alerts and active mutes.
    A retracted claim (no longer in its article) comes back with ``retracted_at`` set and no evaluation."""
    found = reports.claims(conn, ids=[claim_id])
    if found:
        claim = found[0]
    else:
        rows = _rows(conn, "SELECT id, article_id, sentence, subject, subject_ticker, metric, direction, "
                           "retracted_at FROM claims WHERE id = ?", [claim_id])
        if not rows:
            return None
        claim = {**rows[0], "status": "unknown", "link": None, "evidence": {}, "sample_data": False}
    claim["retracted_at"] = conn.execute("SELECT retracted_at FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    claim["article"] = _claim_article(conn, claim_id)
    claim["theses"] = _rows(conn, "SELECT t.id, t.title, t.status FROM thesis_claims tc JOIN theses t ON "
                                  "t.id = tc.thesis_id WHERE tc.claim_id = ? AND t.retired_at IS NULL ORDER BY t.id",
                            [claim_id])
    claim["history"] = _rows(conn, "SELECT as_of, status, score, latest_value FROM claim_status_history "
                                   "WHERE claim_id = ? ORDER BY as_of", [claim_id])
    claim["alerts"] = aq.list_alerts(conn, claim_id=claim_id)
    claim["mutes"] = _mutes_of(conn, claim, today or iso())
    link_row = _rows(conn, "SELECT * FROM claim_links WHERE claim_id = ?", [claim_id])
    claim["series"] = []
    claim["chart"] = None
    if link_row and link_row[0]["recipe"]:
        link = _link(link_row[0])
        claim["series"] = list(mq.series_rows(conn, link["series"]).values())
        claim["chart"] = _chart(conn, link, claim)
    return claim


def _claim_article(conn, claim_id: int) -> dict | None:
    row = _rows(conn, "SELECT c.start, c.\"end\", c.sentence, a.id, a.title, a.url, a.source_name, a.author, "
                      "a.published_at, a.fetched_at, a.text, a.summary FROM claims c JOIN articles a "
                      "ON a.id = c.article_id WHERE c.id = ?", [claim_id])
    if not row:
        return None  # a user's own claim (from the config) has no article
    r = row[0]
    text = article_text(r)
    return {"id": r["id"], "title": r["title"], "url": r["url"], "source_name": r["source_name"],
            "author": r["author"], "published_at": r["published_at"] or r["fetched_at"],
            "context": claim_context(text, r["start"], r["end"], r["sentence"]),
            "full": claim_context(text, r["start"], r["end"], r["sentence"], chars=len(text))}


def _mutes_of(conn, claim: dict, now: str) -> list[dict]:
    """Active mutes that silence this claim: its own, its ticker's, or one of its theses'."""
    targets = [("claim", str(claim["id"]))] + [("thesis", str(t["id"])) for t in claim["theses"]]
    out = []
    for m in aq.active_mutes(conn, now):
        if (m["scope"], m["target"]) in targets or (
                m["scope"] == "ticker" and m["target"].upper() == (claim.get("subject_ticker") or "").upper()):
            out.append(m)
    return out


def _chart(conn, link: dict, claim: dict) -> dict:
    """The claim's value series since its baseline (BOARD_CHART_LEAD_DAYS before it), with the markers the
    chart draws: baseline, stated level (when the claim states one), reversals (status turned weakening or
    broken, and reversal alerts) and the SAMPLE DATA flag."""
    dates, values, kind, provider, note = value_charts(conn, [{**link, "claim_id": claim["id"]}])[claim["id"]]
    base = link.get("baseline_date") or claim.get("baseline_date")
    start = _since(dates, (date.fromisoformat(base[:10]) - timedelta(days=D.BOARD_CHART_LEAD_DAYS)).isoformat()
                   if base else None)
    ev = claim.get("evidence") or {}
    stated = ev.get("stated_level", ev.get("stated"))
    history = claim.get("history") or []
    reversals = [{"date": h["as_of"], "what": f"status {prev['status']} → {h['status']}"}
                 for prev, h in zip(history, history[1:])
                 if h["status"] != prev["status"] and SEVERITY.get(h["status"], 3) < SEVERITY.get(prev["status"], 3)]
    reversals += [{"date": a["as_of"], "what": f"alert: {a['kind']}"} for a in claim.get("alerts") or []
                  if a["kind"] == "reversed" and a.get("as_of")]
    return {"dates": [str(d) for d in dates[start:]], "values": [float(v) for v in values[start:]], "kind": kind,
            "provider": provider, "sample_data": _is_sample(provider), "note": note,
            "baseline": {"date": claim.get("baseline_date") or base, "value": claim.get("baseline_value")},
            "stated": float(stated) if isinstance(stated, (int, float)) else None,
            "reversals": sorted(reversals, key=lambda r: r["date"])}
