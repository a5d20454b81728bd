"""FRED (Federal Reserve Economic Data) for macro series: ``macro:DGS10`` (10-year Treasury yield), ``macro:DGS2``,
``macro:FEDFUNDS`` / ``macro:DFF`` (policy rate), ``macro:CPIAUCSL`` (CPI), ``macro:BAMLH0A0HYM2`` (high-yield
spread), ``macro:DTWEXBGS`` (dollar index), ``macro:DEXJPUS`` (yen per dollar), ``macro:DCOILWTICO`` (WTI oil),
``macro:VIXCLS`` (VIX).

- With an API key (in the environment variable named by ``[metrics.fred] api_key_env``, FRED_API_KEY by default):
  the JSON API ``{api_url}/series/observations?series_id=&api_key=&file_type=json&observation_start=YYYY-MM-DD``.
- Without one: the keyless CSV download ``{csv_url}?id=SERIES&cosd=YYYY-MM-DD`` (header ``observation_date,SERIES``).
- "." (no observation that day) is skipped. One request per series, spaced by ``min_interval_s``; httpx with the
  configured timeout, the User-Agent and a cap on the body.
- 429/503 with Retry-After -> ``ProviderError(retry_after_s=...)``; other 5xx, network errors and a rejected key ->
  ``ProviderError``; another 4xx (a series FRED does not have) -> ``missing``. The key is masked in every message
  and in httpx's request log lines.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from datetime import date
from urllib.parse import quote, urlencode

import httpx

from tracker import defaults as D
from tracker.collect.http import fetch
from tracker.errors import FetchError
from tracker.metrics.providers.base import FetchResult, Observation, Provider, ProviderError, Query
from tracker.metrics.providers.csv import read_series_csv
from tracker.net import HostGate, host_of, retry_after_seconds
from tracker.timeutil import in_seconds, iso

# Units of the series the linker uses (FRED's observations do not carry them); other codes get none.
UNITS = {"DGS10": "percent", "DGS2": "percent", "DGS5": "percent", "DGS30": "percent", "DGS3MO": "percent",
         "T10Y2Y": "percent", "FEDFUNDS": "percent", "DFF": "percent", "BAMLH0A0HYM2": "percent",
         "UNRATE": "percent", "CPIAUCSL": "index", "DTWEXBGS": "index", "VIXCLS": "index",
         "DEXJPUS": "JPY", "DEXCHUS": "CNY", "DEXKOUS": "KRW", "DEXUSEU": "USD", "DCOILWTICO": "USD",
         "DCOILBRENTEU": "USD"}

_KEY_PARAM = re.compile(r"(api_key=)[^&\s\"']+")


class _HideKey(logging.Filter):
    """Masks ``api_key=...`` in httpx's request log lines (they show the full URL at INFO level)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message:
            record.msg, record.args = _KEY_PARAM.sub(r"\1***", message), ()
        return True


def _hide_key_in_httpx_logs() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _HideKey) for f in logger.filters):
        logger.addFilter(_HideKey())


class FredProvider(Provider):
    name = "fred"
    kinds = frozenset(("macro",))

    def __init__(self, cfg, *, user_agent: str = D.USER_AGENT):
        self.cfg = cfg
        self.min_interval_s = cfg.min_interval_s
        self.user_agent = user_agent
        self.gate = HostGate(cfg.min_interval_s)
        self._client: httpx.Client | None = None
        _hide_key_in_httpx_logs()

    @property
    def api_key(self) -> str | None:
        return os.environ.get(self.cfg.api_key_env, "").strip() or None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=httpx.Timeout(self.cfg.timeout_s), follow_redirects=True,
                                        max_redirects=D.MAX_REDIRECTS,
                                        headers={"User-Agent": self.user_agent, "Accept-Encoding": D.ACCEPT_ENCODING})
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def url(self, query: Query, key: str | None) -> str:
        if key:
            params = {"series_id": query.symbol, "api_key": key, "file_type": "json"}
            if query.start:
                params["observation_start"] = query.start.isoformat()
            if query.end:
                params["observation_end"] = query.end.isoformat()
            return f"{self.cfg.api_url.rstrip('/')}/series/observations?{urlencode(params)}"
        params = {"id": query.symbol}
        if query.start:
            params["cosd"] = query.start.isoformat()
        if query.end:
            params["coed"] = query.end.isoformat()
        return f"{self.cfg.csv_url}?{urlencode(params)}"

    # ------------------------------------------------------------------------------------------------- extract
    def extract(self, queries: list[Query]) -> dict[str, tuple[str, bytes] | str]:
        """series id -> ("json" | "csv", body), or the reason FRED has no such series."""
        key = self.api_key
        out: dict[str, tuple[str, bytes] | str] = {}
        for q in queries:
            url = self.url(q, key)
            host = host_of(url)
            if self.gate.is_closed(host, iso()):
                raise ProviderError(f"FRED asked us to wait (Retry-After until {self.gate.closed_until[host]})")
            with self.gate.turn(host):
                try:
                    got = fetch(self.client(), url, max_bytes=D.METRICS_MAX_BODY_BYTES,
                                total_timeout_s=self.cfg.timeout_s, error_body_bytes=D.METRICS_ERROR_BODY_BYTES,
                                cap_hint="a FRED answer should be far smaller: check [metrics.fred] api_url/csv_url")
                except FetchError as e:
                    raise ProviderError(self._mask(f"FRED unreachable: {e}", key)) from None
            if got.status == 429 or got.status >= 500:
                wait = retry_after_seconds(got.headers.get("retry-after")) if got.status in (429, 503) else None
                if wait:
                    self.gate.close(host, in_seconds(wait))
                what = "rate limit (HTTP 429)" if got.status == 429 else f"HTTP {got.status}"
                later = f", retry after {wait:.0f} s" if wait else ""
                raise ProviderError(self._mask(f"FRED {what} for {q.symbol}{later}", key), retry_after_s=wait)
            if got.status >= 400:
                message = _error_message(got.content)
                if got.status in (401, 403) or "api_key" in message.lower():
                    raise ProviderError(self._mask(
                        f"FRED rejected the API key in ${self.cfg.api_key_env} (HTTP {got.status}: {message}): fix it, "
                        "or unset it to use the keyless CSV download", key))
                out[q.series_id] = self._mask(f"FRED has no series {q.symbol} (HTTP {got.status}"
                                              + (f": {message})" if message else ")"), key)
                continue
            out[q.series_id] = ("json" if key else "csv", got.content)
        return out

    def _mask(self, text: str, key: str | None) -> str:
        if key:
            text = text.replace(key, "***").replace(quote(key, safe=""), "***")
        return _KEY_PARAM.sub(r"\1***", text)

    # ----------------------------------------------------------------------------------------------- transform
    def transform(self, raw: dict[str, tuple[str, bytes] | str], queries: list[Query]) -> FetchResult:
        result = FetchResult()
        fetched = iso()
        for q in queries:
            got = raw.get(q.series_id)
            if not isinstance(got, tuple):
                result.missing[q.series_id] = got or f"FRED was not asked for {q.symbol}"
                continue
            fmt, body = got
            try:
                rows = _json_rows(body) if fmt == "json" else _csv_rows(body, q.symbol)
            except (ValueError, UnicodeDecodeError) as e:
                result.missing[q.series_id] = f"FRED's {fmt.upper()} answer for {q.symbol} is not readable: {e}"
                continue
            kept = [(d, v) for d, v in rows
                    if (q.start is None or d >= q.start.isoformat()) and (q.end is None or d <= q.end.isoformat())]
            if not kept:
                since = f" from {q.start.isoformat()}" if q.start else ""
                result.missing[q.series_id] = f"FRED has no observations of {q.symbol}{since}"
                continue
            result.observations[q.series_id] = [Observation(q.series_id, d, v, self.name, fetched) for d, v in kept]
            if UNITS.get(q.symbol.upper()):
                result.units[q.series_id] = UNITS[q.symbol.upper()]
        return result


def _json_rows(body: bytes) -> list[tuple[str, float]]:
    """(date, value) of a series/observations answer; "." and other non-numbers skipped."""
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("observations"), list):
        raise ValueError("no 'observations' list")
    rows: dict[str, float] = {}
    for o in data["observations"]:
        try:
            day, value = date.fromisoformat(str(o["date"])[:10]).isoformat(), float(o["value"])
        except (KeyError, TypeError, ValueError):
            continue  # "." = no observation that day
        if math.isfinite(value):
            rows[day] = value
    return sorted(rows.items())


def _csv_rows(body: bytes, code: str) -> list[tuple[str, float]]:
    """(date, value) of a fredgraph.csv download, which must be the series asked for (header ``date,CODE``)."""
    text = body.decode("utf-8-sig")
    header = text.lstrip().split("\n", 1)[0].strip().split(",")
    if len(header) >= 2 and header[0].strip().lower() in ("date", "observation_date") \
            and header[1].strip().upper() != code.upper():
        raise ValueError(f"it holds {header[1].strip()!r}, not {code}")
    return read_series_csv(text)[0]


def _error_message(body: bytes) -> str:
    """FRED's own words from an error answer (``{"error_code": 400, "error_message": "..."}``), else the text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("error_message"):
        text = str(data["error_message"])
    elif text.lstrip().startswith("<"):
        return ""  # an HTML error page: nothing worth quoting
    return " ".join(text.split())[:200]
