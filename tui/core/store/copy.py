"""`bj30 store copy`: everything one store holds, added to another; idempotent and reported.

Profiles, items (progress) and history entries go across; what the target already has is left
alone, so running a copy twice adds nothing the second time. An item the target changed after
the source did is kept and reported, never overwritten. History is appended to, never changed:
an entry is "already there" when the target has one with the same item, field, old and new
values and time.

The rules (decide, history_key) are here once; each backend applies them inside one write
transaction of its own (SQLite below, PostgreSQL in store_pg.py), so a copy is all or nothing.
Core: no Textual.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from tui.core.progress.evidence import Evidence
from tui.core.store.sqlite import ItemProgress, Profile

if TYPE_CHECKING:
    from tui.core.store.api import ProgressStore

ITEM_COLUMNS = ("status", "note", "owner", "due", "fingerprint", "changed", "completed", "revision")
SQLITE_EVIDENCE = "kind, target, note, size, sha256, mtime, added, added_by, removed, removed_by"


@dataclass(frozen=True)
class ProfileRow:
    profile: Profile
    created: str


@dataclass(frozen=True)
class ProgressRow:
    profile: str
    role: str
    item: ItemProgress


@dataclass(frozen=True)
class HistoryRow:
    profile: str
    role: str
    item_id: str
    field: str
    old: str
    new: str
    at: str
    by: str = ""  # who, where the store knows it (the team store: the database user)


@dataclass(frozen=True)
class EvidenceRow:
    profile: str
    role: str
    item_id: str
    evidence: Evidence  # added and by: when and by whom it was attached
    removed: str = ""  # when it was marked removed ("" if it is still attached)
    removed_by: str = ""


@dataclass
class StoreRows:
    profiles: list[ProfileRow] = field(default_factory=list)
    progress: list[ProgressRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)


@dataclass
class CopyReport:
    profiles_added: int = 0
    profiles_there: int = 0
    items_added: int = 0
    items_updated: int = 0
    items_same: int = 0
    kept_newer: list[str] = field(default_factory=list)  # one line each
    history_added: int = 0
    history_there: int = 0
    evidence_added: int = 0
    evidence_removed: int = 0  # attached in the target, marked removed in the source: marked so
    evidence_there: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.profiles_added
            or self.items_added
            or self.items_updated
            or self.history_added
            or self.evidence_added
            or self.evidence_removed
        )

    def lines(self) -> list[str]:
        return [
            f"profiles: {self.profiles_added} added, {self.profiles_there} already there",
            f"items: {self.items_added} added, {self.items_updated} updated, {self.items_same} already so, "
            f"{len(self.kept_newer)} kept newer in the target",
            f"history: {self.history_added} entries added, {self.history_there} already there",
            f"evidence: {self.evidence_added} records added, {self.evidence_removed} marked removed, "
            f"{self.evidence_there} already so",
        ]


Decision = Literal["add", "update", "same", "keep"]


def decide(existing: ItemProgress | None, incoming: ItemProgress) -> Decision:
    """What a copy does with one item: add it, update the target's, leave it (the same), or keep
    the target's because it changed later than the source's."""
    if existing is None:
        return "add"
    if all(getattr(existing, c) == getattr(incoming, c) for c in ("status", "note", "owner", "due", "fingerprint")):
        return "same"
    return "update" if existing.changed < incoming.changed else "keep"


def copied(existing: ItemProgress | None, incoming: ItemProgress) -> ItemProgress:
    """The item as a copy writes it: the source's state; the target's revision counts one more
    change (a new item keeps the source's count)."""
    revision = existing.revision + 1 if existing is not None else max(incoming.revision, 1)
    return ItemProgress(
        incoming.item_id,
        incoming.status,
        incoming.note,
        incoming.owner,
        incoming.due,
        incoming.fingerprint,
        incoming.changed,
        incoming.completed,
        revision,
    )


def kept_line(row: ProgressRow, existing: ItemProgress) -> str:
    return (
        f"{row.profile}/{row.role}/{row.item.item_id}: the target changed it at {existing.changed}, "
        f"after the source ({row.item.changed or 'no time'}); kept the target's"
    )


def history_key(h: HistoryRow) -> tuple[str, ...]:
    return (h.profile, h.role, h.item_id, h.field, h.old, h.new, h.at)


def evidence_key(e: EvidenceRow) -> tuple[object, ...]:
    """A record is the same one when attached to the same item, the same target and digest, at the same time."""
    v = e.evidence
    return (e.profile, e.role, e.item_id, v.kind, v.target, v.sha256, v.added)


def copy_store(source: ProgressStore, target: ProgressStore, source_label: str) -> CopyReport:
    """Add what `source` holds to `target` (one transaction in the target)."""
    return target.merge(source.rows(), source_label)


# SQLite ---------------------------------------------------------------------------------


def sqlite_rows(conn: sqlite3.Connection) -> StoreRows:
    rows = StoreRows()
    for name, institution, department, created in conn.execute(
        "SELECT name, institution, department, created FROM profiles ORDER BY name"
    ):
        rows.profiles.append(ProfileRow(Profile(name, institution, department), created))
    for profile, role, item_id, *values in conn.execute(
        f"SELECT profile, role, item_id, {', '.join(ITEM_COLUMNS)} FROM progress ORDER BY profile, role, item_id"
    ):
        rows.progress.append(ProgressRow(profile, role, ItemProgress(item_id, *values)))
    for values in conn.execute("SELECT profile, role, item_id, field, old, new, at, who FROM history ORDER BY id"):
        rows.history.append(HistoryRow(*values))
    for profile, role, item_id, kind, target, note, size, sha256, mtime, added, added_by, removed, removed_by in conn.execute(
        f"SELECT profile, role, item_id, {SQLITE_EVIDENCE} FROM evidence ORDER BY id"
    ):
        rows.evidence.append(
            EvidenceRow(
                profile, role, item_id, Evidence(kind, target, note, size, sha256, mtime, added, added_by), removed, removed_by
            )
        )
    return rows


def sqlite_merge(conn: sqlite3.Connection, rows: StoreRows, source: str) -> CopyReport:
    """Apply `rows` inside the caller's write transaction (BEGIN IMMEDIATE: no one else writes)."""
    report = CopyReport()
    for p in rows.profiles:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO profiles (name, institution, department, created) VALUES (?, ?, ?, ?)",
            (p.profile.name, p.profile.institution, p.profile.department, p.created),
        )
        if cursor.rowcount:
            report.profiles_added += 1
        else:
            report.profiles_there += 1
    for row in rows.progress:
        found = conn.execute(
            f"SELECT item_id, {', '.join(ITEM_COLUMNS)} FROM progress WHERE profile = ? AND role = ? AND item_id = ?",
            (row.profile, row.role, row.item.item_id),
        ).fetchone()
        existing = ItemProgress(*found) if found else None
        decision = decide(existing, row.item)
        if decision == "same":
            report.items_same += 1
            continue
        if decision == "keep":
            assert existing is not None
            report.kept_newer.append(kept_line(row, existing))
            continue
        it = copied(existing, row.item)
        conn.execute(
            f"INSERT INTO progress (profile, role, item_id, {', '.join(ITEM_COLUMNS)}) "
            f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile, role, item_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in ITEM_COLUMNS),
            (
                row.profile,
                row.role,
                it.item_id,
                it.status,
                it.note,
                it.owner,
                it.due,
                it.fingerprint,
                it.changed,
                it.completed,
                it.revision,
            ),
        )
        if decision == "add":
            report.items_added += 1
        else:
            report.items_updated += 1
    there = {tuple(r) for r in conn.execute("SELECT profile, role, item_id, field, old, new, at FROM history")}
    for h in rows.history:
        key = history_key(h)
        if key in there:
            report.history_there += 1
            continue
        there.add(key)
        conn.execute(
            "INSERT INTO history (profile, role, item_id, field, old, new, at, who) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*key, h.by)
        )
        report.history_added += 1
    # key -> (row id, removed)
    attached = {
        tuple(r[:7]): (r[8], r[7])
        for r in conn.execute("SELECT profile, role, item_id, kind, target, sha256, added, removed, id FROM evidence")
    }
    for e in rows.evidence:
        ekey = evidence_key(e)
        found = attached.get(ekey)
        if found is None:
            v = e.evidence
            conn.execute(
                f"INSERT INTO evidence (profile, role, item_id, {SQLITE_EVIDENCE}) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    v.by,
                    e.removed,
                    e.removed_by,
                ),
            )
            attached[ekey] = (0, e.removed)
            report.evidence_added += 1
        elif e.removed and not found[1]:
            conn.execute("UPDATE evidence SET removed = ?, removed_by = ? WHERE id = ?", (e.removed, e.removed_by, found[0]))
            report.evidence_removed += 1
        else:
            report.evidence_there += 1
    return report
