"""The statements both backends share: reads and writes over one connection.

`SqlTx` holds every statement the SQLite file and the PostgreSQL team store have in common,
written with `?` for each parameter (a backend's `_q` turns that into its own style); a backend
subclasses it for what its dialect says differently (who and when a team store's database sets
itself, advisory locks). api.ProgressStore reads through it, and rules.py changes through it
inside one write transaction.

Every value goes to the database as a parameter, never into the statement's text.
Core: no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.core.progress.evidence import Evidence
from tui.core.store.copy import EvidenceKey, EvidenceRow, HistoryKey, HistoryRow, ProfileRow, ProgressRow, StoreRows
from tui.core.store.model import (
    DEFAULT_PROFILE,
    ITEM_COLUMNS,
    HistoryEntry,
    ItemProgress,
    Profile,
    check_text,
    now,
    unknown_profile,
)

ITEMS = ", ".join(ITEM_COLUMNS)
TABLES = ("progress", "history", "evidence")  # what is recorded under a profile
EVIDENCE = "kind, target, note, size, sha256, mtime, added"
UPSERT = (
    f"INSERT INTO progress (profile, role, {ITEMS}) VALUES (?, ?, {', '.join('?' for _ in ITEM_COLUMNS)}) "
    "ON CONFLICT (profile, role, item_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ITEM_COLUMNS if c != "item_id")
)


def item_row(profile: str, role: str, p: ItemProgress) -> tuple[object, ...]:
    """UPSERT's parameters."""
    return (profile, role, *(getattr(p, c) for c in ITEM_COLUMNS))


class SqlTx:
    """The statements both backends share, over one connection (see the module's docstring)."""

    # Who, as history and evidence show it; a team store says who brought in a copied row.
    SHOWN_BY = '"by"'
    SHOWN_ADDED_BY = "added_by"
    # Who, as a copy carries it to another store.
    SOURCE_BY = '"by"'
    SOURCE_ADDED_BY = "added_by"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def _q(self, statement: str, args: Sequence[object] = ()) -> Any:
        """Run one statement; its cursor."""
        return self.conn.execute(statement, args)

    def _many(self, statement: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            self.conn.executemany(statement, rows)

    # Reads ------------------------------------------------------------------------------

    def store_id(self) -> str:
        row = self._q("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return str(row[0]) if row else ""

    def profiles(self) -> list[Profile]:
        rows = self._q("SELECT name, institution, department FROM profiles ORDER BY name = ? DESC, name", (DEFAULT_PROFILE,))
        return [Profile(*row) for row in rows.fetchall()]

    def has_profile(self, name: str) -> bool:
        return self._q("SELECT 1 FROM profiles WHERE name = ?", (name,)).fetchone() is not None

    def require_profile(self, name: str) -> Profile:
        check_text(name, "profile name")
        row = self._q("SELECT name, institution, department FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise unknown_profile(name, self.profiles())
        return Profile(*row)

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]:
        rows = self._q(f"SELECT {ITEMS} FROM progress WHERE profile = ? AND role = ?", (profile, role)).fetchall()
        return {row[0]: ItemProgress(*row) for row in rows}

    def stored_item(self, profile: str, role: str, item_id: str) -> ItemProgress | None:
        row = self._q(
            f"SELECT {ITEMS} FROM progress WHERE profile = ? AND role = ? AND item_id = ?", (profile, role, item_id)
        ).fetchone()
        return ItemProgress(*row) if row else None

    def item_for_change(self, profile: str, role: str, item_id: str) -> ItemProgress:
        self.require_profile(profile)  # a clear error for an unknown profile
        return self.stored_item(profile, role, item_id) or ItemProgress(item_id)

    def notes(self, profile: str) -> list[tuple[str, str, str]]:
        rows = self._q(
            "SELECT role, item_id, note FROM progress WHERE profile = ? AND note <> '' ORDER BY role, item_id", (profile,)
        )
        return [(r[0], r[1], r[2]) for r in rows.fetchall()]

    def history(self, profile: str, role: str, item_id: str | None) -> list[HistoryEntry]:
        one = " AND item_id = ?" if item_id is not None else ""
        rows = self._q(
            f"SELECT item_id, field, old, new, at, {self.SHOWN_BY} FROM history "
            f"WHERE profile = ? AND role = ?{one} ORDER BY at, id",
            (profile, role) + ((item_id,) if item_id is not None else ()),
        ).fetchall()
        return [HistoryEntry(*row) for row in rows]

    def last_change(self, profile: str, role: str, item_id: str, fields: Sequence[str]) -> tuple[str, str]:
        row = self._q(
            f'SELECT "by", at FROM history WHERE profile = ? AND role = ? AND item_id = ? '
            f"AND field IN ({', '.join('?' for _ in fields)}) ORDER BY id DESC LIMIT 1",
            (profile, role, item_id, *fields),
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else ("", "")

    def history_keys(self, profile: str | None = None, role: str | None = None) -> set[HistoryKey]:
        where = " WHERE profile = ? AND role = ?" if profile is not None else ""
        args = (profile, role) if profile is not None else ()
        return {tuple(r) for r in self._q(f"SELECT profile, role, item_id, field, old, new, at FROM history{where}", args)}

    def evidence(self, profile: str, role: str | None, item_id: str | None) -> list[tuple[str, str, Evidence]]:
        where, args = "profile = ? AND removed = ''", [profile]
        if role is not None:
            where, args = where + " AND role = ?", args + [role]
        if item_id is not None:
            where, args = where + " AND item_id = ?", args + [item_id]
        rows = self._q(
            f"SELECT role, item_id, {EVIDENCE}, {self.SHOWN_ADDED_BY}, id FROM evidence WHERE {where} ORDER BY role, item_id, id",
            args,
        ).fetchall()
        return [(r[0], r[1], Evidence(*r[2:])) for r in rows]

    def attached(self, profile: str, role: str, item_id: str) -> list[Evidence]:
        return [e for _, _, e in self.evidence(profile, role, item_id)]

    def has_evidence(self, profile: str, role: str, item_id: str, e: Evidence) -> bool:
        return (
            self._q(
                "SELECT 1 FROM evidence WHERE profile = ? AND role = ? AND item_id = ? AND kind = ? AND target = ? "
                "AND sha256 = ? AND added = ?",
                (profile, role, item_id, e.kind, e.target, e.sha256, e.added),
            ).fetchone()
            is not None
        )

    def evidence_index(self) -> dict[EvidenceKey, tuple[int, str]]:
        rows = self._q("SELECT profile, role, item_id, kind, target, sha256, added, id, removed FROM evidence")
        return {tuple(r[:7]): (int(r[7]), str(r[8])) for r in rows}

    def holds_progress(self, name: str) -> bool:
        return any(self._q(f"SELECT 1 FROM {table} WHERE profile = ? LIMIT 1", (name,)).fetchone() for table in TABLES)

    def roles_of(self, name: str) -> set[str]:
        return {str(r[0]) for table in TABLES for r in self._q(f"SELECT DISTINCT role FROM {table} WHERE profile = ?", (name,))}

    def rows(self) -> StoreRows:
        """Everything, for a copy (inside one snapshot: the caller's `_snapshot`)."""
        rows = StoreRows()
        for name, institution, department, created in self._q(
            "SELECT name, institution, department, created FROM profiles ORDER BY name"
        ):
            rows.profiles.append(ProfileRow(Profile(name, institution, department), created))
        for profile, role, *values in self._q(f"SELECT profile, role, {ITEMS} FROM progress ORDER BY profile, role, item_id"):
            rows.progress.append(ProgressRow(profile, role, ItemProgress(*values)))
        for values in self._q(f"SELECT profile, role, item_id, field, old, new, at, {self.SOURCE_BY} FROM history ORDER BY id"):
            rows.history.append(HistoryRow(*values))
        for r in self._q(
            f"SELECT profile, role, item_id, {EVIDENCE}, {self.SOURCE_ADDED_BY}, removed, removed_by FROM evidence ORDER BY id"
        ):
            rows.evidence.append(EvidenceRow(r[0], r[1], r[2], Evidence(*r[3:11]), r[11], r[12]))
        return rows

    # Writes (inside the backend's write transaction) -------------------------------------

    def now(self) -> str:
        """The time of a change: this machine's clock (a team store: its server's)."""
        return now()

    def lock_item(self, profile: str, role: str, item_id: str) -> str:
        """The file: its write transaction holds the whole store already. The time now."""
        return self.now()

    def write(self, profile: str, role: str, item: ItemProgress, history: Sequence[HistoryRow]) -> None:
        self._q(UPSERT, item_row(profile, role, item))
        self.add_history(history, "")

    def add_history(self, rows: Sequence[HistoryRow], origin: str) -> None:
        self._many(
            'INSERT INTO history (profile, role, item_id, field, old, new, at, "by") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [(h.profile, h.role, h.item_id, h.field, h.old, h.new, h.at, h.by) for h in rows],
        )

    def add_profile(self, name: str, institution: str, department: str, created: str = "") -> bool:
        return bool(
            self._q(
                "INSERT INTO profiles (name, institution, department, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (name, institution, department, created or self.now()),
            ).rowcount
        )

    def set_profile(self, name: str, institution: str, department: str) -> None:
        self._q("UPDATE profiles SET institution = ?, department = ? WHERE name = ?", (institution, department, name))

    def rename_profile(self, old: str, new: str) -> None:
        self._q(
            "INSERT INTO profiles (name, institution, department, created) "
            "SELECT ?, institution, department, created FROM profiles WHERE name = ?",
            (new, old),
        )
        for table in TABLES:
            self._q(f"UPDATE {table} SET profile = ? WHERE profile = ?", (new, old))
        self._q("DELETE FROM profiles WHERE name = ?", (old,))

    def delete_profile(self, name: str, everything: bool) -> None:
        for table in TABLES if everything else ():
            self._q(f"DELETE FROM {table} WHERE profile = ?", (name,))
        self._q("DELETE FROM profiles WHERE name = ?", (name,))

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, origin: str, removed: str = "", removed_by: str = ""
    ) -> Evidence:
        raise NotImplementedError  # each backend's: who and when are set differently

    def mark_removed(self, row_id: int, at: str, by: str) -> None:
        self._q("UPDATE evidence SET removed = ?, removed_by = ? WHERE id = ?", (at, by, row_id))
