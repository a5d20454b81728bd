"""The only writes the board makes, each through the store or stage function the CLI uses for the same thing:
fix a claim's link (``tracker link``: ``linking.user_link``), go back to automatic linking, mute and unmute
(``tracker alerts mute``), acknowledge an alert (``tracker alerts ack``), add and remove a feed (``tracker feeds``);
and "collect now", which starts ``python -m tracker collect`` as a background process and never waits for it.

Bad input raises a typed error (``LinkError``, ``FeedError``) whose one line says how to fix it; nothing is
written then. Pages clear the query cache after a write (``done``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import streamlit as st

from tracker.config import load_settings
from tracker.errors import FeedError, LinkError, TrackerError
from tracker.store import open_store
from tracker.timeutil import iso, now
from tracker.ui.components import md

_SYMBOL = re.compile(r"^[A-Za-z0-9^=.\-&]{1,24}$")  # Yahoo's symbol forms: 7203.T, ^N225, JPY=X, BRK-B, M&M.NS
RECIPES = ("close", "relative", "group", "volatility")


def done() -> None:
    """After a write: forget every cached query so the pages read the store again."""
    st.cache_data.clear()


def perform(action, *args, success, page: str) -> None:
    """Run one write for ``page``: a typed error is shown as its one line (nothing was written); else the caches
    are cleared and ``success`` (a text, or a function of the write's result) is shown after the rerun."""
    try:
        result = action(*args)
    except TrackerError as e:
        st.error(md(str(e)))
        return
    done()
    st.session_state[f"done_{page}"] = success(result) if callable(success) else success
    st.rerun()


def flash(page: str) -> None:
    """Show what the last write of ``page`` did (once)."""
    message = st.session_state.pop(f"done_{page}", None)
    if message:
        st.success(message)


def _symbols(text: str) -> list[str]:
    symbols = [s for s in re.split(r"[,\s]+", text or "") if s]
    bad = [s for s in symbols if not _SYMBOL.match(s)]
    if bad:
        raise LinkError(f"{bad[0]!r} is not a market symbol: give Yahoo symbols such as 7203.T, 2330.TW, ^N225, "
                        "separated by commas")
    if not symbols:
        raise LinkError("give at least one symbol (e.g. 7203.T) to measure the claim with")
    return symbols


def fix_link(db: str, claim_id: int, symbols: str, benchmark: str = "", recipe: str | None = None):
    """The user's own series for a claim (kept over automatic linking); returns the new link."""
    from tracker.metrics.linking import user_link

    chosen = _symbols(symbols)
    bench = benchmark.strip() or None
    if bench and not _SYMBOL.match(bench):
        raise LinkError(f"{bench!r} is not a market symbol: give the benchmark's Yahoo symbol, e.g. ^GSPC")
    with open_store(db) as store:
        return user_link(store, load_settings(), claim_id, chosen, benchmark=bench, recipe=recipe or None)


def auto_link(db: str, claim_id: int) -> bool:
    """Drop the user's link and link the claim automatically again; returns whether a user link was dropped."""
    from tracker.metrics.linking import link_claims
    from tracker.store import links as lq

    with open_store(db) as store:
        removed = lq.reset_user_link(store, claim_id)
        link_claims(store, load_settings(), claim_ids=[claim_id], relink=True)
    return removed


def mute(db: str, scope: str, target: str | int, days: int) -> str:
    """Mute alerts of a claim, ticker or thesis for ``days``; returns the expiry (ISO)."""
    from tracker.store import alerts as aq

    until = iso(now() + timedelta(days=days))
    with open_store(db) as store:
        aq.add_mute(store, scope, str(target), until)
    return until


def unmute(db: str, scope: str, target: str | int) -> int:
    from tracker.store import alerts as aq

    with open_store(db) as store:
        return aq.remove_mutes(store, scope, str(target))


def ack(db: str, alert_id: int) -> bool:
    from tracker.store import alerts as aq

    with open_store(db) as store:
        return aq.ack(store, alert_id)


def add_feed(db: str, url: str, name: str = "") -> bool:
    """Register a feed (as ``tracker feeds add``); False when the URL is already known."""
    from pydantic import ValidationError

    from tracker.config import FeedConfig
    from tracker.store import feeds as fq

    url, name = (url or "").strip(), (name or "").strip() or None
    try:
        FeedConfig(url=url, name=name)
    except ValidationError:
        raise FeedError(f"'{url}' is not a valid http(s) URL: give the feed's full address, e.g. "
                        "https://example.com/rss") from None
    with open_store(db) as store:
        return fq.add_feed(store, url, name)


def remove_feed(db: str, feed_id: int) -> str:
    """Remove a feed (its articles stay), as ``tracker feeds remove``; returns its URL. A feed listed in the
    config file cannot be removed here (the next run would add it again)."""
    from tracker.store import feeds as fq

    settings = load_settings()
    with open_store(db) as store:
        feed = fq.get_feed(store, feed_id)
        if feed is None:
            raise FeedError(f"no feed {feed_id}: reload the page to see the current feeds")
        if any(f.url == feed["url"] for f in settings.feeds):
            raise FeedError(f"this feed is listed in {settings.source}: remove its [[feeds]] entry there")
        fq.remove_feed(store, str(feed_id))
    return feed["url"]


# ---------------------------------------------------------------------------------------- collect now
@dataclass
class CollectRun:
    pid: int
    started_at: str
    log: Path
    process: subprocess.Popen = field(repr=False)
    shown_done: bool = False  # the board has re-read the store after it ended

    @property
    def returncode(self) -> int | None:
        return self.process.poll()  # also reaps the finished process

    def tail(self, lines: int) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


_RUNS: dict[str, CollectRun] = {}
_RUNS_LOCK = threading.Lock()


def collect_run(db: str) -> CollectRun | None:
    """The board's latest "collect now" on ``db`` (running or finished), if any."""
    return _RUNS.get(db)


def start_collect(db: str) -> CollectRun:
    """Start ``python -m tracker --db DB collect --quiet`` in the background (output to a log file) unless one
    started by this board still runs; returns the run."""
    with _RUNS_LOCK:
        run = _RUNS.get(db)
        if run is not None and run.returncode is None:
            return run
        settings = load_settings()
        cmd = [sys.executable, "-m", "tracker", "--db", db]
        if settings.source and Path(settings.source).is_file():
            cmd += ["--config", str(Path(settings.source).resolve())]
        cmd += ["collect", "--quiet"]
        fd, log = tempfile.mkstemp(prefix="tracker-collect-", suffix=".log")
        with os.fdopen(fd, "wb") as out:
            process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        run = _RUNS[db] = CollectRun(process.pid, iso(), Path(log), process)
        return run


def wait_collect(db: str, timeout_s: float) -> int | None:
    """Wait (tests, scripts) until the board's collect on ``db`` ends; its exit code, None if still running."""
    run = _RUNS.get(db)
    deadline = time.monotonic() + timeout_s
    while run is not None and run.returncode is None and time.monotonic() < deadline:
        time.sleep(0.1)
    return None if run is None else run.returncode
