"""Export checklists with their progress: a Markdown report, JSON, CSV or an Excel workbook. Core: no Textual.

One export covers one role or several (an institution that is two at once, a university
hospital, reports on both in one file). The format comes from `--format` when given, else
from the file's extension; an extension bj30 does not write is refused, naming the formats,
so that `-o report.pdf` never quietly holds Markdown.

Everything a person typed (notes, owners, profile names) is escaped in Markdown so it can never
create a list item, heading, table cell, link or raw HTML (report.py); CSV and xlsx cells that a
spreadsheet would run as a formula are defused.

The rooms of an export: rows.py (what goes in: sections, JSON, CSV, the file written),
report.py (Markdown), xlsx.py (the workbook), render.py (the bytes of a file in a format: the
one module that knows all three, so that none of them imports another's user).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.content.checklist import Checklist, ChecklistItem
from tui.core.content.policy import Policy
from tui.core.content.provisions import scope_text
from tui.core.errors import Bj30Error
from tui.core.files.atomic import write_atomic
from tui.core.files.read import kind
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ChecklistState, Counts, ItemState, checklist_state
from tui.core.store.api import ProgressStore
from tui.core.store.model import BUNDLE_SCHEMA, SCHEMA, SCHEMA_VERSION, TIMESTAMP_FORMAT, HistoryEntry, Profile
from tui.core.text.localtime import iso_local
from tui.core.text.safe_text import visible

FORMATS = ("md", "json", "csv", "xlsx")
# What each format is for, in the words the refusal of an unknown extension uses.
FORMAT_USES = {"md": "a report", "json": "for bj30 import", "csv": "spreadsheets", "xlsx": "Excel"}
EXTENSIONS = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
BINARY_FORMATS = frozenset({"xlsx"})


@dataclass(frozen=True)
class Section:
    """One role's checklist in an export: its items with their progress, and its history."""

    state: ChecklistState
    history: list[HistoryEntry]
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)  # item id -> attached, in order

    @property
    def checklist(self) -> Checklist:
        return self.state.checklist

    def by_of(self, item_id: str, field_name: str = "status") -> str:
        """Who made the item's last change of `field_name` ("" if not recorded)."""
        return next((h.by for h in reversed(self.history) if h.item_id == item_id and h.field == field_name), "")


@dataclass(frozen=True)
class ExportInput:
    policy: Policy
    profile: Profile
    sections: tuple[Section, ...]
    exported: dt.datetime
    store_id: str = ""  # lets an import into the same store compare revisions, not clocks

    @property
    def items(self) -> int:
        return sum(len(s.state.items) for s in self.sections)

    @property
    def counts(self) -> Counts:
        """All sections together."""
        parts = [s.state.counts for s in self.sections]
        return Counts(*(sum(getattr(c, f) for c in parts) for f in ("total", "done", "doing", "todo", "na")))


def policy_fingerprint(policy: Policy) -> str:
    """A digest of the whole text the checklist was checked against."""
    h = hashlib.sha256()
    for chunk in (policy.info.title, policy.notice.text, policy.preamble):
        h.update(chunk.encode("utf-8") + b"\x00")
    for m in policy.measures:
        h.update(f"{m.number}\x00{m.title}\x00{m.text}\x00".encode())
    return h.hexdigest()[:16]


def build_export(
    policy: Policy, store: ProgressStore, profile: str, checklists: Sequence[Checklist], when: dt.datetime | None = None
) -> ExportInput:
    if not checklists:
        raise Bj30Error("name at least one role to export")
    sections = []
    for c in checklists:
        evidence: dict[str, list[Evidence]] = {}
        for _, item_id, e in store.evidence(profile, c.role):
            evidence.setdefault(item_id, []).append(e)
        sections.append(Section(checklist_state(store, profile, c), store.history(profile, c.role), evidence))
    return ExportInput(policy, store.profile(profile), tuple(sections), when or dt.datetime.now(dt.timezone.utc), store.store_id)


# Formats and files --------------------------------------------------------------------


def formats_sentence() -> str:
    return ", ".join(f".{fmt} ({use})" for fmt, use in FORMAT_USES.items())


def format_for(path: Path | str | None, fmt: str | None = None) -> str:
    """The format to write: `fmt` when given, else the file's extension, else Markdown (no file).

    An extension that is not a format bj30 writes (.pdf, .docx, none at all) is refused with
    the formats there are: a file named report.pdf holding Markdown would not open where sent.
    """
    if fmt:
        if fmt not in FORMATS:
            raise Bj30Error(f"unknown format {fmt!r}; bj30 writes: {', '.join(FORMATS)}")
        return fmt
    if path is None:
        return "md"
    name = Path(path).name
    suffix = Path(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    what = f"{suffix} files" if suffix else "files without an extension"
    raise Bj30Error(
        f"{name}: bj30 does not write {what}; it writes {formats_sentence()}. "
        f"Name the file with one of these extensions, or choose the format with --format"
    )


def export_target_problem(path: Path) -> str | None:
    """Why `path` can never take an export, --force or not; None if it can. The CLI and the TUI
    both ask this, so they refuse the same paths with the same words."""
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    if not path.parent.is_dir():
        return f"no folder {path.parent}: create it first, or choose another place"
    try:
        mode = path.stat().st_mode  # through a symbolic link: what would be written over
    except FileNotFoundError:
        return None  # nothing there, or a dangling link (that one needs --force)
    except OSError as exc:
        return f"cannot use {path}: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return f"{path} is {kind(mode)}, not a regular file; bj30 never replaces one, with or without --force"
    return None


def export_target_exists(path: Path) -> bool:
    """Whether writing to `path` replaces something (a file, or a link, even a dangling one): needs --force."""
    return path.is_symlink() or path.exists()


def write_export(path: Path, data: bytes, force: bool = False) -> None:
    """Write atomically (temp file, fsync, rename); never overwrite without `force`, never replace
    a device, FIFO or socket, never create folders."""
    problem = export_target_problem(path)
    if problem:
        raise Bj30Error(problem)
    if export_target_exists(path) and not force:
        if path.is_symlink() and not path.exists():
            raise Bj30Error(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; add --force to replace the link"
            )
        raise Bj30Error(f"{path} exists; add --force to overwrite it")
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise Bj30Error(f"cannot write {path}: {exc.strerror or exc}") from None


def default_export_name(roles: Sequence[str], profile: str, fmt: str, when: dt.date) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in profile)[:40] or "profile"
    return f"bj30-{'+'.join(roles)}-{safe}-{when.isoformat()}.{fmt}"


# JSON -------------------------------------------------------------------------------


def item_facts(it: ChecklistItem) -> list[tuple[str, str]]:
    """What an officer needs beside the statement, as (label, text): the same words everywhere."""
    facts = [
        ("Evidence to keep", it.evidence),
        ("Usually owned by", it.owner_hint),
        ("Departments named", "; ".join(it.departments)),
        ("Provisions", ", ".join(it.provisions)),
        ("Who or when", scope_text(it.scopes)),
    ]
    return [(label, value) for label, value in facts if value]


def evidence_json(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": e.kind, "target": e.target, "note": e.note, "added": e.added, "by": e.by}
    if e.kind == "file":
        out.update({"size": e.size, "sha256": e.sha256, "mtime": e.mtime})
    return out


def item_json(s: ItemState, evidence: list[Evidence] | None = None) -> dict[str, Any]:
    """An item with its progress, as JSON: the export's items and `bj30 checklist --format json`."""
    it, p = s.item, s.progress
    return {
        "id": it.id,
        "text": it.text,
        "measures": list(it.measures),
        "quote": it.quote,
        "guidance": it.guidance,
        "category": it.category,
        "categories": list(it.categories),
        "provisions": list(it.provisions),
        "evidence": it.evidence,
        "owner_hint": it.owner_hint,
        "departments": list(it.departments),
        "scope": list(it.scopes),
        "status": p.status,
        "note": p.note,
        "owner": p.owner,
        "due": p.due,
        "changed": p.changed,
        "completed": p.completed,
        "fingerprint": it.fingerprint,
        "marked_fingerprint": p.fingerprint,
        "needs_review": s.needs_review,
        "revision": p.revision,
        "attached_evidence": [evidence_json(e) for e in evidence or []],
    }


def _profile_json(profile: Profile) -> dict[str, str]:
    return {"name": profile.name, "institution": profile.institution, "department": profile.department}


def section_json(data: ExportInput, section: Section) -> dict[str, Any]:
    """One role's export: what `bj30 import` reads."""
    state, info = section.state, data.policy.info
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported": data.exported.astimezone(dt.timezone.utc).strftime(TIMESTAMP_FORMAT),
        "bj30_version": __version__,
        "store_id": data.store_id,
        "policy": {
            "short_title": info.short_title,
            "title": info.title,
            "issuer": info.issuer,
            "date_issued": info.date_issued.isoformat(),
            "content_version": info.content_version,
            "text_fingerprint": policy_fingerprint(data.policy),
        },
        "profile": _profile_json(data.profile),
        "checklist": {"role": state.checklist.role, "title": state.checklist.title, "source": state.checklist.source},
        "summary": state.counts.as_dict(),
        "items": [item_json(s, section.evidence.get(s.item.id)) for s in state.items],
        "orphans": [
            {
                "id": o.item_id,
                "status": o.status,
                "note": o.note,
                "owner": o.owner,
                "due": o.due,
                "changed": o.changed,
                "completed": o.completed,
                "marked_fingerprint": o.fingerprint,
                "revision": o.revision,
            }
            for o in state.orphans
        ],
        "history": [
            {"item_id": h.item_id, "field": h.field, "old": h.old, "new": h.new, "at": h.at, "by": h.by} for h in section.history
        ],
    }


def to_json(data: ExportInput) -> dict[str, Any]:
    """One role: its export. Several: a bundle holding one export per role (bj30 import reads both)."""
    if len(data.sections) == 1:
        return section_json(data, data.sections[0])
    return {
        "schema": BUNDLE_SCHEMA,
        "schema_version": 1,
        "exported": data.exported.astimezone(dt.timezone.utc).strftime(TIMESTAMP_FORMAT),
        "bj30_version": __version__,
        "profile": _profile_json(data.profile),
        "summary": data.counts.as_dict(),
        "exports": [section_json(data, s) for s in data.sections],
    }


# CSV --------------------------------------------------------------------------------

CSV_COLUMNS = [
    "institution",
    "role",
    "id",
    "measures",
    "measure_title",
    "text",
    "status",
    "owner",
    "due",
    "completed",
    "changed",
    "note",
    "evidence_count",
    "evidence_first",
    "needs_review",
    "category",
    "quote",
    "evidence_to_keep",
    "owner_hint",
    "departments",
    "provisions",
    "scope",
]


def defuse(value: str) -> str:
    # Control characters shown, not sent (a CSV file is often read with cat); newlines stay.
    value = visible(value)
    # A cell starting with = + - @ (or a tab) runs as a formula in spreadsheets: keep it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t") else value


def rows(data: ExportInput) -> list[list[str]]:
    """One row per item (CSV_COLUMNS), every role of the export, in the app's order.

    Times are local with their offset (`2026-11-27T10:19:59+08:00`), as the office reads them.
    """
    from tui.core.progress.actions import in_app_order

    institution = data.profile.label(", ") if data.profile.institution else ""
    out: list[list[str]] = []
    for section in data.sections:
        role = section.checklist.role
        for s in in_app_order(section.state):
            it, p = s.item, s.progress
            attached = section.evidence.get(it.id, [])
            out.append(
                [
                    institution,
                    role,
                    it.id,
                    " ".join(str(n) for n in it.measures),
                    data.policy.measure(it.measure).title,
                    it.text,
                    p.status,
                    p.owner,
                    p.due,
                    iso_local(p.completed) if p.completed else "",
                    iso_local(p.changed) if p.changed else "",
                    p.note,
                    str(len(attached)),
                    attached[0].target if attached else "",
                    "yes" if s.needs_review else "",
                    it.category,
                    it.quote,
                    it.evidence,
                    it.owner_hint,
                    "; ".join(it.departments),
                    " ".join(it.provisions),
                    scope_text(it.scopes),
                ]
            )
    return out


def to_csv(data: ExportInput) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([defuse(v) for v in row] for row in rows(data))
    return out.getvalue()
