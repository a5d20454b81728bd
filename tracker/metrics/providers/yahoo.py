"""Yahoo Finance through yfinance: daily adjusted closes of equities, ETFs, indices, currency pairs and futures in
every market Yahoo covers (``7203.T``, ``0700.HK``, ``000858.SZ``, ``^HSI``, ``JPY=X``, ``CL=F``), and quarterly
statement lines (``stmt:7203.T:EBIT``).

- Closes: one ``yf.download`` per batch of symbols that share a window, asking only from ``Query.start`` (what the
  store lacks); adjusted (``auto_adjust=True``); each observation is dated by its trading date in the exchange's
  time zone. Unit: the listing's currency from the chart metadata ('index' for an index), else from the symbol.
- Statements: a ticker's quarterly income statement, cash-flow statement and balance sheet (only the tables the
  queried lines live in), each line dated by its period end; unit: the statement's currency.
- Failures (see yahoo_watch): an HTTP 429 -> ``ProviderError`` (rate limit, with Retry-After when sent); Yahoo
  failing (5xx, network) for every symbol of a call -> ``ProviderError`` (outage); a symbol Yahoo does not know or
  without data in the window -> ``missing`` with the reason, while the other symbols are served.
- Politeness: at least ``min_interval_s`` between two yfinance calls, inside one extract too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import yfinance as yf
import yfinance.data

from tracker.metrics.providers.base import FetchResult, Observation, Provider, ProviderError, Query
from tracker.metrics.providers.yahoo_watch import CHART, FUNDAMENTALS, Watch, WatchedSession
from tracker.net import HostGate, retry_after_seconds
from tracker.timeutil import iso

HOST = "finance.yahoo.com"

# The quarterly statement that holds each line the linker uses (yfinance's time-series names).
_INCOME, _CASH, _BALANCE = "income statement", "cash-flow statement", "balance sheet"
STATEMENT_TABLES = {"TotalRevenue": _INCOME, "OperatingIncome": _INCOME, "EBIT": _INCOME, "InterestExpense": _INCOME,
                    "NetIncome": _INCOME, "DilutedEPS": _INCOME, "OperatingCashFlow": _CASH,
                    "CapitalExpenditure": _CASH, "FreeCashFlow": _CASH, "TotalDebt": _BALANCE}
_GETTERS = {_INCOME: "get_income_stmt", _CASH: "get_cash_flow", _BALANCE: "get_balance_sheet"}

# Listing currency by Yahoo suffix, for when a chart carries no metadata (Yahoo quotes London in pence, GBp,
# and Johannesburg in cents, ZAc, as its own metadata does).
SUFFIX_CURRENCY = {
    "T": "JPY", "HK": "HKD", "SS": "CNY", "SZ": "CNY", "TW": "TWD", "TWO": "TWD", "KS": "KRW", "KQ": "KRW",
    "NS": "INR", "BO": "INR", "AX": "AUD", "NZ": "NZD", "SI": "SGD", "KL": "MYR", "BK": "THB", "JK": "IDR",
    "L": "GBp", "TO": "CAD", "V": "CAD", "DE": "EUR", "F": "EUR", "PA": "EUR", "AS": "EUR", "MI": "EUR",
    "MC": "EUR", "BR": "EUR", "LS": "EUR", "HE": "EUR", "IR": "EUR", "VI": "EUR", "SW": "CHF", "ST": "SEK",
    "OL": "NOK", "CO": "DKK", "SA": "BRL", "MX": "MXN", "JO": "ZAc",
}


# Yahoo writes numeric exchange codes zero-padded to a fixed width: 0700.HK (HKEX's 00700 or 700), 005930.KS.
CODE_WIDTH = {"HK": 4, "SS": 6, "SZ": 6, "KS": 6, "KQ": 6, "T": 4, "TW": 4, "TWO": 4}


def yahoo_symbol(symbol: str) -> str:
    """The symbol as Yahoo spells it: upper case, numeric codes padded (``700.HK`` and ``00700.HK`` -> ``0700.HK``)."""
    s = symbol.strip().upper()
    code, dot, suffix = s.rpartition(".")
    if dot and code.isdigit() and suffix in CODE_WIDTH:
        return f"{int(code):0{CODE_WIDTH[suffix]}d}.{suffix}"
    return s


def listing_unit(symbol: str) -> str | None:
    """The unit of a symbol's closes without metadata: 'index' for ^ indices, the quote currency of an =X pair
    (JPY=X: yen per dollar, EURUSD=X: dollars), USD for =F futures and suffix-less US listings, else the suffix's."""
    s = symbol.upper()
    if s.startswith("^"):
        return "index"
    if s.endswith("=X"):
        pair = s[:-2]
        return pair if len(pair) == 3 else pair[3:6] if len(pair) == 6 else None
    if s.endswith("=F"):
        return "USD"
    if "." not in s:
        return "USD"
    return SUFFIX_CURRENCY.get(s.rsplit(".", 1)[1])


def unit_from_meta(meta: dict) -> str | None:
    if meta.get("instrumentType") == "INDEX":
        return "index"
    return meta.get("currency")


_SESSION: WatchedSession | None = None


def watched_session(timeout_s: float) -> WatchedSession:
    """The process's one watched session for yfinance (created on first use)."""
    global _SESSION
    if _SESSION is None:
        _SESSION = WatchedSession(timeout_s)
    _SESSION.timeout_s = timeout_s
    return _SESSION


@dataclass
class YahooRaw:
    """What one extract got: the rows yfinance returned and, per call, why Yahoo failed for a symbol."""

    watch: Watch
    closes: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # SYMBOL -> (trading date, close)
    statements: dict[tuple[str, str], object] = field(default_factory=dict)  # (SYMBOL, table) -> DataFrame
    failures: dict[tuple[str, str], str] = field(default_factory=dict)  # (SYMBOL, close|table) -> outage text


class YahooProvider(Provider):
    name = "yahoo"
    kinds = frozenset(("close", "statement"))

    def __init__(self, cfg):
        self.batch_size = cfg.batch_size
        self.min_interval_s = cfg.min_interval_s
        self.timeout_s = cfg.timeout_s
        self.gate = HostGate(cfg.min_interval_s)

    def supports(self, query: Query) -> bool:
        return query.kind == "close" or (query.kind == "statement" and query.field in STATEMENT_TABLES)

    # ------------------------------------------------------------------------------------------------- extract
    def extract(self, queries: list[Query]) -> YahooRaw:
        session = watched_session(self.timeout_s)
        with session.watching() as watch:
            raw = YahooRaw(watch)
            yfinance.data.YfData.cache_get.cache_clear()  # yfinance memoises answers in-process: never reuse one
            windows: dict[tuple[date | None, date | None], set[str]] = {}
            for q in queries:
                if q.kind == "close":
                    windows.setdefault((q.start, q.end), set()).add(yahoo_symbol(q.symbol))
            for (start, end), symbols in sorted(windows.items(), key=lambda kv: str(kv[0])):
                self._closes(raw, sorted(symbols), start, end, session)
            tables: dict[str, set[str]] = {}
            for q in queries:
                if q.kind == "statement":
                    tables.setdefault(yahoo_symbol(q.symbol), set()).add(STATEMENT_TABLES[q.field])
            for symbol, names in sorted(tables.items()):
                ticker = yf.Ticker(symbol, session=session.session)
                for table in sorted(names):
                    raw.statements[(symbol, table)] = self._call(raw, FUNDAMENTALS, [symbol], table,
                                                                 getattr(ticker, _GETTERS[table]), freq="quarterly")
        return raw

    def _closes(self, raw: YahooRaw, symbols: list[str], start: date | None, end: date | None, session) -> None:
        window = {"start": start.isoformat()} if start else {"period": "max"}
        if end:
            window["end"] = (end + timedelta(days=1)).isoformat()  # yfinance's end is exclusive
        frame = self._call(raw, CHART, symbols, "close", yf.download, symbols, **window, interval="1d",
                           auto_adjust=True, actions=False, progress=False, threads=False, timeout=self.timeout_s,
                           session=session.session, multi_level_index=True)
        for s in symbols:
            raw.closes[s] = _closes_of(frame, s)

    def _call(self, raw: YahooRaw, endpoint: str, symbols: list[str], what: str, fn, *args, **kwargs):
        """One yfinance call, in its turn. What it hid is checked first; an exception it let out (rare) is a
        provider failure too, never a crash of the refresh."""
        mark = raw.watch.mark()
        error = None
        with self.gate.turn(HOST):
            try:
                out = fn(*args, **kwargs)
            except Exception as e:
                out, error = None, e
        self._check(raw, endpoint, symbols, what, mark)
        if error is not None:
            text = str(error).splitlines()[0][:200] if str(error) else ""
            raise ProviderError(f"yfinance failed: {type(error).__name__}: {text}") from error
        return out

    def _check(self, raw: YahooRaw, endpoint: str, symbols: list[str], what: str, mark: int) -> None:
        """Stop at a rate limit or when Yahoo failed for every symbol of the call; note the symbols it failed for."""
        limited = raw.watch.rate_limit(mark)
        if limited is not None:
            wait = retry_after_seconds(limited.retry_after)
            raise ProviderError("Yahoo Finance rate limit (HTTP 429)" + (f", retry after {wait:.0f} s" if wait else "")
                                + ": wait, or raise [metrics.yahoo] min_interval_s", retry_after_s=wait)
        failed = {s: raw.watch.failure(endpoint, s, mark) for s in symbols}
        failed = {s: why for s, why in failed.items() if why}
        for s, why in failed.items():
            raw.failures[(s, what)] = why
        if failed and len(failed) == len(symbols):
            shown = ", ".join(symbols[:5]) + (" ..." if len(symbols) > 5 else "")
            raise ProviderError(f"Yahoo Finance is unavailable ({next(iter(failed.values()))} for {shown}): "
                                "retried on a later pass")

    # ----------------------------------------------------------------------------------------------- transform
    def transform(self, raw: YahooRaw, queries: list[Query]) -> FetchResult:
        result = FetchResult()
        fetched = iso()
        for q in queries:
            symbol = yahoo_symbol(q.symbol)
            if q.kind == "close":
                rows = raw.closes.get(symbol, [])
                unit = unit_from_meta(raw.watch.meta(CHART, symbol)) or listing_unit(symbol)
                what = "close"
            else:
                what = STATEMENT_TABLES[q.field]
                rows = _line_of(raw.statements.get((symbol, what)), q.field)
                unit = raw.watch.meta(FUNDAMENTALS, symbol).get("currency") or _currency(symbol)
            kept = [(d, v) for d, v in rows
                    if (q.start is None or d >= q.start.isoformat()) and (q.end is None or d <= q.end.isoformat())]
            if kept:
                result.observations[q.series_id] = [Observation(q.series_id, d, v, self.name, fetched) for d, v in kept]
                if unit:
                    result.units[q.series_id] = unit
            else:
                result.missing[q.series_id] = self._why(raw, q, symbol, what, bool(rows))
        return result

    def _why(self, raw: YahooRaw, q: Query, symbol: str, what: str, outside_window: bool) -> str:
        since = f" from {q.start.isoformat()}" if q.start else ""
        outage = raw.failures.get((symbol, what))
        if outage:
            return f"Yahoo Finance failed for {symbol} ({outage}); retried later"
        if outside_window:
            return f"Yahoo Finance has no {'prices' if what == 'close' else q.field + ' values'} for {symbol}{since}"
        endpoint = CHART if what == "close" else FUNDAMENTALS
        answer = raw.watch.last(endpoint, symbol)
        said = (answer.error if answer is not None else None) or raw.watch.reason(symbol)
        if what == "close":
            return f"Yahoo Finance has no prices for {symbol}{since}" + (f": {said}" if said else "")
        frame = raw.statements.get((symbol, what))
        if frame is None or getattr(frame, "empty", True):
            return f"Yahoo Finance has no quarterly {what} for {symbol}" + (f": {said}" if said else "")
        return f"Yahoo Finance's quarterly {what} for {symbol} has no {q.field} line"


def _currency(symbol: str) -> str | None:
    unit = listing_unit(symbol)
    return None if unit == "index" else unit


def _finite(v) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _closes_of(frame, symbol: str) -> list[tuple[str, float]]:
    """(trading date, adjusted close) of one symbol in a yf.download frame; NaN (Yahoo's nulls, other markets'
    trading days) skipped. With daily bars yfinance indexes each row by its date in the exchange's time zone."""
    try:
        column = frame["Close"][symbol]
    except (KeyError, TypeError, IndexError):
        return []
    return [(ts.date().isoformat(), float(v)) for ts, v in column.items() if _finite(v)]


def _line_of(frame, line: str) -> list[tuple[str, float]]:
    """(period end, value) of one statement line, oldest first."""
    if frame is None or getattr(frame, "empty", True) or line not in frame.index:
        return []
    return sorted((ts.date().isoformat(), float(v)) for ts, v in frame.loc[line].items() if _finite(v))
