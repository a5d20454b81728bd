"""End to end: ``refresh`` with providers ["yahoo", "fred"] over replayed Yahoo answers (responses) and a loopback FRED
server fills the store, then refreshes incrementally; ``tracker metrics refresh`` / ``show`` print it."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner
from werkzeug import Request, Response

from tests.conftest import FIXTURES as ALL_FIXTURES
from tracker.cli import app
from tracker.metrics.refresh import refresh
from tracker.store import metrics as mq
from tracker.store import open_store

FIXTURES = ALL_FIXTURES / "metrics"
KEY = "fedcba9876543210fedcba9876543210"
WANTS = {"close:7203.T": "2025-12-01", "close:0700.HK": "2025-12-01", "close:^HSI": "2025-12-01",
         "stmt:7203.T:EBIT": "2025-01-01", "stmt:7203.T:InterestExpense": "2025-01-01", "macro:DGS10": "2025-12-01"}


def fred_server(httpserver, *, status: int = 200) -> list[dict]:
    """FRED on the loopback server: the API knows DGS10, the CSV download DGS2; any other series is unknown (API
    400, CSV 404). ``status`` != 200 makes every answer that error. Returns the query strings it was asked."""
    asked: list[dict] = []

    def answer(req: Request, code: str, known: str, fixture: str, content_type: str, unknown: Response) -> Response:
        asked.append(dict(req.args))
        if status != 200:
            return Response("server error", status=status)
        if req.args.get(code) != known:
            return unknown
        return Response((FIXTURES / fixture).read_bytes(), content_type=content_type)

    no_series = Response((FIXTURES / "fred_api_no_series.json").read_bytes(), status=400,
                         content_type="application/json")
    httpserver.expect_request("/fred/series/observations").respond_with_handler(
        lambda req: answer(req, "series_id", "DGS10", "fred_api_DGS10.json", "application/json", no_series))
    httpserver.expect_request("/graph/fredgraph.csv").respond_with_handler(
        lambda req: answer(req, "id", "DGS2", "fred_csv_DGS2.csv", "text/csv", Response("Not Found", status=404)))
    return asked


def yahoo_stubs(yahoo) -> None:
    yahoo.chart("7203.T", "yahoo_chart_7203.T.json")
    yahoo.chart("0700.HK", "yahoo_chart_0700.HK.json")
    yahoo.chart("^HSI", "yahoo_chart_HSI.json")
    yahoo.fundamentals("7203.T", "yahoo_fundamentals_7203.T.json")


@pytest.fixture
def live(settings, httpserver, monkeypatch):
    """Settings with providers yahoo then fred, no throttling, FRED pointed at the loopback server, no FRED key
    (every macro series through the keyless CSV download)."""
    settings.metrics.providers = ["yahoo", "fred"]
    settings.metrics.yahoo.min_interval_s = 0
    settings.metrics.fred.min_interval_s = 0
    settings.metrics.fred.api_url = httpserver.url_for("/fred")
    settings.metrics.fred.csv_url = httpserver.url_for("/graph/fredgraph.csv")
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    return settings


def test_refresh_with_yahoo_and_fred_fills_the_store_then_asks_only_for_what_is_missing(yahoo, httpserver, store,
                                                                                         live, monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", KEY)
    yahoo_stubs(yahoo)
    asked = fred_server(httpserver)
    mq.request(store, {**WANTS, "macro:NOSUCH": "2025-12-01"})
    report = refresh(store, live, progress=False)
    assert (report.series_due, report.series_fetched, report.series_failed, report.errors) == (7, 6, 1, [])
    assert report.observations == 4 + 4 + 3 + 3 + 3 + 4
    data = {k: ([str(d) for d in dates], values.tolist(), provider)
            for k, (dates, values, provider) in mq.read_many(store.conn, list(WANTS)).items()}
    assert data["close:7203.T"] == (["2025-12-01", "2025-12-02", "2025-12-04", "2025-12-05"],
                                    [2901.5, 2944.0, 2978.5, 2960.0], "yahoo")
    assert data["close:0700.HK"][1] == [606.5, 612.9, 599.55, 611.0]
    assert data["stmt:7203.T:EBIT"] == (["2025-03-31", "2025-06-30", "2025-09-30"],
                                        [1278040000000.0, 1209400000000.0, 1305521000000.0], "yahoo")
    assert data["macro:DGS10"] == (["2025-12-01", "2025-12-02", "2025-12-04", "2025-12-05"],
                                   [4.09, 4.09, 4.11, 4.14], "fred")
    rows = mq.series_rows(store.conn, [*WANTS, "macro:NOSUCH"])
    assert {sid: r["unit"] for sid, r in rows.items()} == {
        "close:7203.T": "JPY", "close:0700.HK": "HKD", "close:^HSI": "index", "stmt:7203.T:EBIT": "JPY",
        "stmt:7203.T:InterestExpense": "JPY", "macro:DGS10": "percent", "macro:NOSUCH": None}
    assert rows["macro:NOSUCH"]["last_error"] == ("fred: FRED has no series NOSUCH (HTTP 400: Bad Request. "
                                                  "The series does not exist.)")
    assert all(o["fetched_at"].endswith("Z") for o in mq.observations(store.conn, "close:7203.T"))
    dgs10 = [a for a in asked if a["series_id"] == "DGS10"]
    assert [a["observation_start"] for a in dgs10] == ["2025-12-01"]  # the API from want_from

    # second pass: only from the last stored date minus the overlap (5 days), nothing new to add
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    again = refresh(store, live, progress=False)
    assert (again.series_fetched, again.observations) == (6, 0)
    period1 = int(yahoo.history_requests("7203.T")[-1]["period1"])
    assert period1 == datetime(2025, 11, 30, tzinfo=ZoneInfo("Asia/Tokyo")).timestamp()  # last date - 5 days
    dgs10 = [a for a in asked if a["series_id"] == "DGS10"]
    assert [a["observation_start"] for a in dgs10] == ["2025-12-01", "2025-11-30"]


def test_an_outage_of_one_provider_never_blocks_the_run_and_keeps_the_cache(yahoo, httpserver, store, live):
    yahoo_stubs(yahoo)
    fred_server(httpserver)
    mq.request(store, {"close:7203.T": "2025-12-01", "macro:DGS2": "2025-12-01"})
    refresh(store, live, progress=False)
    store.conn.execute("UPDATE series SET next_fetch_at = NULL")
    yahoo.chart("7203.T", status=503)  # Yahoo's chart API goes down
    report = refresh(store, live, progress=False)
    assert report.series_fetched == 1 and report.series_failed == 1
    assert report.errors == ["yahoo: [T050] Yahoo Finance is unavailable (HTTP 503 for 7203.T): "
                             "retried on a later pass"]
    dates, values, provider = mq.read_many(store.conn, ["close:7203.T"])["close:7203.T"]
    assert provider == "yahoo" and values.tolist() == [2901.5, 2944.0, 2978.5, 2960.0]  # the cache is intact
    row = mq.series_rows(store.conn, ["close:7203.T"])["close:7203.T"]
    assert "yahoo: [T050] Yahoo Finance is unavailable" in row["last_error"] and row["error_count"] == 1


def cli(*args):
    return CliRunner().invoke(app, list(args))


def test_cli_metrics_refresh_and_show(yahoo, httpserver, tmp_path, tmp_db, monkeypatch):
    yahoo_stubs(yahoo)
    fred_server(httpserver, status=500)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    cfg = tmp_path / "tracker.toml"
    cfg.write_text(f"""[metrics]
providers = ["yahoo", "fred"]
[metrics.yahoo]
min_interval_s = 0
[metrics.fred]
min_interval_s = 0
csv_url = "{httpserver.url_for('/graph/fredgraph.csv')}"
""", encoding="utf-8")
    with open_store(tmp_db) as store:
        mq.request(store, {"close:7203.T": "2025-12-01", "macro:DGS2": "2025-12-01"})
    res = cli("--config", str(cfg), "--db", str(tmp_db), "metrics", "refresh", "--quiet")
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "metrics: 1 of 2 due series refreshed (4 new observations), 1 without data"
    assert res.stderr == "warning: fred: [T050] FRED HTTP 500 for DGS2\n"

    shown = cli("--config", str(cfg), "--db", str(tmp_db), "metrics", "show", "close:7203.T")
    lines = shown.stdout.splitlines()
    assert shown.exit_code == 0 and lines[0].startswith("close:7203.T  unit JPY  provider yahoo  "
                                                         "2025-12-01 .. 2025-12-05  fetched 20")
    assert [line.split()[:3] for line in lines[1:]] == [["2025-12-01", "2901.5", "yahoo"],
                                                        ["2025-12-02", "2944.0", "yahoo"],
                                                        ["2025-12-04", "2978.5", "yahoo"],
                                                        ["2025-12-05", "2960.0", "yahoo"]]
    as_json = json.loads(cli("--config", str(cfg), "--db", str(tmp_db), "metrics", "show", "close:7203.T",
                             "--json").stdout)
    assert as_json["series"]["unit"] == "JPY" and as_json["observations"][0]["value"] == 2901.5
    assert {o["provider"] for o in as_json["observations"]} == {"yahoo"} and as_json["observations"][0]["fetched_at"]

    failed = cli("--config", str(cfg), "--db", str(tmp_db), "metrics", "show", "macro:DGS2")
    assert failed.exit_code == 0 and "last error: fred: [T050] FRED HTTP 500 for DGS2" in failed.stdout
    missing = cli("--db", str(tmp_db), "metrics", "show", "close:NOPE")
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no series close:NOPE in ")
