"""Yahoo Finance provider: real yfinance 1.7 against Yahoo's answers replayed by ``responses`` (tests/_yahoo.py).

Each test states exact values: trading dates in the exchange's zone, adjusted closes, units, statement lines, and how
each failure (unknown symbol, 429, 5xx, refused connection) surfaces.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from tracker.config import YahooConfig
from tracker.metrics.providers import CsvProvider, ProviderError, Query, build
from tracker.metrics.providers.yahoo import STATEMENT_TABLES, YahooProvider, listing_unit, yahoo_symbol
from tracker.metrics.refresh import refresh
from tracker.metrics.series import STATEMENT_FIELDS, close_id, statement_id
from tracker.net import HostGate
from tracker.store import metrics as mq

DEC1 = date(2025, 12, 1)


def close(symbol: str, start: date | None = DEC1, end: date | None = None) -> Query:
    return Query(close_id(symbol), "close", symbol, start=start, end=end)


def stmt(symbol: str, field: str, start: date | None = None) -> Query:
    return Query(statement_id(symbol, field), "statement", symbol, field, start=start)


def rows(result, series_id):
    return [(o.date, o.value) for o in result.observations[series_id]]


@pytest.fixture
def provider():
    return YahooProvider(YahooConfig(min_interval_s=0))


def test_tokyo_hong_kong_shenzhen_and_sydney_get_trading_dates_and_listing_currencies(yahoo, provider):
    for symbol in ("7203.T", "0700.HK", "000858.SZ", "BHP.AX"):
        yahoo.chart(symbol, f"yahoo_chart_{symbol}.json")
    result = provider.fetch([close("7203.T"), close("0700.HK"), close("000858.SZ"), close("BHP.AX")])
    assert rows(result, "close:7203.T") == [("2025-12-01", 2901.5), ("2025-12-02", 2944.0), ("2025-12-04", 2978.5),
                                           ("2025-12-05", 2960.0)]
    # Hong Kong: the adjusted close (auto_adjust=True), not the raw close (612.0, 618.5, 605.0, 611.0)
    assert rows(result, "close:0700.HK") == [("2025-12-01", 606.5), ("2025-12-02", 612.9), ("2025-12-03", 599.55),
                                            ("2025-12-04", 611.0)]
    assert rows(result, "close:000858.SZ") == [("2025-12-01", 121.35), ("2025-12-02", 122.08), ("2025-12-03", 120.9)]
    # Sydney opens at 23:00 UTC the day before: the trading date is the local one, not the UTC one
    assert rows(result, "close:BHP.AX") == [("2025-12-01", 40.12), ("2025-12-02", 40.55), ("2025-12-03", 41.02)]
    assert result.units == {"close:7203.T": "JPY", "close:0700.HK": "HKD", "close:000858.SZ": "CNY",
                            "close:BHP.AX": "AUD"}
    assert result.missing == {}
    assert len(yahoo.history_requests("7203.T")) == 1  # one yf.download for the four symbols: one window each


def test_null_closes_are_skipped(yahoo, provider):
    """Regression: Yahoo sends a bar of nulls for 2025-12-03 in Tokyo; it must not become a 0 or a NaN row."""
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    dates = [o.date for o in provider.fetch([close("7203.T")]).observations["close:7203.T"]]
    assert "2025-12-03" not in dates and dates == ["2025-12-01", "2025-12-02", "2025-12-04", "2025-12-05"]


def test_an_index_is_in_index_points_and_a_currency_pair_in_its_quote_currency(yahoo, provider):
    yahoo.chart("^HSI", "yahoo_chart_HSI.json")
    yahoo.chart("JPY=X", "yahoo_chart_JPY_X.json")
    result = provider.fetch([close("^HSI"), close("JPY=X")])
    assert result.units == {"close:^HSI": "index", "close:JPY=X": "JPY"}
    assert rows(result, "close:^HSI")[0] == ("2025-12-01", 25858.89)
    assert rows(result, "close:JPY=X") == [("2025-12-01", 156.02), ("2025-12-02", 155.47), ("2025-12-03", 155.81)]


@pytest.mark.parametrize("symbol, unit", [("7203.T", "JPY"), ("0700.HK", "HKD"), ("600519.SS", "CNY"),
                                          ("000858.SZ", "CNY"), ("2330.TW", "TWD"), ("6488.TWO", "TWD"),
                                          ("005930.KS", "KRW"), ("247540.KQ", "KRW"), ("RELIANCE.NS", "INR"),
                                          ("500325.BO", "INR"), ("^N225", "index"), ("^SOX", "index"),
                                          ("JPY=X", "JPY"), ("EURUSD=X", "USD"), ("CL=F", "USD"), ("NVDA", "USD"),
                                          ("SHEL.L", "GBp"), ("ABC.XYZ", None)])
def test_listing_unit_without_metadata_comes_from_the_symbol(symbol, unit):
    assert listing_unit(symbol) == unit


@pytest.mark.parametrize("symbol, spelt", [("700.HK", "0700.HK"), ("00700.HK", "0700.HK"), ("0700.HK", "0700.HK"),
                                           ("5930.KS", "005930.KS"), ("858.sz", "000858.SZ"), ("50.TW", "0050.TW"),
                                           ("130A.T", "130A.T"), ("^hsi", "^HSI"), ("BRK-B", "BRK-B")])
def test_symbols_are_asked_as_yahoo_spells_them(symbol, spelt):
    assert yahoo_symbol(symbol) == spelt


def test_a_hong_kong_code_without_its_zero_is_served_under_its_own_series_id(yahoo, provider):
    """Regression: HKEX writes Tencent 00700 (or 700); Yahoo only knows 0700.HK."""
    yahoo.chart("0700.HK", "yahoo_chart_0700.HK.json")
    result = provider.fetch([close("700.HK")])
    assert rows(result, "close:700.HK")[0] == ("2025-12-01", 606.5) and result.units == {"close:700.HK": "HKD"}


def test_an_unknown_symbol_is_missing_with_a_reason_while_the_batch_is_served(yahoo, provider):
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    yahoo.unknown("XXXX.T")
    result = provider.fetch([close("7203.T"), close("XXXX.T")])
    assert rows(result, "close:7203.T")[0] == ("2025-12-01", 2901.5)
    assert result.missing == {"close:XXXX.T": "Yahoo Finance has no prices for XXXX.T from 2025-12-01: "
                                              "No data found, symbol may be delisted"}


def test_http_429_is_a_rate_limit_provider_error_with_retry_after(yahoo, provider):
    yahoo.chart("7203.T", status=429, headers={"Retry-After": "120"})
    with pytest.raises(ProviderError, match=r"rate limit \(HTTP 429\), retry after 120 s") as err:
        provider.fetch([close("7203.T")])
    assert err.value.retry_after_s == 120


@pytest.mark.parametrize("answer, text", [({"status": 503}, "HTTP 503"),
                                          ({"error": requests.ConnectionError("[Errno 111] Connection refused")},
                                           "ConnectionError: [Errno 111] Connection refused")])
def test_yahoo_down_is_a_provider_error_not_a_missing_symbol(yahoo, provider, answer, text):
    """Regression: yfinance turns a 5xx or a refused connection into an empty frame, like an unknown symbol."""
    yahoo.chart("7203.T", **answer)
    yahoo.chart("0700.HK", **answer)
    with pytest.raises(ProviderError, match="Yahoo Finance is unavailable") as err:
        provider.fetch([close("7203.T"), close("0700.HK")])
    assert text in str(err.value)


def test_a_failure_for_one_symbol_only_leaves_the_others_served(yahoo, provider):
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    yahoo.chart("0700.HK", status=502)
    result = provider.fetch([close("7203.T"), close("0700.HK")])
    assert len(result.observations["close:7203.T"]) == 4
    assert result.missing == {"close:0700.HK": "Yahoo Finance failed for 0700.HK (HTTP 502); retried later"}


def test_incremental_start_is_asked_from_query_start_in_the_exchange_zone(yahoo, provider):
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    result = provider.fetch([close("7203.T", start=date(2025, 12, 4))])
    (asked,) = yahoo.history_requests("7203.T")
    tokyo_midnight = datetime(2025, 12, 4, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert int(asked["period1"]) == int(tokyo_midnight.timestamp())
    assert rows(result, "close:7203.T") == [("2025-12-04", 2978.5), ("2025-12-05", 2960.0)]  # nothing before start


def test_query_end_is_inclusive(yahoo, provider):
    yahoo.chart("0700.HK", "yahoo_chart_0700.HK.json")
    result = provider.fetch([close("0700.HK", start=DEC1, end=date(2025, 12, 2))])
    (asked,) = yahoo.history_requests("0700.HK")
    assert int(asked["period2"]) == int(datetime(2025, 12, 3, tzinfo=ZoneInfo("Asia/Hong_Kong")).timestamp())
    assert [d for d, _ in rows(result, "close:0700.HK")] == ["2025-12-01", "2025-12-02"]


def test_statements_give_quarterly_values_per_line_in_the_statement_currency(yahoo, provider):
    yahoo.fundamentals("7203.T", "yahoo_fundamentals_7203.T.json")
    fields = ["EBIT", "InterestExpense", "TotalRevenue", "DilutedEPS", "FreeCashFlow", "CapitalExpenditure",
              "TotalDebt"]
    result = provider.fetch([stmt("7203.T", f, start=date(2025, 1, 1)) for f in fields])
    ebit, interest = rows(result, "stmt:7203.T:EBIT"), rows(result, "stmt:7203.T:InterestExpense")
    assert ebit == [("2025-03-31", 1278040000000.0), ("2025-06-30", 1209400000000.0), ("2025-09-30", 1305521000000.0)]
    assert interest == [("2025-03-31", 22103000000.0), ("2025-06-30", 21572000000.0), ("2025-09-30", 23311000000.0)]
    assert round(ebit[-1][1] / interest[-1][1], 1) == 56.0  # "EBIT covers interest 56 times"
    assert rows(result, "stmt:7203.T:TotalRevenue")[-1] == ("2025-09-30", 12377483000000.0)
    assert rows(result, "stmt:7203.T:DilutedEPS") == [("2025-03-31", 49.61), ("2025-06-30", 64.64),
                                                      ("2025-09-30", 72.1)]
    assert rows(result, "stmt:7203.T:FreeCashFlow")[-1] == ("2025-09-30", 921647000000.0)
    assert rows(result, "stmt:7203.T:CapitalExpenditure")[0] == ("2025-03-31", -812441000000.0)
    assert rows(result, "stmt:7203.T:TotalDebt")[-1] == ("2025-09-30", 39410020000000.0)
    assert set(result.units.values()) == {"JPY"} and len(result.units) == len(fields)
    tables = [q["type"] for q in yahoo.requests("fundamentals", "7203.T")]
    assert len(tables) == 3  # one request per statement: income, cash flow, balance sheet
    assert any("quarterlyEBIT" in t for t in tables) and any("quarterlyTotalDebt" in t for t in tables)


def test_a_statement_line_yahoo_lacks_and_an_unknown_symbol_are_missing(yahoo, provider):
    payload = {"timeseries": {"result": [r for r in _fundamentals()["timeseries"]["result"]
                                         if r["meta"]["type"][0] != "quarterlyInterestExpense"], "error": None}}
    yahoo.fundamentals("7203.T", payload)
    yahoo.unknown("XXXX.T")
    result = provider.fetch([stmt("7203.T", "InterestExpense"), stmt("7203.T", "EBIT"), stmt("XXXX.T", "EBIT")])
    assert rows(result, "stmt:7203.T:EBIT")[-1] == ("2025-09-30", 1305521000000.0)
    assert result.missing == {
        "stmt:7203.T:InterestExpense": ("Yahoo Finance's quarterly income statement for 7203.T has no "
                                        "InterestExpense line"),
        "stmt:XXXX.T:EBIT": "Yahoo Finance has no quarterly income statement for XXXX.T"}


def test_statements_rate_limited_raise_a_provider_error(yahoo, provider):
    """Regression: yfinance hides a 429 of the fundamentals API behind an empty statement."""
    yahoo.fundamentals("7203.T", "yahoo_fundamentals_7203.T.json", status=429)
    with pytest.raises(ProviderError, match="rate limit"):
        provider.fetch([stmt("7203.T", "EBIT")])


def test_calls_inside_one_extract_are_spaced_by_min_interval(yahoo):
    """Two windows of closes and two statements are four yfinance calls: three waits of min_interval_s."""
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    yahoo.chart("0700.HK", "yahoo_chart_0700.HK.json")
    yahoo.fundamentals("7203.T", "yahoo_fundamentals_7203.T.json")
    provider = YahooProvider(YahooConfig(min_interval_s=2.5, batch_size=7))
    assert (provider.min_interval_s, provider.batch_size) == (2.5, 7)
    clock = {"t": 1000.0}
    waits: list[float] = []

    def sleep(s):
        waits.append(s)
        clock["t"] += s

    provider.gate = HostGate(2.5, clock=lambda: clock["t"], sleep=sleep)
    provider.fetch([close("7203.T", start=DEC1), close("0700.HK", start=date(2025, 12, 2)), stmt("7203.T", "EBIT"),
                    stmt("7203.T", "TotalDebt")])
    assert waits == [2.5, 2.5, 2.5]


def test_every_statement_line_has_a_yahoo_table():
    assert set(STATEMENT_TABLES) == set(STATEMENT_FIELDS)


def test_registry_builds_yahoo_from_the_config(settings):
    settings.metrics.providers = ["yahoo"]
    settings.metrics.yahoo.batch_size = 20
    settings.metrics.yahoo.min_interval_s = 3.0
    (p,) = build(settings)
    assert (p.name, p.batch_size, p.min_interval_s) == ("yahoo", 20, 3.0)


def test_rate_limit_falls_back_to_the_next_provider_and_opens_the_breaker(yahoo, store, settings, tmp_path):
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "7203.T.csv").write_text("# unit: JPY\ndate,close\n2025-12-01,2900\n2025-12-02,2950\n", encoding="utf-8")
    yahoo.chart("7203.T", status=429)
    mq.request(store, {close_id("7203.T"): "2025-12-01"})
    providers = lambda: [YahooProvider(YahooConfig(min_interval_s=0)), CsvProvider(csv_dir)]  # noqa: E731
    first = refresh(store, settings, progress=False, providers=providers())
    assert first.series_fetched == 1 and first.errors == ["yahoo: [T050] Yahoo Finance rate limit (HTTP 429): wait, "
                                                          "or raise [metrics.yahoo] min_interval_s"]
    assert mq.series_rows(store.conn, [close_id("7203.T")])[close_id("7203.T")]["provider"] == "csv"
    for _ in range(2):
        store.conn.execute("UPDATE series SET next_fetch_at = NULL")
        refresh(store, settings, progress=False, providers=providers())
    state = mq.provider_states(store)["yahoo"]
    assert state["failures"] == 3 and state["open_until"] is not None
    asked = len(yahoo.requests("chart", "7203.T"))
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    fourth = refresh(store, settings, progress=False, providers=providers())
    assert len(yahoo.requests("chart", "7203.T")) == asked  # the breaker is open: Yahoo is not asked again
    assert fourth.series_fetched == 1 and fourth.providers_down[0].startswith("yahoo (circuit open after 3 failures")


def _fundamentals():
    from tests._yahoo import fixture

    return fixture("yahoo_fundamentals_7203.T.json")
