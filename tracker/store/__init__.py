"""The SQLite store: the only shared state between stages. Nothing outside tracker.store writes SQL.

``open_store(path)`` returns a ``Store``: a sqlite_utils.Database in WAL mode with a busy timeout and
foreign keys on, migrated to the current schema. Query helpers live in the submodules
(feeds, articles, securities, extractions); each write that must be atomic runs in
``with store.transaction():``.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from pathlib import Path
from typing import Iterator

import sqlite_utils

from tracker import defaults as D
from tracker.errors import MigrationError, StageBusy, StoreError
from tracker.store.schema import MIGRATIONS, SCHEMA_VERSION


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path | None):
        self.db = db
        self.path = path
        self._depth = 0

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """Atomic block: commit on success, roll back everything on any exception. Nests (savepoints)."""
        conn = self.conn
        if self._depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{self._depth}")
                conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE sp{self._depth}")

    @contextlib.contextmanager
    def exclusive(self, stage: str) -> Iterator[None]:
        """Hold ``<db>.<stage>.lock`` (an OS file lock, released even if the process dies) for one stage run,
        so two ``tracker collect`` (or ``extract``) runs on one database cannot interleave their look-ups
        and writes. Raises StageBusy at once when another process holds it."""
        if self.path is None:  # :memory: databases are private to this connection
            yield
            return
        lock_path = self.path.with_name(f"{self.path.name}.{stage}.lock")
        with open(lock_path, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StageBusy(
                    f"another 'tracker {stage}' is running on {self.path} (lock {lock_path}): wait for it to finish"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def migrate(store: Store, target: int = SCHEMA_VERSION) -> int:
    """Apply pending migrations up to ``target``; each in its own transaction. Returns the new version."""
    current = store.schema_version()
    if current > SCHEMA_VERSION:
        raise MigrationError(
            f"database {store.path} has schema version {current}, newer than this tracker's {SCHEMA_VERSION}: "
            "upgrade the tracker (pip install -U thesis-tracker) or point --db at another file"
        )
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


def open_store(path: str | Path, *, migrate_to: int | None = SCHEMA_VERSION) -> Store:
    """Open (creating if needed) and migrate the database at ``path``. ``":memory:"`` works for tests."""
    p = None if str(path) == ":memory:" else Path(path)
    if p is not None and p.parent and not p.parent.exists():
        raise StoreError(f"directory {p.parent} for the database does not exist: create it or change [store] path")
    try:
        conn = sqlite3.connect(str(path), timeout=D.SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {D.SQLITE_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path} is not a usable SQLite database ({e}): move it aside or point --db elsewhere") from None
    store = Store(sqlite_utils.Database(conn), p)
    if migrate_to is not None:
        migrate(store, migrate_to)
    return store
