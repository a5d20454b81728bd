"""Stage locks follow the database file, not the path written (issue #13), never stay stuck after kill -9, and
leave nothing beside the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tracker.errors import StageBusy
from tracker.store import open_store
from tracker.store.locks import lock_dir, lock_path


@pytest.fixture
def holder(tmp_db):
    """Start a real process that opens ``tmp_db`` through ``path`` and holds its 'collect' lock."""
    procs = []

    def start(path) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from tracker.store import open_store
            s = open_store({str(path)!r})
            with s.exclusive("collect"):
                print("held", flush=True)
                sys.stdin.readline()
            """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline().strip() == "held"
        return proc

    open_store(tmp_db).close()
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_symlink_hard_link_and_relative_path_share_one_lock(tmp_db, holder, monkeypatch):
    """Regression (issue #13): the lock followed the path as written, so the same database through a symlink
    or a hard link got a second lock and two collects ran at once."""
    link = tmp_db.with_name("link.db")
    link.symlink_to(tmp_db)
    hard = tmp_db.with_name("hard.db")
    os.link(tmp_db, hard)
    holder(link)
    monkeypatch.chdir(tmp_db.parent)
    for path in (tmp_db, link, hard, tmp_db.name):
        s = open_store(path, migrate_to=None)
        with pytest.raises(StageBusy, match=r"another 'tracker collect' is running on .* \(pid \d+\): wait"):
            with s.exclusive("collect"):
                pass
        with s.exclusive("extract"):  # another stage is not blocked
            pass
        s.close()


def test_lock_is_free_after_the_holder_is_killed(tmp_db, holder):
    """kill -9 of a running stage never leaves its lock stuck: the next run starts at once."""
    proc = holder(tmp_db)
    leftover = lock_path(tmp_db, "collect")
    assert leftover.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    s = open_store(tmp_db)
    with s.exclusive("collect"):
        assert leftover.exists()  # the killed holder's file, reused
    assert not leftover.exists()  # and removed on release
    s.close()


def test_files_of_killed_holders_of_other_databases_are_swept(tmp_path, tmp_db, holder):
    """A process killed while holding a lock leaves its (free) file behind; the next lock taken removes it."""
    other = tmp_path / "other.db"
    open_store(other).close()
    killed = holder(other)
    killed.kill()
    killed.wait(timeout=10)
    leftover = lock_path(other, "collect")
    assert leftover.exists()
    s = open_store(tmp_db)
    with s.exclusive("extract"):
        assert not leftover.exists()
    s.close()


def test_no_lock_files_beside_the_database(tmp_db, holder):
    """Regression (issue #13): lock files piled up beside the database."""
    s = open_store(tmp_db)
    with s.exclusive("collect"):
        with s.exclusive("extract"):
            assert lock_path(tmp_db, "collect").parent != tmp_db.parent
    s.close()
    assert sorted(p.name for p in tmp_db.parent.iterdir()) == [tmp_db.name]
    assert not lock_path(tmp_db, "collect").exists() and not lock_path(tmp_db, "extract").exists()


def test_lock_folder_is_private():
    st = lock_dir().stat()
    assert st.st_uid == os.getuid() and (st.st_mode & 0o077) == 0


def test_lock_files_of_earlier_versions_are_cleaned_up(tmp_db):
    """Earlier versions kept '<db>.<stage>.lock' beside the database; opening it for writing removes those no
    running process holds (a held one, and files of other databases, stay)."""
    import fcntl

    open_store(tmp_db).close()
    for name in ("tracker.db.collect.lock", "tracker.db.extract.lock", "other.db.collect.lock"):
        (tmp_db.parent / name).write_text("")
    with open(tmp_db.parent / "tracker.db.extract.lock") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # an old-version extract still running
        open_store(tmp_db).close()
        assert sorted(p.name for p in tmp_db.parent.glob("*.lock")) == ["other.db.collect.lock",
                                                                         "tracker.db.extract.lock"]
