"""``tracker run``: chains the stages over the store. Each stage commits its own work, so any can be re-run.

collect → (when due and online) the securities master from FinanceDatabase → extract."""

from __future__ import annotations

from typing import Iterator

from tracker.collect import collect
from tracker.store import feeds as feeds_q


def run(store, settings, *, sample_if_offline: bool = False, progress: bool = True) -> Iterator[str]:
    feeds_q.sync_config_feeds(store, settings.feeds)
    report = collect(store, settings, all_feeds=False, progress=progress)
    yield report.summary()
    has_feeds = bool(feeds_q.list_feeds(store))
    from tracker.securities import ensure_master

    built = ensure_master(store, settings, progress=progress, online=report.reachable if has_feeds else None)
    if built:
        yield built  # the first online run builds the full master; later runs refresh it weekly
    if sample_if_offline and not report.reachable:
        why = "no feeds are configured" if not has_feeds else "none of the configured feeds could be reached"
        sample = collect(store, settings, sample=True, progress=progress)
        yield f"{why}: ingested the bundled sample corpus instead ({sample.new_articles} new articles)"
    from tracker.nlp.extract import extract_store

    ext = extract_store(store, settings, reprocess=False, progress=progress)
    yield ext.get("summary", str(ext))
