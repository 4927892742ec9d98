"""The progress store: SQLite, committed on every change, never losing a tick.

- One row per (profile, role, item): status, note, owner, due date, the fingerprint of
  the item's quote when it was marked, the time of the last change and of completion.
- An append-only history of every change (field, old -> new, when): the audit trail.
- WAL mode, synchronous=FULL and a busy timeout: each change is durable when set_*
  returns, and two copies of bj30 in two terminals can both write.
- Each item has a revision (1, 2, 3, ... per change) and its times are kept to the
  microsecond, and never go backwards for an item: an import compares them (importer.py).
- PRAGMA user_version holds the schema version; MIGRATIONS bring any older store up,
  under the write lock, so that two first runs at once cannot both create the tables.
- A damaged store is moved aside (never deleted) and a fresh one used; an unwritable
  folder, a full disk or a path that is not a file gives a read-only session that says why
  on every attempted change. A failed write (a full disk) raises StoreError and leaves the
  store as it was; reads keep working.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import Bj30Error
from tui.core.files.atomic import move_aside
from tui.core.files.read import kind
from tui.core.progress.evidence import Evidence, history_text
from tui.core.progress.profile import DEFAULT_PROFILE, Profile  # noqa: F401 (re-exported: callers import them from here)
from tui.core.text.safe_text import text_problem

if TYPE_CHECKING:
    from tui.core.store.api import RemoteChange
    from tui.core.store.copy import CopyReport, StoreRows

BUSY_TIMEOUT_MS = 10_000
MAX_NOTE_CHARS = 20_000
MAX_FIELD_CHARS = 200  # owner, institution, department
MAX_PROFILE_NAME = 60
# When an export was made: UTC to the second, ISO 8601. Stored change times (history, changed,
# completed) are to the microsecond: STAMP below.
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
    # 2: a revision per item; times to the microsecond (issue 12: imports compare them, and
    # one-second times made a change and an export in the same second look simultaneous);
    # a random id per store, so that an export knows which store it came from.
    """
    ALTER TABLE progress ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
    UPDATE progress SET changed = substr(changed, 1, 19) || '.000000Z' WHERE length(changed) = 20;
    UPDATE progress SET completed = substr(completed, 1, 19) || '.000000Z' WHERE length(completed) = 20;
    UPDATE history SET at = substr(at, 1, 19) || '.000000Z' WHERE length(at) = 20;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
    """,
    # 3: who did what (issue 13): each history entry names who made the change; evidence per
    # item (a file with its size, SHA-256 and modification time, a URL, a reference). Evidence
    # removed is marked removed, never deleted: the history and an audit still find it.
    """
    ALTER TABLE history ADD COLUMN who TEXT NOT NULL DEFAULT '';
    CREATE TABLE evidence (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        profile    TEXT NOT NULL,
        role       TEXT NOT NULL,
        item_id    TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('file', 'url', 'reference')),
        target     TEXT NOT NULL,
        note       TEXT NOT NULL DEFAULT '',
        size       INTEGER NOT NULL DEFAULT -1,
        sha256     TEXT NOT NULL DEFAULT '',
        mtime      TEXT NOT NULL DEFAULT '',
        added      TEXT NOT NULL,
        added_by   TEXT NOT NULL DEFAULT '',
        removed    TEXT NOT NULL DEFAULT '',
        removed_by TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX evidence_by_item ON evidence (profile, role, item_id, id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Bj30Error):
    """A change could not be stored; the message says why and what to do."""


class ReadOnlyStore(StoreError):
    pass


class ProgressHidden(StoreError):
    """The store was made by a newer bj30: its progress cannot be shown (never shown as zero)."""


FULL = "the disk is full: the change was not saved"
READ_ONLY = "read-only session"


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
    revision: int = 0  # 0: never changed; +1 with every change


_ITEM_COLUMNS = "item_id, status, note, owner, due, fingerprint, changed, completed, revision"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    item_id: str
    field: str
    old: str
    new: str
    at: str
    by: str = ""  # who made the change ("" before bj30 recorded it); a team store: its database user


STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


def now() -> str:
    """The time of a change, UTC, to the microsecond: 2026-11-26T12:00:00.123456Z."""
    return dt.datetime.now(dt.timezone.utc).strftime(STAMP)


def parse_stamp(stamp: str) -> dt.datetime | None:
    """A stored or exported time (with or without microseconds) as an aware datetime, or None."""
    for fmt in (STAMP, "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.timezone.utc)
        except (ValueError, TypeError):
            continue
    return None


def _stamp_after(previous: str) -> str:
    """Now, or just after `previous` if the clock went back: an item's times never go backwards."""
    current = now()
    before = parse_stamp(previous) if previous else None
    if before is not None and current <= before.strftime(STAMP):
        return (before + dt.timedelta(microseconds=1)).strftime(STAMP)
    return current


def check_text(value: str, field: str) -> str:
    """`value`, or a StoreError if it holds what is not text: a NUL or a lone surrogate
    (a note typed as $'\\xff' on a UTF-8 command line arrives as one)."""
    problem = text_problem(value)
    if problem:
        raise StoreError(f"{field} {problem}; nothing was saved")
    return value


def check_due(due: str) -> str:
    """A due date as stored: YYYY-MM-DD (20261231 and 2026-W53-4 are ISO dates too: normalised), or ""."""
    due = check_text(due, "due date").strip()
    if due:
        try:
            return dt.date.fromisoformat(due).isoformat()
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
        self.full = False  # read-only because the disk was full when it opened
        self.progress_hidden: str | None = None  # why the progress cannot be shown (a newer store)
        self._batch = False
        self._seen_version: int | None = None  # changes_elsewhere(): what was seen last
        self._seen_id = 0
        self._own_history: set[int] = set()

    # Opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> OpenedStore:
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
            return OpenedStore(cls._open_writable(path), warnings)
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
            return OpenedStore(cls._open_writable(path), warnings)
        except sqlite3.Error as exc:
            return cls._cannot_write(path, exc, warnings)

    @classmethod
    def _cannot_write(cls, path: Path, exc: sqlite3.Error, warnings: list[str]) -> OpenedStore:
        if _is_full(exc):
            return cls._read_only(path, f"the disk is full ({exc})", warnings, full=True)
        if _is_io_error(exc):
            return cls._read_only(path, f"the disk failed ({exc}); is it full or failing?", warnings)
        if _is_locked(exc):
            return cls._read_only(path, f"the progress store is locked ({exc})", warnings)
        return cls._read_only(path, f"cannot open {path}: {exc}", warnings)

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
            conn.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)", (DEFAULT_PROFILE, now()))
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    @classmethod
    def _read_only(cls, path: Path, reason: str, warnings: list[str], *, full: bool = False) -> OpenedStore:
        """A session that shows what the store holds and refuses every change, saying why."""
        conn, how = _open_for_reading(path)
        hidden: str | None = None
        if conn is not None:
            version = _user_version(conn)
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
        return OpenedStore(store, warnings)

    @classmethod
    def in_memory(cls) -> Store:
        return cls(_in_memory(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)), None)

    def close(self) -> None:
        self._conn.close()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the write lock first, then the reads that decide).

        Any failure leaves the store as it was and raises StoreError. On a full disk SQLite
        may already have rolled the transaction back itself: only roll back what is open.
        """
        if self.read_only_reason is not None:
            raise ReadOnlyStore(FULL if self.full else f"not saved: {READ_ONLY} ({self.read_only_reason})")
        if self._batch:  # inside batch(): its transaction holds this change too
            yield self._conn
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _not_saved(exc) from None
        try:
            yield self._conn
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

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many changes in one transaction: all are committed, or none (an import)."""
        with self._write():
            self._batch = True
            try:
                yield
            finally:
                self._batch = False

    # Profiles -----------------------------------------------------------------------

    def ensure_profile(self, name: str) -> None:
        if self.read_only:
            return
        check_text(name, "profile name")
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)", (name, now()))

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile:
        name = check_text(name, "profile name").strip()
        if not name or len(name) > MAX_PROFILE_NAME or any(ch in name for ch in "\n\r\t"):
            raise StoreError(f"a profile name is 1-{MAX_PROFILE_NAME} characters on one line")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM profiles WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"profile {name!r} already exists")
            conn.execute(
                "INSERT INTO profiles (name, institution, department, created) VALUES (?, ?, ?, ?)",
                (name, _one_line(institution, "institution"), _one_line(department, "department"), now()),
            )
        return Profile(name, institution.strip(), department.strip())

    def update_profile(self, name: str, institution: str, department: str = "") -> Profile:
        self.profile(name)
        with self._write() as conn:
            conn.execute(
                "UPDATE profiles SET institution = ?, department = ? WHERE name = ?",
                (_one_line(institution, "institution"), _one_line(department, "department"), name),
            )
        return Profile(name, institution.strip(), department.strip())

    def profiles(self) -> list[Profile]:
        rows = self._conn.execute(
            "SELECT name, institution, department FROM profiles ORDER BY name = ? DESC, name", (DEFAULT_PROFILE,)
        ).fetchall()
        return [Profile(*row) for row in rows]

    def profile(self, name: str) -> Profile:
        check_text(name, "profile name")
        row = self._conn.execute("SELECT name, institution, department FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = ", ".join(p.name for p in self.profiles())
            raise StoreError(
                f"no profile {name!r}; profiles are: {known}. Create it with: bj30 profile create {name!r} --institution NAME"
            )
        return Profile(*row)

    # Progress -----------------------------------------------------------------------

    def _check_shown(self) -> None:
        if self.progress_hidden is not None:
            raise ProgressHidden(self.progress_hidden)

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]:
        self._check_shown()
        rows = self._conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM progress WHERE profile = ? AND role = ?", (profile, role)
        ).fetchall()
        return {row[0]: ItemProgress(*row) for row in rows}

    def item(self, profile: str, role: str, item_id: str) -> ItemProgress:
        self._check_shown()
        row = self._conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM progress WHERE profile = ? AND role = ? AND item_id = ?", (profile, role, item_id)
        ).fetchone()
        return ItemProgress(*row) if row else ItemProgress(item_id)

    @property
    def store_id(self) -> str:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return row[0] if row else ""

    def update(
        self,
        profile: str,
        role: str,
        item_id: str,
        *,
        fingerprint: str,
        status: str | None = None,
        note: str | None = None,
        owner: str | None = None,
        due: str | None = None,
        by: str = "",
        expect: Mapping[str, str] | None = None,
    ) -> ItemProgress:
        """Change an item; committed (durably) before this returns. Returns the new state.
        `by`: who made the change, recorded in the history. The rules (valid values, N/A needs
        a reason, history, conflicts with `expect`) are store_api's."""
        from tui.core.store import api  # imported here: store.api imports this module

        owner, due = api.check_values(status, note, owner, due)
        with self._write() as conn:
            self.profile(profile)  # a clear error for an unknown profile
            old = self.item(profile, role, item_id)
            clash = api.conflicting(old, expect, {"status": status, "note": note, "owner": owner, "due": due})
            if clash:
                by, at = self._last_change(profile, role, item_id, clash)
                raise api.conflict(old, clash, by, at)
            plan = api.plan_update(old, fingerprint=fingerprint, stamp=now(), status=status, note=note, owner=owner, due=due)
            if not plan.write:
                return old
            new = plan.new
            self._put(profile, role, new)
            conn.executemany(
                "INSERT INTO history (profile, role, item_id, field, old, new, at, who) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(profile, role, item_id, f, o, n, new.changed, by) for f, o, n in plan.changes],
            )
            self._note_own_history(len(plan.changes))
            return new

    def notes(self, profile: str) -> list[tuple[str, str, str]]:
        """(role, item id, note) for every item of the profile that has a note, in a stable order."""
        rows = self._conn.execute(
            "SELECT role, item_id, note FROM progress WHERE profile = ? AND note != '' ORDER BY role, item_id", (profile,)
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def _put(self, profile: str, role: str, new: ItemProgress) -> None:
        self._conn.execute(
            "INSERT INTO progress (profile, role, item_id, status, note, owner, due, fingerprint, changed, "
            "completed, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile, role, item_id) "
            "DO UPDATE SET status = excluded.status, note = excluded.note, owner = excluded.owner, "
            "due = excluded.due, fingerprint = excluded.fingerprint, changed = excluded.changed, "
            "completed = excluded.completed, revision = excluded.revision",
            (
                profile,
                role,
                new.item_id,
                new.status,
                new.note,
                new.owner,
                new.due,
                new.fingerprint,
                new.changed,
                new.completed,
                new.revision,
            ),
        )

    def restore(self, profile: str, role: str, theirs: ItemProgress, by: str = "") -> ItemProgress:
        """Write an imported state over the stored one (the importer has decided it is newer).

        The item's revision goes up by one; its change time is the file's, unless that is not
        after the stored one (a store restored from an older backup): then just after it.
        """
        with self._write():
            old = self.item(profile, role, theirs.item_id)
            stamp = theirs.changed if theirs.changed > old.changed else _stamp_after(old.changed)
            completed = (theirs.completed or old.completed or stamp) if theirs.status == "done" else ""
            new = ItemProgress(
                theirs.item_id,
                theirs.status,
                theirs.note,
                theirs.owner,
                theirs.due,
                theirs.fingerprint,
                stamp,
                completed,
                old.revision + 1,
            )
            self._put(profile, role, new)
            at = now()
            self._conn.executemany(
                "INSERT INTO history (profile, role, item_id, field, old, new, at, who) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (profile, role, new.item_id, f, getattr(old, f), getattr(new, f), at, by)
                    for f in ("status", "note", "owner", "due")
                    if getattr(old, f) != getattr(new, f)
                ],
            )
            return new

    def add_history(self, profile: str, role: str, entries: list[HistoryEntry]) -> tuple[int, int]:
        """Add history entries (from an import) the store does not have yet: (added, already there)."""
        added = 0
        with self._write() as conn:
            for h in entries:
                if conn.execute(
                    "SELECT 1 FROM history WHERE profile = ? AND role = ? AND item_id = ? AND field = ? "
                    "AND old = ? AND new = ? AND at = ?",
                    (profile, role, h.item_id, h.field, h.old, h.new, h.at),
                ).fetchone():
                    continue
                conn.execute(
                    "INSERT INTO history (profile, role, item_id, field, old, new, at, who) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (profile, role, h.item_id, h.field, h.old, h.new, h.at, h.by),
                )
                added += 1
        return added, len(entries) - added

    def data_version(self) -> int:
        """Changes whenever another connection (another bj30) commits: cheap to poll."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def history(self, profile: str, role: str, item_id: str | None = None) -> list[HistoryEntry]:
        self._check_shown()
        # In time order (restored entries from an import come in among the others), then as written.
        one = " AND item_id = ?" if item_id is not None else ""
        rows = self._conn.execute(
            f"SELECT item_id, field, old, new, at, who FROM history WHERE profile = ? AND role = ?{one} ORDER BY at, id",
            (profile, role) + ((item_id,) if item_id is not None else ()),
        ).fetchall()
        return [HistoryEntry(*row) for row in rows]

    # Evidence -----------------------------------------------------------------------

    def evidence(self, profile: str, role: str | None = None, item_id: str | None = None) -> list[tuple[str, str, Evidence]]:
        """(role, item id, evidence) attached and not removed, in the order attached."""
        self._check_shown()
        where, args = "profile = ? AND removed = ''", [profile]
        if role is not None:
            where, args = where + " AND role = ?", args + [role]
        if item_id is not None:
            where, args = where + " AND item_id = ?", args + [item_id]
        rows = self._conn.execute(
            f"SELECT role, item_id, {_EVIDENCE_COLUMNS} FROM evidence WHERE {where} ORDER BY role, item_id, id", args
        ).fetchall()
        return [(r[0], r[1], _evidence(r[2:])) for r in rows]

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, by: str = "", at: str | None = None, record: bool = True
    ) -> Evidence:
        """Attach `e` to an item; the history records it (unless not `record`: an import brings the
        history entry with it). `at`: the time it was attached (an import keeps the original)."""
        for value, name in ((e.target, "evidence"), (e.note, "evidence note"), (by, "name")):
            check_text(value, name)
        with self._write() as conn:
            self.profile(profile)
            stamp = at or now()
            cursor = conn.execute(
                "INSERT INTO evidence (profile, role, item_id, kind, target, note, size, sha256, mtime, added, "
                "added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (profile, role, item_id, e.kind, e.target, e.note, e.size, e.sha256, e.mtime, stamp, by),
            )
            if record:
                conn.execute(
                    "INSERT INTO history (profile, role, item_id, field, old, new, at, who) "
                    "VALUES (?, ?, ?, 'evidence+', '', ?, ?, ?)",
                    (profile, role, item_id, history_text(e), stamp, by),
                )
            return replace(e, added=stamp, by=by, id=int(cursor.lastrowid or 0))

    def has_evidence(self, profile: str, role: str, item_id: str, e: Evidence) -> bool:
        """Whether this evidence (same kind, target, digest, time attached) is or was attached here."""
        return (
            self._conn.execute(
                "SELECT 1 FROM evidence WHERE profile = ? AND role = ? AND item_id = ? AND kind = ? AND target = ? "
                "AND sha256 = ? AND added = ?",
                (profile, role, item_id, e.kind, e.target, e.sha256, e.added),
            ).fetchone()
            is not None
        )

    def remove_evidence(self, profile: str, role: str, item_id: str, number: int, by: str = "") -> Evidence:
        """Remove an item's evidence number `number` (1 = the first attached of those still there).
        Marked removed, never deleted; the history records it."""
        with self._write() as conn:
            attached = [e for _, _, e in self.evidence(profile, role, item_id)]
            if not 1 <= number <= len(attached):
                have = f"1-{len(attached)}" if attached else "none"
                raise StoreError(f"{item_id} has no evidence {number}; its evidence is numbered: {have}")
            e = attached[number - 1]
            stamp = now()
            conn.execute("UPDATE evidence SET removed = ?, removed_by = ? WHERE id = ?", (stamp, by, e.id))
            conn.execute(
                "INSERT INTO history (profile, role, item_id, field, old, new, at, who) "
                "VALUES (?, ?, ?, 'evidence-', ?, '', ?, ?)",
                (profile, role, item_id, history_text(e), stamp, by),
            )
            return e

    # Profiles: rename and delete ------------------------------------------------------

    def holds_progress(self, name: str) -> bool:
        """Whether a profile has anything recorded: progress, history or evidence."""
        return any(
            self._conn.execute(f"SELECT 1 FROM {table} WHERE profile = ? LIMIT 1", (name,)).fetchone()
            for table in ("progress", "history", "evidence")
        )

    def roles_of(self, name: str) -> set[str]:
        """The roles a profile has anything recorded in."""
        return {
            r
            for table in ("progress", "history", "evidence")
            for (r,) in self._conn.execute(f"SELECT DISTINCT role FROM {table} WHERE profile = ?", (name,))
        }

    def rename_profile(self, old: str, new: str) -> Profile:
        """Give a profile a new name, with everything recorded under it, in one transaction."""
        with self._write() as conn:
            profile = self.profile(old)
            if conn.execute("SELECT 1 FROM profiles WHERE name = ?", (new,)).fetchone():
                raise StoreError(f"profile {new!r} already exists")
            for table in ("progress", "history", "evidence"):
                conn.execute(f"UPDATE {table} SET profile = ? WHERE profile = ?", (new, old))
            conn.execute("UPDATE profiles SET name = ? WHERE name = ?", (new, old))
            return replace(profile, name=new)

    def delete_profile(self, name: str) -> None:
        """Delete a profile and what is recorded under it. The caller has made sure nothing is lost
        (it holds nothing, or its export was written first: `bj30 profile delete --archive`)."""
        if name == DEFAULT_PROFILE:
            raise StoreError(
                f"the {DEFAULT_PROFILE!r} profile cannot be deleted; rename it first to keep its progress under another name"
            )
        with self._write() as conn:
            self.profile(name)
            for table in ("progress", "history", "evidence"):
                conn.execute(f"DELETE FROM {table} WHERE profile = ?", (name,))
            conn.execute("DELETE FROM profiles WHERE name = ?", (name,))

    # Team features, shared with the PostgreSQL store (store_api.ProgressStore) -----------

    def _last_change(self, profile: str, role: str, item_id: str, fields: list[str]) -> tuple[str, str]:
        """Who and when last changed any of `fields` of an item (("", "") if never)."""
        marks = ", ".join("?" for _ in fields)
        row = self._conn.execute(
            f"SELECT who, at FROM history WHERE profile = ? AND role = ? AND item_id = ? AND field IN ({marks}) "
            f"ORDER BY id DESC LIMIT 1",
            (profile, role, item_id, *fields),
        ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def _note_own_history(self, count: int) -> None:
        # Inside the write transaction (the only writer): our rows are the newest `count` ids.
        if count:
            last = int(self._conn.execute("SELECT max(id) FROM history").fetchone()[0])
            self._own_history.update(range(last - count + 1, last + 1))

    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """What other connections (another bj30, `bj30 mark`) committed since the last call;
        None if nothing. The first call sets the starting point."""
        from tui.core.store.api import RemoteChange

        version = self.data_version()
        last = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])
        if self._seen_version is None or version == self._seen_version:
            # The start, or no one else committed since: every row up to `last` is ours or seen.
            self._seen_version, self._seen_id = version, last
            return None
        rows = self._conn.execute(
            "SELECT id, profile, role, item_id, field, new, who FROM history WHERE id > ? ORDER BY id", (self._seen_id,)
        ).fetchall()
        self._seen_version, self._seen_id = version, last
        changes = [
            RemoteChange(p, r, i, f, "" if f == "note" else n, who)
            for id_, p, r, i, f, n, who in rows
            if id_ not in self._own_history
        ]
        self._own_history = {i for i in self._own_history if i > last}
        return changes

    def rows(self) -> StoreRows:
        from tui.core.store.copy import sqlite_rows

        return sqlite_rows(self._conn)

    def merge(self, rows: StoreRows, source: str) -> CopyReport:
        from tui.core.store.copy import sqlite_merge

        with self._write() as conn:
            return sqlite_merge(conn, rows, source)


_EVIDENCE_COLUMNS = "kind, target, note, size, sha256, mtime, added, added_by, id"


def _evidence(row: tuple) -> Evidence:
    kind, target, note, size, sha256, mtime, added, by, row_id = row
    return Evidence(kind, target, note, size, sha256, mtime, added, by, row_id)


class _Damaged(Exception):
    pass


def _one_line(value: str, field: str) -> str:
    value = " ".join(check_text(value, field).split())
    if len(value) > MAX_FIELD_CHARS:
        raise StoreError(f"{field} is longer than {MAX_FIELD_CHARS} characters")
    return value


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction that holds the write lock.

    The version is read again after the lock is taken: two first runs at once would
    otherwise both see version 0 and both create the tables ("table profiles already exists").
    """
    if _user_version(conn) == len(MIGRATIONS):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _user_version(conn)
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the progress store has schema version {version}, newer than this bj30 "
                f"understands ({len(MIGRATIONS)}); upgrade bj30"
            )
        for target in range(version + 1, len(MIGRATIONS) + 1):
            for statement in MIGRATIONS[target - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


SQLITE_FULL = 13
SQLITE_IOERR = 10
SQLITE_IOERR_SHMSIZE = 10 | (19 << 8)  # the WAL index (-shm) cannot grow: what a full disk gives at open


def _extended_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; before, the message is all there is
    return code if isinstance(code, int) else None


def _errorcode(exc: sqlite3.Error) -> int | None:
    code = _extended_code(exc)
    return code & 0xFF if code is not None else None


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
