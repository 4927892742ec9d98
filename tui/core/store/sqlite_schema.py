"""The progress file's tables: the migrations that bring any older file up, under the write lock.

PRAGMA user_version holds the schema version. Two first runs at once cannot both create the
tables: the version is read again once the write lock is held. Core: no Textual.
"""

from __future__ import annotations

import sqlite3

from tui.core.store.model import StoreError

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
    # 4: one name for who made a change, in both schemas (issue 20): `by`, as the team store has it.
    """
    ALTER TABLE history RENAME COLUMN who TO "by";
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction that holds the write lock.

    The version is read again after the lock is taken: two first runs at once would
    otherwise both see version 0 and both create the tables ("table profiles already exists").
    """
    if user_version(conn) == len(MIGRATIONS):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = user_version(conn)
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


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
