"""The progress store: SQLite, committed on every change, never losing a tick.

- One row per (profile, role, item): status, note, owner, due date, the fingerprint of
  the item's quote when it was marked, the time of the last change and of completion.
- An append-only history of every change (field, old -> new, when): the audit trail.
- WAL mode, synchronous=FULL and a busy timeout: each change is durable when its method
  (update, restore, add_evidence, ...) returns, and two copies of bj30 in two terminals can
  both write. Many first runs at once wait for each other (a locked first open is tried
  again, backing off), rather than one of them giving up.
- Each item has a revision (1, 2, 3, ... per change) and its times are kept to the
  microsecond, and never go backwards for an item: an import compares them (importer.py).
- PRAGMA user_version holds the schema version; sqlite_schema.MIGRATIONS bring any older
  store up, under the write lock, so that two first runs at once cannot both create the tables.
- A damaged store is moved aside (never deleted) and a fresh one used; an unwritable
  folder, a full disk or a path that is not a file gives a read-only session that says why
  on every attempted change. A failed write (a full disk) raises StoreError and leaves the
  store as it was; reads keep working.

What the file shares with the team store (the statements, the rules) is sql.py's and rules.py's;
this module is the file's own: opening it, its faults, its migrations, its dialect.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from tui.core.files.atomic import move_aside
from tui.core.files.read import kind
from tui.core.progress.evidence import Evidence
from tui.core.store.api import ProgressStore
from tui.core.store.copy import HistoryRow
from tui.core.store.model import (
    DEFAULT_PROFILE,
    FULL,
    READ_ONLY,
    Opened,
    ReadOnlyStore,
    RemoteChange,
    StoreError,
    now,
)
from tui.core.store.sql import SqlTx
from tui.core.store.sqlite_schema import SCHEMA_VERSION, migrate, user_version

T = TypeVar("T")
BUSY_TIMEOUT_MS = 10_000
# A first open that finds the file locked (many first runs at once, a busy machine) tries again,
# waiting a little longer each time, for at most this long.
OPEN_RETRY_SECONDS = 30.0


class Store(ProgressStore):
    """The SQLite file (see the module's docstring). Use Store.open(path)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, read_only_reason: str | None = None) -> None:
        super().__init__()
        self._conn = conn
        self.path = path
        self._reason = read_only_reason
        self.full = False  # read-only because the disk was full when it opened
        self._closed = False
        self._seen_version: int | None = None  # changes_elsewhere(): what was seen last
        self._seen_id = 0
        self._own_history: set[int] = set()  # ids of history rows this session wrote
        self._tx = _SqliteTx(conn, self._own_history)

    # Opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Opened:
        """Open (creating or migrating) the store at `path`; never raises for a bad file, folder or disk."""
        warnings: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                return cls._read_only(path, f"the disk is full (cannot create {path.parent})", warnings, full=True)
            return cls._read_only(path, f"cannot create {path.parent}: {exc.strerror or exc}", warnings)
        if (path.exists() or path.is_symlink()) and not path.is_file():
            return cls._read_only(
                path, f"{path} is {_kind(path)}, not the progress store file; move it away to save progress", warnings
            )
        if path.exists() and not os.access(path, os.W_OK):
            return cls._read_only(path, f"{path} is not writable", warnings)
        if not os.access(path.parent, os.W_OK):
            return cls._read_only(path, f"{path.parent} is not writable", warnings)
        try:
            return Opened(cls._open_waiting(path), warnings)
        except _Damaged as exc:
            damage: Exception = exc
        except StoreError as exc:  # made by a newer bj30: leave it untouched
            return cls._read_only(path, str(exc), warnings)
        except sqlite3.OperationalError as exc:
            return cls._cannot_write(path, exc, warnings)
        except sqlite3.DatabaseError as exc:
            damage = exc
        moved = _move_store_aside(path)
        warnings.append(f"progress store {path} was damaged ({damage}); moved aside to {moved}; starting a fresh store")
        try:
            return Opened(cls._open_writable(path), warnings)
        except sqlite3.Error as exc:
            return cls._cannot_write(path, exc, warnings)

    @classmethod
    def _cannot_write(cls, path: Path, exc: sqlite3.Error, warnings: list[str]) -> Opened:
        if _is_full(exc):
            return cls._read_only(path, f"the disk is full ({exc})", warnings, full=True)
        if _is_io_error(exc):
            return cls._read_only(path, f"the disk failed ({exc}); is it full or failing?", warnings)
        if _is_locked(exc):
            return cls._read_only(path, f"the progress store is locked ({exc})", warnings)
        return cls._read_only(path, f"cannot open {path}: {exc}", warnings)

    @classmethod
    def _open_waiting(cls, path: Path) -> Store:
        """_open_writable, tried again while the file is locked (another bj30 creating or migrating
        it, on a busy machine) for up to OPEN_RETRY_SECONDS, each wait longer than the last."""
        deadline, wait = time.monotonic() + OPEN_RETRY_SECONDS, 0.05
        while True:
            try:
                return cls._open_writable(path)
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or time.monotonic() + wait > deadline:
                    raise
            time.sleep(wait)
            wait = min(wait * 2, 2.0)

    @classmethod
    def _open_writable(cls, path: Path) -> Store:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            result = conn.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                raise _Damaged(f"integrity check: {result[0] if result else 'no answer'}")
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a change is on disk when the call returns, even if the machine then loses power.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
            _with_default_profile(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    @classmethod
    def _read_only(cls, path: Path, reason: str, warnings: list[str], *, full: bool = False) -> Opened:
        """A session that shows what the store holds and refuses every change, saying why."""
        conn, how = _open_for_reading(path)
        hidden: str | None = None
        if conn is not None:
            version = user_version(conn)
            if version > SCHEMA_VERSION:
                hidden = (
                    f"the progress store {path} was made by a newer bj30 (schema {version}); "
                    f"this bj30 cannot show its progress: upgrade bj30"
                )
                conn.close()
                conn = None
            elif version < SCHEMA_VERSION:
                # An older store that cannot be migrated in place: migrate a copy in memory.
                memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.backup(memory)
                conn.close()
                conn = _in_memory(memory)
        if conn is None:
            # Nothing readable there: an empty in-memory store, so the app still runs.
            conn = _in_memory(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))
        warnings.append(f"{READ_ONLY}: {reason}; ticks and notes cannot be saved" + (f"; {how}" if how else ""))
        store = cls(conn, path, read_only_reason=reason)
        store.full = full
        store.progress_hidden = hidden
        return Opened(store, warnings)

    @classmethod
    def in_memory(cls) -> Store:
        return cls(_in_memory(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)), None)

    def close(self) -> None:
        self._conn.close()
        self._closed = True

    @property
    def connected(self) -> bool:
        return not self._closed

    @property
    def read_only_reason(self) -> str | None:
        return self._reason

    def _read(self, action: Callable[[SqlTx], T]) -> T:
        return action(self._tx)

    @contextmanager
    def _transaction(self) -> Iterator[SqlTx]:
        """One write transaction (BEGIN IMMEDIATE: the write lock first, then the reads that decide).

        Any failure leaves the store as it was and raises StoreError. On a full disk SQLite
        may already have rolled the transaction back itself: only roll back what is open.
        """
        if self._reason is not None:
            raise ReadOnlyStore(FULL if self.full else f"not saved: {READ_ONLY} ({self._reason})")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _not_saved(exc) from None
        try:
            yield self._tx
            self._conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise _not_saved(exc) from None
            raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # rolled back already, or the connection is gone: nothing was committed

    # Other sessions' changes --------------------------------------------------------------

    def data_version(self) -> int:
        """Changes whenever another connection (another bj30) commits: cheap to poll."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """What other connections (another bj30, `bj30 mark`) committed since the last call;
        None if nothing. The first call sets the starting point."""
        version = self.data_version()
        last = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])
        if self._seen_version is None or version == self._seen_version:
            # The start, or no one else committed since: every row up to `last` is ours or seen.
            self._seen_version, self._seen_id = version, last
            return None
        rows = self._conn.execute(
            'SELECT id, profile, role, item_id, field, new, "by" FROM history WHERE id > ? ORDER BY id', (self._seen_id,)
        ).fetchall()
        self._seen_version, self._seen_id = version, last
        changes = [
            RemoteChange(p, r, i, f, "" if f == "note" else n, by)
            for id_, p, r, i, f, n, by in rows
            if id_ not in self._own_history
        ]
        self._own_history.difference_update({i for i in self._own_history if i <= last})
        return changes


class _SqliteTx(SqlTx):
    """The file's dialect: the time is this machine's; who is as the caller says."""

    def __init__(self, conn: sqlite3.Connection, own_history: set[int]) -> None:
        super().__init__(conn)
        self._own = own_history

    def add_history(self, rows: Sequence[HistoryRow], origin: str) -> None:
        super().add_history(rows, origin)
        if rows:  # inside the write transaction (the only writer): ours are the newest ids
            last = int(self._q("SELECT max(id) FROM history").fetchone()[0])
            self._own.update(range(last - len(rows) + 1, last + 1))

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, origin: str, removed: str = "", removed_by: str = ""
    ) -> Evidence:
        added = e.added or now()
        cursor = self._q(
            "INSERT INTO evidence (profile, role, item_id, kind, target, note, size, sha256, mtime, added, added_by, "
            "removed, removed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (profile, role, item_id, e.kind, e.target, e.note, e.size, e.sha256, e.mtime, added, e.by, removed, removed_by),
        )
        return replace(e, added=added, id=int(cursor.lastrowid or 0))


class _Damaged(Exception):
    pass


SQLITE_FULL = 13
SQLITE_IOERR = 10
SQLITE_IOERR_SHMSIZE = 10 | (19 << 8)  # the WAL index (-shm) cannot grow: what a full disk gives at open


def _extended_code(exc: sqlite3.Error) -> int:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; before, the message is all there is
    return code if isinstance(code, int) else -1


def _errorcode(exc: sqlite3.Error) -> int:
    return _extended_code(exc) & 0xFF


def _is_full(exc: sqlite3.Error) -> bool:
    """SQLITE_FULL, or the -shm file failing to grow (SQLite's own answer to a full disk at open)."""
    return _errorcode(exc) == SQLITE_FULL or _extended_code(exc) == SQLITE_IOERR_SHMSIZE or "database or disk is full" in str(exc)


def _is_io_error(exc: sqlite3.Error) -> bool:
    return _errorcode(exc) == SQLITE_IOERR or "disk I/O error" in str(exc)


def _is_locked(exc: sqlite3.Error) -> bool:
    return _errorcode(exc) in (5, 6) or "locked" in str(exc) or "busy" in str(exc)


def _not_saved(exc: sqlite3.Error) -> StoreError:
    if _is_full(exc):
        return StoreError(FULL)
    if _is_io_error(exc):
        return StoreError(f"the change was not saved: the disk failed ({exc}); is it full or failing?")
    if _is_locked(exc):
        return StoreError(f"not saved: the progress store is busy ({exc}); try again")
    return StoreError(f"not saved: {exc}")


def _kind(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link"
    return kind(path.stat().st_mode)


def _in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn` (an in-memory database, empty or a copy) migrated, with the default profile."""
    migrate(conn)
    return _with_default_profile(conn)


def _with_default_profile(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)", (DEFAULT_PROFILE, now()))
    return conn


def _open_for_reading(path: Path) -> tuple[sqlite3.Connection | None, str]:
    """A read-only connection that sees committed changes still in the WAL (mode=ro), or, where
    that cannot work (the -shm file cannot be made), one that reads the main file only
    (immutable=1), with a note saying so when the WAL held changes. (None, "") if unreadable."""
    if not path.is_file():
        return None, ""
    uri = path.resolve().as_uri()
    for query in ("mode=ro", "mode=ro&immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            continue
        wal = Path(f"{path}-wal")
        if "immutable" in query and wal.exists() and wal.stat().st_size > 0:
            return conn, "changes still in its write-ahead log may not show"
        return conn, ""
    return None, ""


def _move_store_aside(path: Path) -> Path:
    moved = move_aside(path)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(moved) + suffix))
    return moved
