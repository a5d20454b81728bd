"""``tracker metrics refresh``: fetch the due series from the providers, in order of preference, into the store.

Bounded: at most ``max_series_per_pass`` series per pass (the rest are reported as queued for the next pass). Each
provider is asked only for the series it supports, in batches, spaced by its own minimum interval; a provider that
fails (outage, rate limit) feeds its circuit breaker (kept in ``provider_state`` across runs) and its series fall to
the next provider. A series nobody could serve keeps its cached data and its error, and is retried with backoff.
An outage never raises out of the pass.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tqdm import tqdm

from tracker import defaults as D
from tracker import stop
from tracker.faults import checkpoint
from tracker.metrics.providers import ProviderError, Query, build
from tracker.metrics.series import parse
from tracker.net import CircuitBreaker, backoff_s
from tracker.store import metrics as mq
from tracker.timeutil import in_seconds, iso, parse_iso


@dataclass
class RefreshReport:
    series_due: int = 0
    series_fetched: int = 0
    observations: int = 0
    series_failed: int = 0
    queued: int = 0  # due but over the per-pass cap: next pass
    cap: int = D.METRICS_MAX_SERIES_PER_PASS
    providers_down: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"metrics: {self.series_fetched} of {self.series_due} due series refreshed "
                f"({self.observations} new observations)")
        if self.series_failed:
            text += f", {self.series_failed} without data"
        if self.queued:
            text += f"; {self.queued} more queued for the next pass (cap {self.cap} per pass)"
        if self.providers_down:
            text += f"; providers unavailable: {', '.join(self.providers_down)}"
        return text


def _breaker(state: dict | None) -> CircuitBreaker:
    cb = CircuitBreaker()
    if state:
        cb.failures = state.get("failures") or 0
        until = parse_iso(state.get("open_until"))
        cb.open_until = until.timestamp() if until else 0.0
        cb.last_error = state.get("last_error")
    return cb


def _save_breaker(store, name: str, cb: CircuitBreaker, ok: bool) -> None:
    until = iso(datetime.fromtimestamp(cb.open_until, timezone.utc)) if cb.open_until > time.time() else None
    mq.save_provider_state(store, name, failures=cb.failures, open_until=until, last_error=cb.last_error, ok=ok)


def refresh(store, settings, *, progress: bool = True, providers=None) -> RefreshReport:
    """One bounded pass over the due series (holding the store's metrics lock). ``providers`` overrides the
    configured ones (tests)."""
    with store.exclusive("metrics"):
        return _refresh(store, settings, progress=progress, providers=providers)


def _refresh(store, settings, *, progress: bool, providers) -> RefreshReport:
    cfg = settings.metrics
    report = RefreshReport(cap=cfg.max_series_per_pass)
    now = iso()
    rows, report.queued = mq.due(store, now, cfg.max_series_per_pass)
    report.series_due = len(rows)
    if not rows:
        return report
    providers = build(settings) if providers is None else providers
    states = mq.provider_states(store)
    pending = {r["series_id"]: r for r in rows}
    reasons: dict[str, list[str]] = {sid: [] for sid in pending}
    bar = tqdm(total=len(rows), desc="metrics", unit="series", file=sys.stderr, disable=not progress, leave=False)
    try:
        for provider in providers:
            wanted = [_query(r, provider.name) for r in pending.values()]
            wanted = [q for q in wanted if provider.supports(q)]
            if not wanted:
                continue
            cb = _breaker(states.get(provider.name))
            if not cb.allows():
                report.providers_down.append(f"{provider.name} (circuit open after {cb.failures} failures: "
                                             f"{cb.last_error})")
                for q in wanted:
                    reasons[q.series_id].append(f"{provider.name}: skipped, provider unavailable")
                continue
            last_call = 0.0
            for i in range(0, len(wanted), provider.batch_size):
                if stop.requested():
                    break  # the rest stay due for the next pass
                batch = wanted[i:i + provider.batch_size]
                gap = last_call + provider.min_interval_s - time.monotonic()
                if gap > 0:
                    time.sleep(gap)
                try:
                    result = provider.fetch(batch)
                except ProviderError as e:
                    cb.failure(str(e))
                    if e.retry_after_s:  # the provider said when to come back: not before that
                        cb.open_until = max(cb.open_until, time.time() + e.retry_after_s)
                    _save_breaker(store, provider.name, cb, ok=False)
                    report.errors.append(f"{provider.name}: {e}")
                    for q in wanted[i:]:
                        reasons[q.series_id].append(f"{provider.name}: {e}")
                    if not cb.allows():
                        report.providers_down.append(f"{provider.name} ({e})")
                    break
                finally:
                    last_call = time.monotonic()
                cb.success()
                _save_breaker(store, provider.name, cb, ok=True)
                for q in batch:
                    obs = result.observations.get(q.series_id)
                    if obs:
                        report.observations += mq.save_fetch(store, q.series_id, provider.name, obs,
                                                             result.units.get(q.series_id),
                                                             in_seconds(cfg.refresh_interval_s))
                        report.series_fetched += 1
                        checkpoint("metrics.saved")
                        pending.pop(q.series_id, None)
                        bar.update()
                    else:
                        reasons[q.series_id].append(
                            f"{provider.name}: {result.missing.get(q.series_id, 'no observations in the window')}")
    finally:
        for p in providers:
            p.close()
        bar.close()
    if stop.requested():
        return report  # unfetched series keep their schedule: nothing is recorded as failed
    for sid, row in pending.items():
        why = "; ".join(reasons[sid]) or "no configured provider serves this series"
        tries = (row.get("error_count") or 0) + 1
        mq.record_error(store, sid, why, in_seconds(backoff_s(D.METRICS_RETRY_BASE_S, D.METRICS_RETRY_CAP_S, tries)))
        report.series_failed += 1
    return report


def _query(row: dict, provider: str) -> Query:
    key = parse(row["series_id"])
    return Query(series_id=row["series_id"], kind=key.kind, symbol=key.symbol, field=key.field,
                 start=mq.start_for(row, provider, D.METRICS_OVERLAP_DAYS))
