"""`tracker run`: the stage table, stored runs, a failing stage, one line per stage off a terminal, one instance
per store, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tracker import pipeline, stop
from tracker.store import open_store
from tracker.store import runs as runs_q


def test_parse_every():
    assert pipeline.parse_every("15m") == 900 and pipeline.parse_every("90s") == 90 and pipeline.parse_every("1d") == 86400
    for bad in ("", "15", "-5m", "0m", "soon"):
        with pytest.raises(ValueError, match="not an interval"):
            pipeline.parse_every(bad)


def test_a_failing_stage_is_recorded_and_the_others_still_run(store, settings, tmp_path, monkeypatch):
    from tracker.errors import FetchError

    def broken_collect(ctx):  # a stage that fails outright (its own failures are tested with it)
        raise FetchError(f"local source {tmp_path / 'missing-folder'} does not exist")

    monkeypatch.setattr(pipeline, "STAGES", (("collect", broken_collect),) + pipeline.STAGES[1:])
    lines = []
    report = pipeline.run_pass(store, settings, emit=lines.append)
    names = [s.name for s in report.stages]
    assert names == ["collect", "securities", "extract", "metrics", "evaluate", "alerts"]
    assert report.stages[0].status == "failed" and "missing-folder" in report.stages[0].summary
    assert [s.status for s in report.stages[1:]] == ["ok"] * 5 and report.outcome == "partial"
    assert lines[0].startswith("collect: failed: [T010] local source") and lines[2].startswith("extract: nothing to do")
    row = runs_q.recent(store.conn)[0]
    assert row["outcome"] == "partial" and row["finished_at"] and row["pid"] == os.getpid()
    assert [s["name"] for s in row["summary"]["stages"]] == names and row["summary"]["totals"]["errors"] == 1


def test_a_requested_stop_skips_the_remaining_stages(store, settings):
    stop.request()
    try:
        report = pipeline.run_pass(store, settings, emit=lambda _: None)
    finally:
        stop.reset()
    assert report.outcome == "interrupted" and {s.status for s in report.stages} == {"skipped"}


def _cli(tmp_path, *args, **kw):
    return subprocess.Popen([sys.executable, "-m", "tracker", "--config", str(tmp_path / "t.toml"), *args],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


@pytest.fixture
def empty_config(tmp_path):
    (tmp_path / "t.toml").write_text(f'[store]\npath = "{tmp_path / "r.db"}"\n')
    return tmp_path


def test_off_a_terminal_each_stage_prints_one_line_and_no_progress_bar(empty_config):
    p = _cli(empty_config, "run", "--once")
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["collect", "securities", "extract", "metrics", "evaluate", "alerts",
                                                       "run 1 ok"]
    assert "\r" not in err and "\r" not in out


def test_sigterm_stops_the_schedule_cleanly_and_a_second_instance_is_refused(empty_config):
    p = _cli(empty_config, "run", "--every", "1h")
    deadline = time.monotonic() + 120
    seen = ""
    while "next pass in" not in seen and time.monotonic() < deadline:
        seen += p.stdout.readline()
    assert "next pass in 3600 s" in seen
    second = _cli(empty_config, "run", "--once")
    _, err2 = second.communicate(timeout=120)
    assert second.returncode == 1 and "another 'tracker run' is running" in err2
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and "SIGTERM: finishing the current item, then stopping" in err
    with open_store(empty_config / "r.db") as store:
        rows = runs_q.recent(store.conn)
    assert [r["outcome"] for r in rows] == ["ok"]
