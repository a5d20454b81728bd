"""The feeds and collect commands through the real CLI (CliRunner and a subprocess) against loopback servers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests._feedserver import RSS_CT, rss
from tracker.cli import app

BODY = rss([{"title": "HDFC Bank deposits grow", "guid": "h1", "description": "Deposits rose 15%."}])


@pytest.fixture
def cli(tmp_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # this test's ./tracker.toml, no stray one
    (tmp_path / "tracker.toml").write_text("[collect]\nper_host_delay_s = 0\n")
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, ["--db", str(tmp_db), *args])

    return invoke


def test_feeds_add_list_remove(cli):
    url = "https://example.com/markets.rss"
    res = cli("feeds", "add", url, "--name", "Example markets")
    assert res.exit_code == 0 and res.stdout.strip() == f"added {url}"
    assert cli("feeds", "add", url).stdout.strip() == f"already present: {url}"
    listed = json.loads(cli("feeds", "list", "--json").stdout)
    assert [(f["id"], f["url"], f["name"], f["kind"]) for f in listed] == [(1, url, "Example markets", "feed")]
    assert "Example markets" in cli("feeds", "list").stdout and "never fetched" in cli("feeds", "list").stdout
    res = cli("feeds", "remove", "1")
    assert res.exit_code == 0 and res.stdout.strip() == "removed 1"
    assert "no feeds" in cli("feeds", "list").stdout


def test_feeds_errors_are_one_line_and_non_zero(cli):
    res = cli("feeds", "add", "not a url")
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0 and "is not a valid http(s) URL" in res.stderr
    res = cli("feeds", "remove", "https://nowhere.example/rss")  # no database yet: none is created for it
    assert res.exit_code == 1 and "no database at" in res.stderr and res.stderr.count("\n") == 1
    cli("init")
    res = cli("feeds", "remove", "https://nowhere.example/rss")
    assert res.exit_code == 1 and "no feed 'https://nowhere.example/rss'" in res.stderr


def test_collect_command_fetches_records_and_reports(cli, httpserver):
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    httpserver.expect_request("/broken").respond_with_data("<html><body>not a feed</body></html>",
                                                           content_type="text/html")
    cli("feeds", "add", httpserver.url_for("/feed"))
    cli("feeds", "add", httpserver.url_for("/broken"))
    res = cli("collect", "--quiet")
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "collected 1 new articles (0 duplicates merged); feeds: 1 fetched, 0 unchanged, 1 failed"
    assert res.stderr.startswith("warning: ") and "not a feed" in res.stderr
    listed = {f["url"].rsplit("/", 1)[1]: f for f in json.loads(cli("feeds", "list", "--json").stdout)}
    assert listed["feed"]["last_outcome"] == "ok" and listed["broken"]["last_outcome"] == "error"
    # Not due again yet; --all fetches anyway.
    assert "0 fetched" in cli("collect", "-q").stdout
    assert "1 fetched" in cli("collect", "--all", "-q").stdout


def test_collect_progress_bar_and_quiet(cli):
    noisy = cli("collect", "--sample")
    assert "collect" in noisy.stderr and "source" in noisy.stderr  # tqdm on stderr
    assert cli("collect", "--sample", "--quiet").stderr == ""


def test_collect_sample_and_path(cli, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# A note on Sony\n\nSony (6758 JP) raised its forecast.\n")
    res = cli("collect", "--sample", "--path", str(note), "-q")
    assert res.exit_code == 0
    assert "new articles (1 duplicates merged)" in res.stdout and "20 local files read" in res.stdout
    assert "A note on Sony" in cli("search", "sony forecast").stdout


def test_collect_registers_configured_feeds(tmp_path, tmp_db, httpserver, monkeypatch):
    httpserver.expect_request("/feed").respond_with_data(BODY, content_type=RSS_CT)
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[collect]\nper_host_delay_s = 0\n[[feeds]]\nurl = "{httpserver.url_for("/feed")}"\nname = "Cfg"\n')
    res = CliRunner().invoke(app, ["--config", str(cfg), "--db", str(tmp_db), "collect", "-q"])
    assert res.exit_code == 0 and "1 fetched" in res.stdout


def test_collect_error_exits_non_zero_with_one_line(tmp_path, tmp_db):
    """Through the real entry point (python -m tracker): a bad --path is one clear line on stderr, exit 1."""
    proc = subprocess.run([sys.executable, "-m", "tracker", "--db", str(tmp_db), "collect", "-q",
                           "--path", str(tmp_path / "missing")], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)  # tests/conftest.py's PYTHONPATH: this checkout's package and the network guard
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "missing does not exist" in lines[0]
