"""FRED provider against a real loopback server (pytest-httpserver) with the config URLs pointed at it: the JSON API
with a key, the keyless CSV download, "." values, unknown series, a rejected key, 429/5xx/refused connections, the
body cap, and the key never shown in an error or a log line."""

from __future__ import annotations

import logging
import socket
from datetime import date

import pytest

from tests.conftest import FIXTURES as ALL_FIXTURES
from tracker import defaults as D
from tracker.config import FredConfig
from tracker.metrics.providers import ProviderError, Query
from tracker.metrics.providers.fred import FredProvider
from tracker.net import HostGate

FIXTURES = ALL_FIXTURES / "metrics"
KEY = "0123456789abcdef0123456789abcdef"
UA = "thesis-tracker-test/1.0"


def macro(code: str, start: date | None = date(2025, 12, 1), end: date | None = None) -> Query:
    return Query(f"macro:{code}", "macro", code, start=start, end=end)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def fred(httpserver, monkeypatch):
    """A FredProvider whose API and CSV URLs point at the loopback server; no key unless a test sets one."""
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    cfg = FredConfig(api_url=httpserver.url_for("/fred"), csv_url=httpserver.url_for("/graph/fredgraph.csv"),
                     min_interval_s=0)
    p = FredProvider(cfg, user_agent=UA)
    yield p
    p.close()


@pytest.fixture
def with_key(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", KEY)


def values(result, series_id):
    return [(o.date, o.value) for o in result.observations[series_id]]


def test_api_with_a_key_skips_dots_and_asks_from_query_start(httpserver, fred, with_key):
    httpserver.expect_request("/fred/series/observations", query_string={
        "series_id": "DGS10", "api_key": KEY, "file_type": "json", "observation_start": "2025-12-01"},
    ).respond_with_data(fixture_bytes("fred_api_DGS10.json"), content_type="application/json")
    result = fred.fetch([macro("DGS10")])
    assert values(result, "macro:DGS10") == [("2025-12-01", 4.09), ("2025-12-02", 4.09), ("2025-12-04", 4.11),
                                             ("2025-12-05", 4.14)]  # 2025-12-03 is "." in the payload
    assert result.units == {"macro:DGS10": "percent"} and result.missing == {}
    assert {o.provider for o in result.observations["macro:DGS10"]} == {"fred"}
    request = httpserver.log[-1][0]
    assert request.headers["User-Agent"] == UA


def test_csv_download_without_a_key_skips_dots(httpserver, fred):
    httpserver.expect_request("/graph/fredgraph.csv", query_string={"id": "DGS2", "cosd": "2025-12-02"}
                              ).respond_with_data(fixture_bytes("fred_csv_DGS2.csv"), content_type="text/csv")
    result = fred.fetch([macro("DGS2", start=date(2025, 12, 2))])
    # the server sends 2025-12-01 too: nothing before Query.start is kept
    assert values(result, "macro:DGS2") == [("2025-12-02", 3.51), ("2025-12-04", 3.52), ("2025-12-05", 3.56)]
    assert result.units == {"macro:DGS2": "percent"}


def test_query_end_is_sent_and_honoured(httpserver, fred):
    httpserver.expect_request("/graph/fredgraph.csv", query_string={"id": "DGS2", "cosd": "2025-12-01",
                                                                   "coed": "2025-12-02"}
                              ).respond_with_data(fixture_bytes("fred_csv_DGS2.csv"), content_type="text/csv")
    result = fred.fetch([macro("DGS2", end=date(2025, 12, 2))])
    assert values(result, "macro:DGS2") == [("2025-12-01", 3.54), ("2025-12-02", 3.51)]


def test_an_unknown_series_is_missing_with_fred_s_reason_and_the_rest_is_served(httpserver, fred, with_key):
    httpserver.expect_request("/fred/series/observations", query_string={
        "series_id": "NOSUCH", "api_key": KEY, "file_type": "json", "observation_start": "2025-12-01"},
    ).respond_with_data(fixture_bytes("fred_api_no_series.json"), status=400, content_type="application/json")
    httpserver.expect_request("/fred/series/observations", query_string={
        "series_id": "DGS10", "api_key": KEY, "file_type": "json", "observation_start": "2025-12-01"},
    ).respond_with_data(fixture_bytes("fred_api_DGS10.json"), content_type="application/json")
    result = fred.fetch([macro("NOSUCH"), macro("DGS10")])
    assert result.missing == {"macro:NOSUCH": "FRED has no series NOSUCH (HTTP 400: Bad Request. The series does "
                                              "not exist.)"}
    assert len(result.observations["macro:DGS10"]) == 4


def test_a_404_series_is_missing(httpserver, fred):
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data("<html><body>Not Found</body></html>",
                                                                        status=404, content_type="text/html")
    result = fred.fetch([macro("NOSUCH")])
    assert result.missing == {"macro:NOSUCH": "FRED has no series NOSUCH (HTTP 404)"} and result.observations == {}


def test_a_rejected_key_is_a_provider_error_that_never_shows_the_key(httpserver, fred, with_key):
    httpserver.expect_request("/fred/series/observations").respond_with_data(
        fixture_bytes("fred_api_bad_key.json"), status=400, content_type="application/json")
    with pytest.raises(ProviderError, match=r"FRED rejected the API key in \$FRED_API_KEY") as err:
        fred.fetch([macro("DGS10")])
    assert KEY not in str(err.value)


def test_429_with_retry_after_is_a_provider_error_with_the_wait(httpserver, fred, with_key):
    httpserver.expect_request("/fred/series/observations").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "30"})
    with pytest.raises(ProviderError, match=r"FRED rate limit \(HTTP 429\) for DGS10, retry after 30 s") as err:
        fred.fetch([macro("DGS10"), macro("DGS2")])
    assert err.value.retry_after_s == 30 and KEY not in str(err.value)
    assert len(httpserver.log) == 1  # stops at the first 429: DGS2 is not asked
    with pytest.raises(ProviderError, match="FRED asked us to wait"):  # the host stays closed until then
        fred.fetch([macro("DGS2")])
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_a_provider_error(httpserver, fred, status):
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data("oops", status=status)
    with pytest.raises(ProviderError, match=f"FRED HTTP {status} for DGS2"):
        fred.fetch([macro("DGS2")])


def test_connection_refused_is_a_provider_error_with_the_key_masked(monkeypatch, with_key):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = FredConfig(api_url=f"http://127.0.0.1:{port}/fred", min_interval_s=0, timeout_s=5)
    provider = FredProvider(cfg, user_agent=UA)
    with pytest.raises(ProviderError, match="FRED unreachable") as err:
        provider.fetch([macro("DGS10")])
    provider.close()
    assert KEY not in str(err.value) and "api_key=***" in str(err.value)


def test_a_body_over_the_cap_is_refused(httpserver, fred, monkeypatch):
    monkeypatch.setattr(D, "METRICS_MAX_BODY_BYTES", 100)
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data(fixture_bytes("fred_csv_DGS2.csv") * 10,
                                                                        content_type="text/csv")
    with pytest.raises(ProviderError, match="body larger than the cap of 100 bytes"):
        fred.fetch([macro("DGS2")])


def test_an_unreadable_answer_is_missing_not_a_crash(httpserver, fred):
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data("<html>maintenance</html>",
                                                                        content_type="text/html")
    result = fred.fetch([macro("DGS2")])
    assert result.missing == {"macro:DGS2": "FRED's CSV answer for DGS2 is not readable: the header must be "
                                            "'date,close' (or 'date,value')"}


def test_a_csv_of_another_series_is_refused(httpserver, fred):
    """Regression: a DGS2 download answered for DGS10 must not be stored as DGS10."""
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data(fixture_bytes("fred_csv_DGS2.csv"),
                                                                        content_type="text/csv")
    result = fred.fetch([macro("DGS10")])
    assert result.missing == {"macro:DGS10": "FRED's CSV answer for DGS10 is not readable: it holds 'DGS2', not DGS10"}


def test_the_key_never_reaches_httpx_request_logs(httpserver, fred, with_key, caplog):
    httpserver.expect_request("/fred/series/observations").respond_with_data(
        fixture_bytes("fred_api_DGS10.json"), content_type="application/json")
    with caplog.at_level(logging.INFO, logger="httpx"):
        fred.fetch([macro("DGS10")])
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and all(KEY not in line for line in lines) and "api_key=***" in lines[0]


def test_requests_are_spaced_by_min_interval(httpserver, monkeypatch):
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_data(fixture_bytes("fred_csv_DGS2.csv"),
                                                                        content_type="text/csv")
    cfg = FredConfig(csv_url=httpserver.url_for("/graph/fredgraph.csv"), min_interval_s=0.75)
    provider = FredProvider(cfg, user_agent=UA)
    waits: list[float] = []
    clock = {"t": 0.0}

    def sleep(s):
        waits.append(s)
        clock["t"] += s

    provider.gate = HostGate(0.75, clock=lambda: clock["t"], sleep=sleep)
    provider.fetch([macro("DGS2"), macro("DGS10"), macro("VIXCLS")])
    provider.close()
    assert provider.min_interval_s == 0.75 and waits == [0.75, 0.75]
