"""Yahoo Finance served from tests/fixtures/metrics with ``responses`` (the edge of the outside world).

yfinance runs on ``requests`` in tests (conftest sets ``YF_DISABLE_CURL_CFFI=1`` before it is imported), so
``responses`` answers its real requests: the cookie (fc.yahoo.com), the crumb, the chart API per symbol and the
fundamentals time series per symbol (answering the ``type=`` lines asked for, as Yahoo does). Use the ``yahoo``
fixture (conftest), which also points yfinance's caches at a temporary folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import responses

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "metrics"
API = r"https://query[12]\.finance\.yahoo\.com"
CONSENT_PAGE = "<html><body><p>Consent</p></body></html>"  # no csrfToken: yfinance falls back to fc.yahoo.com


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _symbol_pattern(symbol: str) -> str:
    return re.escape(symbol).replace(r"\^", r"(?:\^|%5E)").replace("=", "(?:=|%3D)") + r"(?:\?|$)"


class YahooStub:
    def __init__(self, mock: responses.RequestsMock):
        self.mock = mock
        mock.add(responses.GET, "https://fc.yahoo.com/", body="", status=404)  # Yahoo answers 404 with a cookie
        mock.add(responses.GET, re.compile(API + r"/v1/test/getcrumb"), body="Xz1crumbTEST")
        mock.add(responses.GET, "https://guce.yahoo.com/consent", body=CONSENT_PAGE)
        mock.add(responses.GET, re.compile(API + r"/v7/finance/quote\?"), json={"quoteResponse": {"result": [], "error": None}})

    def chart(self, symbol: str, payload=None, *, status: int = 200, headers: dict | None = None,
              error: Exception | None = None) -> None:
        """The chart API for one symbol: a fixture name or payload, an HTTP status, or a network error (replacing
        what the symbol's chart answered before)."""
        url = re.compile(API + r"/v8/finance/chart/" + _symbol_pattern(symbol))
        self.mock.remove(responses.GET, url)
        if error is not None:
            self.mock.add(responses.GET, url, body=error)
            return
        body = fixture(payload) if isinstance(payload, str) else payload
        if body is None:
            self.mock.add(responses.GET, url, status=status, headers=headers or {},
                          body="<html><body>Will be right back</body></html>" if status >= 500 else "")
        else:
            self.mock.add(responses.GET, url, json=body, status=status, headers=headers or {})

    def unknown(self, symbol: str) -> None:
        """A symbol Yahoo does not know: 404s with Yahoo's error bodies, and empty fundamentals."""
        self.chart(symbol, "yahoo_chart_not_found.json", status=404)
        self.mock.add(responses.GET, re.compile(API + r"/v10/finance/quoteSummary/" + _symbol_pattern(symbol)),
                      json=fixture("yahoo_quotesummary_not_found.json"), status=404)
        self.fundamentals(symbol, {"timeseries": {"result": [], "error": None}})

    def fundamentals(self, symbol: str, payload, *, status: int = 200) -> None:
        """The fundamentals time series for one symbol, answering only the lines each request asks for."""
        data = fixture(payload) if isinstance(payload, str) else payload

        def answer(request):
            if status != 200:
                return status, {}, ""
            asked = set(",".join(parse_qs(urlsplit(request.url).query).get("type", [])).split(","))
            result = [r for r in data["timeseries"]["result"] if r["meta"]["type"][0] in asked]
            have = {r["meta"]["type"][0] for r in result}
            result += [{"meta": {"symbol": [symbol], "type": [t]}} for t in sorted(asked - have) if t]
            return 200, {"Content-Type": "application/json"}, json.dumps({"timeseries": {"result": result,
                                                                                         "error": None}})

        url = re.compile(API + r"/ws/fundamentals-timeseries/v1/finance/timeseries/" + _symbol_pattern(symbol))
        self.mock.add_callback(responses.GET, url, callback=answer)

    def requests(self, endpoint: str, symbol: str | None = None) -> list[dict]:
        """The query parameters of every request made to ``chart`` or ``fundamentals`` (for a symbol)."""
        marker = {"chart": "/v8/finance/chart/", "fundamentals": "/fundamentals-timeseries/"}[endpoint]
        out = []
        for call in self.mock.calls:
            parts = urlsplit(call.request.url)
            if marker in parts.path and (symbol is None or unquote(parts.path).rstrip("/").endswith("/" + symbol)):
                out.append({k: v[0] for k, v in parse_qs(parts.query).items()})
        return out

    def history_requests(self, symbol: str) -> list[dict]:
        """Chart requests for a window (yfinance first asks ``range=1d`` for the time zone when not cached)."""
        return [q for q in self.requests("chart", symbol) if "period1" in q or q.get("range") not in (None, "1d")]
