"""Politeness toward remote hosts, shared by the feed collector and the metric providers.

- ``HostGate``: at least ``delay`` seconds between two requests to one host, and hosts that answered with
  Retry-After stay closed until then.
- ``backoff_s``: capped exponential backoff after consecutive failures.
- ``retry_after_seconds``: a Retry-After header (delta-seconds or an HTTP date) in seconds, clamped.
- ``CircuitBreaker``: after ``threshold`` consecutive failures a provider is skipped for a cool-down
  (itself backing off), so an outage costs one failed call per cool-down instead of one per request.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from tracker import defaults as D


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def backoff_s(base_s: float, cap_s: float, failures: int) -> float:
    """Wait before the next try after ``failures`` consecutive failures (1 = the first): base × 2^(n−1), capped."""
    if failures <= 0:
        return 0.0
    return float(min(cap_s, base_s * 2 ** min(failures - 1, 40)))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return max(0.0, min(seconds, D.RETRY_AFTER_MAX_S))


class HostGate:
    """Per-host politeness: at least ``delay`` seconds between two requests to one host (counted from the end
    of the previous one); hosts that sent Retry-After are closed until then (ISO-8601 UTC strings)."""

    def __init__(self, delay: float, *, clock=time.monotonic, sleep=time.sleep):
        self.delay = delay
        self.last: dict[str, float] = {}
        self.closed_until: dict[str, str] = {}
        self._clock, self._sleep = clock, sleep

    def wait_s(self, host: str) -> float:
        """Seconds until ``host`` may be asked again (0 when now)."""
        return max(0.0, self.last.get(host, -1e18) + self.delay - self._clock())

    @contextlib.contextmanager
    def turn(self, host: str):
        """Wait for the host's turn, then hold it for one request."""
        gap = self.wait_s(host)
        if gap > 0:
            self._sleep(gap)
        try:
            yield
        finally:
            self.last[host] = self._clock()

    def close(self, host: str, until: str) -> None:
        self.closed_until[host] = max(until, self.closed_until.get(host, until))

    def is_closed(self, host: str, at: str) -> bool:
        return self.closed_until.get(host, "") > at


@dataclass
class CircuitBreaker:
    """Closed (calls go through) until ``threshold`` consecutive failures; then open for a cool-down that
    doubles with each further failure up to ``cap_s``. One success closes it. State is in-process; callers
    that must remember it across runs store ``failures`` and ``open_until`` (see tracker.store.metrics)."""

    threshold: int = D.BREAKER_THRESHOLD
    base_s: float = D.BREAKER_BASE_S
    cap_s: float = D.BREAKER_CAP_S
    failures: int = 0
    open_until: float = 0.0  # epoch seconds
    last_error: str | None = None
    clock: object = field(default=time.time, repr=False)

    def allows(self) -> bool:
        return self.clock() >= self.open_until

    def success(self) -> None:
        self.failures, self.open_until, self.last_error = 0, 0.0, None

    def failure(self, error: str) -> None:
        self.failures += 1
        self.last_error = error
        if self.failures >= self.threshold:
            self.open_until = self.clock() + backoff_s(self.base_s, self.cap_s, self.failures - self.threshold + 1)
