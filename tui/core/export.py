"""Export a checklist with its progress as a Markdown report, JSON or CSV. Core: no Textual.

Everything a person typed (notes, owners, profile names) is escaped in Markdown so it
can never create a list item, heading, table cell, link or raw HTML; CSV cells that a
spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.atomic import write_atomic
from tui.core.checklist import Checklist, ChecklistItem
from tui.core.errors import Bj30Error
from tui.core.files import kind
from tui.core.markdown import escape_block, escape_inline
from tui.core.policy import Policy
from tui.core.progress import ChecklistState, ItemState, checklist_state
from tui.core.safe_text import json_text, visible
from tui.core.status import STATUS_WORD
from tui.core.store import TIMESTAMP_FORMAT, HistoryEntry, Profile, Store

FORMATS = ("md", "json", "csv")
SCHEMA = "bj30-checklist-export"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ExportInput:
    policy: Policy
    state: ChecklistState
    profile: Profile
    history: list[HistoryEntry]
    exported: dt.datetime
    store_id: str = ""  # lets an import into the same store compare revisions, not clocks


def policy_fingerprint(policy: Policy) -> str:
    """A digest of the whole text the checklist was checked against."""
    h = hashlib.sha256()
    for chunk in (policy.info.title, policy.notice.text, policy.preamble):
        h.update(chunk.encode("utf-8") + b"\x00")
    for m in policy.measures:
        h.update(f"{m.number}\x00{m.title}\x00{m.text}\x00".encode())
    return h.hexdigest()[:16]


def build_export(policy: Policy, store: Store, profile: str, checklist: Checklist,
                 when: dt.datetime | None = None) -> ExportInput:
    return ExportInput(policy, checklist_state(store, profile, checklist), store.profile(profile),
                       store.history(profile, checklist.role), when or dt.datetime.now(dt.timezone.utc),
                       store.store_id)


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


def write_export(path: Path, text: str, force: bool = False) -> None:
    """Write atomically (temp file, fsync, rename); never overwrite without `force`, never replace
    a device, FIFO or socket, never create folders."""
    problem = export_target_problem(path)
    if problem:
        raise Bj30Error(problem)
    if export_target_exists(path) and not force:
        if path.is_symlink() and not path.exists():
            raise Bj30Error(f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
                            f"add --force to replace the link")
        raise Bj30Error(f"{path} exists; add --force to overwrite it")
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise Bj30Error(f"cannot write {path}: {exc.strerror or exc}") from None


def default_export_name(role: str, profile: str, fmt: str, when: dt.date) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in profile)[:40] or "profile"
    return f"bj30-{role}-{safe}-{when.isoformat()}.{fmt}"


def render(data: ExportInput, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(data)
    if fmt == "json":
        return json_text(to_json(data)) + "\n"
    if fmt == "csv":
        return to_csv(data)
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def format_for_path(path: str, default: str = "md") -> str:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"md": "md", "markdown": "md", "json": "json", "csv": "csv"}.get(suffix, default)


# JSON -------------------------------------------------------------------------------


def item_facts(it: ChecklistItem) -> list[tuple[str, str]]:
    """What an officer needs beside the statement, as (label, text): the same words everywhere."""
    facts = [("Evidence", it.evidence), ("Usually owned by", it.owner_hint),
             ("Departments named", "; ".join(it.departments)), ("Provisions", ", ".join(it.provisions))]
    return [(label, value) for label, value in facts if value]


def item_json(s: ItemState) -> dict[str, Any]:
    """An item with its progress, as JSON: the export's items and `bj30 checklist --format json`."""
    it, p = s.item, s.progress
    return {"id": it.id, "text": it.text, "measures": list(it.measures), "quote": it.quote,
            "guidance": it.guidance, "category": it.category, "categories": list(it.categories),
            "provisions": list(it.provisions), "evidence": it.evidence, "owner_hint": it.owner_hint,
            "departments": list(it.departments), "status": p.status, "note": p.note, "owner": p.owner,
            "due": p.due, "changed": p.changed, "completed": p.completed, "fingerprint": it.fingerprint,
            "marked_fingerprint": p.fingerprint, "needs_review": s.needs_review, "revision": p.revision}


def to_json(data: ExportInput) -> dict[str, Any]:
    state, info, counts = data.state, data.policy.info, data.state.counts
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported": data.exported.strftime(TIMESTAMP_FORMAT),
        "bj30_version": __version__,
        "store_id": data.store_id,
        "policy": {"short_title": info.short_title, "title": info.title, "issuer": info.issuer,
                   "date_issued": info.date_issued.isoformat(), "content_version": info.content_version,
                   "text_fingerprint": policy_fingerprint(data.policy)},
        "profile": {"name": data.profile.name, "institution": data.profile.institution,
                    "department": data.profile.department},
        "checklist": {"role": state.checklist.role, "title": state.checklist.title, "source": state.checklist.source},
        "summary": counts.as_dict(),
        "items": [item_json(s) for s in state.items],
        "orphans": [{"id": o.item_id, "status": o.status, "note": o.note, "owner": o.owner, "due": o.due,
                     "changed": o.changed, "completed": o.completed, "marked_fingerprint": o.fingerprint,
                     "revision": o.revision} for o in state.orphans],
        "history": [{"item_id": h.item_id, "field": h.field, "old": h.old, "new": h.new, "at": h.at}
                    for h in data.history],
    }


# CSV --------------------------------------------------------------------------------

CSV_COLUMNS = ["id", "measures", "status", "note", "owner", "due", "completed", "changed", "needs_review",
               "category", "text", "quote", "evidence", "owner_hint", "departments", "provisions"]


def _cell(value: str) -> str:
    # Control characters shown, not sent (a CSV file is often read with cat); newlines stay.
    value = visible(value)
    # A cell starting with = + - @ (or a tab) runs as a formula in spreadsheets: keep it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t") else value


def to_csv(data: ExportInput) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in data.state.items:
        it, p = s.item, s.progress
        writer.writerow([_cell(v) for v in (
            it.id, " ".join(str(n) for n in it.measures), p.status, p.note, p.owner, p.due, p.completed,
            p.changed, "yes" if s.needs_review else "", it.category, it.text, it.quote, it.evidence, it.owner_hint,
            "; ".join(it.departments), " ".join(it.provisions))])
    return out.getvalue()


# Markdown ---------------------------------------------------------------------------


def _when(stamp: str) -> str:
    """A stored time for people: to the second ("2026-11-26 12:00:00 UTC"); the JSON keeps it all."""
    if not stamp:
        return ""
    return stamp[:19].replace("T", " ") + (" UTC" if stamp.endswith("Z") else "")


def _task_line(s: ItemState) -> list[str]:
    it, p = s.item, s.progress
    box = "[x]" if p.status == "done" else "[ ]"
    word = {"doing": " *(doing)*", "na": " *(N/A)*", "todo": "", "done": ""}[p.status]
    review = " **(review)**" if s.needs_review else ""
    lines = [f"- {box} **{escape_inline(it.id)}**{word}{review} {escape_inline(it.text)}"]
    facts = []
    if p.completed and p.status == "done":
        facts.append(f"Completed: {escape_inline(_when(p.completed))}")
    if p.owner:
        facts.append(f"Owner: {escape_inline(p.owner)}")
    if p.due:
        facts.append(f"Due: {escape_inline(p.due)}")
    if facts:
        lines.append("  - " + " · ".join(facts))
    lines += [f"  - {label}: {escape_inline(value)}" for label, value in item_facts(it)]
    note_lines = [line for line in escape_block(p.note) if line]
    if note_lines:
        label = "Reason (N/A)" if p.status == "na" else "Note"
        # A trailing backslash is a hard line break: the note keeps its lines, and each
        # line is escaped, so none of them can start a list, heading or quote.
        lines.append(f"  - {label}: " + "\\\n    ".join(note_lines))
    cited = ", ".join(str(n) for n in it.measures)
    lines.append("")
    lines.append(f"  > “{escape_inline(it.quote)}” — Measure {cited}")
    lines.append("")
    return lines


def to_markdown(data: ExportInput) -> str:
    policy, state, profile = data.policy, data.state, data.profile
    info, c, counts = policy.info, data.state.checklist, data.state.counts
    out = [
        f"# {escape_inline(c.title)}: compliance with {escape_inline(info.short_title)}",
        "",
        f"- **Institution:** {escape_inline(profile.label(', '))}",
        f"- **Profile:** {escape_inline(profile.name)}",
        f"- **Checklist:** {escape_inline(c.role)} ({'built-in' if c.is_builtin else 'user checklist'})",
        f"- **Exported:** {data.exported.strftime('%Y-%m-%d %H:%M')} UTC by bj30 {escape_inline(__version__)}",
        f"- **Policy:** {escape_inline(info.title)}, {escape_inline(info.issuer)}, "
        f"{info.date_issued.isoformat()}",
        f"- **Content version:** {escape_inline(info.content_version)} · text fingerprint "
        f"`{policy_fingerprint(policy)}`",
        "",
        "## Summary",
        "",
        "| Status | Items |",
        "| --- | --- |",
        f"| Done | {counts.done} of {counts.applicable} applicable ({counts.percent}%) |",
        f"| Doing | {counts.doing} |",
        f"| To do | {counts.todo} |",
        f"| N/A | {counts.na} |",
        "",
    ]
    review = state.needing_review
    if review:
        out += ["## Flagged for review", "",
                "The quote or the measure's text changed after these items were marked:", ""]
        out += [f"- **{escape_inline(s.item.id)}** {escape_inline(s.item.text)}" for s in review]
        out.append("")
    out += ["## Items", ""]
    last_part = None
    for number, states in state.by_measure().items():
        m = policy.measure(number)
        if m.part != last_part:
            last_part = m.part
            out += [f"### Part {escape_inline(policy.part_of(m).label)}", ""]
        out += [f"#### Measure {m.number}\\. {escape_inline(m.title)}", ""]
        for s in states:
            out += _task_line(s)
    if state.orphans:
        out += ["## Progress kept for retired items", "",
                "These ids are no longer in the checklist; their progress is kept, not dropped.", ""]
        out += [f"- **{escape_inline(o.item_id)}**: {STATUS_WORD[o.status]}"
                + (f" · {escape_inline(o.note)}" if o.note else "") for o in state.orphans]
        out.append("")
    out += ["## Appendix: history of changes", ""]
    if data.history:
        out += ["| When | Item | Field | Old | New |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {escape_inline(_when(h.at))} | {escape_inline(h.item_id)} | {escape_inline(h.field)} | "
                f"{escape_inline(h.old) or '—'} | {escape_inline(h.new) or '—'} |" for h in data.history]
    else:
        out.append("No changes recorded.")
    out += ["", "## Sign-off", "", "| | |", "| --- | --- |", "| Name | |", "| Role | |", "| Date | |",
            "| Signature | |", ""]
    return "\n".join(out)
