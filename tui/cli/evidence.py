"""`bj30 evidence add|list|remove|check`: what shows an item is done. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import print_json, profile_heading, workbench
from tui.core.export.rows import evidence_json as export_evidence_json
from tui.core.progress.evidence import Evidence
from tui.core.text.localtime import format_stamp
from tui.core.text.textout import emit, width_for, wrap


def evidence_json(e: Evidence, number: int | None = None) -> dict[str, object]:
    """As the JSON export has it (export.evidence_json), with its number among the item's."""
    return ({} if number is None else {"n": number}) | export_evidence_json(e)


def evidence_lines(e: Evidence, number: int, width: int | None, indent: str = "    ") -> list[str]:
    who = f" by {e.by}" if e.by else ""
    lines = [wrap(f"{number}. {e.kind}: {e.target}", width, indent=indent)]
    details = [e.facts()] if e.kind == "file" else []
    details.append(f"attached {format_stamp(e.added)}{who}" if e.added else "")
    lines += [wrap(d, width, indent=indent + "   ") for d in details if d]
    if e.note:
        lines.append(wrap(f"Note: {' '.join(e.note.split())}", width, indent=indent + "   "))
    return lines


def cmd_evidence_add(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        item = wb.item(args.role, args.item)
        e, number = wb.add_evidence(args.role, item, args.target, note=args.note, kind=args.kind)
    facts = f" ({e.facts()})" if e.kind == "file" else ""
    print(f"{args.role} {item.id}: evidence {number} attached: {e.kind} {e.target}{facts}")
    return 0


def cmd_evidence_list(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        profile = wb.check_profile()
        checklist = wb.checklist(args.role)
        if args.item is not None:
            wb.item(args.role, args.item)
        found = wb.evidence(checklist.role, args.item)
    if args.format == "json":
        print_json(
            [
                {"role": checklist.role, "item": item_id, "evidence": [evidence_json(e, n) for n, e in enumerate(items, start=1)]}
                for item_id, items in found.items()
            ]
        )
        return 0
    width = width_for(sys.stdout)
    lines = [wrap(f"{profile_heading(profile)} · evidence in {checklist.role}", width)]
    if not found:
        lines.append("No evidence attached" + (f" to {args.item}." if args.item else " yet."))
    for item_id, items in found.items():
        lines.append(f"{item_id}")
        for n, e in enumerate(items, start=1):
            lines += evidence_lines(e, n, width)
    emit("\n".join(lines))
    return 0


def cmd_evidence_remove(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        item = wb.item(args.role, args.item)
        e = wb.remove_evidence(args.role, item, args.number)
    print(f"{args.role} {item.id}: evidence {args.number} removed: {e.kind} {e.target} (kept in the history)")
    return 0


def cmd_evidence_check(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        profile = wb.check_profile()
        results = wb.check_evidence(args.role)
    files = [r for r in results if r.check.state != "not a file"]
    bad = [r for r in files if r.check.state in ("changed", "missing", "unreadable")]
    if args.format == "json":
        print_json(
            [
                {
                    "role": r.role,
                    "item": r.item_id,
                    "n": r.number,
                    **evidence_json(r.check.evidence),
                    "state": r.check.state,
                    "detail": r.check.detail,
                }
                for r in files
            ]
        )
        return 1 if bad else 0
    width = width_for(sys.stdout)
    files_checked = f"{len(files)} attached {'file' if len(files) == 1 else 'files'} checked"
    lines = [wrap(f"{profile_heading(profile)} · {files_checked}: {len(bad)} changed or missing", width)]
    for r in files:
        if r.check.state == "ok" and not r.check.detail:
            continue
        lines.append(wrap(f"{r.check.state.upper()}: {r.role} {r.item_id} evidence {r.number}: {r.check.detail}", width))
    emit("\n".join(lines))
    return 1 if bad else 0
