"""Read-only and writing stores (issue #13): readers never create, write or migrate; writers on a read-only
database or folder fail with one line; a mistyped --db is refused instead of becoming a new empty database."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests._cli import cli, one_error_line
from tests._seed import TSMC_TITLE, seed
from tracker.errors import MigrationError, StoreError, StoreReadOnly
from tracker.store import open_reader, open_store
from tracker.store.schema import SCHEMA_VERSION


@pytest.fixture
def read_only_tree(tmp_path):
    """A seeded WAL database, the file mode 0444 in a folder of mode 0555 (modes restored afterwards)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = seed(folder / "t.db")
    s = open_store(db)
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    yield folder, db
    folder.chmod(0o755)
    db.chmod(0o644)


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_reader_refuses_a_missing_file_and_creates_nothing(tmp_path):
    with pytest.raises(StoreError, match=r"no database at .*typo\.db: check --db .*'tracker init'"):
        open_reader(tmp_path / "typo.db")
    assert listing(tmp_path) == []


@pytest.mark.parametrize("args", [["search", "chip"], ["feeds", "list"], ["securities", "lookup", "Sony"],
                                  ["feeds", "remove", "1"]])
def test_mistyped_db_is_one_line_and_no_new_file(tmp_path, args):
    """Regression (issue #13): `tracker --db typo.db search chip` created an empty database and said
    'no articles match'."""
    proc = cli("--db", str(tmp_path / "typo.db"), *args, cwd=tmp_path)
    assert "no database at" in one_error_line(proc) and "tracker init" in proc.stderr
    assert listing(tmp_path) == []


def test_reader_never_migrates_and_says_to_run_init(tmp_path):
    old = open_store(tmp_path / "old.db", migrate_to=1)
    old.close()
    with pytest.raises(MigrationError, match=rf"schema version 1, older than this tracker's {SCHEMA_VERSION}: "
                                             r"run 'tracker init'"):
        open_reader(tmp_path / "old.db")
    assert open_store(tmp_path / "old.db", migrate_to=None).schema_version() == 1  # untouched


def test_reader_on_an_empty_file_says_to_run_init(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(StoreError, match="no tracker tables yet: run 'tracker init'"):
        open_reader(tmp_path / "empty.db")


def test_reader_cannot_write(tmp_path):
    seed(tmp_path / "t.db")
    r = open_reader(tmp_path / "t.db")
    assert r.readonly and r.conn.execute("PRAGMA query_only").fetchone()[0] == 1
    with pytest.raises(StoreError, match="opened read-only"):
        with r.transaction():
            pass
    r.close()


@pytest.mark.parametrize("path, needle", [("", "database path is empty"), ("a\x00b.db", "NUL character")])
def test_bad_paths_are_clear_errors(path, needle):
    with pytest.raises(StoreError, match=needle):
        open_store(path)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StoreError, match=r"is a folder, not a database file: point --db .* at a file"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="is a folder"):
        open_reader(tmp_path)


def test_read_only_database_in_read_only_folder_can_be_searched(read_only_tree):
    """Regression (issue #13): opening always switched to WAL and migrated, so a read-only database in a
    read-only folder could not be searched, and the message said to move a good database aside."""
    folder, db = read_only_tree
    before = listing(folder)
    proc = cli("--db", str(db), "search", "TSMC", "--json", cwd=folder.parent, unprivileged=True)
    assert proc.returncode == 0, proc.stderr
    assert TSMC_TITLE in [r["title"] for r in json.loads(proc.stdout)]
    proc = cli("--db", str(db), "feeds", "list", "--json", cwd=folder.parent, unprivileged=True)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 3
    assert listing(folder) == before


@pytest.mark.parametrize("args", [["collect", "-q"], ["extract", "-q"], ["feeds", "add", "https://example.com/rss"],
                                  ["init"]])
def test_writers_on_a_read_only_folder_fail_with_one_line(read_only_tree, args):
    folder, db = read_only_tree
    proc = cli("--db", str(db), *args, cwd=folder.parent, unprivileged=True)
    line = one_error_line(proc)
    assert f"the database {db} is read-only: make it writable" in line and "point --db at the copy" in line


@pytest.mark.parametrize("args", [["collect", "-q"], ["extract", "-q"]])
def test_writers_on_a_read_only_file_in_a_writable_folder_fail_with_one_line(tmp_path, args):
    """Regression (issue #13): collect and extract crashed with sqlite3.OperationalError tracebacks."""
    db = seed(tmp_path / "t.db")
    db.chmod(0o444)
    try:
        proc = cli("--db", str(db), *args, cwd=tmp_path, unprivileged=True)
    finally:
        db.chmod(0o644)
    line = one_error_line(proc)
    assert f"the database {db} is read-only" in line


def test_writer_checks_need_no_privileges_in_process(tmp_path):
    """The in-process writer refuses a file the process may not write (skipped for root, who may)."""
    if os.geteuid() == 0:
        pytest.skip("root may write any file; the subprocess tests above cover this case")
    db = seed(tmp_path / "t.db")
    db.chmod(stat.S_IRUSR)
    try:
        with pytest.raises(StoreReadOnly):
            open_store(db)
    finally:
        db.chmod(0o644)
