"""What yfinance hides: the HTTP answers behind its empty frames.

yfinance turns most failures (an unknown symbol, an HTTP 5xx, a refused connection) into an empty frame and a log
line, and only a rate limit into an exception that ``yf.download`` then swallows too. To tell a symbol Yahoo does not
know from an outage, the Yahoo provider gives yfinance one HTTP session whose requests are watched: every answer of
a data endpoint (the chart and the fundamentals time series) is recorded with its status, its Retry-After and the
metadata in its body (a chart's currency, instrument type and exchange time zone; a statement's currency), and every
network error with its type. yfinance's error log lines are captured while the provider works (they give a symbol's
reason in yfinance's words) instead of reaching stderr.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

CHART = "chart"
FUNDAMENTALS = "fundamentals"
_ENDPOINTS = ((CHART, re.compile(r"/v8/finance/chart/([^/?]+)")),
              (FUNDAMENTALS, re.compile(r"/fundamentals-timeseries/v1/finance/timeseries/([^/?]+)")))
_LIST_LINE = re.compile(r"^\s*\[([^\]]*)\]: (.+)$", re.S)  # yf.download's "['SYM', ...]: reason" lines


@dataclass
class Answer:
    endpoint: str  # chart | fundamentals
    symbol: str
    status: int | None  # None: no answer at all (network error)
    error: str | None = None  # network error, or Yahoo's own error description in the body
    retry_after: str | None = None
    # chart: currency, instrumentType, exchangeTimezoneName; fundamentals: the statement's currency
    meta: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """No usable answer from Yahoo itself: a network error or an HTTP 5xx."""
        return self.status is None or self.status >= 500

    def describe(self) -> str:
        return self.error if self.status is None else f"HTTP {self.status}"


class Watch:
    """What one provider call saw."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.log_lines: list[str] = []

    def record(self, url: str, response) -> None:
        where = _endpoint(url)
        if where is None:
            return
        endpoint, symbol = where
        answer = Answer(endpoint, symbol, response.status_code, retry_after=response.headers.get("Retry-After"))
        if response.status_code < 500 and response.status_code != 429:
            _read_body(answer, response)
        self.answers.append(answer)

    def record_error(self, url: str, error: Exception) -> None:
        where = _endpoint(url)
        if where is not None:
            text = f"{type(error).__name__}: {error}".splitlines()[0][:200]
            self.answers.append(Answer(*where, status=None, error=text))

    def mark(self) -> int:
        """A position to ask about what one yfinance call saw (``since=``)."""
        return len(self.answers)

    def rate_limit(self, since: int = 0) -> Answer | None:
        """An HTTP 429 that was a symbol's last answer since the mark (yfinance retries once itself)."""
        last: dict[tuple[str, str], Answer] = {}
        for a in self.answers[since:]:
            last[(a.endpoint, a.symbol)] = a
        return next((a for a in last.values() if a.status == 429), None)

    def last(self, endpoint: str, symbol: str, since: int = 0) -> Answer | None:
        """The symbol's last answer from ``endpoint`` since the mark."""
        return next((a for a in reversed(self.answers[since:]) if a.endpoint == endpoint and a.symbol == symbol), None)

    def failure(self, endpoint: str, symbol: str, since: int = 0) -> str | None:
        """Why the symbol got nothing from ``endpoint`` when Yahoo itself failed (5xx, network error); else None."""
        answer = self.last(endpoint, symbol, since)
        return answer.describe() if answer is not None and answer.failed else None

    def meta(self, endpoint: str, symbol: str) -> dict:
        """The metadata of the symbol's usable answers (merged, the latest wins)."""
        out: dict = {}
        for a in self.answers:
            if a.endpoint == endpoint and a.symbol == symbol and not a.failed:
                out.update(a.meta)
        return out

    def reason(self, symbol: str) -> str | None:
        """yfinance's logged reason for a symbol (``['SYM']: possibly delisted; ...`` or ``$SYM: ...``)."""
        for line in reversed(self.log_lines):
            m = _LIST_LINE.match(line)
            if m and symbol.upper() in re.findall(r"'([^']*)'", m.group(1)):
                return m.group(2).splitlines()[0][:200]
            marker = f"${symbol.upper()}: "
            if marker in line:
                return line.split(marker, 1)[1].splitlines()[0][:200]
        return None


class _Capture(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.WARNING)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(record.getMessage())
        except Exception:  # pragma: no cover - a malformed log call must not break a fetch
            pass


class WatchedSession:
    """The one HTTP session handed to yfinance (yfinance keeps its cookie and crumb per process, so one session per
    process avoids stale-crumb retries). Every request is capped at ``timeout_s`` and reported to the active watch."""

    def __init__(self, timeout_s: float):
        from yfinance._http import new_session  # yfinance's own backend choice: curl_cffi, or requests

        self.timeout_s = timeout_s
        self.session = new_session()
        self._watch: Watch | None = None
        real = self.session.request

        def request(method, url, *args, **kwargs):
            asked = kwargs.get("timeout")
            kwargs["timeout"] = min(asked, self.timeout_s) if asked else self.timeout_s
            watch = self._watch
            try:
                response = real(method, url, *args, **kwargs)
            except Exception as e:
                if watch is not None:
                    watch.record_error(url, e)
                raise
            if watch is not None:
                watch.record(url, response)
            return response

        self.session.request = request

    @contextlib.contextmanager
    def watching(self):
        """Watch the requests made inside the block; yfinance's warnings and error lines are captured, not printed."""
        watch = Watch()
        handler = _Capture(watch.log_lines)
        logger = logging.getLogger("yfinance")
        logger.addHandler(handler)
        self._watch = watch
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # yfinance's own pandas deprecations
                warnings.simplefilter("ignore", FutureWarning)
                yield watch
        finally:
            self._watch = None
            logger.removeHandler(handler)


def _endpoint(url: str) -> tuple[str, str] | None:
    path = urlsplit(url).path
    for name, pattern in _ENDPOINTS:
        m = pattern.search(path)
        if m:
            return name, unquote(m.group(1)).upper()
    return None


def _read_body(answer: Answer, response) -> None:
    try:
        body = response.json()
    except Exception:  # not JSON (an HTML error page): nothing to read
        return
    if not isinstance(body, dict):
        return
    if answer.endpoint == CHART:
        chart = body.get("chart") or {}
        error = chart.get("error")
        if isinstance(error, dict):
            answer.error = str(error.get("description") or error.get("code") or error)[:200]
        results = chart.get("result") or []
        meta = (results[0] or {}).get("meta") if results and isinstance(results[0], dict) else None
        if isinstance(meta, dict):
            answer.meta = {k: meta[k] for k in ("currency", "instrumentType", "exchangeTimezoneName") if meta.get(k)}
    else:
        for item in ((body.get("timeseries") or {}).get("result") or []):
            for key, values in (item or {}).items():
                if key in ("meta", "timestamp") or not isinstance(values, list):
                    continue
                currency = next((v["currencyCode"] for v in values if isinstance(v, dict) and v.get("currencyCode")),
                                None)
                if currency:
                    answer.meta = {"currency": currency}
                    return
