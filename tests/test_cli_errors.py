"""Known failures end in one line, never a traceback (issue #13): out-of-range numbers, read-only folders, bad
hosts and paths, and Ctrl-C, which says what was finished and what was not."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner
from werkzeug import Response

from tests._cli import cli, one_error_line
from tests._feedserver import RSS_CT, rss
from tracker.cli import app
from tracker.config import load_settings
from tracker.errors import ConfigError


def invoke(*args, **kw):
    return CliRunner().invoke(app, list(args), **kw)


@pytest.mark.parametrize("value", ["99999999999999999999", "0", "-5", "1001"])
def test_search_limit_out_of_range_is_a_usage_error(tmp_path, value):
    """Regression (issue #13): `tracker search chip --limit 99999999999999999999` raised OverflowError."""
    res = invoke("--db", str(tmp_path / "t.db"), "search", "chip", "--limit", value)
    assert res.exit_code == 2 and "Traceback" not in res.output and "--limit" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_init_in_a_read_only_folder_warns_and_goes_on(tmp_path):
    """Regression (issue #13): `tracker init` in a read-only folder with no config raised PermissionError
    writing tracker.toml. It warns and initialises with the built-in defaults; without a writable --db the
    database is then the one error line."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        ok = cli("--db", str(tmp_path / "t.db"), "init", cwd=ro, unprivileged=True)
        bad = cli("init", cwd=ro, unprivileged=True)
    finally:
        ro.chmod(0o755)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.startswith("warning: [T001] cannot write the default config to ") and "Traceback" not in ok.stderr
    assert f"database {tmp_path / 't.db'} ready" in ok.stdout and (tmp_path / "t.db").exists()
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines()[1] == (
        f"error: [T005] the folder {ro} is read-only and the database tracker.db needs it writable (SQLite keeps its "
        "journal beside the database): point --db at a writable folder (reading commands such as 'tracker search' "
        "work on read-only databases)")
    assert list(ro.iterdir()) == []


@pytest.mark.parametrize("host", ["0.0.0.0; rm -rf /", "", "exa mple.com", "-bad.example", "a" * 64 + ".com",
                                  "http://127.0.0.1", "127.0.0.1:8501", "host_name"])
def test_board_host_must_be_an_address_or_a_name(tmp_path, host):
    """Regression (issue #13): board.host = "0.0.0.0; rm -rf /" was accepted and the board died with a
    socket.gaierror traceback."""
    cfg = tmp_path / "t.toml"
    cfg.write_text(f"[board]\nhost = {json.dumps(host)}\n")
    with pytest.raises(ConfigError, match=r"bad value for 'board.host': .*not an IP address or host name"):
        load_settings(cfg)


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "::1", "localhost", "board.example.com", "my-box"])
def test_board_host_accepts_addresses_and_names(tmp_path, host):
    cfg = tmp_path / "t.toml"
    cfg.write_text(f"[board]\nhost = {json.dumps(host)}\n")
    assert load_settings(cfg).board.host == host


def test_board_on_a_busy_port_is_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        cfg = tmp_path / "t.toml"
        cfg.write_text(f'[board]\nhost = "127.0.0.1"\nport = {port}\n')
        res = invoke("--config", str(cfg), "--db", str(tmp_path / "t.db"), "board")
    assert res.exit_code == 1 and res.stderr.startswith(f"error: the board cannot listen on 127.0.0.1:{port} (")
    assert res.stderr.count("\n") == 1


def test_empty_store_paths_are_config_errors(tmp_path):
    """Regression (issue #13): store.path = "" gave "[T002] . is not a usable SQLite database"."""
    cfg = tmp_path / "t.toml"
    cfg.write_text('[store]\npath = ""\n')
    res = invoke("--config", str(cfg), "feeds", "list")
    assert res.exit_code == 1 and "bad value for 'store.path': Value error, the database path is empty" in res.stderr
    res = invoke("--db", "", "feeds", "list")
    assert res.exit_code == 1 and res.stderr == "error: [T001] --db was given an empty path: give the database file, " \
                                               "e.g. --db tracker.db\n"
    res = invoke("--db", str(tmp_path / "t.db"), "collect", "--path", "")
    assert res.exit_code == 1 and "--path was given an empty path" in res.stderr


def test_an_interrupted_command_says_so_in_one_line(tmp_path, monkeypatch):
    """Ctrl-C anywhere gives exit 130 and one line (was: rc 130 and no word)."""
    import tracker.securities as securities

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(securities, "update", interrupted)
    res = invoke("--db", str(tmp_path / "t.db"), "securities", "update", "-q")
    assert res.exit_code == 130
    assert res.stderr.strip() == ("interrupted: the command stopped before it finished; what it had saved is kept "
                                  "(every step commits atomically, nothing is half-written): run it again to finish")


def test_sigint_during_collect_says_what_was_saved_and_what_was_not(tmp_path, httpserver):
    """A real SIGINT to `python -m tracker collect` while the second feed hangs: exit 130, one line saying what
    was collected (and saved) before, and the first feed's article is in the store."""
    arrived, release = threading.Event(), threading.Event()

    def slow(request):
        arrived.set()
        release.wait(30)
        return Response(rss([]), content_type=RSS_CT)

    httpserver.expect_request("/fast").respond_with_data(
        rss([{"title": "Sony lifts forecast", "guid": "s1", "description": "Sony raised its forecast."}]),
        content_type=RSS_CT)
    httpserver.expect_request("/slow").respond_with_handler(slow)
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n[collect]\nper_host_delay_s = 0\nfetch_full_text = false\n'
                   f'[[feeds]]\nurl = "{httpserver.url_for("/fast")}"\n[[feeds]]\nurl = "{httpserver.url_for("/slow")}"\n')
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--config", str(cfg), "collect", "-q"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert arrived.wait(60), "the slow feed was never requested"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and out == ""
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines == ["interrupted: [T006] collect stopped early; before that it collected 1 new articles (0 duplicates "
                     "merged); feeds: 1 fetched, 0 unchanged, 0 failed (all of that is saved). Feeds and files not "
                     "reached yet are read by the next 'tracker collect'"]
    conn = sqlite3.connect(tmp_path / "t.db")
    assert [r[0] for r in conn.execute("SELECT title FROM articles")] == ["Sony lifts forecast"]
    conn.close()


@pytest.mark.models
def test_sigint_during_extract_says_how_many_were_saved_and_how_many_are_left(tmp_path):
    from tracker.store import open_store

    db = tmp_path / "t.db"
    store = open_store(db)
    with store.transaction() as d:
        d["articles"].insert_all({"title": f"Note {i}", "text": f"Sony rose {i % 9 + 1}% while Toyota fell. " * 8,
                                  "fetched_at": "2026-12-01T00:00:00Z", "content_hash": f"h{i}"} for i in range(400))
    store.close()
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--db", str(db), "extract", "-q"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                if conn.execute("SELECT count(*) FROM extractions").fetchone()[0]:
                    break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    conn = sqlite3.connect(db)
    saved = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
    conn.close()
    assert proc.returncode == 130, err
    assert 0 < saved < 400
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines == [f"interrupted: [T006] extract stopped early: {saved} articles extracted and saved (0 failed); "
                     f"{400 - saved} still pending: run 'tracker extract' again to finish"]
