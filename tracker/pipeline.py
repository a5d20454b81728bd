"""``tracker run``: the pipeline, once or on a schedule: collect → securities (the full master from FinanceDatabase
when due and online) → extract → metrics (link + refresh) → evaluate → alerts. A table of stages; each stage commits its own work, so any stage can fail or be interrupted without losing
or duplicating what the others did, and a failing stage never stops the ones after it.

One instance per store (the run lock; a crashed process never leaves it held). SIGINT / SIGTERM finish the
current item and stop (tracker.stop). Each pass is stored in ``runs`` with its per-stage summary and printed:
progress bars on a terminal, one line per stage otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from tracker import stop
from tracker.errors import StageBusy, TrackerError
from tracker.store import runs as runs_q


@dataclass
class Context:
    store: object
    settings: object
    sample: bool = False
    sample_if_offline: bool = False
    progress: bool = False
    online: bool | None = None  # whether a feed answered this pass (None: no feeds to tell)
    notes: list[str] = field(default_factory=list)


@dataclass
class StageResult:
    name: str
    summary: str
    seconds: float
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    status: str = "ok"  # ok | failed | busy | skipped


def _collect(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.collect import collect
    from tracker.store import feeds as feeds_q

    feeds_q.sync_config_feeds(ctx.store, ctx.settings.feeds)
    report = collect(ctx.store, ctx.settings, all_feeds=False, sample=ctx.sample, progress=ctx.progress)
    if report.reachable or report.feeds_failed:
        ctx.online = report.reachable
    lines, new = [report.summary()], report.new_articles
    offline = not report.reachable and (report.feeds_failed or not feeds_q.list_feeds(ctx.store))
    if ctx.sample_if_offline and not ctx.sample and offline:  # feeds merely not due yet are not "offline"
        has_feeds = bool(feeds_q.list_feeds(ctx.store))
        why = "no feeds are configured" if not has_feeds else "none of the configured feeds could be reached"
        sample = collect(ctx.store, ctx.settings, sample=True, progress=ctx.progress)
        lines.append(f"{why}: ingested the bundled sample corpus instead ({sample.new_articles} new articles); "
                     "its claims are judged on the bundled SAMPLE data set")
        ctx.sample = True
        new += sample.new_articles
    if ctx.sample:
        ctx.settings.metrics.sample = True
    return "; ".join(lines), {"new_articles": new, "updated": report.updated_articles}, list(report.errors)


def _securities(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.securities import ensure_master

    built = ensure_master(ctx.store, ctx.settings, progress=ctx.progress, online=ctx.online)
    return built or "the securities master is up to date (or offline: the curated list is used)", {}, []


def _extract(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.nlp.extract import extract_store

    r = extract_store(ctx.store, ctx.settings, reprocess=False, progress=ctx.progress,
                      limit=ctx.settings.nlp.max_articles_per_pass)  # bounded: the rest is queued, and said
    return r.get("summary", ""), {"extracted": r.get("extracted", 0), "failed": r.get("failed", 0)}, []


def _metrics(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.metrics.linking import link_claims
    from tracker.metrics.refresh import refresh

    link = link_claims(ctx.store, ctx.settings)
    r = refresh(ctx.store, ctx.settings, progress=ctx.progress)
    return f"{link.summary()}; {r.summary()}", {"linked": link.linked, "series_fetched": r.series_fetched,
                                                  "queued": r.queued}, list(r.errors)


def _evaluate(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.evaluate import evaluate

    r = evaluate(ctx.store, ctx.settings, refresh=False, alerts=False, progress=ctx.progress)
    return r.summary(), {"claims": r.claims, "status_changes": len(r.changes),
                         "thesis_changes": len(r.thesis_changes)}, list(r.errors)


def _alerts(ctx: Context) -> tuple[str, dict, list[str]]:
    from tracker.alerts import run

    r = run(ctx.store, ctx.settings)
    return r.summary(), {"alerts": r.created, "sent": r.sent, "failed": r.failed}, list(r.errors)


STAGES: tuple[tuple[str, Callable[[Context], tuple[str, dict, list[str]]]], ...] = (
    ("collect", _collect), ("securities", _securities), ("extract", _extract), ("metrics", _metrics),
    ("evaluate", _evaluate), ("alerts", _alerts))


@dataclass
class PassReport:
    run_id: int
    stages: list[StageResult]
    outcome: str  # ok | partial | interrupted

    def totals(self) -> dict:
        c: dict = {}
        for s in self.stages:
            for k, v in s.counts.items():
                c[k] = c.get(k, 0) + v
        c["errors"] = sum(len(s.errors) for s in self.stages)
        return c

    def summary(self) -> str:
        t = self.totals()
        return (f"run {self.run_id} {self.outcome}: {t.get('new_articles', 0)} new articles, "
                f"{t.get('extracted', 0)} extracted, {t.get('status_changes', 0)} claim status changes, "
                f"{t.get('alerts', 0)} alerts ({t.get('sent', 0)} deliveries sent), {t['errors']} errors")


def run_pass(store, settings, *, sample: bool = False, sample_if_offline: bool = False, progress: bool = False,
             emit: Callable[[str], None] = print) -> PassReport:
    """One pass over every stage. Stage errors are recorded and the pass goes on."""
    ctx = Context(store, settings, sample=sample, sample_if_offline=sample_if_offline, progress=progress)
    run_id = runs_q.start(store)
    results: list[StageResult] = []
    outcome = "ok"
    for name, fn in STAGES:
        if stop.requested():
            results.append(StageResult(name, "not started: stop requested", 0.0, status="skipped"))
            outcome = "interrupted"
            continue
        t0 = time.perf_counter()
        try:
            summary, counts, errors = fn(ctx)
            status = "ok"
        except StageBusy as e:
            summary, counts, errors, status = f"skipped: {e}", {}, [], "busy"
        except TrackerError as e:
            summary, counts, errors, status = f"failed: {e}", {}, [str(e)], "failed"
        except Exception as e:  # noqa: BLE001 - a bug in one stage must not stop the others; recorded and shown
            summary, counts, errors, status = f"failed: {type(e).__name__}: {e}", {}, [f"{type(e).__name__}: {e}"], "failed"
        res = StageResult(name, summary, time.perf_counter() - t0, counts, errors, status)
        results.append(res)
        if status != "ok" or errors:
            outcome = "partial" if outcome == "ok" else outcome
        emit(f"{summary if summary.startswith(name + ':') else f'{name}: {summary}'} ({res.seconds:.1f} s)")
        for e in errors if status == "ok" else []:  # a failed stage's error is its summary line
            emit(f"  warning: {e}")
    if stop.requested():
        outcome = "interrupted"
    report = PassReport(run_id, results, outcome)
    runs_q.finish(store, run_id, outcome, {"stages": [r.__dict__ for r in results], "totals": report.totals()})
    return report


def parse_every(text: str) -> float:
    """'15m' -> 900.0 seconds; accepts s, m, h, d."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not an interval such as 90s, 15m, 2h or 1d")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def run(store, settings, *, once: bool, every_s: float, sample: bool = False, sample_if_offline: bool = False,
        progress: bool = False, emit: Callable[[str], None] = print, max_passes: int | None = None) -> list[PassReport]:
    """Passes until stopped (or one with ``once``), holding the store's run lock for the whole time."""
    reports = []
    with store.exclusive("run"):
        while True:
            report = run_pass(store, settings, sample=sample, sample_if_offline=sample_if_offline, progress=progress,
                              emit=emit)
            emit(report.summary())
            reports.append(report)
            sample = sample or bool(settings.metrics.sample)  # a pass that fell back to the sample keeps it
            if once or stop.requested() or (max_passes and len(reports) >= max_passes):
                break
            emit(f"next pass in {every_s:g} s (Ctrl-C stops)")
            if stop.wait(every_s):
                break
    return reports
