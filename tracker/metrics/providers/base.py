"""The provider interface, in the shape of a fetcher: query parameters -> ``extract`` (the only step that does I/O)
-> ``transform`` into standard observations with provenance.

A provider serves some series kinds (close, statement, macro). ``fetch(queries)`` returns a ``FetchResult``:
observations per series id, the unit of each series (a currency code, 'percent', 'index'), and the series it does
not have (``missing``: series id -> reason; the refresh then asks the next provider). An outage of the provider
itself (network error, timeout, HTTP 5xx, rate limit, a library that hides its errors) raises ``ProviderError``:
the refresh records it, feeds the provider's circuit breaker and leaves the series to the next provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from tracker.errors import TrackerError


class ProviderError(TrackerError):
    """A provider could not answer at all (outage, rate limit, bad credentials). ``retry_after_s`` when known."""

    code = "T050"

    def __init__(self, message: str, *, retry_after_s: float | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Query:
    series_id: str  # close:2330.TW | stmt:2330.TW:TotalRevenue | macro:DGS10
    kind: str  # close | statement | macro
    symbol: str  # symbol or code at the provider
    field: str | None = None  # statement line
    start: date | None = None  # first date wanted (None: the provider's default history)
    end: date | None = None  # last date wanted (None: up to today)


@dataclass(frozen=True)
class Observation:
    series_id: str
    date: str  # YYYY-MM-DD: the trading date in the exchange's zone, or a statement's period end
    value: float
    provider: str
    fetched_at: str  # ISO-8601 UTC


@dataclass
class FetchResult:
    observations: dict[str, list[Observation]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # series id -> why the provider has no data for it


class Provider:
    """Base class. Subclasses set ``name`` and ``kinds`` and implement ``extract`` and ``transform``."""

    name: ClassVar[str] = "provider"
    kinds: ClassVar[frozenset[str]] = frozenset()
    batch_size: int = 50  # queries per extract call
    min_interval_s: float = 0.0  # the refresh waits this long between two extract calls (self-throttling)

    def supports(self, query: Query) -> bool:
        return query.kind in self.kinds

    def extract(self, queries: list[Query]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def transform(self, raw: Any, queries: list[Query]) -> FetchResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def fetch(self, queries: list[Query]) -> FetchResult:
        return self.transform(self.extract(queries), queries)

    def close(self) -> None:
        """Release connections (called once per refresh pass)."""
