"""The SQLite store: the only shared state between stages. Nothing outside tracker.store writes SQL.

``open_store(path, mode="write")`` returns a ``Store``: a sqlite_utils.Database in WAL mode with a busy
timeout and foreign keys on, migrated to the current schema. ``open_store(path, mode="read")`` (or
``open_reader(path)``) opens an existing database read-only and never migrates: use it for every command
that only reads. Query helpers live in the submodules
(feeds, articles, securities, extractions); each write that must be atomic runs in
``with store.transaction():``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import sqlite_utils

from tracker import defaults as D
from tracker.errors import MigrationError, StoreError, StoreReadOnly
from tracker.store.locks import remove_legacy_locks, stage_lock
from tracker.store.schema import MIGRATIONS, SCHEMA_VERSION


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path | None, *, readonly: bool = False):
        self.db = db
        self.path = path
        self.readonly = readonly
        self._depth = 0

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """Atomic block: commit on success, roll back everything on any exception. Nests (savepoints)."""
        conn = self.conn
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only (open_store(..., mode='write') to change it)")
        if self._depth == 0:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                if _is_read_only_error(e) and self.path is not None:
                    raise StoreReadOnly(_read_only_message(self.path)) from None
                raise
        else:
            conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self.db
        except BaseException as e:
            self._depth -= 1
            try:
                if self._depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO sp{self._depth}")
                    conn.execute(f"RELEASE sp{self._depth}")
            except sqlite3.ProgrammingError:  # closed meanwhile (Ctrl-C): SQLite rolled back on close
                pass
            if isinstance(e, sqlite3.OperationalError) and _is_read_only_error(e) and self.path is not None:
                raise StoreReadOnly(_read_only_message(self.path)) from None
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE sp{self._depth}")

    @contextlib.contextmanager
    def exclusive(self, stage: str) -> Iterator[None]:
        """Hold the database's ``stage`` lock (tracker.store.locks: keyed on the file's identity, released even
        if the process dies) for one stage run, so two ``tracker collect`` (or ``extract``) runs on one database
        cannot interleave their look-ups and writes. Raises StageBusy at once when another process holds it."""
        if self.path is None:  # :memory: databases are private to this connection
            yield
            return
        with stage_lock(self.path, stage):
            yield

    def abandon(self) -> None:
        """Roll back a transaction left open by an interruption (Ctrl-C inside ``transaction()``'s own code)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._depth = 0

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _newer_message(path, version: int) -> str:
    return (f"database {path} has schema version {version}, newer than this tracker's {SCHEMA_VERSION}: "
            "upgrade the tracker (pip install -U thesis-tracker) or point --db at another file")


def migrate(store: Store, target: int = SCHEMA_VERSION) -> int:
    """Apply pending migrations up to ``target``; each in its own transaction. Returns the new version."""
    current = store.schema_version()
    if current > SCHEMA_VERSION:
        raise MigrationError(_newer_message(store.path, current))
    for version in range(current + 1, target + 1):
        try:
            with store.transaction() as db:
                MIGRATIONS[version - 1](db)
                store.conn.execute(f"PRAGMA user_version = {version}")
        except sqlite3.Error as e:
            raise MigrationError(
                f"migration to schema version {version} failed on {store.path}: {e}; "
                f"the database was left at version {current} (restore a backup or report this)"
            ) from e
        current = version
    return current


MODES = ("read", "write")


def open_store(path: str | Path, *, mode: str = "write", migrate_to: int | None = SCHEMA_VERSION) -> Store:
    """Open the database at ``path``. ``":memory:"`` works for tests.

    - ``mode="write"`` (init and the writing stages): creates the file if needed, switches it to WAL and
      migrates it to the current schema. A read-only file or folder is one StoreReadOnly line.
    - ``mode="read"`` (search, listings, lookups, the board): never creates, writes or migrates. A missing
      file, an empty database or an older schema is one StoreError line saying what to run.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if str(path) == ":memory:":
        return _open_writer(None, ":memory:", migrate_to)
    p = _checked_path(path)
    return _open_reader(p) if mode == "read" else _open_writer(p, str(p), migrate_to)


def open_reader(path: str | Path) -> Store:
    """``open_store(path, mode="read")``: the store for commands that only read."""
    return open_store(path, mode="read")


def _checked_path(path: str | Path) -> Path:
    text = str(path)
    if not text.strip():
        raise StoreError("the database path is empty: set [store] path (or --db, $TRACKER_DB) to a file name")
    if "\0" in text:
        raise StoreError(f"the database path {text!r} contains a NUL character: give a plain file name")
    p = Path(text).expanduser()
    if p.is_dir():
        raise StoreError(f"{p} is a folder, not a database file: point --db (or [store] path) at a file, "
                         f"e.g. {p / D.DB_PATH}")
    return p


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=D.SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False, uri=uri)
    conn.execute(f"PRAGMA busy_timeout = {D.SQLITE_BUSY_TIMEOUT_MS}")
    return conn


def _read_only_message(p: Path) -> str:
    reading = "reading commands such as 'tracker search' work on read-only databases"
    if p.exists() and not os.access(p, os.W_OK):
        return (f"the database {p} is read-only: make it writable (chmod u+w), or copy it to a writable folder and "
                f"point --db at the copy ({reading})")
    folder = p.parent if str(p.parent) else Path(".")
    return (f"the folder {folder.resolve()} is read-only and the database {p.name} needs it writable (SQLite keeps "
            f"its journal beside the database): point --db at a writable folder ({reading})")


def _open_writer(p: Path | None, target: str, migrate_to: int | None) -> Store:
    if p is not None:
        folder = p.parent if str(p.parent) else Path(".")
        if not folder.exists():
            raise StoreError(f"directory {folder} for the database does not exist: create it or change [store] path")
        if (p.exists() and not os.access(p, os.W_OK)) or not os.access(folder, os.W_OK | os.X_OK):
            raise StoreReadOnly(_read_only_message(p))
    try:
        conn = _connect(target)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as e:
        if p is not None and _is_read_only_error(e):
            raise StoreReadOnly(_read_only_message(p)) from None
        raise StoreError(f"{target} cannot be opened ({e}): check the path and its permissions") from None
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{target} is not a usable SQLite database ({e}): move it aside or point --db elsewhere") from None
    store = Store(sqlite_utils.Database(conn), p)
    if migrate_to is not None:
        migrate(store, migrate_to)
    if p is not None:
        remove_legacy_locks(p)
    return store


def _is_read_only_error(e: sqlite3.Error) -> bool:
    return "readonly" in str(e) or "read-only" in str(e) or getattr(e, "sqlite_errorname", "").startswith(
        "SQLITE_READONLY")


def _connect_reader(uri: str) -> sqlite3.Connection:
    conn = _connect(uri, uri=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def connect_readonly(p: Path) -> sqlite3.Connection:
    """A read-only connection to an existing database (no version checks): the board and read mode use it."""
    if not p.exists():
        raise StoreError(f"no database at {p}: check --db (or [store] path, $TRACKER_DB), or create one with "
                         "'tracker init'")
    uri = p.resolve().as_uri()
    try:
        return _connect_reader(uri + "?mode=ro")
    except sqlite3.OperationalError as e:
        # A WAL database in a read-only folder cannot be opened plainly read-only (SQLite must create its -shm
        # file beside it): it is then opened as immutable, which needs no other file. Only then: immutable
        # also skips locking, which would be wrong next to a live writer.
        if not getattr(e, "sqlite_errorname", "").startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            raise StoreError(f"{p} cannot be opened for reading ({e}): check its permissions") from None
        try:
            return _connect_reader(uri + "?mode=ro&immutable=1")
        except sqlite3.Error as e2:
            raise StoreError(f"{p} cannot be opened for reading ({e2}): check its permissions") from None
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p} is not a usable SQLite database ({e}): point --db at the right file") from None


def _open_reader(p: Path) -> Store:
    conn = connect_readonly(p)
    store = Store(sqlite_utils.Database(conn), p, readonly=True)
    version = store.schema_version()
    if version == 0:
        store.close()
        raise StoreError(f"{p} has no tracker tables yet: run 'tracker init' (or 'tracker collect') on it first")
    if version < SCHEMA_VERSION:
        store.close()
        raise MigrationError(f"database {p} has schema version {version}, older than this tracker's "
                             f"{SCHEMA_VERSION}: run 'tracker init' to migrate it (reading commands never migrate)")
    if version > SCHEMA_VERSION:
        store.close()
        raise MigrationError(_newer_message(p, version))
    return store
