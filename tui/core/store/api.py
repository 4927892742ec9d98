"""The store behind one interface: where it is, how it opens, and what every backend offers.

Two backends hold progress: the SQLite file (sqlite.py, the default, one officer) and PostgreSQL
(postgres.py, a team store: `bj30[team]`). The Workbench, the exports and the importer see only
`ProgressStore`, implemented here once: reads as they are, changes through rules.py inside one
write transaction of the backend's; location.open_store() picks the backend from a location.

The rooms of the store (tui/core/store/), one direction (each imports only those above it):

    model.py     data types, errors, limits, text checks, times
    copy.py      what a copy carries and reports
    sql.py       the statements both backends share (SqlTx), with ? for each parameter
    rules.py     what a change, a restore, an import and a copy decide, over a SqlTx
    api.py       this: the interface (ProgressStore), implemented once over rules and a SqlTx
    sqlite.py    the file: opening, faults, migrations, its dialect
    postgres.py  the team store: connections, advisory locks, NOTIFY, grants, its dialect
    pg_schema.py the team store's tables and triggers (who and when, set by the database)
    location.py  where the store is; open_store() (imports the backends lazily)
    importer.py  restoring a JSON export

Adding to the store is one path: the method here (ProgressStore), its decision in rules.py, its
statements in sql.SqlTx (a dialect's own in sqlite.py or postgres.py), and a migration in each
backend (sqlite.MIGRATIONS, pg_schema.PG_MIGRATIONS). tests/test_store.py runs every method against both.

Core: no Textual. The PostgreSQL driver is imported only when a PostgreSQL store is opened.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import TypeVar

from tui.core.progress.evidence import Evidence
from tui.core.store import rules
from tui.core.store.copy import CopyReport, StoreRows
from tui.core.store.model import (
    HistoryEntry,
    ItemProgress,
    Profile,
    ProgressHidden,
    RemoteChange,
    StoreError,
    check_text,
    one_line,
)
from tui.core.store.sql import SqlTx

T = TypeVar("T")


class ProgressStore(ABC):
    """What the Workbench, the exports and the importer need of a store, for every backend.

    A store is a context manager (`with open_store(loc).store as store:` closes it). Every change
    is committed before its method returns: on disk (synced) for the file, on the server for a
    team store; a change that cannot be committed raises StoreError (ReadOnlyStore in a
    read-only session) and leaves the store as it was. A backend gives `_read`, `_transaction`
    (each over a SqlTx in its dialect), `read_only_reason`, `close` and `changes_elsewhere`."""

    keeps_history = False  # a team store: history is never deleted, so neither is a profile with any
    progress_hidden: str | None = None  # why the progress cannot be shown (a store from a newer bj30)

    def __init__(self) -> None:
        self._batch: SqlTx | None = None  # inside batch(): the transaction every change joins

    # What a backend gives -------------------------------------------------------------------

    @property
    @abstractmethod
    def read_only_reason(self) -> str | None: ...

    @abstractmethod
    def _read(self, action: Callable[[SqlTx], T]) -> T:
        """Run reads; a StoreError saying why if the store cannot be read now."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[SqlTx]:
        """One write transaction: committed when the block ends, or nothing at all (StoreError)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """None while nothing changed; else what other sessions committed since the last call
        (possibly nothing it can name: then reload all the same). The first call sets the start."""

    @property
    def user(self) -> str:
        """Who this session is to the store: a team store's database user ("" for the file, and
        while a team store is away)."""
        return ""

    @property
    @abstractmethod
    def connected(self) -> bool:
        """The store answers: the file is open; a team store's server is reached."""

    def grant(self, role: str, kind: str) -> None:
        """Let a database role use a team store as an officer or a reader (as its owner)."""
        raise StoreError("a store file has no database roles: grant is for a team store (postgresql://...)")

    # The interface -----------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[SqlTx]:
        if self._batch is not None:  # batch()'s transaction holds this change too
            yield self._batch
            return
        with self._transaction() as tx:
            yield tx

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many changes in one transaction, all committed or none (an import). An item read inside
        it stays as read until the end: no other session's change comes between."""
        with self._write() as tx:
            self._batch = tx
            try:
                yield
            finally:
                self._batch = None

    def _shown(self) -> None:
        if self.progress_hidden is not None:
            raise ProgressHidden(self.progress_hidden)

    @property
    def store_id(self) -> str:
        """A random id the store got when it was made (exports carry it)."""
        return self._read(lambda tx: tx.store_id())

    # Profiles

    def ensure_profile(self, name: str) -> None:
        if self.read_only:
            return
        check_text(name, "profile name")
        with self._write() as tx:
            tx.add_profile(name, "", "")

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile:
        name = rules.check_profile_name(name)
        institution, department = one_line(institution, "institution"), one_line(department, "department")
        with self._write() as tx:
            if not tx.add_profile(name, institution, department):
                raise StoreError(f"profile {name!r} already exists")
        return Profile(name, institution, department)

    def update_profile(self, name: str, institution: str, department: str = "") -> Profile:
        self.profile(name)
        institution, department = one_line(institution, "institution"), one_line(department, "department")
        with self._write() as tx:
            tx.set_profile(name, institution, department)
        return Profile(name, institution, department)

    def profiles(self) -> list[Profile]:
        return self._read(lambda tx: tx.profiles())

    def profile(self, name: str) -> Profile:
        return self._read(lambda tx: tx.require_profile(name))

    def holds_progress(self, name: str) -> bool:
        return self._read(lambda tx: tx.holds_progress(name))

    def roles_of(self, name: str) -> set[str]:
        return self._read(lambda tx: tx.roles_of(name))

    def rename_profile(self, old: str, new: str) -> Profile:
        """A new name for a profile, with everything recorded under it, in one transaction."""
        check_text(new, "profile name")
        with self._write() as tx:
            return rules.rename_profile(tx, old, new)

    def delete_profile(self, name: str) -> None:
        """Delete a profile and what is recorded under it; the caller has made sure nothing is lost
        (`bj30 profile delete --archive`). A team store keeps history: one holding any is refused."""
        rules.check_deletable(name)
        with self._write() as tx:
            rules.delete_profile(tx, name, self.keeps_history)

    # Progress and history

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]:
        self._shown()
        return self._read(lambda tx: tx.progress(profile, role))

    def item(self, profile: str, role: str, item_id: str) -> ItemProgress:
        self._shown()
        if self._batch is not None:  # an import reads it to decide: no one changes it until the end
            self._batch.lock_item(profile, role, item_id)
        return self._read(lambda tx: tx.stored_item(profile, role, item_id)) or ItemProgress(item_id)

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
        """Commit a change and return the new state. `by`: who made it (the file records it; a team
        store its database user, whatever is given). With `expect` (field -> the value the editor
        started from), a field someone else changed since is refused with Conflict, not overwritten."""
        owner, due = rules.check_values(status, note, owner, due)
        values = {"status": status, "note": note, "owner": owner, "due": due}
        with self._write() as tx:
            return rules.update(tx, profile, role, item_id, fingerprint=fingerprint, values=values, by=by, expect=expect)

    def notes(self, profile: str) -> list[tuple[str, str, str]]:
        """(role, item id, note) for every item of the profile that has a note, in a stable order."""
        return self._read(lambda tx: tx.notes(profile))

    def history(self, profile: str, role: str, item_id: str | None = None) -> list[HistoryEntry]:
        """In time order (entries an import restored come in among the others), then as written."""
        self._shown()
        return self._read(lambda tx: tx.history(profile, role, item_id))

    def restore(self, profile: str, role: str, theirs: ItemProgress, by: str = "") -> ItemProgress:
        """Write an imported state over the stored one (the importer decided it is newer)."""
        with self._write() as tx:
            return rules.restore(tx, profile, role, theirs, by)

    def add_history(self, profile: str, role: str, entries: list[HistoryEntry]) -> tuple[int, int]:
        """Add imported history entries the store lacks: (added, already there)."""
        with self._write() as tx:
            return rules.add_history(tx, profile, role, entries)

    # Evidence

    def evidence(self, profile: str, role: str | None = None, item_id: str | None = None) -> list[tuple[str, str, Evidence]]:
        """(role, item id, evidence) attached and not removed, in the order attached."""
        self._shown()
        return self._read(lambda tx: tx.evidence(profile, role, item_id))

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, by: str = "", at: str | None = None, record: bool = True
    ) -> Evidence:
        """Attach `e`; the history records it (unless not `record`: an import brings that entry).
        `at`: when it was attached (an import keeps the original)."""
        for value, name in ((e.target, "evidence"), (e.note, "evidence note"), (by, "name")):
            check_text(value, name)
        with self._write() as tx:
            return rules.add_evidence(tx, profile, role, item_id, e, by, at, record)

    def has_evidence(self, profile: str, role: str, item_id: str, e: Evidence) -> bool:
        """Whether this evidence (same kind, target, digest, time attached) is or was attached here."""
        return self._read(lambda tx: tx.has_evidence(profile, role, item_id, e))

    def remove_evidence(self, profile: str, role: str, item_id: str, number: int, by: str = "") -> Evidence:
        """Mark an item's evidence number `number` (1: the first still attached) removed; never deleted."""
        with self._write() as tx:
            return rules.remove_evidence(tx, profile, role, item_id, number, by)

    # Copies

    def rows(self) -> StoreRows:
        """Everything the store holds, for `bj30 store copy`."""
        return self._read(lambda tx: tx.rows())

    def merge(self, rows: StoreRows, source: str) -> CopyReport:
        """Add what `rows` has and this store lacks, in one transaction; never overwrite newer."""
        with self._write() as tx:
            return rules.merge(tx, rows, source)
