"""The team store: progress in the institution's PostgreSQL (`pip install 'bj30[team]'`).

The same behaviour as the SQLite file (the rules are store_api's), and what a shared store
needs besides:

- Who did what, enforced by the database: a trigger sets every history row's `by` to the
  session's database user (session_user) and its time to the database's clock. The client
  sends neither, so nobody can write history in another's name or backdate it. History is
  append-only: another trigger refuses UPDATE, DELETE and TRUNCATE even to the tables' owner,
  and `grant()` gives officers SELECT and INSERT on it, nothing more.
- Live: every history row is announced (NOTIFY) on a channel per schema; an open checklist
  LISTENs and shows another officer's change within a second, with who made it.
- Conflicts: a change to an item takes a transaction-scoped advisory lock on that item, reads
  it, decides and writes; a save based on an older read is refused (store_api.conflicting).
- Migrations run under an advisory lock, so two first starts cannot both create the tables.
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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tui.core.progress.evidence import Evidence, history_text
from tui.core.store import api
from tui.core.store.copy import (
    ITEM_COLUMNS,
    CopyReport,
    EvidenceRow,
    HistoryRow,
    ProfileRow,
    ProgressRow,
    StoreRows,
    copied,
    decide,
    evidence_key,
    history_key,
    kept_line,
)
from tui.core.store.sqlite import (
    DEFAULT_PROFILE,
    HistoryEntry,
    ItemProgress,
    Profile,
    ReadOnlyStore,
    StoreError,
    _one_line,
    check_text,
)

# psycopg logs a few warnings (a failed rollback on a broken connection); with no handler
# Python would print them on stderr, over the full-screen app. bj30 reports faults itself.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

T = TypeVar("T")

# Added to the URL's parameters unless it sets them: fail fast when the server is away, and
# notice a dead connection (a pulled cable, a server that vanished) within seconds.
CONNECT_DEFAULTS = {
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",
    "application_name": "bj30",
}
# The database's clock as bj30 stores times (store.STAMP, to the microsecond). The clock as it is
# now, not the transaction's start (now()): a change that waited for another's lock on its item
# must get a later time than that one, or history in time order would put them the wrong way round.
STAMP_SQL = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
# History's time: the start of the INSERT, so that the rows of one change share it.
HISTORY_STAMP_SQL = "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
ITEM_SELECT = "item_id, status, note, owner, due, fingerprint, changed, completed, revision"
IMPORTED = "imported from an export"  # history's origin for entries an import adds

PG_MIGRATIONS: list[str] = [
    # 1: the tables of the SQLite store at its schema 2 (revision, times to the microsecond, a
    # store id), plus who (by) and where from (origin) on history.
    f"""
    CREATE TABLE meta (
        key   text PRIMARY KEY,
        value text NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('store_id', replace(gen_random_uuid()::text, '-', ''));
    CREATE TABLE profiles (
        name        text PRIMARY KEY,
        institution text NOT NULL DEFAULT '',
        department  text NOT NULL DEFAULT '',
        created     text NOT NULL
    );
    CREATE TABLE progress (
        profile     text NOT NULL,
        role        text NOT NULL,
        item_id     text NOT NULL,
        status      text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'na')),
        note        text NOT NULL DEFAULT '',
        owner       text NOT NULL DEFAULT '',
        due         text NOT NULL DEFAULT '',
        fingerprint text NOT NULL DEFAULT '',
        changed     text NOT NULL,
        completed   text NOT NULL DEFAULT '',
        revision    integer NOT NULL DEFAULT 1,
        PRIMARY KEY (profile, role, item_id)
    );
    CREATE TABLE history (
        id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile text NOT NULL,
        role    text NOT NULL,
        item_id text NOT NULL,
        field   text NOT NULL,
        old     text NOT NULL,
        new     text NOT NULL,
        at      text NOT NULL DEFAULT '',
        by      text NOT NULL DEFAULT session_user,
        origin  text NOT NULL DEFAULT '',
        claimed_by text NOT NULL DEFAULT ''
    );
    CREATE INDEX history_by_checklist ON history (profile, role, at, id);
    CREATE INDEX history_by_item ON history (profile, role, item_id, id);

    -- Who and when, set here and never by the client. A row copied or imported from another
    -- store (origin says which) keeps the time it has there, and who the source says made it
    -- (claimed_by, shown as such); its `by` is still who copied it.
    CREATE FUNCTION bj30_history_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW."by" := session_user;
        IF NEW.origin = '' THEN
            NEW.at := {HISTORY_STAMP_SQL};
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER history_stamp BEFORE INSERT ON history
        FOR EACH ROW EXECUTE FUNCTION bj30_history_stamp();

    -- Nothing in history changes or goes. The one exception: renaming a profile relabels its
    -- rows (the profile column alone), which needs UPDATE on history: only the tables' owner
    -- has it (bj30 store grant never gives it).
    CREATE FUNCTION bj30_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND (NEW.id, NEW.role, NEW.item_id, NEW.field, NEW.old, NEW.new, NEW.at, NEW."by",
                NEW.origin, NEW.claimed_by) IS NOT DISTINCT FROM (OLD.id, OLD.role, OLD.item_id, OLD.field,
                OLD.old, OLD.new, OLD.at, OLD."by", OLD.origin, OLD.claimed_by) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'bj30 history is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
        FOR EACH ROW EXECUTE FUNCTION bj30_history_append_only();
    CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
        FOR EACH STATEMENT EXECUTE FUNCTION bj30_history_append_only();

    -- Live: each change announced to the open checklists (not the note's text: a payload
    -- holds at most 8000 bytes). A copy announces itself once (see merge).
    CREATE FUNCTION bj30_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.origin = '' THEN
            PERFORM pg_notify(left('bj30_' || TG_TABLE_SCHEMA, 63), json_build_object(
                'id', NEW.id, 'profile', left(NEW.profile, 200), 'role', left(NEW.role, 200),
                'item', left(NEW.item_id, 200), 'field', NEW.field,
                'new', CASE WHEN NEW.field = 'note' THEN '' ELSE left(NEW.new, 200) END,
                'by', NEW."by")::text);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER history_notify AFTER INSERT ON history
        FOR EACH ROW EXECUTE FUNCTION bj30_history_notify();

    -- Evidence per item: attached (by and when: set here), and at most marked removed, once
    -- (by and when: set here); never deleted and never otherwise changed.
    CREATE TABLE evidence (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile    text NOT NULL,
        role       text NOT NULL,
        item_id    text NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('file', 'url', 'reference')),
        target     text NOT NULL,
        note       text NOT NULL DEFAULT '',
        size       bigint NOT NULL DEFAULT -1,
        sha256     text NOT NULL DEFAULT '',
        mtime      text NOT NULL DEFAULT '',
        added      text NOT NULL DEFAULT '',
        added_by   text NOT NULL DEFAULT session_user,
        removed    text NOT NULL DEFAULT '',
        removed_by text NOT NULL DEFAULT '',
        origin     text NOT NULL DEFAULT '',
        claimed_by text NOT NULL DEFAULT ''
    );
    CREATE INDEX evidence_by_item ON evidence (profile, role, item_id, id);

    CREATE FUNCTION bj30_evidence_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            NEW.added_by := session_user;
            IF NEW.origin = '' THEN
                NEW.added := {STAMP_SQL};
                NEW.removed := '';
                NEW.removed_by := '';
            END IF;
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.removed = '' AND NEW.removed <> '' AND (NEW.id, NEW.role, NEW.item_id,
                NEW.kind, NEW.target, NEW.note, NEW.size, NEW.sha256, NEW.mtime, NEW.added, NEW.added_by,
                NEW.origin, NEW.claimed_by) IS NOT DISTINCT FROM (OLD.id, OLD.role, OLD.item_id, OLD.kind,
                OLD.target, OLD.note, OLD.size, OLD.sha256, OLD.mtime, OLD.added, OLD.added_by, OLD.origin,
                OLD.claimed_by) THEN
            NEW.removed := {STAMP_SQL};
            NEW.removed_by := session_user;
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.id, NEW.role, NEW.item_id, NEW.kind, NEW.target, NEW.note, NEW.size,
                NEW.sha256, NEW.mtime, NEW.added, NEW.added_by, NEW.removed, NEW.removed_by, NEW.origin,
                NEW.claimed_by) IS NOT DISTINCT FROM (OLD.id, OLD.role, OLD.item_id, OLD.kind, OLD.target,
                OLD.note, OLD.size, OLD.sha256, OLD.mtime, OLD.added, OLD.added_by, OLD.removed,
                OLD.removed_by, OLD.origin, OLD.claimed_by) THEN
            RETURN NEW;  -- a profile renamed (the owner): the profile column alone
        END IF;
        RAISE EXCEPTION 'bj30 evidence is attached, or marked removed once; never changed or deleted: % refused',
            TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER evidence_stamp BEFORE INSERT OR UPDATE OR DELETE ON evidence
        FOR EACH ROW EXECUTE FUNCTION bj30_evidence_stamp();
    CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
        FOR EACH STATEMENT EXECUTE FUNCTION bj30_history_append_only();

    REVOKE ALL ON meta, profiles, progress, history, evidence FROM PUBLIC;
    """,
]
PG_SCHEMA_VERSION = len(PG_MIGRATIONS)

# What each kind of role may do (bj30 store grant); history: never UPDATE or DELETE; evidence:
# attach, and mark removed (its two columns), never delete. Renaming or deleting a profile is
# for the tables' owner.
GRANTS = {
    "officer": [
        ("SELECT", "meta"),
        ("SELECT, INSERT, UPDATE", "profiles"),
        ("SELECT, INSERT, UPDATE", "progress"),
        ("SELECT, INSERT", "history"),
        ("SELECT, INSERT, UPDATE (removed, removed_by)", "evidence"),
    ],
    "reader": [("SELECT", "meta"), ("SELECT", "profiles"), ("SELECT", "progress"), ("SELECT", "history"), ("SELECT", "evidence")],
}


class _Unreachable(Exception):
    """The server could not be reached, or the connection broke: the message says why."""


@dataclass
class _Link:
    """A live pair of connections: one for reads and changes, one that LISTENs."""

    conn: psycopg.Connection[Any]
    listener: psycopg.Connection[Any]
    schema: str
    user: str
    channel: str
    fixed_reason: str | None  # read-only for as long as this bj30 runs (privileges, schema)

    def close(self) -> None:
        for c in (self.conn, self.listener):
            with suppress(psycopg.Error):
                c.close()


class PgStore:
    """The team store (see the module's docstring). Use PgStore.open(location)."""

    # How long after a failed attempt bj30 tries the server again.
    RETRY_SECONDS = 2.0
    # A change waits at most this long for another session's lock on its item (a colleague's
    # bj30 frozen mid-change) before it is refused; the server ends a session of ours that sits
    # in a transaction longer than IDLE_IN_TRANSACTION_MS, so a vanished bj30 frees its locks.
    LOCK_TIMEOUT_MS = 10_000
    IDLE_IN_TRANSACTION_MS = 60_000

    def __init__(self, location: api.StoreLocation) -> None:
        self.location = location
        self.path = None
        self._link: _Link | None = None
        self._down: str | None = None  # why the server cannot be used now
        self._retry_at = 0.0
        self._lock = threading.Lock()  # guards the two fields below (the reconnect thread sets them)
        self._reconnecting: threading.Thread | None = None
        self._reconnected: _Link | None = None
        self._closed = False
        self._just_reconnected = False
        self._batch = False  # inside batch(): its transaction holds every change

    # Opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, location: api.StoreLocation) -> api.Opened:
        """Connect (and create or migrate the tables); never raises for an unreachable server."""
        store = cls(location)
        warnings: list[str] = []
        try:
            store._link = store._connect()
        except _Unreachable as exc:
            store._went_down(str(exc))
        if store.read_only_reason:
            warnings.append(f"read-only session: {store.read_only_reason}; ticks and notes cannot be saved")
        return api.Opened(store, warnings)

    def _connect(self) -> _Link:
        """Both connections, the schema ready; blocking (at start, or in the reconnect thread)."""
        try:
            params = conninfo_to_dict(self.location.url)
        except psycopg.Error as exc:
            raise _Unreachable(f"the store URL is not valid: {self._says(exc)}") from None
        conninfo = make_conninfo(self.location.url, **{k: v for k, v in CONNECT_DEFAULTS.items() if k not in params})
        try:
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise _Unreachable(f"the team store {self.location} cannot be reached: {self._says(exc)}") from None
        listener = None
        try:
            conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{int(self.LOCK_TIMEOUT_MS)}ms")))
            conn.execute(
                sql.SQL("SET idle_in_transaction_session_timeout = {}").format(
                    sql.Literal(f"{int(self.IDLE_IN_TRANSACTION_MS)}ms")
                )
            )
            schema, user, fixed = self._prepare(conn)
            channel = str(_one(conn.execute("SELECT left('bj30_' || %s::text, 63)", (schema,))))
            listener = psycopg.connect(conninfo, autocommit=True)
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        except psycopg.Error as exc:
            for c in (conn, listener):
                if c is not None:
                    c.close()
            raise _Unreachable(f"the team store {self.location} cannot be used: {self._says(exc)}") from None
        return _Link(conn, listener, schema, user, channel, fixed)

    def _prepare(self, conn: psycopg.Connection[Any]) -> tuple[str, str, str | None]:
        """Migrate under the advisory lock; (schema, database user, why read-only or None)."""
        row = conn.execute("SELECT current_schema(), session_user").fetchone()
        assert row is not None
        schema, user = row
        if schema is None:
            return (
                "",
                user,
                ("the store URL's search_path names no schema that exists: create it, or set options=-csearch_path=SCHEMA"),
            )
        try:
            migrate(conn)
        except errors.InsufficientPrivilege:
            version = _schema_version(conn)
            if version == 0:
                return (
                    schema,
                    user,
                    (
                        f"the team store {self.location} has no bj30 tables yet and database user "
                        f"{user} may not create them: its owner starts bj30 once first (see README)"
                    ),
                )
            return (
                schema,
                user,
                (
                    f"the team store has schema version {version}; this bj30 needs "
                    f"{PG_SCHEMA_VERSION} and database user {user} may not upgrade it: its owner "
                    f"starts this bj30 once first"
                ),
            )
        except _Newer as exc:
            return schema, user, str(exc)
        writable = _one(
            conn.execute(
                "SELECT has_table_privilege(format('%I.progress', current_schema()), 'INSERT, UPDATE') "
                "AND has_table_privilege(format('%I.profiles', current_schema()), 'INSERT') "
                "AND has_table_privilege(format('%I.history', current_schema()), 'INSERT')"
            )
        )
        if not writable:
            return schema, user, f"database user {user} may read the team store but not change it"
        conn.execute(f"INSERT INTO profiles (name, created) VALUES (%s, {STAMP_SQL}) ON CONFLICT DO NOTHING", (DEFAULT_PROFILE,))
        return schema, user, None

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
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def user(self) -> str:
        """The database user this session is (history's `by` for its changes); "" while down."""
        return self._link.user if self._link is not None else ""

    def _says(self, exc: BaseException) -> str:
        """A driver's or server's message on one line, with the URL's secrets hidden."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return self.location.scrub(text.removeprefix("connection failed: "))

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

    def _live(self) -> _Link | None:
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
        except _Unreachable as exc:
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

    def _read(self, action: Callable[[psycopg.Connection[Any]], T]) -> T:
        link = self._live()
        if link is None:
            raise StoreError(f"cannot read: {self._down}")
        try:
            return action(link.conn)
        except psycopg.Error as exc:
            if link.conn.broken or link.conn.closed:
                raise StoreError(f"cannot read: {self._lost(exc)}; read-only session until it answers") from None
            raise StoreError(f"cannot read the team store: {self._says(exc)}") from None

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction; raises StoreError (never reports saved) unless its COMMIT succeeded."""
        if self._batch and self._link is not None:  # batch()'s transaction holds this change too
            yield self._link.conn
            return
        link = self._live()
        if link is None or self.read_only_reason is not None:
            raise ReadOnlyStore(f"not saved: read-only session ({self.read_only_reason})")
        conn = link.conn
        committing = False
        try:
            with conn.transaction():
                yield conn
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

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many changes in one transaction, all committed or none (an import). Each item read
        inside it is locked until the end, so that no officer's change comes between an
        import's comparison and its write."""
        with self._write():
            self._batch = True
            try:
                yield
            finally:
                self._batch = False

    def _lock_item(self, conn: psycopg.Connection[Any], profile: str, role: str, item_id: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 16))", (_item_key(profile, role, item_id),))

    @property
    def store_id(self) -> str:
        """A random id made with the tables: an export names it, so that an import into the same
        store can compare revisions rather than clocks."""
        row = self._read(lambda c: c.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone())
        return str(row[0]) if row else ""

    # Profiles ---------------------------------------------------------------------------

    def ensure_profile(self, name: str) -> None:
        if self.read_only:
            return
        check_text(name, "profile name")
        with self._write() as conn:
            conn.execute(f"INSERT INTO profiles (name, created) VALUES (%s, {STAMP_SQL}) ON CONFLICT DO NOTHING", (name,))

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile:
        name = api.check_profile_name(name)
        institution, department = _one_line(institution, "institution"), _one_line(department, "department")
        with self._write() as conn:
            made = conn.execute(
                f"INSERT INTO profiles (name, institution, department, created) "
                f"VALUES (%s, %s, %s, {STAMP_SQL}) ON CONFLICT DO NOTHING RETURNING name",
                (name, institution, department),
            ).fetchone()
            if made is None:
                raise StoreError(f"profile {name!r} already exists")
        return Profile(name, institution, department)

    def update_profile(self, name: str, institution: str, department: str = "") -> Profile:
        self.profile(name)
        institution, department = _one_line(institution, "institution"), _one_line(department, "department")
        with self._write() as conn:
            conn.execute("UPDATE profiles SET institution = %s, department = %s WHERE name = %s", (institution, department, name))
        return Profile(name, institution, department)

    def profiles(self) -> list[Profile]:
        rows = self._read(
            lambda c: c.execute(
                "SELECT name, institution, department FROM profiles ORDER BY name = %s DESC, name", (DEFAULT_PROFILE,)
            ).fetchall()
        )
        return [Profile(*row) for row in rows]

    def profile(self, name: str) -> Profile:
        check_text(name, "profile name")
        row = self._read(
            lambda c: c.execute("SELECT name, institution, department FROM profiles WHERE name = %s", (name,)).fetchone()
        )
        if row is None:
            known = ", ".join(p.name for p in self.profiles())
            raise StoreError(
                f"no profile {name!r}; profiles are: {known}. Create it with: bj30 profile create {name!r} --institution NAME"
            )
        return Profile(*row)

    # Progress ---------------------------------------------------------------------------

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]:
        rows = self._read(
            lambda c: c.execute(
                f"SELECT {ITEM_SELECT} FROM progress WHERE profile = %s AND role = %s", (profile, role)
            ).fetchall()
        )
        return {row[0]: ItemProgress(*row) for row in rows}

    def item(self, profile: str, role: str, item_id: str) -> ItemProgress:
        if self._batch and self._link is not None:
            self._lock_item(self._link.conn, profile, role, item_id)
        row = self._read(
            lambda c: c.execute(
                f"SELECT {ITEM_SELECT} FROM progress WHERE profile = %s AND role = %s AND item_id = %s", (profile, role, item_id)
            ).fetchone()
        )
        return ItemProgress(*row) if row else ItemProgress(item_id)

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
        """Change an item; committed before this returns (store_api.ProgressStore.update). `by` is
        not used: history records the database user, set by the database."""
        owner, due = api.check_values(status, note, owner, due)
        with self._write() as conn:
            # The item's lock first, then the read the decision rests on (a fresh snapshot:
            # READ COMMITTED), so two officers' changes to one item are applied one after the other.
            # The time is read after the lock is granted (the FROM clause runs first).
            stamp = str(
                _one(
                    conn.execute(
                        f"SELECT {STAMP_SQL} FROM pg_advisory_xact_lock(hashtextextended(%s, 16))",
                        (_item_key(profile, role, item_id),),
                    )
                )
            )
            found = conn.execute(
                f"SELECT (SELECT count(*) FROM profiles WHERE name = %s), {ITEM_SELECT} FROM (SELECT 1) AS one "
                f"LEFT JOIN progress ON profile = %s AND role = %s AND item_id = %s",
                (profile, profile, role, item_id),
            ).fetchone()
            assert found is not None
            if not found[0]:
                self.profile(profile)  # raises the clear error naming the profiles there are
            old = ItemProgress(*found[1:]) if found[1] is not None else ItemProgress(item_id)
            clash = api.conflicting(old, expect, {"status": status, "note": note, "owner": owner, "due": due})
            if clash:
                who, at = conn.execute(
                    "SELECT by, at FROM history WHERE profile = %s AND role = %s AND item_id = %s "
                    "AND field = ANY(%s) ORDER BY id DESC LIMIT 1",
                    (profile, role, item_id, clash),
                ).fetchone() or ("", "")
                raise api.conflict(old, clash, who, at)
            plan = api.plan_update(old, fingerprint=fingerprint, stamp=stamp, status=status, note=note, owner=owner, due=due)
            if not plan.write:
                return old
            new = plan.new
            fields, olds, news = (list(column) for column in zip(*plan.changes, strict=True)) if plan.changes else ([], [], [])
            conn.execute(
                f"WITH up AS ({UPSERT}) "
                "INSERT INTO history (profile, role, item_id, field, old, new) "
                "SELECT %s, %s, %s, f, o, n FROM unnest(%s::text[], %s::text[], %s::text[]) AS c(f, o, n)",
                (*_row(profile, role, new), profile, role, item_id, fields, olds, news),
            )
        return new

    def notes(self, profile: str) -> list[tuple[str, str, str]]:
        rows = self._read(
            lambda c: c.execute(
                "SELECT role, item_id, note FROM progress WHERE profile = %s AND note <> '' ORDER BY role, item_id", (profile,)
            ).fetchall()
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def history(self, profile: str, role: str, item_id: str | None = None) -> list[HistoryEntry]:
        """In time order (entries an import restored come in among the others), then as written.
        `by` is the database user; for an entry copied or imported from elsewhere, who the source
        says made it and who brought it in: "li (imported by wangli)"."""
        one = " AND item_id = %s" if item_id is not None else ""
        rows = self._read(
            lambda c: c.execute(
                f"SELECT item_id, field, old, new, at, {SHOWN_BY} FROM history WHERE profile = %s AND role = %s{one} "
                f"ORDER BY at, id",
                (profile, role) + ((item_id,) if item_id is not None else ()),
            ).fetchall()
        )
        return [HistoryEntry(*row) for row in rows]

    def restore(self, profile: str, role: str, theirs: ItemProgress, by: str = "") -> ItemProgress:
        """Write an imported state over the stored one (the importer has decided it is newer), as
        the SQLite store does: revision + 1, the file's time unless that is not after ours. The
        history rows it writes are this session's, with the database's time and user."""
        with self._write() as conn:
            self._lock_item(conn, profile, role, theirs.item_id)
            found = conn.execute(
                f"SELECT {ITEM_SELECT} FROM progress WHERE profile = %s AND role = %s AND item_id = %s",
                (profile, role, theirs.item_id),
            ).fetchone()
            old = ItemProgress(*found) if found else ItemProgress(theirs.item_id)
            now = str(_one(conn.execute(f"SELECT {STAMP_SQL}")))
            stamp = theirs.changed if theirs.changed > old.changed else api.stamp_after(old.changed, now)
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
            changes = [(f, getattr(old, f), getattr(new, f)) for f in api.FIELDS if getattr(old, f) != getattr(new, f)]
            fields, olds, news = (list(column) for column in zip(*changes, strict=True)) if changes else ([], [], [])
            conn.execute(
                f"WITH up AS ({UPSERT}) "
                "INSERT INTO history (profile, role, item_id, field, old, new) "
                "SELECT %s, %s, %s, f, o, n FROM unnest(%s::text[], %s::text[], %s::text[]) AS c(f, o, n)",
                (*_row(profile, role, new), profile, role, new.item_id, fields, olds, news),
            )
        return new

    def add_history(self, profile: str, role: str, entries: list[HistoryEntry]) -> tuple[int, int]:
        """Add history entries from an import that the store does not have yet: (added, already
        there). They keep the file's times and say so (origin); `by` is who imported them."""
        with self._write() as conn:
            there = {
                tuple(r)
                for r in conn.execute(
                    "SELECT item_id, field, old, new, at FROM history WHERE profile = %s AND role = %s", (profile, role)
                )
            }
            fresh = []
            for h in entries:
                key = (h.item_id, h.field, h.old, h.new, h.at)
                if key not in there:
                    there.add(key)
                    fresh.append((profile, role, *key, IMPORTED, h.by))
            if fresh:
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO history (profile, role, item_id, field, old, new, at, origin, "
                        "claimed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        fresh,
                    )
        return len(fresh), len(entries) - len(fresh)

    # Evidence ---------------------------------------------------------------------------

    def evidence(self, profile: str, role: str | None = None, item_id: str | None = None) -> list[tuple[str, str, Evidence]]:
        """(role, item id, evidence) attached and not removed, in the order attached."""
        where, args = "profile = %s AND removed = ''", [profile]
        if role is not None:
            where, args = where + " AND role = %s", args + [role]
        if item_id is not None:
            where, args = where + " AND item_id = %s", args + [item_id]
        rows = self._read(
            lambda c: c.execute(
                f"SELECT role, item_id, kind, target, note, size, sha256, mtime, added, {SHOWN_ADDED_BY}, id "
                f"FROM evidence WHERE {where} ORDER BY role, item_id, id",
                args,
            ).fetchall()
        )
        return [(r[0], r[1], Evidence(*r[2:])) for r in rows]

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, by: str = "", at: str | None = None, record: bool = True
    ) -> Evidence:
        """Attach `e` to an item; the history records it (unless not `record`: an import brings the
        history entry with it). Who and when are the database's, unless `at` is given (an import
        keeping the original time): then the record says it was imported, and who it names."""
        for value, name in ((e.target, "evidence"), (e.note, "evidence note"), (by, "name")):
            check_text(value, name)
        with self._write() as conn:
            self.profile(profile)
            origin, claimed = (IMPORTED, by) if at else ("", "")
            added, added_by, row_id = conn.execute(
                "INSERT INTO evidence (profile, role, item_id, kind, target, note, size, sha256, mtime, added, origin, "
                "claimed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING added, added_by, id",
                (profile, role, item_id, e.kind, e.target, e.note, e.size, e.sha256, e.mtime, at or "", origin, claimed),
            ).fetchone() or ("", "", 0)
            if record:
                conn.execute(
                    "INSERT INTO history (profile, role, item_id, field, old, new) VALUES (%s, %s, %s, 'evidence+', '', %s)",
                    (profile, role, item_id, history_text(e)),
                )
        return replace(e, added=added, by=_shown(added_by, origin, claimed), id=int(row_id))

    def has_evidence(self, profile: str, role: str, item_id: str, e: Evidence) -> bool:
        """Whether this evidence (same kind, target, digest, time attached) is or was attached here."""
        return (
            self._read(
                lambda c: c.execute(
                    "SELECT 1 FROM evidence WHERE profile = %s AND role = %s AND item_id = %s AND kind = %s AND target = %s "
                    "AND sha256 = %s AND added = %s",
                    (profile, role, item_id, e.kind, e.target, e.sha256, e.added),
                ).fetchone()
            )
            is not None
        )

    def remove_evidence(self, profile: str, role: str, item_id: str, number: int, by: str = "") -> Evidence:
        """Mark an item's evidence number `number` removed (never deleted; the database says who
        and when); the history records it."""
        with self._write() as conn:
            self._lock_item(conn, profile, role, item_id)
            attached = [e for _, _, e in self.evidence(profile, role, item_id)]
            if not 1 <= number <= len(attached):
                have = f"1-{len(attached)}" if attached else "none"
                raise StoreError(f"{item_id} has no evidence {number}; its evidence is numbered: {have}")
            e = attached[number - 1]
            conn.execute("UPDATE evidence SET removed = 'removed', removed_by = '' WHERE id = %s", (e.id,))
            conn.execute(
                "INSERT INTO history (profile, role, item_id, field, old, new) VALUES (%s, %s, %s, 'evidence-', %s, '')",
                (profile, role, item_id, history_text(e)),
            )
        return e

    # Profiles: rename and delete ------------------------------------------------------

    def holds_progress(self, name: str) -> bool:
        """Whether a profile has anything recorded: progress, history or evidence."""
        return bool(
            self._read(
                lambda c: _one(
                    c.execute(
                        "SELECT EXISTS (SELECT 1 FROM progress WHERE profile = %s) OR EXISTS (SELECT 1 FROM history "
                        "WHERE profile = %s) OR EXISTS (SELECT 1 FROM evidence WHERE profile = %s)",
                        (name, name, name),
                    )
                )
            )
        )

    def roles_of(self, name: str) -> set[str]:
        """The roles a profile has anything recorded in."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT role FROM progress WHERE profile = %s UNION SELECT role FROM history WHERE profile = %s "
                "UNION SELECT role FROM evidence WHERE profile = %s",
                (name, name, name),
            ).fetchall()
        )
        return {r[0] for r in rows}

    def rename_profile(self, old: str, new: str) -> Profile:
        """A new name for a profile, with everything recorded under it, in one transaction. In a
        team store this relabels history rows, which only the tables' owner may do (the history
        trigger lets the profile column alone change); an officer is told so."""
        check_text(new, "profile name")
        try:
            with self._write() as conn:
                profile = self.profile(old)
                if conn.execute("SELECT 1 FROM profiles WHERE name = %s", (new,)).fetchone():
                    raise StoreError(f"profile {new!r} already exists")
                conn.execute(
                    "INSERT INTO profiles (name, institution, department, created) SELECT %s, institution, "
                    "department, created FROM profiles WHERE name = %s",
                    (new, old),
                )
                for table in ("progress", "history", "evidence"):
                    conn.execute(
                        sql.SQL("UPDATE {} SET profile = %s WHERE profile = %s").format(sql.Identifier(table)), (new, old)
                    )
                conn.execute("DELETE FROM profiles WHERE name = %s", (old,))
        except ReadOnlyStore as exc:
            if self.read_only:
                raise
            raise ReadOnlyStore(f"not renamed: in a team store only its owner renames profiles ({exc})") from None
        return replace(profile, name=new)

    def delete_profile(self, name: str) -> None:
        """Delete a profile that holds nothing. A team store never deletes history, so a profile
        with any is refused (its owner may rename it instead)."""
        if name == DEFAULT_PROFILE:
            raise StoreError(
                f"the {DEFAULT_PROFILE!r} profile cannot be deleted; rename it first to keep its progress under another name"
            )
        try:
            with self._write() as conn:
                self.profile(name)
                if self.holds_progress(name):
                    raise StoreError(
                        f"profile {name!r} holds progress, history or evidence, and a team store never "
                        f"deletes history: it is kept (its owner may rename it)"
                    )
                conn.execute("DELETE FROM profiles WHERE name = %s", (name,))
        except ReadOnlyStore as exc:
            if self.read_only:
                raise
            raise ReadOnlyStore(f"not deleted: in a team store only its owner deletes profiles ({exc})") from None

    # Live -------------------------------------------------------------------------------

    def changes_elsewhere(self) -> list[api.RemoteChange] | None:
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
        changes: list[api.RemoteChange] = []
        heard = False
        for notice in arrived:
            if notice.pid == own:
                continue
            heard = True
            try:
                data = json.loads(notice.payload)
                changes.append(
                    api.RemoteChange(
                        str(data["profile"]),
                        str(data["role"]),
                        str(data["item"]),
                        str(data["field"]),
                        str(data["new"]),
                        str(data["by"]),
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue  # a copy, or a NOTIFY someone sent by hand: reload without naming it
        return changes if heard else None

    # Copying in and out (bj30 store copy) ---------------------------------------------------

    def rows(self) -> StoreRows:
        def read(c: psycopg.Connection[Any]) -> StoreRows:
            rows = StoreRows()
            with c.transaction():  # one snapshot for all the tables
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                for name, institution, department, created in c.execute(
                    "SELECT name, institution, department, created FROM profiles ORDER BY name"
                ):
                    rows.profiles.append(ProfileRow(Profile(name, institution, department), created))
                for profile, role, item_id, *values in c.execute(
                    f"SELECT profile, role, item_id, {', '.join(ITEM_COLUMNS)} FROM progress ORDER BY profile, role, item_id"
                ):
                    rows.progress.append(ProgressRow(profile, role, ItemProgress(item_id, *values)))
                # Who made it: the database user, or for a copied or imported row who its source named.
                for values in c.execute(
                    "SELECT profile, role, item_id, field, old, new, at, "
                    "CASE WHEN origin = '' THEN by ELSE claimed_by END FROM history ORDER BY id"
                ):
                    rows.history.append(HistoryRow(*values))
                for (
                    profile,
                    role,
                    item_id,
                    kind,
                    target,
                    note,
                    size,
                    sha256,
                    mtime,
                    added,
                    added_by,
                    removed,
                    removed_by,
                ) in c.execute(
                    "SELECT profile, role, item_id, kind, target, note, size, sha256, mtime, added, "
                    "CASE WHEN origin = '' THEN added_by ELSE claimed_by END, removed, removed_by "
                    "FROM evidence ORDER BY id"
                ):
                    rows.evidence.append(
                        EvidenceRow(
                            profile,
                            role,
                            item_id,
                            Evidence(kind, target, note, size, sha256, mtime, added, added_by),
                            removed,
                            removed_by,
                        )
                    )
            return rows

        return self._read(read)

    def merge(self, rows: StoreRows, source: str) -> CopyReport:
        """Add `rows` (store_copy's rules) in one transaction. Copied history keeps its times and
        says where it came from (origin); its `by` is the database user who copied it."""
        report = CopyReport()
        with self._write() as conn:
            for p in rows.profiles:
                made = conn.execute(
                    "INSERT INTO profiles (name, institution, department, created) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING name",
                    (p.profile.name, p.profile.institution, p.profile.department, p.created),
                ).fetchone()
                if made:
                    report.profiles_added += 1
                else:
                    report.profiles_there += 1
            for row in rows.progress:
                it = row.item
                conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 16))", (_item_key(row.profile, row.role, it.item_id),)
                )
                found = conn.execute(
                    f"SELECT {ITEM_SELECT} FROM progress WHERE profile = %s AND role = %s AND item_id = %s",
                    (row.profile, row.role, it.item_id),
                ).fetchone()
                existing = ItemProgress(*found) if found else None
                decision = decide(existing, it)
                if decision == "same":
                    report.items_same += 1
                    continue
                if decision == "keep":
                    assert existing is not None
                    report.kept_newer.append(kept_line(row, existing))
                    continue
                conn.execute(UPSERT, _row(row.profile, row.role, copied(existing, it)))
                if decision == "add":
                    report.items_added += 1
                else:
                    report.items_updated += 1
            there = {tuple(r) for r in conn.execute("SELECT profile, role, item_id, field, old, new, at FROM history")}
            fresh = []
            for h in rows.history:
                key = history_key(h)
                if key in there:
                    report.history_there += 1
                    continue
                there.add(key)
                fresh.append((*key, f"copied from {source}", h.by))
            if fresh:
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO history (profile, role, item_id, field, old, new, at, origin, "
                        "claimed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        fresh,
                    )
            report.history_added = len(fresh)
            attached = {
                tuple(r[:7]): (r[8], r[7])
                for r in conn.execute(  # key -> (row id, removed)
                    "SELECT profile, role, item_id, kind, target, sha256, added, removed, id FROM evidence"
                )
            }
            for e in rows.evidence:
                ekey = evidence_key(e)
                found = attached.get(ekey)
                v = e.evidence
                if found is None:
                    conn.execute(
                        "INSERT INTO evidence (profile, role, item_id, kind, target, note, size, sha256, mtime, added, "
                        "removed, removed_by, origin, claimed_by) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        (
                            e.profile,
                            e.role,
                            e.item_id,
                            v.kind,
                            v.target,
                            v.note,
                            v.size,
                            v.sha256,
                            v.mtime,
                            v.added,
                            e.removed,
                            e.removed_by,
                            f"copied from {source}",
                            v.by,
                        ),
                    )
                    attached[ekey] = (0, e.removed)
                    report.evidence_added += 1
                elif e.removed and not found[1]:
                    # Removed in the source since: marked removed here too (by who copies, now).
                    conn.execute("UPDATE evidence SET removed = 'removed', removed_by = '' WHERE id = %s", (found[0],))
                    report.evidence_removed += 1
                else:
                    report.evidence_there += 1
            if report.changed:
                # One announcement for the whole copy: open checklists reload.
                conn.execute(
                    "SELECT pg_notify(left('bj30_' || current_schema(), 63), %s)", (json.dumps({"copied": report.history_added}),)
                )
        return report

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


class _Newer(StoreError):
    pass


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


UPSERT = (
    f"INSERT INTO progress (profile, role, {ITEM_SELECT}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (profile, role, item_id) DO UPDATE SET status = excluded.status, note = excluded.note, "
    "owner = excluded.owner, due = excluded.due, fingerprint = excluded.fingerprint, "
    "changed = excluded.changed, completed = excluded.completed, revision = excluded.revision"
)


def _row(profile: str, role: str, p: ItemProgress) -> tuple[object, ...]:
    """UPSERT's parameters."""
    return (profile, role, p.item_id, p.status, p.note, p.owner, p.due, p.fingerprint, p.changed, p.completed, p.revision)


def _one(cursor: psycopg.Cursor[Any]) -> Any:
    """The single value a query returns."""
    row = cursor.fetchone()
    assert row is not None
    return row[0]


def _item_key(profile: str, role: str, item_id: str) -> str:
    # The schema makes two team stores in one database lock separately.
    return "\x1f".join(("bj30 item", profile, role, item_id))


def _schema_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass(format('%I.meta', current_schema()))").fetchone()
    if row is None or row[0] is None:
        return 0
    found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(found[0]) if found else 0


def migrate(conn: psycopg.Connection[Any]) -> None:
    """Bring the schema to PG_SCHEMA_VERSION in one transaction, under an advisory lock: a second
    bj30 starting at the same moment waits, then finds the tables made (DDL is transactional)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('bj30 migrate ' || current_schema(), 0))")
        version = _schema_version(conn)
        if version > PG_SCHEMA_VERSION:
            raise _Newer(
                f"the team store has schema version {version}, newer than this bj30 understands "
                f"({PG_SCHEMA_VERSION}); upgrade bj30"
            )
        for target in range(version + 1, PG_SCHEMA_VERSION + 1):
            conn.execute(PG_MIGRATIONS[target - 1])
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(target),),
            )
