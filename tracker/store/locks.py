"""Stage locks: one running ``collect`` (or ``extract``, ...) per database file, whatever path reaches it.

A lock is an OS ``flock`` on a small file named after the database file's identity (device and inode, so a
symlink, a hard link or a relative path all find the same lock), kept in a private per-user folder
(``$XDG_RUNTIME_DIR/thesis-tracker``, else ``<tmp>/thesis-tracker-<uid>``) instead of beside the database.
The kernel drops the lock when its holder exits, even on ``kill -9``; the file itself is removed on release,
and files left by killed processes are swept away by the next lock taken.

The database file itself is never opened for locking: closing any descriptor of a file drops every POSIX
lock the process holds on it, which would silently cancel SQLite's own locks.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import tempfile
from pathlib import Path
from typing import Iterator

from tracker import defaults as D
from tracker.errors import StageBusy, StoreError


def lock_dir() -> Path:
    """The private folder holding this user's stage locks (created with mode 0700)."""
    override = os.environ.get(D.LOCK_DIR_ENV)
    if override:
        folder = Path(override)
    elif os.environ.get("XDG_RUNTIME_DIR") and Path(os.environ["XDG_RUNTIME_DIR"]).is_dir():
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "thesis-tracker"
    else:
        folder = Path(tempfile.gettempdir()) / f"thesis-tracker-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError as e:
        raise StoreError(f"cannot create the lock folder {folder} ({e.strerror or e}): "
                         f"set ${D.LOCK_DIR_ENV} to a writable folder") from None
    if not folder.is_dir() or st.st_uid != os.getuid():
        raise StoreError(f"the lock folder {folder} is not a folder owned by you: remove it or set ${D.LOCK_DIR_ENV} "
                         "to a private folder")
    return folder


def lock_path(db_path: Path, stage: str) -> Path:
    """Where the ``stage`` lock of the database at ``db_path`` lives (keyed on the file's device and inode)."""
    try:
        st = os.stat(db_path)  # follows symlinks: the real file
    except OSError as e:
        raise StoreError(f"the database {db_path} cannot be found any more ({e.strerror or e}): was it moved or "
                         "deleted while the tracker ran?") from None
    return lock_dir() / f"{st.st_dev}-{st.st_ino}.{stage}.lock"


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def stage_lock(db_path: Path, stage: str) -> Iterator[Path]:
    """Hold the ``stage`` lock of the database file at ``db_path``; StageBusy at once if another process has it."""
    path = lock_path(db_path, stage)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(fd)
            if e.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                raise
            raise StageBusy(f"another 'tracker {stage}' is running on {db_path}{_holder(path)}: "
                            "wait for it to finish") from None
        # The previous holder may have removed the file between our open and our flock: then we hold a lock
        # on a file nobody else can find, so start again on the current one.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _sweep(path.parent, keep=path)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # still holding the lock: nobody can be between open and flock on this file
        os.close(fd)  # releases the flock


def remove_legacy_locks(db_path: Path) -> int:
    """Remove the ``<db>.<stage>.lock`` files that earlier versions left beside the database (those not held by
    a running process of such a version). Returns how many were removed."""
    return sum(_remove_if_free(old) for old in db_path.parent.glob(f"{glob.escape(db_path.name)}.*.lock"))


def _sweep(folder: Path, keep: Path) -> None:
    """Remove lock files that processes killed while holding them left in ``folder`` (those nobody holds)."""
    for old in list(folder.glob("*.lock"))[: D.LOCK_SWEEP_MAX]:
        if old != keep:
            _remove_if_free(old)


def _remove_if_free(path: Path) -> bool:
    """Unlink ``path`` if no process holds a lock on it (someone opening it meanwhile sees it replaced and
    retries, see ``stage_lock``)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink()
        return True
    except OSError:  # held by a running tracker, or not ours to remove
        return False
    finally:
        os.close(fd)
