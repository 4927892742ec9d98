"""The progress store: SQLite, committed on every change, never losing a tick.

- One row per (profile, role, item): status, note, owner, due date, the fingerprint of
  the item's quote when it was marked, the time of the last change and of completion.
- An append-only history of every change (field, old -> new, when): the audit trail.
- WAL mode, synchronous=FULL and a busy timeout: each change is durable when set_*
  returns, and two copies of bj30 in two terminals can both write.
- PRAGMA user_version holds the schema version; MIGRATIONS bring any older store up.
- A damaged store is moved aside (never deleted) and a fresh one used; an unwritable
  folder gives a read-only session that says why on every attempted change.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.core.atomic import move_aside
from tui.core.errors import Bj30Error
from tui.core.safe_text import text_problem
from tui.core.status import STATUSES

DEFAULT_PROFILE = "default"
BUSY_TIMEOUT_MS = 10_000
MAX_NOTE_CHARS = 20_000
MAX_FIELD_CHARS = 200  # owner, institution, department
MAX_PROFILE_NAME = 60
# Every stored time: UTC to the second, ISO 8601 (history, changed, completed, exports).
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

MIGRATIONS: list[str] = [
    # 1: the first release.
    """
    CREATE TABLE profiles (
        name        TEXT PRIMARY KEY,
        institution TEXT NOT NULL DEFAULT '',
        department  TEXT NOT NULL DEFAULT '',
        created     TEXT NOT NULL
    );
    CREATE TABLE progress (
        profile     TEXT NOT NULL,
        role        TEXT NOT NULL,
        item_id     TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'na')),
        note        TEXT NOT NULL DEFAULT '',
        owner       TEXT NOT NULL DEFAULT '',
        due         TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL DEFAULT '',
        changed     TEXT NOT NULL,
        completed   TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (profile, role, item_id)
    );
    CREATE TABLE history (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        profile TEXT NOT NULL,
        role    TEXT NOT NULL,
        item_id TEXT NOT NULL,
        field   TEXT NOT NULL,
        old     TEXT NOT NULL,
        new     TEXT NOT NULL,
        at      TEXT NOT NULL
    );
    CREATE INDEX history_by_checklist ON history (profile, role, id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Bj30Error):
    """A change could not be stored; the message says why and what to do."""


class ReadOnlyStore(StoreError):
    pass


@dataclass(frozen=True, slots=True)
class ItemProgress:
    item_id: str
    status: str = "todo"
    note: str = ""
    owner: str = ""
    due: str = ""
    fingerprint: str = ""
    changed: str = ""
    completed: str = ""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    item_id: str
    field: str
    old: str
    new: str
    at: str


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    institution: str = ""
    department: str = ""

    def label(self, sep: str = " · ") -> str:
        """The institution (and department) as people read it, or a clear placeholder."""
        label = self.institution or "(institution not set)"
        return f"{label}{sep}{self.department}" if self.department else label


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime(TIMESTAMP_FORMAT)


def check_text(value: str, field: str) -> str:
    """`value`, or a StoreError if it holds what is not text: a NUL or a lone surrogate
    (a note typed as $'\\xff' on a UTF-8 command line arrives as one)."""
    problem = text_problem(value)
    if problem:
        raise StoreError(f"{field} {problem}; nothing was saved")
    return value


def check_due(due: str) -> str:
    due = check_text(due, "due date").strip()
    if due:
        try:
            dt.date.fromisoformat(due)
        except ValueError:
            raise StoreError(f"due date {due[:40]!r} is not a date like 2026-12-31") from None
    return due


@dataclass
class OpenedStore:
    store: Store
    warnings: list[str]


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, read_only_reason: str | None = None) -> None:
        self._conn = conn
        self.path = path
        self.read_only_reason = read_only_reason

    # Opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> OpenedStore:
        """Open (creating or migrating) the store at `path`; never raises for a bad file or folder."""
        warnings: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls._read_only(path, f"cannot create {path.parent}: {exc.strerror or exc}", warnings)
        if path.exists() and not os.access(path, os.W_OK):
            return cls._read_only(path, f"{path} is not writable", warnings)
        if not os.access(path.parent, os.W_OK):
            return cls._read_only(path, f"{path.parent} is not writable", warnings)
        try:
            return OpenedStore(cls._open_writable(path), warnings)
        except StoreError as exc:  # made by a newer bj30: leave it untouched
            return cls._read_only(path, str(exc), warnings)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return cls._read_only(path, f"the progress store is locked ({exc})", warnings)
            raise
        except (sqlite3.DatabaseError, _Damaged) as exc:
            moved = _move_store_aside(path)
            warnings.append(f"progress store {path} was damaged ({exc}); moved aside to {moved}; "
                            f"starting a fresh store")
            return OpenedStore(cls._open_writable(path), warnings)

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
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path)
        store.ensure_profile(DEFAULT_PROFILE)
        return store

    @classmethod
    def _read_only(cls, path: Path, reason: str, warnings: list[str]) -> OpenedStore:
        conn: sqlite3.Connection | None = None
        if path.exists():
            try:
                # immutable=1: read without creating the -shm/-wal files an unwritable folder refuses.
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                       isolation_level=None, check_same_thread=False)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    conn.close()
                    conn = None
            except sqlite3.DatabaseError:
                conn = None
        if conn is None:
            # Nothing readable there: an empty in-memory store, so the app still runs.
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            migrate(conn)
            conn.execute("INSERT INTO profiles (name, created) VALUES (?, ?)", (DEFAULT_PROFILE, now()))
        warnings.append(f"read-only session: {reason}; ticks and notes cannot be saved")
        return OpenedStore(cls(conn, path, read_only_reason=reason), warnings)

    @classmethod
    def in_memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrate(conn)
        store = cls(conn, None)
        store.ensure_profile(DEFAULT_PROFILE)
        return store

    def close(self) -> None:
        self._conn.close()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only_reason is not None:
            raise ReadOnlyStore(f"not saved: read-only session ({self.read_only_reason})")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"not saved: the progress store is busy or unwritable ({exc})") from None
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._conn.execute("ROLLBACK")
            raise StoreError(f"not saved: {exc}") from None

    # Profiles -----------------------------------------------------------------------

    def ensure_profile(self, name: str) -> None:
        if self.read_only:
            return
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)", (name, now()))

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile:
        name = check_text(name, "profile name").strip()
        if not name or len(name) > MAX_PROFILE_NAME or any(ch in name for ch in "\n\r\t"):
            raise StoreError(f"a profile name is 1-{MAX_PROFILE_NAME} characters on one line")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM profiles WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"profile {name!r} already exists")
            conn.execute("INSERT INTO profiles (name, institution, department, created) VALUES (?, ?, ?, ?)",
                         (name, _one_line(institution, "institution"), _one_line(department, "department"), now()))
        return Profile(name, institution.strip(), department.strip())

    def update_profile(self, name: str, institution: str, department: str = "") -> Profile:
        self.profile(name)
        with self._write() as conn:
            conn.execute("UPDATE profiles SET institution = ?, department = ? WHERE name = ?",
                         (_one_line(institution, "institution"), _one_line(department, "department"), name))
        return Profile(name, institution.strip(), department.strip())

    def profiles(self) -> list[Profile]:
        rows = self._conn.execute("SELECT name, institution, department FROM profiles ORDER BY name = ? DESC, name",
                                  (DEFAULT_PROFILE,)).fetchall()
        return [Profile(*row) for row in rows]

    def profile(self, name: str) -> Profile:
        check_text(name, "profile name")
        row = self._conn.execute("SELECT name, institution, department FROM profiles WHERE name = ?",
                                 (name,)).fetchone()
        if row is None:
            known = ", ".join(p.name for p in self.profiles())
            raise StoreError(f"no profile {name!r}; profiles are: {known}. "
                             f"Create it with: bj30 profile create {name!r} --institution NAME")
        return Profile(*row)

    # Progress -----------------------------------------------------------------------

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]:
        rows = self._conn.execute(
            "SELECT item_id, status, note, owner, due, fingerprint, changed, completed FROM progress "
            "WHERE profile = ? AND role = ?", (profile, role)).fetchall()
        return {row[0]: ItemProgress(*row) for row in rows}

    def item(self, profile: str, role: str, item_id: str) -> ItemProgress:
        row = self._conn.execute(
            "SELECT item_id, status, note, owner, due, fingerprint, changed, completed FROM progress "
            "WHERE profile = ? AND role = ? AND item_id = ?", (profile, role, item_id)).fetchone()
        return ItemProgress(*row) if row else ItemProgress(item_id)

    def update(self, profile: str, role: str, item_id: str, *, fingerprint: str, status: str | None = None,
               note: str | None = None, owner: str | None = None, due: str | None = None) -> ItemProgress:
        """Change an item; committed (durably) before this returns. Returns the new state."""
        if status is not None and status not in STATUSES:
            raise StoreError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise StoreError(f"note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
        if note is not None:
            check_text(note, "note")
        if owner is not None:
            owner = _one_line(owner, "owner")
        if due is not None:
            due = check_due(due)
        with self._write() as conn:
            self.profile(profile)  # a clear error for an unknown profile
            old = self.item(profile, role, item_id)
            new_status = old.status if status is None else status
            new_note = old.note if note is None else note
            if new_status == "na" and not new_note.strip():
                raise StoreError(f"{item_id}: N/A needs a reason: say in the note why the item does not apply")
            stamp = now()
            new = ItemProgress(
                item_id, new_status, new_note,
                old.owner if owner is None else owner,
                old.due if due is None else due,
                fingerprint if status is not None else (old.fingerprint or fingerprint),
                stamp,
                (old.completed or stamp) if new_status == "done" else "",
            )
            changes = [(f, getattr(old, f), getattr(new, f)) for f in ("status", "note", "owner", "due")
                       if getattr(old, f) != getattr(new, f)]
            if old.fingerprint and new.fingerprint != old.fingerprint:
                # Marked again after the quote or measure text changed: the review is on record.
                changes.append(("reviewed", old.fingerprint, new.fingerprint))
            if not changes and new.fingerprint == old.fingerprint:
                return old
            conn.execute(
                "INSERT INTO progress (profile, role, item_id, status, note, owner, due, fingerprint, changed, "
                "completed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile, role, item_id) DO UPDATE "
                "SET status = excluded.status, note = excluded.note, owner = excluded.owner, due = excluded.due, "
                "fingerprint = excluded.fingerprint, changed = excluded.changed, completed = excluded.completed",
                (profile, role, item_id, new.status, new.note, new.owner, new.due, new.fingerprint, new.changed,
                 new.completed))
            conn.executemany(
                "INSERT INTO history (profile, role, item_id, field, old, new, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(profile, role, item_id, f, o, n, stamp) for f, o, n in changes])
            return new

    def notes(self, profile: str) -> list[tuple[str, str, str]]:
        """(role, item id, note) for every item of the profile that has a note, in a stable order."""
        rows = self._conn.execute(
            "SELECT role, item_id, note FROM progress WHERE profile = ? AND note != '' ORDER BY role, item_id",
            (profile,)).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def data_version(self) -> int:
        """Changes whenever another connection (another bj30) commits: cheap to poll."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def history(self, profile: str, role: str) -> list[HistoryEntry]:
        rows = self._conn.execute(
            "SELECT item_id, field, old, new, at FROM history WHERE profile = ? AND role = ? ORDER BY id",
            (profile, role)).fetchall()
        return [HistoryEntry(*row) for row in rows]


class _Damaged(Exception):
    pass


def _one_line(value: str, field: str) -> str:
    value = " ".join(check_text(value, field).split())
    if len(value) > MAX_FIELD_CHARS:
        raise StoreError(f"{field} is longer than {MAX_FIELD_CHARS} characters")
    return value


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION, one migration per transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"the progress store has schema version {version}, newer than this bj30 "
                         f"understands ({len(MIGRATIONS)}); upgrade bj30")
    for target in range(version + 1, len(MIGRATIONS) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _move_store_aside(path: Path) -> Path:
    moved = move_aside(path)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(moved) + suffix))
    return moved
