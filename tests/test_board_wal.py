"""While the pipeline writes, the board still reads: a writer thread holds write transactions (as collect,
extract and evaluate do) while every page renders; WAL lets the read-only connections through, never
"database is locked". A board write (mute) waits its turn with the busy timeout instead of failing."""

from __future__ import annotations

import threading
import time

import streamlit as st

from tests._board_fixtures import board_db, board_template, run_page  # noqa: F401
from tracker.store import open_store
from tracker.timeutil import iso
from tracker.ui import actions

PAGES = [("board", None), ("thesis", {"id": "5"}), ("claim", {"id": "6"}), ("article", {"id": "1"}),
         ("search", None), ("claims", None), ("companies", None), ("alerts", None), ("sources", None)]


class Writer(threading.Thread):
    """Holds a write transaction for ``hold_s`` at a time (inserting fetch-log rows), again and again."""

    def __init__(self, db, hold_s: float = 0.15):
        super().__init__(daemon=True)
        self.db, self.hold_s = db, hold_s
        self.stop = threading.Event()
        self.commits = 0
        self.error: Exception | None = None

    def run(self):
        store = open_store(self.db)
        try:
            while not self.stop.is_set():
                with store.transaction() as db:
                    db.execute("INSERT INTO fetches (feed_id, url, started_at, outcome) VALUES (1, 'x', ?, 'ok')",
                               [iso()])
                    time.sleep(self.hold_s)
                self.commits += 1
                time.sleep(0.01)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e
        finally:
            store.close()


def test_pages_render_while_a_writer_holds_transactions(board_db):
    writer = Writer(board_db)
    writer.start()
    try:
        while writer.commits < 1:
            time.sleep(0.01)
        for page, params in PAGES:
            st.cache_data.clear()  # every render reads the store, none is served from the cache
            at = run_page(page, params)  # asserts no exception
            shown = " ".join(str(e.value) for e in (*at.error, *at.warning))
            assert "locked" not in shown.lower(), (page, shown)
        actions.mute(str(board_db), "claim", 6, 1)  # a board write waits for the writer's transaction
    finally:
        writer.stop.set()
        writer.join(10)
    assert writer.error is None and writer.commits >= len(PAGES)
    with open_store(board_db) as store:
        assert store.conn.execute("SELECT count(*) FROM mutes WHERE target = '6'").fetchone() == (1,)
