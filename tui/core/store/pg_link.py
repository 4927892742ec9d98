"""The team store's connections: opening them, preparing the schema, and saying why not.

Two connections per store: one for reads and changes, one that LISTENs. Opening one migrates the
tables under an advisory lock (pg_schema.migrate) and finds out what this database user may do.
Messages never carry the URL's password (location.scrub). Core: no Textual.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tui.core.store.model import DEFAULT_PROFILE
from tui.core.store.pg_schema import PG_SCHEMA_VERSION, STAMP_SQL, NewerSchema, migrate, schema_version

if TYPE_CHECKING:
    from tui.core.store.location import StoreLocation

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


class Unreachable(Exception):
    """The server could not be reached, or the connection broke: the message says why."""


@dataclass
class Link:
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


def says(location: StoreLocation, exc: BaseException) -> str:
    """A driver's or server's message on one line, with the URL's secrets hidden."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return location.scrub(text.removeprefix("connection failed: "))


def one(cursor: psycopg.Cursor[Any]) -> Any:
    """The single value a query returns."""
    row = cursor.fetchone()
    assert row is not None
    return row[0]


def connect(location: StoreLocation, lock_timeout_ms: int, idle_in_transaction_ms: int) -> Link:
    """Both connections, the schema ready (blocking); Unreachable saying why not."""
    try:
        params = conninfo_to_dict(location.url)
    except psycopg.Error as exc:
        raise Unreachable(f"the store URL is not valid: {says(location, exc)}") from None
    conninfo = make_conninfo(location.url, **{k: v for k, v in CONNECT_DEFAULTS.items() if k not in params})
    try:
        conn = psycopg.connect(conninfo, autocommit=True)
    except psycopg.Error as exc:
        raise Unreachable(f"the team store {location} cannot be reached: {says(location, exc)}") from None
    listener = None
    try:
        conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{int(lock_timeout_ms)}ms")))
        conn.execute(
            sql.SQL("SET idle_in_transaction_session_timeout = {}").format(sql.Literal(f"{int(idle_in_transaction_ms)}ms"))
        )
        schema, user, fixed = _prepare(location, conn)
        channel = str(one(conn.execute("SELECT left('bj30_' || %s::text, 63)", (schema,))))
        listener = psycopg.connect(conninfo, autocommit=True)
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
    except psycopg.Error as exc:
        for c in (conn, listener):
            if c is not None:
                c.close()
        raise Unreachable(f"the team store {location} cannot be used: {says(location, exc)}") from None
    return Link(conn, listener, schema, user, channel, fixed)


def _prepare(location: StoreLocation, conn: psycopg.Connection[Any]) -> tuple[str, str, str | None]:
    """Migrate under the advisory lock; (schema, database user, why read-only or None)."""
    schema, user = conn.execute("SELECT current_schema(), session_user").fetchone() or (None, "")
    if schema is None:
        return "", user, "the store URL's search_path names no schema that exists: create it, or set options=-csearch_path=SCHEMA"
    try:
        migrate(conn)
    except errors.InsufficientPrivilege:
        version = schema_version(conn)
        if version == 0:
            why = f"the team store {location} has no bj30 tables yet and database user {user} may not create them"
            return schema, user, f"{why}: its owner starts bj30 once first (see README)"
        why = f"the team store has schema version {version}; this bj30 needs {PG_SCHEMA_VERSION}"
        return schema, user, f"{why} and database user {user} may not upgrade it: its owner starts this bj30 once first"
    except NewerSchema as exc:
        return schema, user, str(exc)
    writable = one(
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
