"""Restore progress from a JSON export. Core: no Textual.

All or nothing, and never over a newer change:

1. Every entry of the file is checked first (ids, statuses, text, dates, times, history).
   Any problem refuses the whole import (ImportRefused lists them all); nothing is written.
2. Then one write transaction (BEGIN IMMEDIATE, so no other bj30 can change an item between
   the comparison and the write) compares each item with the store and writes the file's
   state where the file is newer. "Newer": for a file exported from this same store, a
   higher revision than the store's; otherwise a later change time, to the microsecond.
   On a tie the store's state is kept.
3. Progress for ids the checklist does not have (the file's orphans, and items of another
   version of the checklist) is restored as retired progress, which bj30 keeps and reports.
   History entries the store does not already have are added.

The report says what was restored, what was already so, what was kept and why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.content.checklist import Checklist
from tui.core.content.ids import item_id_problem
from tui.core.errors import Bj30Error
from tui.core.files.read import parse_json, read_text
from tui.core.progress.evidence import KINDS as EVIDENCE_KINDS
from tui.core.progress.evidence import MAX_EVIDENCE_NOTE, MAX_TARGET, Evidence
from tui.core.progress.status import STATUSES
from tui.core.store.api import ProgressStore
from tui.core.store.model import (
    BUNDLE_SCHEMA,
    MAX_FIELD_CHARS,
    MAX_NOTE_CHARS,
    SCHEMA,
    SCHEMA_VERSION,
    STAMP,
    HistoryEntry,
    ItemProgress,
    StoreError,
    check_due,
    parse_stamp,
)
from tui.core.text.safe_text import text_problem, visible

FIELDS = ("status", "note", "owner", "due")
HISTORY_FIELDS = {"status", "note", "owner", "due", "reviewed", "evidence+", "evidence-"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
FINGERPRINT = re.compile(r"^[0-9a-f]{0,64}$")
# A time more than a day ahead of this clock is not a real change time ("9999-12-31..." would
# otherwise beat every change ever made in the store).
FUTURE_SLACK = dt.timedelta(days=1)


class ImportRefused(Bj30Error):
    """The file has problems; nothing was imported. `problems`: one line each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: nothing imported: {len(problems)} problem{'s' if len(problems) != 1 else ''}")


@dataclass
class ImportReport:
    applied: list[str] = field(default_factory=list)  # "id: status todo -> done, note"
    unchanged: list[str] = field(default_factory=list)  # ids already as in the file
    kept_newer: list[str] = field(default_factory=list)  # "id: why the store's state was kept"
    retired: list[str] = field(default_factory=list)  # "id: ..." progress for ids not in the checklist
    history_added: int = 0
    history_present: int = 0
    evidence_added: int = 0  # evidence the store did not have (or had removed: then not added)


@dataclass(frozen=True)
class _Entry:
    progress: ItemProgress  # the file's state (revision: the file's, 0 if none)
    in_checklist: bool
    evidence: tuple[Evidence, ...]
    where: str


def read_export(path: Path) -> list[dict[str, Any]]:
    """The exports a JSON file holds: one role's, or each role's of a several-role export."""
    try:
        data = parse_json(read_text(path))
    except ValueError as exc:
        raise Bj30Error(f"{path}: {exc}") from None
    if isinstance(data, dict) and data.get("schema") == BUNDLE_SCHEMA:
        exports = data.get("exports")
        if not isinstance(exports, list) or not exports:
            raise Bj30Error(f"{path}: exports: expected a list of checklist exports")
        return [_check_export(f"{path}: exports[{i}]", e) for i, e in enumerate(exports)]
    return [_check_export(str(path), data)]


def _check_export(where: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise Bj30Error(f"{where}: not a bj30 checklist export (schema should be {SCHEMA!r})")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
        shown = visible(repr(version)[:40], one_line=True)
        raise Bj30Error(f"{where}: schema_version {shown} is not one this bj30 reads (1-{SCHEMA_VERSION})")
    checklist = data.get("checklist")
    if not isinstance(checklist, dict) or not isinstance(checklist.get("role"), str):
        raise Bj30Error(f"{where}: checklist.role: missing")
    if not isinstance(data.get("items"), list):
        raise Bj30Error(f"{where}: items: expected a list")
    for key in ("orphans", "history"):
        if not isinstance(data.get(key, []), list):
            raise Bj30Error(f"{where}: {key}: expected a list")
    return data


# Checking every entry first ---------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(visible(f"{where}: {message}", one_line=True))


def _text(entry: dict[str, Any], key: str, where: str, problems: _Problems, *, limit: int) -> str | None:
    value = entry.get(key, "")
    if not isinstance(value, str):
        problems.add(where, f"{key}: expected a string")
        return None
    problem = text_problem(value)
    if problem:
        problems.add(where, f"{key} {problem}")
        return None
    if len(value) > limit:
        problems.add(where, f"{key} is {len(value):,} characters; the limit is {limit:,}")
        return None
    return value


def _time(entry: dict[str, Any], key: str, where: str, problems: _Problems, latest: dt.datetime) -> str | None:
    """A change time from the file, in the store's form (to the microsecond), or "" if absent."""
    value = entry.get(key, "")
    if value == "":
        return ""
    when = parse_stamp(value) if isinstance(value, str) else None
    if when is None:
        problems.add(where, f"{key} {str(value)[:40]!r} is not a time like 2026-11-26T12:00:00Z")
        return None
    if when > latest:
        problems.add(where, f"{key} {value!r} is in the future")
        return None
    return when.strftime(STAMP)


def _entry(
    raw: Any, index: int, key: str, checklist: Checklist, seen: set[str], problems: _Problems, latest: dt.datetime
) -> _Entry | None:
    where = f"{key}[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "expected an object")
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or item_id_problem(item_id) is not None:
        problems.add(where, f"id {str(item_id)[:70]!r} is not an item id")
        return None
    where = f"{where} ({item_id})"
    if item_id in seen:
        problems.add(where, "the file has this id twice")
        return None
    seen.add(item_id)
    before = len(problems.lines)
    status = raw.get("status", "todo")
    if status not in STATUSES:
        problems.add(where, f"status {str(status)[:20]!r} is not one of: {', '.join(STATUSES)}")
    note = _text(raw, "note", where, problems, limit=MAX_NOTE_CHARS)
    owner = _text(raw, "owner", where, problems, limit=MAX_FIELD_CHARS)
    due = _text(raw, "due", where, problems, limit=40)
    if due:
        try:
            due = check_due(due)
        except StoreError as exc:
            problems.add(where, str(exc))
    if status == "na" and note is not None and not note.strip():
        problems.add(where, "N/A needs a reason in the note")
    changed = _time(raw, "changed", where, problems, latest)
    completed = _time(raw, "completed", where, problems, latest)
    revision = raw.get("revision", 0)
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        problems.add(where, f"revision {str(revision)[:20]!r} is not a count")
    item = checklist.item(item_id)
    marked = raw.get("marked_fingerprint", "")
    if not (isinstance(marked, str) and FINGERPRINT.match(marked)):
        problems.add(where, "marked_fingerprint: expected a hexadecimal digest")
    if len(problems.lines) > before:
        return None
    assert note is not None and owner is not None and due is not None and changed is not None
    assert completed is not None and isinstance(revision, int) and isinstance(status, str)
    # The fingerprint the item was marked against: restoring it keeps a review flag the file had.
    evidence = _evidence(raw.get("attached_evidence", []), where, problems, latest)
    if evidence is None:
        return None
    fingerprint = marked or (item.fingerprint if item else "")
    progress = ItemProgress(
        item_id, status, note, " ".join(owner.split()), due, fingerprint, changed, completed if status == "done" else "", revision
    )
    return _Entry(progress, item is not None and key == "items", evidence, where)


def _evidence(raw: Any, where: str, problems: _Problems, latest: dt.datetime) -> tuple[Evidence, ...] | None:
    """An item's evidence in the file (schema 2): each checked like everything else."""
    if not isinstance(raw, list):
        problems.add(where, "attached_evidence: expected a list")
        return None
    out: list[Evidence] = []
    before = len(problems.lines)
    for index, e in enumerate(raw):
        at = f"{where}.attached_evidence[{index}]"
        if not isinstance(e, dict):
            problems.add(at, "expected an object")
            continue
        kind = e.get("kind")
        if kind not in EVIDENCE_KINDS:
            problems.add(at, f"kind {str(kind)[:20]!r} is not one of: {', '.join(EVIDENCE_KINDS)}")
        target = _text(e, "target", at, problems, limit=MAX_TARGET)
        note = _text(e, "note", at, problems, limit=MAX_EVIDENCE_NOTE)
        by = _text(e, "by", at, problems, limit=MAX_FIELD_CHARS)
        added = _time(e, "added", at, problems, latest)
        size = e.get("size", -1)
        sha256 = e.get("sha256", "")
        mtime = e.get("mtime", "")
        if not isinstance(size, int) or isinstance(size, bool) or size < -1:
            problems.add(at, f"size {str(size)[:20]!r} is not a number of bytes")
        if kind == "file" and not (isinstance(sha256, str) and SHA256.match(sha256)):
            problems.add(at, "sha256: expected 64 hexadecimal digits")
        if not isinstance(mtime, str) or (mtime and parse_stamp(mtime) is None):
            problems.add(at, f"mtime {str(mtime)[:30]!r} is not a time like 2026-11-26T12:00:00Z")
        if target == "":
            problems.add(at, "target: missing")
        if len(problems.lines) == before and target and note is not None and by is not None and added is not None:
            out.append(Evidence(str(kind), target, note, int(size), str(sha256), str(mtime), added, by))
    return tuple(out) if len(problems.lines) == before else None


def _history(raw: Any, index: int, problems: _Problems, latest: dt.datetime) -> HistoryEntry | None:
    where = f"history[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "expected an object")
        return None
    before = len(problems.lines)
    item_id = raw.get("item_id")
    if not isinstance(item_id, str) or item_id_problem(item_id) is not None:
        problems.add(where, f"item_id {str(item_id)[:70]!r} is not an item id")
    name = raw.get("field")
    if not isinstance(name, str) or name not in HISTORY_FIELDS:
        problems.add(where, f"field {str(name)[:20]!r} is not one of: {', '.join(sorted(HISTORY_FIELDS))}")
    old = _text(raw, "old", where, problems, limit=MAX_NOTE_CHARS)
    new = _text(raw, "new", where, problems, limit=MAX_NOTE_CHARS)
    at = _time(raw, "at", where, problems, latest)
    if at == "":
        problems.add(where, "at: missing")
    if len(problems.lines) > before:
        return None
    by = _text(raw, "by", where, problems, limit=MAX_FIELD_CHARS)
    if by is None:
        return None
    assert isinstance(item_id, str) and isinstance(name, str) and old is not None and new is not None and at
    return HistoryEntry(item_id, name, old, new, at, by)


def check_import(checklist: Checklist, data: dict[str, Any], source: str = "file") -> tuple[list[_Entry], list[HistoryEntry]]:
    """Every entry of the file, checked; ImportRefused with every problem if there is any."""
    problems = _Problems()
    latest = dt.datetime.now(dt.timezone.utc) + FUTURE_SLACK
    seen: set[str] = set()
    entries: list[_Entry] = []
    for key in ("items", "orphans"):
        for index, raw in enumerate(data.get(key, [])):
            entry = _entry(raw, index, key, checklist, seen, problems, latest)
            if entry is not None:
                entries.append(entry)
    history = [h for i, raw in enumerate(data.get("history", [])) if (h := _history(raw, i, problems, latest))]
    if problems.lines:
        raise ImportRefused(source, problems.lines)
    return entries, history


# Writing, in one transaction ---------------------------------------------------------------


def import_progress(
    store: ProgressStore, profile: str, checklist: Checklist, data: dict[str, Any], source: str = "file", by: str = ""
) -> ImportReport:
    """Restore the file's progress into `profile` (see the module's docstring); all or nothing.
    `by`: who imports; the changes the import makes are recorded as theirs."""
    entries, history = check_import(checklist, data, source)
    same_store = isinstance(data.get("store_id"), str) and data["store_id"] == store.store_id != ""
    report = ImportReport()
    role = checklist.role
    with store.batch():  # BEGIN IMMEDIATE: the comparisons below and the writes are one transaction
        store.profile(profile)  # a clear error for an unknown profile
        for entry in entries:
            _restore(store, profile, role, entry, same_store, report, by)
            for e in entry.evidence:
                # The file's history holds its "attached" entry; one removed here stays removed.
                if not store.has_evidence(profile, role, entry.progress.item_id, e):
                    store.add_evidence(profile, role, entry.progress.item_id, e, by=e.by, at=e.added, record=False)
                    report.evidence_added += 1
        report.history_added, report.history_present = store.add_history(profile, role, history)
    return report


def _restore(
    store: ProgressStore, profile: str, role: str, entry: _Entry, same_store: bool, report: ImportReport, by: str = ""
) -> None:
    theirs = entry.progress
    ours = store.item(profile, role, theirs.item_id)
    differing = [f for f in FIELDS if getattr(ours, f) != getattr(theirs, f)]
    if not differing:
        report.unchanged.append(theirs.item_id)
        return
    newer = _store_is_newer(ours, theirs, same_store)
    if newer:
        report.kept_newer.append(f"{theirs.item_id}: {newer}; kept the store's {', '.join(differing)}")
        return
    store.restore(profile, role, theirs, by=by)
    what = ", ".join(f"status {ours.status} -> {theirs.status}" if f == "status" else f for f in differing)
    if entry.in_checklist:
        report.applied.append(f"{theirs.item_id}: {what}")
    else:
        report.retired.append(f"{theirs.item_id}: {what} (not in the {role} checklist: kept as retired progress)")


def _store_is_newer(ours: ItemProgress, theirs: ItemProgress, same_store: bool) -> str | None:
    """Why the store's state wins over the file's, or None if the file's is newer."""
    if ours.revision == 0:
        return None  # the store never had this item
    if same_store and theirs.revision:
        # Exported from this store: its revisions count changes exactly, whatever the clocks did.
        if ours.revision > theirs.revision:
            return f"the store changed it (revision {ours.revision}) after the file was exported (revision {theirs.revision})"
        return None
    if not theirs.changed:
        return f"the store changed it at {ours.changed}; the file gives no time"
    stored = parse_stamp(ours.changed)
    if stored is None or stored >= dt.datetime.strptime(theirs.changed, STAMP).replace(tzinfo=dt.timezone.utc):
        return f"the store changed it at {ours.changed}, not before the file ({theirs.changed})"
    return None
