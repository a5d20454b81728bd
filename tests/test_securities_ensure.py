"""The full securities master builds itself (tracker.securities.ensure): on the first online run, at most weekly,
quietly not at all offline. FinanceDatabase is the edge: a loopback server serves a recorded payload in the real
format (the bz2 CSV the financedatabase package downloads), and the real package fetches it from there."""

from __future__ import annotations

import bz2
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from tracker import securities as S
from tracker.config import SecuritiesConfig, Settings
from tracker.store import securities as sq
from tracker.timeutil import now

FIXTURE = Path(__file__).parent / "fixtures" / "securities" / "equities_small.csv"  # FinanceDatabase's columns


def settings_for(url: str | None, **kw) -> Settings:
    return Settings(securities=SecuritiesConfig(financedatabase_url=url, **kw))


@pytest.fixture
def fd_server(httpserver, tmp_path, monkeypatch):
    """FinanceDatabase's file layout on a loopback server: no Parquet file, the equities as bz2 CSV."""
    monkeypatch.setenv("FINANCEDATABASE_CACHE_DIR", str(tmp_path / "fd-cache"))  # the package's own cache
    httpserver.expect_request("/fd/equities.parquet").respond_with_data("not here", status=404)
    httpserver.expect_request("/fd/equities.bz2").respond_with_data(bz2.compress(FIXTURE.read_bytes()),
                                                                    content_type="application/octet-stream")
    return httpserver.url_for("/fd/")


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/fd/"  # nothing listens there: the network "is down"


def builds(store) -> list[dict]:
    return list(store.db.query("SELECT * FROM securities_builds ORDER BY id"))


def test_first_online_run_builds_the_full_master_with_progress(store, fd_server, capsys):
    assert sq.count(store) == 0  # only the built-in master (curated list + pytickersymbols)
    line = S.ensure_master(store, settings_for(fd_server), progress=True)
    assert line.startswith("securities master:") and "financedatabase 9" in line
    assert "building the full master from FinanceDatabase" in capsys.readouterr().err
    rows = {r["symbol"]: r for r in store.db.query("SELECT symbol, source, is_primary FROM securities")}
    assert rows["3633.T"]["source"] == "financedatabase" and rows["3633.T"]["is_primary"] == 1
    [b] = builds(store)
    assert (b["source"], b["outcome"], b["financedatabase_rows"]) == ("financedatabase", "ok", 9)
    assert S.load_master(store).company_of_symbol("SWK1.BE") is not None  # the linker now uses the full master


def test_the_master_is_rebuilt_at_most_weekly(store, fd_server):
    s = settings_for(fd_server)
    assert S.ensure_master(store, s, progress=False)
    assert S.ensure_master(store, s, progress=False, at=now() + timedelta(days=3)) is None
    assert len(builds(store)) == 1
    again = S.ensure_master(store, s, progress=False, at=now() + timedelta(days=8))
    assert again and "financedatabase 9" in again
    assert len(builds(store)) == 2
    assert S.ensure_master(store, settings_for(fd_server, refresh_days=30), progress=False,
                           at=now() + timedelta(days=8)) is None  # the period is a setting


def test_a_master_built_from_a_local_file_counts(store, fd_server):
    S.update(store, from_file=FIXTURE, progress=False)
    assert S.ensure_master(store, settings_for(fd_server), progress=False) is None


def test_offline_the_curated_list_stays_and_nothing_is_said(store, capsys):
    assert S.ensure_master(store, settings_for(closed_port_url()), progress=True, online=False) is None
    assert builds(store) == [] and capsys.readouterr().err == ""  # no attempt when the feeds did not answer
    assert S.ensure_master(store, settings_for(closed_port_url()), progress=False) is None  # the download fails
    [b] = builds(store)
    assert b["outcome"] == "offline" and "Error" in b["error"]
    assert sq.count(store) == 0 and S.load_master(store) is S.builtin_master()


def test_a_failed_download_is_retried_after_an_hour_not_before(store, fd_server):
    down = settings_for(closed_port_url())
    S.ensure_master(store, down, progress=False)
    up = settings_for(fd_server)
    assert S.ensure_master(store, up, progress=False, at=now() + timedelta(minutes=30)) is None
    assert len(builds(store)) == 1
    assert S.ensure_master(store, up, progress=False, at=now() + timedelta(hours=2))
    assert [b["outcome"] for b in builds(store)] == ["offline", "ok"]


def test_bad_data_is_one_warning_and_keeps_the_previous_master(store, httpserver, tmp_path, monkeypatch):
    S.update(store, from_file=FIXTURE, progress=False)
    before = sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities"))
    monkeypatch.setenv("FINANCEDATABASE_CACHE_DIR", str(tmp_path / "fd-cache"))
    httpserver.expect_request("/bad/equities.parquet").respond_with_data("no", status=404)
    httpserver.expect_request("/bad/equities.bz2").respond_with_data(b"this is not bz2 at all")
    line = S.ensure_master(store, settings_for(httpserver.url_for("/bad/")), progress=False,
                           at=now() + timedelta(days=8))
    assert line.startswith("warning: FinanceDatabase could not be read") and "--from" in line
    assert sorted(tuple(r.values()) for r in store.db.query("SELECT * FROM securities")) == before
    assert builds(store)[-1]["outcome"] == "error"


def test_auto_update_can_be_turned_off(store, fd_server):
    assert S.ensure_master(store, settings_for(fd_server, auto_update=False), progress=False) is None
    assert builds(store) == []


@pytest.mark.models
def test_the_built_in_master_covers_the_markets_of_the_sample_corpus():
    """Offline, the curated list is what the linker has: the bundled sample corpus (the board's content when no
    feed answers) links its companies with home tickers on every market it covers, and every ticker written in
    it is known."""
    from tracker.collect.local import files_under, read_entry, sample_root
    from tracker.nlp.extract import Extractor

    with sample_root() as root:
        files = files_under(Path(root))
        entries = [read_entry(p, Path(root)) for p in files]
    assert len(entries) >= 15
    texts = ["\n\n".join(x for x in (e.title, e.content or e.summary) if x) for e in entries]
    results = list(Extractor().extract(texts, dates=[e.published_at for e in entries]))
    for p, r in zip(files, results):
        assert all(c["ticker"] for c in r["companies"] if not c["company_key"].startswith("private:")), p.name
        linked = {c["name"] for c in r["companies"]}
        assert set(r["tickers"]) <= linked, (p.name, set(r["tickers"]) - linked)  # every written ticker is known
    assert sum(bool(r["companies"]) for r in results) >= len(results) - 1  # one piece is about an index only
    markets = {c["ticker"].rpartition(".")[2] if "." in c["ticker"] else "US"
               for r in results for c in r["companies"] if c["ticker"]}
    assert {"US", "T", "KS", "TW", "HK", "NS", "AS", "CO", "PA"} <= markets
