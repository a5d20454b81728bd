import sqlite3

import pytest

from tracker.errors import MigrationError, StoreError
from tracker.store import open_store
from tracker.store.schema import SCHEMA_VERSION
from tracker.timeutil import iso


def test_pragmas_and_version(store):
    c = store.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.schema_version() == SCHEMA_VERSION


def test_migrates_from_older_schema_keeping_data(tmp_db):
    old = open_store(tmp_db, migrate_to=1)
    assert old.schema_version() == 1 and "securities" not in old.db.table_names()
    with old.transaction() as db:
        db["feeds"].insert({"url": "https://example.com/rss", "added_at": iso()})
    old.close()
    new = open_store(tmp_db)
    assert new.schema_version() == SCHEMA_VERSION
    assert {"securities", "mentions", "claims"} <= set(new.db.table_names())
    assert [r["url"] for r in new.db["feeds"].rows] == ["https://example.com/rss"]


def test_newer_schema_refused(tmp_db):
    s = open_store(tmp_db)
    s.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    s.close()
    with pytest.raises(MigrationError, match="newer than this tracker"):
        open_store(tmp_db)


def test_not_a_database(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        open_store(p)


def test_transaction_rolls_back_everything(store, tmp_db):
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db["feeds"].insert({"url": "https://a.example/rss", "added_at": iso()})
            with store.transaction():
                db["fetches"].insert({"feed_id": 1, "url": "x", "started_at": iso(), "outcome": "ok"})
            raise RuntimeError("boom midway")
    assert store.db["feeds"].count == 0 and store.db["fetches"].count == 0
    with store.transaction() as db:
        db["feeds"].insert({"url": "https://b.example/rss", "added_at": iso()})
    store.close()
    again = open_store(tmp_db)
    assert [r["url"] for r in again.db["feeds"].rows] == ["https://b.example/rss"]


def test_fts_follows_insert_update_delete(store):
    with store.transaction() as db:
        db["articles"].insert({"id": 1, "title": "Hynix memory", "text": "HBM demand", "fetched_at": iso(),
                               "content_hash": "h1"})
    q = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    assert [r[0] for r in store.conn.execute(q, ["hbm"])] == [1]
    with store.transaction() as db:
        db["articles"].update(1, {"text": "DRAM prices"})
    assert list(store.conn.execute(q, ["hbm"])) == [] and len(list(store.conn.execute(q, ["dram"]))) == 1
    with store.transaction() as db:
        db["articles"].delete(1)
    assert list(store.conn.execute(q, ["dram"])) == []


def test_foreign_keys_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as db:
            db["mentions"].insert({"article_id": 999, "name": "x", "canonical": "x", "start": 0, "end": 1,
                                   "confidence": 1.0})


def test_concurrent_stage_run_is_refused_then_allowed(tmp_db):
    """Guards against two collects on one database interleaving dedupe look-ups (duplicate articles)."""
    import subprocess
    import sys
    import textwrap

    from tracker.errors import StageBusy

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from tracker.store import open_store
        s = open_store({str(tmp_db)!r})
        with s.exclusive("collect"):
            print("held", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        s = open_store(tmp_db)
        with pytest.raises(StageBusy, match="another 'tracker collect' is running"):
            with s.exclusive("collect"):
                pass
        with s.exclusive("extract"):  # other stages are not blocked
            pass
    finally:
        holder.communicate("\n", timeout=10)
    with s.exclusive("collect"):  # released when the other process is done
        pass
    s.close()
