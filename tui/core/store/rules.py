"""What a change, a restore, an import and a copy decide: written once, for every backend.

A backend gives the primitives (`Tx`, sql.SqlTx: the reads and writes inside one write
transaction, each backend in its dialect); the flows below decide with them: valid
values, N/A needs a reason, history rows, conflicts, times that never go backwards, what a restore
and a copy keep, evidence numbering, which profiles may go. One test suite runs them against both
backends (tests/test_store.py). Core: no Textual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from tui.core.progress.evidence import Evidence, history_text
from tui.core.progress.status import STATUSES
from tui.core.store.copy import CopyReport, EvidenceKey, EvidenceRow, HistoryKey, HistoryRow, ProgressRow, StoreRows
from tui.core.store.model import (
    DEFAULT_PROFILE,
    FIELDS,
    MAX_NOTE_CHARS,
    MAX_PROFILE_NAME,
    STAMP,
    Conflict,
    HistoryEntry,
    ItemProgress,
    Profile,
    StoreError,
    check_due,
    check_text,
    one_line,
    parse_stamp,
)
from tui.core.store.sql import SqlTx as Tx

IMPORTED = "imported from an export"  # the origin of history and evidence an import adds


# Checks, before any transaction -----------------------------------------------------------


def check_values(status: str | None, note: str | None, owner: str | None, due: str | None) -> tuple[str | None, str | None]:
    """Refuse a bad value before any transaction; returns the owner and due date as stored."""
    if status is not None and status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise StoreError(f"note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
    if note is not None:
        check_text(note, "note")
    if owner is not None:
        owner = one_line(owner, "owner")
    if due is not None:
        due = check_due(due)
    return owner, due


def check_profile_name(name: str) -> str:
    name = check_text(name, "profile name").strip()
    if not name or len(name) > MAX_PROFILE_NAME or any(ch in name for ch in "\n\r\t"):
        raise StoreError(f"a profile name is 1-{MAX_PROFILE_NAME} characters on one line")
    return name


def check_deletable(name: str) -> None:
    if name == DEFAULT_PROFILE:
        raise StoreError(
            f"the {DEFAULT_PROFILE!r} profile cannot be deleted; rename it first to keep its progress under another name"
        )


# A change ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a change does: the new state, and the history rows (field, old, new) it writes."""

    new: ItemProgress
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    write: bool = True  # False: nothing to store (the item is already so)

    def history(self, profile: str, role: str, at: str, by: str) -> list[HistoryRow]:
        return [HistoryRow(profile, role, self.new.item_id, f, o, n, at, by) for f, o, n in self.changes]


def plan_update(
    old: ItemProgress, *, fingerprint: str, stamp: str, status: str | None, note: str | None, owner: str | None, due: str | None
) -> Plan:
    """The new state of an item (values already checked by check_values) and its history rows.

    N/A needs a reason; completion keeps its first time; marking again after the quote's text
    changed puts the review on record; each change adds one to the item's revision; an item's
    times never go backwards (`stamp`, the clock's time, if it is after the last change, else
    just after that)."""
    new_status = old.status if status is None else status
    new_note = old.note if note is None else note
    if new_status == "na" and not new_note.strip():
        raise StoreError(f"{old.item_id}: N/A needs a reason: say in the note why the item does not apply")
    stamp = stamp_after(old.changed, stamp)
    new = ItemProgress(
        old.item_id,
        new_status,
        new_note,
        old.owner if owner is None else owner,
        old.due if due is None else due,
        fingerprint if status is not None else (old.fingerprint or fingerprint),
        stamp,
        (old.completed or stamp) if new_status == "done" else "",
        old.revision + 1,
    )
    changes = _changed(old, new)
    if old.fingerprint and new.fingerprint != old.fingerprint:
        changes.append(("reviewed", old.fingerprint, new.fingerprint))
    return Plan(new, changes, write=bool(changes) or new.fingerprint != old.fingerprint)


def plan_restore(old: ItemProgress, theirs: ItemProgress, now: str) -> Plan:
    """An imported state written over the stored one (the importer decided it is newer): the
    revision goes up by one; the change time is the file's, unless that is not after the stored
    one (a store restored from an older backup): then just after it."""
    stamp = theirs.changed if theirs.changed > old.changed else stamp_after(old.changed, now)
    completed = (theirs.completed or old.completed or stamp) if theirs.status == "done" else ""
    new = replace(theirs, changed=stamp, completed=completed, revision=old.revision + 1)
    return Plan(new, _changed(old, new))


def _changed(old: ItemProgress, new: ItemProgress) -> list[tuple[str, str, str]]:
    return [(f, getattr(old, f), getattr(new, f)) for f in FIELDS if getattr(old, f) != getattr(new, f)]


def stamp_after(previous: str, stamp: str) -> str:
    """`stamp`, or just after `previous` if the clock went back (or two changes fell in one tick)."""
    before = parse_stamp(previous) if previous else None
    if before is not None and stamp <= before.strftime(STAMP):
        return (before + dt.timedelta(microseconds=1)).strftime(STAMP)
    return stamp


def conflicting(old: ItemProgress, expect: Mapping[str, str] | None, wanted: Mapping[str, str | None]) -> list[str]:
    """The fields this save would overwrite although someone changed them since the editor
    read them: stored != what the editor started from, and stored != what it now saves."""
    if not expect:
        return []
    return [
        f
        for f, base in expect.items()
        if f in FIELDS and wanted.get(f) is not None and getattr(old, f) != base and getattr(old, f) != wanted[f]
    ]


def conflict(old: ItemProgress, fields: Sequence[str], by: str, at: str, now: dt.datetime | None = None) -> Conflict:
    """The Conflict for a refused save: "changed by wangli 5 s ago: reload"."""
    who = f"by {by}" if by else "in another bj30"
    return Conflict(f"{' and '.join(fields)} changed {who} {ago(at, now)}: reload", old)


def ago(stamp: str, now: dt.datetime | None = None) -> str:
    """'5 s ago' without the 'ago': how long since a stored UTC time, in the largest sensible unit."""
    try:
        then = dt.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return "recently"
    seconds = max(0, int(((now or dt.datetime.now(dt.timezone.utc)) - then).total_seconds()))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"


# The flows, over a backend's transaction ----------------------------------------------------


def update(
    tx: Tx,
    profile: str,
    role: str,
    item_id: str,
    *,
    fingerprint: str,
    values: Mapping[str, str | None],
    by: str,
    expect: Mapping[str, str] | None,
) -> ItemProgress:
    """A change to an item (values checked by check_values): the item's lock first, then the read
    the decision rests on, so that two changes to one item are applied one after the other."""
    stamp = tx.lock_item(profile, role, item_id)
    old = tx.item_for_change(profile, role, item_id)
    clash = conflicting(old, expect, values)
    if clash:
        who, at = tx.last_change(profile, role, item_id, clash)
        raise conflict(old, clash, who, at)
    plan = plan_update(
        old,
        fingerprint=fingerprint,
        stamp=stamp,
        status=values["status"],
        note=values["note"],
        owner=values["owner"],
        due=values["due"],
    )
    if not plan.write:
        return old
    tx.write(profile, role, plan.new, plan.history(profile, role, plan.new.changed, by))
    return plan.new


def restore(tx: Tx, profile: str, role: str, theirs: ItemProgress, by: str) -> ItemProgress:
    now = tx.lock_item(profile, role, theirs.item_id)
    plan = plan_restore(tx.item_for_change(profile, role, theirs.item_id), theirs, now)
    tx.write(profile, role, plan.new, plan.history(profile, role, now, by))
    return plan.new


def add_history(tx: Tx, profile: str, role: str, entries: Sequence[HistoryEntry]) -> tuple[int, int]:
    """Imported history entries the store lacks, added with their own times: (added, already there)."""
    there = tx.history_keys(profile, role)
    fresh: list[HistoryRow] = []
    for h in entries:
        row = HistoryRow(profile, role, h.item_id, h.field, h.old, h.new, h.at, h.by)
        if history_key(row) not in there:
            there.add(history_key(row))
            fresh.append(row)
    tx.add_history(fresh, IMPORTED)
    return len(fresh), len(entries) - len(fresh)


def add_evidence(tx: Tx, profile: str, role: str, item_id: str, e: Evidence, by: str, at: str | None, record: bool) -> Evidence:
    """Attach `e`; the history records it (unless not `record`: an import brings that entry along).
    `at`: when it was attached, from an import (then it says it was imported, and who it names)."""
    tx.require_profile(profile)
    stored = tx.add_evidence(profile, role, item_id, replace(e, added=at or "", by=by), IMPORTED if at else "")
    if record:
        tx.add_history([HistoryRow(profile, role, item_id, "evidence+", "", history_text(e), stored.added, by)], "")
    return stored


def remove_evidence(tx: Tx, profile: str, role: str, item_id: str, number: int, by: str) -> Evidence:
    """Mark an item's evidence number `number` removed (1 = the first attached of those still
    there); never deleted. The history records it."""
    now = tx.lock_item(profile, role, item_id)
    attached = tx.attached(profile, role, item_id)
    if not 1 <= number <= len(attached):
        have = f"1-{len(attached)}" if attached else "none"
        raise StoreError(f"{item_id} has no evidence {number}; its evidence is numbered: {have}")
    e = attached[number - 1]
    tx.mark_removed(e.id, now, by)
    tx.add_history([HistoryRow(profile, role, item_id, "evidence-", history_text(e), "", now, by)], "")
    return e


def rename_profile(tx: Tx, old: str, new: str) -> Profile:
    profile = tx.require_profile(old)
    if tx.has_profile(new):
        raise StoreError(f"profile {new!r} already exists")
    tx.rename_profile(old, new)
    return replace(profile, name=new)


def delete_profile(tx: Tx, name: str, keeps_history: bool) -> None:
    """Delete a profile and what is recorded under it (the caller has made sure nothing is lost).
    A store that keeps history forever (a team store) refuses a profile holding any."""
    check_deletable(name)
    tx.require_profile(name)
    if keeps_history and tx.holds_progress(name):
        raise StoreError(
            f"profile {name!r} holds progress, history or evidence, and a team store never "
            f"deletes history: it is kept (its owner may rename it)"
        )
    tx.delete_profile(name, everything=not keeps_history)


# A copy (bj30 store copy) -------------------------------------------------------------------

Decision = Literal["add", "update", "same", "keep"]


def decide(existing: ItemProgress | None, incoming: ItemProgress) -> Decision:
    """What a copy does with one item: add it, update the target's, leave it (the same), or keep
    the target's because it changed later than the source's."""
    if existing is None:
        return "add"
    if all(getattr(existing, c) == getattr(incoming, c) for c in (*FIELDS, "fingerprint")):
        return "same"
    return "update" if existing.changed < incoming.changed else "keep"


def copied(existing: ItemProgress | None, incoming: ItemProgress) -> ItemProgress:
    """The item as a copy writes it: the source's state; the target's revision counts one more
    change (a new item keeps the source's count)."""
    return replace(incoming, revision=existing.revision + 1 if existing is not None else max(incoming.revision, 1))


def kept_line(row: ProgressRow, existing: ItemProgress) -> str:
    return (
        f"{row.profile}/{row.role}/{row.item.item_id}: the target changed it at {existing.changed}, "
        f"after the source ({row.item.changed or 'no time'}); kept the target's"
    )


def history_key(h: HistoryRow) -> HistoryKey:
    """History entries are the same one when they say the same change at the same time."""
    return (h.profile, h.role, h.item_id, h.field, h.old, h.new, h.at)


def evidence_key(e: EvidenceRow) -> EvidenceKey:
    """A record is the same one when attached to the same item, the same target and digest, at the same time."""
    v = e.evidence
    return (e.profile, e.role, e.item_id, v.kind, v.target, v.sha256, v.added)


def merge(tx: Tx, rows: StoreRows, source: str) -> CopyReport:
    """Add what `rows` has and the target lacks: profiles, items (an item the target changed later
    is kept and reported), history (appended, never changed) and evidence (a record removed in
    the source is marked removed here too). Run twice, it adds nothing the second time."""
    report = CopyReport()
    origin = f"copied from {source}"
    for p in rows.profiles:
        if tx.add_profile(p.profile.name, p.profile.institution, p.profile.department, p.created):
            report.profiles_added += 1
        else:
            report.profiles_there += 1
    for row in rows.progress:
        tx.lock_item(row.profile, row.role, row.item.item_id)
        existing = tx.stored_item(row.profile, row.role, row.item.item_id)
        decision = decide(existing, row.item)
        if decision == "same":
            report.items_same += 1
        elif decision == "keep":
            assert existing is not None
            report.kept_newer.append(kept_line(row, existing))
        else:
            tx.write(row.profile, row.role, copied(existing, row.item), [])
            report.items_added += decision == "add"
            report.items_updated += decision == "update"
    there = tx.history_keys()
    fresh: list[HistoryRow] = []
    for h in rows.history:
        if history_key(h) in there:
            report.history_there += 1
        else:
            there.add(history_key(h))
            fresh.append(h)
    tx.add_history(fresh, origin)
    report.history_added = len(fresh)
    attached = tx.evidence_index()
    for e in rows.evidence:
        key = evidence_key(e)
        found = attached.get(key)
        if found is None:
            tx.add_evidence(e.profile, e.role, e.item_id, e.evidence, origin, e.removed, e.removed_by)
            attached[key] = (0, e.removed)
            report.evidence_added += 1
        elif e.removed and not found[1]:
            tx.mark_removed(found[0], e.removed, e.removed_by)
            report.evidence_removed += 1
        else:
            report.evidence_there += 1
    return report
