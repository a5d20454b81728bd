"""Collect stage: feeds (httpx + feedparser), article pages (trafilatura), local files, de-duplication.

Entry point: ``collect(store, settings, ...) -> CollectReport``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CollectReport:
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    new_articles: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        """True when at least one feed answered (200 or 304)."""
        return (self.feeds_fetched + self.feeds_not_modified) > 0

    def summary(self) -> str:
        return (f"collected {self.new_articles} new articles ({self.duplicates} duplicates merged); "
                f"feeds: {self.feeds_fetched} fetched, {self.feeds_not_modified} unchanged, {self.feeds_failed} failed")


def collect(store, settings, *, all_feeds: bool = False, sample: bool = False, paths=(), progress: bool = True) -> CollectReport:
    raise NotImplementedError("collect: implemented by the collect work")
