"""Metric refresh over real CSV directories: incremental, bounded, provider fallback, outages and the breaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.metrics.providers import CsvProvider, ProviderError, build
from tracker.metrics.providers.base import Query
from tracker.metrics.refresh import refresh
from tracker.metrics.series import close_id, parse, statement_id
from tracker.store import metrics as mq


def write_series(folder: Path, name: str, rows, header="date,close", unit=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.csv"
    lines = ([f"# unit: {unit}"] if unit else []) + [header] + [f"{d},{v}" for d, v in rows]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


DAYS = [f"2025-12-{d:02d}" for d in (1, 2, 3, 4, 5, 8, 9, 10)]


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "csv"
    write_series(d, "7203.T", zip(DAYS, [100, 101, 102, 103, 104, 105, 106, 107]), unit="JPY")
    write_series(d, "7203.T@TotalRevenue", [("2025-06-30", 11.0e12), ("2025-09-30", 12.1e12)], header="date,value")
    write_series(d, "DGS10", [("2025-12-01", "4.10"), ("2025-12-02", "."), ("2025-12-03", "4.05")],
                 header="observation_date,DGS10")
    return d


def test_series_ids_round_trip():
    assert parse(close_id("^HSI")).symbol == "^HSI"
    assert parse(statement_id("7203.T", "TotalRevenue")).field == "TotalRevenue"
    with pytest.raises(ValueError, match="not a series id"):
        parse("nonsense")


def test_csv_provider_reads_closes_statements_and_fred_downloads(data):
    p = CsvProvider(data)
    qs = [Query(close_id("7203.T"), "close", "7203.T"), Query("stmt:7203.T:TotalRevenue", "statement", "7203.T",
                                                             "TotalRevenue"), Query("macro:DGS10", "macro", "DGS10")]
    assert all(p.supports(q) for q in qs) and not p.supports(Query("close:NOPE", "close", "NOPE"))
    r = p.fetch(qs)
    assert [o.value for o in r.observations["close:7203.T"]][:3] == [100, 101, 102]
    assert r.units == {"close:7203.T": "JPY"}
    assert [(o.date, o.value) for o in r.observations["macro:DGS10"]] == [("2025-12-01", 4.10), ("2025-12-03", 4.05)]
    assert r.observations["stmt:7203.T:TotalRevenue"][-1].date == "2025-09-30"


def test_csv_provider_reports_a_malformed_file_as_missing(tmp_path):
    write_series(tmp_path, "BAD", [("yesterday", "1")])
    r = CsvProvider(tmp_path).fetch([Query("close:BAD", "close", "BAD")])
    assert r.observations == {} and "line 2 is not 'YYYY-MM-DD,number'" in r.missing["close:BAD"]


def test_refresh_fetches_due_series_and_then_only_what_is_missing(store, settings, data):
    settings.metrics.csv.dir = str(data)
    settings.metrics.providers = ["csv"]
    mq.request(store, {close_id("7203.T"): "2025-12-01", "macro:DGS10": "2025-12-01"})
    report = refresh(store, settings, progress=False)
    assert (report.series_due, report.series_fetched, report.observations) == (2, 2, 10)
    row = mq.series_rows(store.conn, [close_id("7203.T")])[close_id("7203.T")]
    assert (row["provider"], row["unit"], row["first_date"], row["last_date"]) == ("csv", "JPY", "2025-12-01", "2025-12-10")
    assert refresh(store, settings, progress=False).series_due == 0  # nothing due until refresh_interval_s
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    write_series(data, "7203.T", zip(DAYS + ["2025-12-11"], [100, 101, 102, 103, 104, 105, 106, 107, 108]), unit="JPY")
    assert refresh(store, settings, progress=False).observations == 1  # only the new day
    assert mq.start_for(mq.series_rows(store.conn, [close_id("7203.T")])[close_id("7203.T")], "csv", 5).isoformat() == "2025-12-06"


def test_refresh_is_bounded_and_queues_the_rest(store, settings, data):
    settings.metrics.csv.dir = str(data)
    settings.metrics.providers = ["csv"]
    settings.metrics.max_series_per_pass = 1
    mq.request(store, {close_id("7203.T"): "2025-12-01", "macro:DGS10": "2025-12-01"})
    first = refresh(store, settings, progress=False)
    assert (first.series_due, first.queued) == (1, 1) and "1 more queued for the next pass" in first.summary()
    assert refresh(store, settings, progress=False).series_fetched == 1


class Down(CsvProvider):
    """The provider's host is down: every extract raises, as a real outage does."""

    name = "down"
    calls = 0

    def extract(self, queries):
        Down.calls += 1
        raise ProviderError("connection refused")


def test_outage_falls_back_to_the_next_provider_and_opens_the_breaker(store, settings, data):
    Down.calls = 0
    mq.request(store, {close_id("7203.T"): "2025-12-01"})
    first = refresh(store, settings, progress=False, providers=[Down(data), CsvProvider(data)])
    assert first.series_fetched == 1 and first.errors == ["down: [T050] connection refused"]
    assert mq.series_rows(store.conn, [close_id("7203.T")])[close_id("7203.T")]["provider"] == "csv"
    for _ in range(3):  # the series keep failing over to csv while down's breaker counts failures
        store.conn.execute("UPDATE series SET next_fetch_at = NULL")
        refresh(store, settings, progress=False, providers=[Down(data), CsvProvider(data)])
    state = mq.provider_states(store)["down"]
    assert state["failures"] == 3 and state["open_until"] is not None and Down.calls == 3  # open: not asked again
    assert state["last_error"] == "[T050] connection refused"


def test_no_provider_keeps_cached_data_and_retries_later(store, settings, data):
    mq.request(store, {close_id("7203.T"): "2025-12-01"})
    refresh(store, settings, progress=False, providers=[CsvProvider(data)])
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    report = refresh(store, settings, progress=False, providers=[Down(data)])
    assert report.series_failed == 1
    row = mq.series_rows(store.conn, [close_id("7203.T")])[close_id("7203.T")]
    assert "connection refused" in row["last_error"] and row["error_count"] == 1 and row["next_fetch_at"]
    dates, values, provider = mq.read_many(store.conn, [close_id("7203.T")])[close_id("7203.T")]
    assert len(values) == 8 and provider == "csv"  # the cache is intact


def test_sample_data_set_is_used_alone_never_mixed_with_live_data(settings, tmp_path):
    """Issue #11: sample data are labelled and never mixed with live data, so with the sample on no other provider
    is asked, even one that is configured (a CSV folder here) or online (Yahoo, FRED)."""
    (tmp_path / "own").mkdir()
    settings.metrics.csv.dir = str(tmp_path / "own")
    settings.metrics.providers = ["csv", "yahoo", "fred"]
    assert [p.name for p in build(settings)] == ["csv", "yahoo", "fred"]
    settings.metrics.sample = True
    assert [p.name for p in build(settings)] == ["sample"]


class Limited(CsvProvider):
    """A provider answering 429 with Retry-After: one hour."""

    name = "limited"

    def extract(self, queries):
        raise ProviderError("HTTP 429 rate limited", retry_after_s=3600)


def test_retry_after_keeps_the_provider_closed_that_long(store, settings, data):
    import time

    mq.request(store, {close_id("7203.T"): "2025-12-01"})
    refresh(store, settings, progress=False, providers=[Limited(data)])
    from tracker.timeutil import parse_iso

    until = parse_iso(mq.provider_states(store)["limited"]["open_until"]).timestamp()
    assert 3500 < until - time.time() <= 3600  # one failure, yet closed for the hour the provider asked


def test_a_second_refresh_on_the_same_store_is_refused(store, settings, data):
    from tracker.errors import StageBusy
    from tracker.store import open_store

    other = open_store(store.path)
    with other.exclusive("metrics"):
        with pytest.raises(StageBusy, match="another 'tracker metrics'"):
            refresh(store, settings, progress=False, providers=[CsvProvider(data)])
    other.close()
