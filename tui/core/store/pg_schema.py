"""The team store's tables, and what its database enforces itself (`bj30[team]`).

- Who and when: a trigger sets every history row's `by` to the session's database user
  (session_user) and its time to the database's clock; the client sends neither, so nobody can
  write history in another's name or backdate it. Evidence likewise (added_by, removed_by).
- History is append-only: another trigger refuses UPDATE, DELETE and TRUNCATE even to the
  tables' owner, and GRANTS give officers SELECT and INSERT on it, nothing more.
- Live: every history row is announced (NOTIFY) on a channel per schema.
- Migrations run under an advisory lock, so two first starts cannot both create the tables.

Core: no Textual. Imported with postgres.py, only when a team store is opened.
"""

from __future__ import annotations

from typing import Any

import psycopg

from tui.core.store.model import StoreError

# The database's clock as bj30 stores times (store.STAMP, to the microsecond). The clock as it is
# now, not the transaction's start (now()): a change that waited for another's lock on its item
# must get a later time than that one, or history in time order would put them the wrong way round.
STAMP_SQL = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
# History's time: the start of the INSERT, so that the rows of one change share it.
HISTORY_STAMP_SQL = "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

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


class NewerSchema(StoreError):
    """The tables were made by a newer bj30: read-only, untouched."""


def schema_version(conn: psycopg.Connection[Any]) -> int:
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
        version = schema_version(conn)
        if version > PG_SCHEMA_VERSION:
            raise NewerSchema(
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
