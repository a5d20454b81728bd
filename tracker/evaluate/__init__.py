"""Evaluate stage: link claims to series, refresh the series, judge every claim and thesis, store the verdicts.

Entry point: ``evaluate(store, settings) -> EvaluateReport`` (``tracker evaluate``). Holds the store's evaluate
lock. Each claim's verdict and its history row are committed together; the thesis statuses after them.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from tqdm import tqdm

from tracker.errors import StageBusy
from tracker.faults import checkpoint
from tracker.evaluate import theses as th
from tracker.evaluate.as_stated import check as check_as_stated
from tracker.evaluate.recipes import value_series
from tracker.evaluate.status import judge
from tracker.metrics.linking import baseline_of, link_claims
from tracker.store import metrics as mq
from tracker.store import status as sq
from tracker.store import theses as tq
from tracker.timeutil import now as utcnow
from tracker.vocab import STATUSES


@dataclass
class EvaluateReport:
    claims: int = 0
    statuses: Counter = field(default_factory=Counter)
    changes: list[tuple[int, str | None, str]] = field(default_factory=list)
    thesis_statuses: Counter = field(default_factory=Counter)
    thesis_changes: list[tuple[int, str | None, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # link / refresh / alert summaries
    alerts: object = None  # the AlertReport
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        s = ", ".join(f"{self.statuses.get(k, 0)} {k}" for k in STATUSES)
        t = ", ".join(f"{self.thesis_statuses.get(k, 0)} {k}" for k in STATUSES)
        return (f"evaluate: {self.claims} claims ({s}); {len(self.changes)} status changes; "
                f"theses: {t}")


def evaluate(store, settings, *, now: datetime | None = None, today: date | None = None, refresh: bool = True,
             alerts: bool = True, progress: bool = True, providers=None) -> EvaluateReport:
    """Link, refresh, judge claims and theses, then detect and deliver alerts. ``now`` pins the clock (tests);
    ``today`` alone pins the evaluation date."""
    now = now or (datetime.combine(today, time(12), timezone.utc) if today else utcnow())
    with store.exclusive("evaluate"):
        return _evaluate(store, settings, now=now, today=today or now.date(), refresh=refresh, alerts=alerts,
                         progress=progress, providers=providers)


def _evaluate(store, settings, *, now: datetime, today: date, refresh: bool, alerts: bool, progress: bool,
              providers) -> EvaluateReport:
    report = EvaluateReport()
    th.sync(store, settings)
    report.lines.append(link_claims(store, settings).summary())
    if refresh:
        from tracker.metrics.refresh import refresh as refresh_metrics

        try:
            r = refresh_metrics(store, settings, progress=progress, providers=providers)
        except StageBusy as e:  # another process refreshes right now: judge on the cache
            report.errors.append(f"metrics not refreshed: {e}")
        else:
            report.lines.append(r.summary())
            report.errors += r.errors
    claims = sq.claims_to_evaluate(store.conn)
    verdicts = evaluate_claims(store.conn, claims, settings.evaluate, today, progress=progress)
    rows = [(c["id"], v, v.get("latest_date") or today.isoformat()) for c, v in zip(claims, verdicts)
            if not v.get("keep")]
    report.changes = sq.save_claim_statuses(store, rows)
    checkpoint("evaluate.saved")
    report.claims = len(claims)
    report.statuses = Counter(v["status"] for v in verdicts)
    by_claim = {c["id"]: {**v, "confidence": c["confidence"]} for c, v in zip(claims, verdicts)}
    thesis_rows = []
    for tid, ids in tq.members(store.conn).items():
        status, score, counts = th.aggregate([by_claim[i] for i in ids if i in by_claim], settings.evaluate)
        thesis_rows.append((tid, status, score, counts))
    report.thesis_changes = tq.save_statuses(store, thesis_rows, today.isoformat())
    report.thesis_statuses = Counter(r[1] for r in thesis_rows)
    if alerts:
        from tracker.alerts import run as run_alerts

        try:
            a = run_alerts(store, settings, now)
        except StageBusy as e:  # `tracker alerts deliver` runs right now: the next evaluation detects
            report.errors.append(f"alerts not checked: {e}")
        else:
            report.alerts = a
            report.lines.append(a.summary())
            report.errors += a.errors
    return report


def evaluate_claims(conn, claims: list[dict], p, today: date, *, progress: bool = False) -> list[dict]:
    """Verdicts (dicts of claim_status columns) for ``claims`` (rows of sq.claims_to_evaluate). Series are read
    once each and value series built once per distinct link."""
    wanted = {s for c in claims if c["link"] for s in c["link"]["series"]}
    raw = mq.read_many(conn, wanted)
    cache: dict = {}
    out = []
    for c in tqdm(claims, desc="evaluate", unit="claim", file=sys.stderr, disable=not progress, leave=False,
                  mininterval=0.5):
        link = c["link"]
        if c.get("previous_final") and c.get("previous_status") not in (None, "unknown"):
            out.append({"status": c["previous_status"], "score": c.get("previous_score"), "final": True, "keep": True})
            continue  # past its horizon: the final verdict stands
        vs = None
        if link and link.get("recipe"):
            # the value series depends on the baseline only for baskets (rebased there)
            basket = link["recipe"] == "group" and len(link["series"]) > 1
            key = (link["recipe"], tuple(link["series"]), link.get("baseline_date") if basket else None,
                   repr(sorted(link["params"].items())))
            vs = cache.get(key)
            if vs is None:
                vs = cache[key] = value_series(link, raw)
        v = judge(c, link, vs, today, p)
        base = baseline_of({"since": c.get("since"), "article_published_at": c.get("published_at"),
                            "article_fetched_at": c.get("fetched_at")})
        stated, actual, note = check_as_stated(c, link, vs, base, p)
        out.append({**v.__dict__, "as_stated": stated, "as_stated_value": actual, "as_stated_note": note})
    return out
