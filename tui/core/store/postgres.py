"""The team store: progress in the institution's PostgreSQL (`pip install 'bj30[team]'`).

The same behaviour as the SQLite file (the interface is api.py's, the rules rules.py's, the
statements sql.py's), and what a shared store needs besides:

- Who did what, enforced by the database (pg_schema.py): triggers set every history row's `by`
  and time, history is append-only, evidence is never deleted; grant() gives officers SELECT and
  INSERT on history, nothing more.
- Live: every history row is announced (NOTIFY) on a channel per schema; an open checklist
  LISTENs and shows another officer's change within a second, with who made it.
- Conflicts: a change to an item takes a transaction-scoped advisory lock on that item, reads
  it, decides and writes; a save based on an older read is refused (rules.conflicting).
- Faults: an unreachable server at start, or one going away mid-session, gives a read-only
  session that says why; no change is reported saved unless its COMMIT succeeded. bj30
  reconnects (in a background thread, so the screen never waits) once the server answers.
- The URL's password is never printed: messages use the location's display form and pass
  through location.scrub(). sslmode and the other libpq parameters of the URL are honoured.
  Every value goes to the server as a query parameter; identifiers through psycopg.sql.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from psycopg import errors, sql

from tui.core.progress.evidence import Evidence
from tui.core.store import rules
from tui.core.store.api import ProgressStore
from tui.core.store.copy import CopyReport, HistoryRow, StoreRows
from tui.core.store.model import ItemProgress, Opened, Profile, ReadOnlyStore, RemoteChange, StoreError
from tui.core.store.pg_link import Link, Unreachable, connect, one, says
from tui.core.store.pg_schema import GRANTS, STAMP_SQL
from tui.core.store.sql import ITEMS, UPSERT, SqlTx, item_row

if TYPE_CHECKING:
    from tui.core.store.location import StoreLocation

# psycopg logs a few warnings (a failed rollback on a broken connection); with no handler
# Python would print them on stderr, over the full-screen app. bj30 reports faults itself.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

T = TypeVar("T")


class PgStore(ProgressStore):
    """The team store (see the module's docstring). Use PgStore.open(location)."""

    # How long after a failed attempt bj30 tries the server again.
    RETRY_SECONDS = 2.0
    # A change waits at most this long for another session's lock on its item (a colleague's
    # bj30 frozen mid-change) before it is refused; the server ends a session of ours that sits
    # in a transaction longer than IDLE_IN_TRANSACTION_MS, so a vanished bj30 frees its locks.
    LOCK_TIMEOUT_MS = 10_000
    IDLE_IN_TRANSACTION_MS = 60_000

    keeps_history = True  # history is never deleted (the triggers refuse it), nor a profile with any

    def __init__(self, location: StoreLocation) -> None:
        super().__init__()
        self.location = location
        self.path = None
        self._link: Link | None = None
        self._down: str | None = None  # why the server cannot be used now
        self._retry_at = 0.0
        self._lock = threading.Lock()  # guards the two fields below (the reconnect thread sets them)
        self._reconnecting: threading.Thread | None = None
        self._reconnected: Link | None = None
        self._closed = False
        self._just_reconnected = False

    # Opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, location: StoreLocation) -> Opened:
        """Connect (and create or migrate the tables); never raises for an unreachable server."""
        store = cls(location)
        warnings: list[str] = []
        try:
            store._link = store._connect()
        except Unreachable as exc:
            store._went_down(str(exc))
        if store.read_only_reason:
            warnings.append(f"read-only session: {store.read_only_reason}; ticks and notes cannot be saved")
        return Opened(store, warnings)

    def _connect(self) -> Link:
        """Both connections, the schema ready; blocking (at start, or in the reconnect thread)."""
        return connect(self.location, self.LOCK_TIMEOUT_MS, self.IDLE_IN_TRANSACTION_MS)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            pending, self._reconnected = self._reconnected, None
        for link in (self._link, pending):
            if link is not None:
                link.close()
        self._link = None

    # State ------------------------------------------------------------------------------

    @property
    def read_only_reason(self) -> str | None:
        if self._down is not None:
            return self._down
        return self._link.fixed_reason if self._link is not None else None

    @property
    def user(self) -> str:
        """The database user this session is (history's `by` for its changes); "" while down."""
        return self._link.user if self._link is not None else ""

    @property
    def connected(self) -> bool:
        return not self._closed and self._live() is not None

    def _says(self, exc: BaseException) -> str:
        return says(self.location, exc)

    def _went_down(self, reason: str) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None
        self._down = reason
        self._retry_at = time.monotonic() + self.RETRY_SECONDS

    def _lost(self, exc: BaseException) -> str:
        reason = f"the connection to the team store {self.location} broke: {self._says(exc)}"
        self._went_down(reason)
        self._retry_at = time.monotonic()  # try again at once (in the background)
        return reason

    # Reconnecting, in the background ------------------------------------------------------

    def _live(self) -> Link | None:
        """The link if up; else pick up one the reconnect thread made, or start that thread."""
        if self._link is not None:
            return self._link
        with self._lock:
            fresh, self._reconnected = self._reconnected, None
            running = self._reconnecting is not None and self._reconnecting.is_alive()
        if fresh is not None:
            self._link, self._down, self._just_reconnected = fresh, None, True
            return fresh
        if not running and time.monotonic() >= self._retry_at and not self._closed:
            thread = threading.Thread(target=self._reconnect, name="bj30-reconnect", daemon=True)
            with self._lock:
                self._reconnecting = thread
            thread.start()
        return None

    def _reconnect(self) -> None:
        try:
            link = self._connect()
        except Unreachable as exc:
            self._down = str(exc)  # a fresher reason (the server may answer but refuse us now)
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return
        with self._lock:
            if self._closed:
                link.close()
            else:
                self._reconnected = link

    def wait_reconnected(self, timeout: float) -> bool:
        """Block until the store is usable again or `timeout` passes (the CLI and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._live() is not None:
                return True
            time.sleep(0.05)
        return self._live() is not None

    # Running statements -----------------------------------------------------------------

    def _read(self, action: Callable[[SqlTx], T]) -> T:
        link = self._live()
        if link is None:
            raise StoreError(f"cannot read: {self._down}")
        try:
            return action(_PgTx(link.conn))
        except psycopg.Error as exc:
            if link.conn.broken or link.conn.closed:
                raise StoreError(f"cannot read: {self._lost(exc)}; read-only session until it answers") from None
            raise StoreError(f"cannot read the team store: {self._says(exc)}") from None

    @contextmanager
    def _transaction(self) -> Iterator[SqlTx]:
        """One transaction; raises StoreError (never reports saved) unless its COMMIT succeeded."""
        link = self._live()
        if link is None or self.read_only_reason is not None:
            raise ReadOnlyStore(f"not saved: read-only session ({self.read_only_reason})")
        conn = link.conn
        committing = False
        try:
            with conn.transaction():
                yield _PgTx(conn)
                committing = True  # the body is done: what fails from here on is the COMMIT
        except psycopg.Error as exc:
            if conn.broken or conn.closed:
                reason = self._lost(exc)
                if committing:
                    raise StoreError(
                        f"not known to be saved: {reason} while committing; bj30 shows the store as it is once it reconnects"
                    ) from None
                raise StoreError(f"not saved: {reason}; read-only session until it answers") from None
            if isinstance(exc, errors.LockNotAvailable):
                raise StoreError(
                    f"not saved: another session has been changing this item for {self.LOCK_TIMEOUT_MS // 1000} s; try again"
                ) from None
            if isinstance(exc, errors.InsufficientPrivilege):
                raise ReadOnlyStore(f"not saved: database user {link.user} may not do that ({self._says(exc)})") from None
            raise StoreError(f"not saved: {self._says(exc)}") from None

    # What only the team store does --------------------------------------------------------

    def rename_profile(self, old: str, new: str) -> Profile:
        """Relabels history rows, which only the tables' owner may do (the history trigger lets the
        profile column alone change); an officer is told so."""
        with self._owner_only("renamed", "renames"):
            return super().rename_profile(old, new)

    def delete_profile(self, name: str) -> None:
        """A team store never deletes history: a profile with any is refused (keeps_history)."""
        with self._owner_only("deleted", "deletes"):
            super().delete_profile(name)

    @contextmanager
    def _owner_only(self, done: str, does: str) -> Iterator[None]:
        try:
            yield
        except ReadOnlyStore as exc:
            if self.read_only:
                raise
            raise ReadOnlyStore(f"not {done}: in a team store only its owner {does} profiles ({exc})") from None

    def rows(self) -> StoreRows:
        def read(tx: SqlTx) -> StoreRows:
            with tx.conn.transaction():  # one snapshot for all the tables
                tx.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                return tx.rows()

        return self._read(read)

    def merge(self, rows: StoreRows, source: str) -> CopyReport:
        """Copied rows keep their times and say where they came from (origin); their `by` is the
        database user who copied them. One announcement for the whole copy: open checklists reload."""
        with self._write() as tx:
            report = rules.merge(tx, rows, source)
            if report.changed:
                tx.conn.execute(
                    "SELECT pg_notify(left('bj30_' || current_schema(), 63), %s)", (json.dumps({"copied": report.history_added}),)
                )
        return report

    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """Other sessions' changes announced since the last call (LISTEN/NOTIFY); None if none.
        Never blocks: it reads what has arrived. After a reconnect: [] (reload, names unknown)."""
        link = self._live()
        if link is None:
            return None
        if self._just_reconnected:
            self._just_reconnected = False
            return []
        try:
            arrived = list(link.listener.notifies(timeout=0))
        except psycopg.Error as exc:
            self._lost(exc)
            return None
        own = link.conn.info.backend_pid
        changes: list[RemoteChange] = []
        heard = False
        for notice in arrived:
            if notice.pid == own:
                continue
            heard = True
            try:
                data = json.loads(notice.payload)
                changes.append(RemoteChange(*(str(data[k]) for k in ("profile", "role", "item", "field", "new", "by"))))
            except (ValueError, KeyError, TypeError):
                continue  # a copy, or a NOTIFY someone sent by hand: reload without naming it
        return changes if heard else None

    # Roles (bj30 store grant) ---------------------------------------------------------------

    def grant(self, role: str, kind: str) -> None:
        """Give a database role what an officer (read and change; history: read and add) or a
        reader (read only) needs. History is never granted UPDATE or DELETE."""
        if kind not in GRANTS:
            raise StoreError(f"unknown kind of role {kind!r}; use one of: {', '.join(GRANTS)}")
        link = self._live()
        if link is None:
            raise StoreError(f"not granted: {self._down}")
        statements = [sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(link.schema), sql.Identifier(role))]
        statements += [
            sql.SQL("GRANT " + privileges + " ON {} TO {}").format(  # privileges: from GRANTS only
                sql.Identifier(link.schema, table), sql.Identifier(role)
            )
            for privileges, table in GRANTS[kind]
        ]
        try:
            with link.conn.transaction():
                for statement in statements:
                    link.conn.execute(statement)
        except psycopg.Error as exc:
            raise StoreError(f"not granted: {self._says(exc)}") from None


# Who, as shown: the database user; for a row copied or imported from elsewhere, who the source
# named and who brought it in.
def _shown_sql(column: str) -> str:
    return (
        f"CASE WHEN origin = '' THEN {column} "
        f"WHEN claimed_by = '' THEN '(' || split_part(origin, ' ', 1) || ' by ' || {column} || ')' "
        f"ELSE claimed_by || ' (' || split_part(origin, ' ', 1) || ' by ' || {column} || ')' END"
    )


SHOWN_BY = _shown_sql("by")
SHOWN_ADDED_BY = _shown_sql("added_by")


def _shown(by: str, origin: str, claimed: str) -> str:
    """SHOWN_BY, in Python (for a row just written)."""
    if not origin:
        return by
    how = f"{origin.split(' ', 1)[0]} by {by}"
    return f"{claimed} ({how})" if claimed else f"({how})"


class _PgTx(SqlTx):
    """The team store's dialect: %s for parameters; the database's clock and user; item locks."""

    SHOWN_BY = SHOWN_BY
    SHOWN_ADDED_BY = SHOWN_ADDED_BY
    SOURCE_BY = "CASE WHEN origin = '' THEN by ELSE claimed_by END"
    SOURCE_ADDED_BY = "CASE WHEN origin = '' THEN added_by ELSE claimed_by END"

    def _q(self, statement: str, args: Sequence[object] = ()) -> Any:
        return self.conn.execute(statement.replace("?", "%s"), args)

    def _many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(statement.replace("?", "%s"), rows)

    def now(self) -> str:
        return str(one(self.conn.execute(f"SELECT {STAMP_SQL}")))

    def lock_item(self, profile: str, role: str, item_id: str) -> str:
        """A transaction-scoped advisory lock on the item; the time read once it is granted (the
        FROM clause runs first), so a change that waited comes after the one it waited for."""
        return str(
            one(
                self.conn.execute(
                    f"SELECT {STAMP_SQL} FROM pg_advisory_xact_lock(hashtextextended(%s, 16))",
                    (_item_key(profile, role, item_id),),
                )
            )
        )

    def item_for_change(self, profile: str, role: str, item_id: str) -> ItemProgress:
        """The profile's check and the item's read in one round trip (READ COMMITTED: a fresh read)."""
        found = self.conn.execute(
            f"SELECT (SELECT count(*) FROM profiles WHERE name = %s), {ITEMS} FROM (SELECT 1) AS one "
            f"LEFT JOIN progress ON profile = %s AND role = %s AND item_id = %s",
            (profile, profile, role, item_id),
        ).fetchone()
        if not found[0]:
            self.require_profile(profile)  # raises the clear error naming the profiles there are
        return ItemProgress(*found[1:]) if found[1] is not None else ItemProgress(item_id)

    def write(self, profile: str, role: str, item: ItemProgress, history: Sequence[HistoryRow]) -> None:
        """The item and its history rows in one statement (one round trip); who and when: the database's."""
        self._q(
            f"WITH up AS ({UPSERT}) INSERT INTO history (profile, role, item_id, field, old, new) "
            "SELECT ?, ?, ?, f, o, n FROM unnest(?::text[], ?::text[], ?::text[]) AS c(f, o, n)",
            (
                *item_row(profile, role, item),
                profile,
                role,
                item.item_id,
                [h.field for h in history],
                [h.old for h in history],
                [h.new for h in history],
            ),
        )

    def add_history(self, rows: Sequence[HistoryRow], origin: str) -> None:
        """Who is the database user; a row brought from elsewhere (origin) keeps its time, and who
        its source named (claimed_by, shown as such)."""
        self._many(
            "INSERT INTO history (profile, role, item_id, field, old, new, at, origin, claimed_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(h.profile, h.role, h.item_id, h.field, h.old, h.new, h.at, origin, h.by if origin else "") for h in rows],
        )

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, origin: str, removed: str = "", removed_by: str = ""
    ) -> Evidence:
        claimed = e.by if origin else ""
        added, added_by, row_id = self._q(
            "INSERT INTO evidence (profile, role, item_id, kind, target, note, size, sha256, mtime, added, removed, "
            "removed_by, origin, claimed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING added, added_by, id",
            (
                profile,
                role,
                item_id,
                e.kind,
                e.target,
                e.note,
                e.size,
                e.sha256,
                e.mtime,
                e.added,
                removed,
                removed_by,
                origin,
                claimed,
            ),
        ).fetchone()
        return replace(e, added=added, by=_shown(added_by, origin, claimed), id=int(row_id))

    def mark_removed(self, row_id: int, at: str, by: str) -> None:
        # When and by whom: the trigger's (the database's clock and user), whatever is given.
        self._q("UPDATE evidence SET removed = 'removed', removed_by = '' WHERE id = ?", (row_id,))


def _item_key(profile: str, role: str, item_id: str) -> str:
    # The schema makes two team stores in one database lock separately.
    return "\x1f".join(("bj30 item", profile, role, item_id))
