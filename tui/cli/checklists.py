"""Checklist commands: checklists, checklist, mark, validate. Core only: no Textual import."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from tui.cli.common import print_json, profile_heading, workbench
from tui.core.content.checklist_loader import loader_verdict, validate_file
from tui.core.content.provisions import load_register
from tui.core.content.readings import user_reading_warnings
from tui.core.errors import Bj30Error
from tui.core.export.rows import item_facts, item_json
from tui.core.progress.actions import is_overdue
from tui.core.progress.state import ChecklistState, ItemState
from tui.core.progress.status import STATUS_BOX, STATUS_WORD
from tui.core.store.model import DEFAULT_PROFILE, ProgressHidden
from tui.core.text import localtime
from tui.core.text.safe_text import visible
from tui.core.text.textout import bold, emit, warn, width_for, wrap


def cmd_checklists(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        profile = wb.check_profile()
        try:
            states: list[ChecklistState] | None = wb.states()
        except ProgressHidden as exc:
            # A store from a newer bj30: list the checklists, but never a misleading "0 done".
            states, hidden = None, str(exc)
            wb.warn(hidden)
        checklists = wb.catalog.checklists
    if args.format == "json":
        if states is None:
            print_json(
                [
                    {
                        "role": c.role,
                        "title": c.title,
                        "audience": c.audience,
                        "items": len(c.items),
                        "source": c.source,
                        "done": None,
                        "applicable": None,
                        "doing": None,
                        "na": None,
                        "percent": None,
                        "progress_unavailable": hidden,
                    }
                    for c in checklists
                ]
            )
            return 0
        print_json(
            [
                {
                    "role": st.checklist.role,
                    "title": st.checklist.title,
                    "audience": st.checklist.audience,
                    "items": len(st.checklist.items),
                    "source": st.checklist.source,
                    "done": st.counts.done,
                    "applicable": st.counts.applicable,
                    "doing": st.counts.doing,
                    "na": st.counts.na,
                    "percent": st.counts.percent,
                }
                for st in states
            ]
        )
        return 0
    width = width_for(sys.stdout)
    lines = [wrap(profile_heading(profile), width)]
    for i, c in enumerate(checklists):
        origin = "" if c.is_builtin else f"  [{c.source}]"
        if states is None:
            done = f"{'?':>3}/{len(c.items):<3} done  "
        else:
            counts = states[i].counts
            done = f"{counts.done:>3}/{counts.applicable:<3} done  "
        lines.append(bold(f"{c.role:<22}", sys.stdout) + done + visible(f"{c.title}{origin}", one_line=True))
    if width:
        lines.append("")
        lines.append(wrap("Open one with: bj30 checklist ROLE", width))
    emit("\n".join(lines))
    return 0


def cmd_checklist(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        checklist = wb.checklist(args.role)
        profile = wb.check_profile()
        state = wb.state(checklist.role)
    for orphan in state.orphans:
        warn(f"{checklist.role}: progress for {orphan.item_id!r}, which the checklist no longer has, is kept ({orphan.status})")
    if args.format == "json":
        print_json(
            {
                "role": checklist.role,
                "title": checklist.title,
                "audience": checklist.audience,
                "description": checklist.description,
                "source": checklist.source,
                "profile": profile.name,
                "summary": state.counts.as_dict(),
                "items": [item_json(s) for s in state.items],
                "orphans": [{"id": o.item_id, "status": o.status, "note": o.note} for o in state.orphans],
            }
        )
        return 0
    width = width_for(sys.stdout)
    lines = [
        bold(checklist.title, sys.stdout),
        wrap(checklist.description, width),
        wrap(f"{profile_heading(profile)}: {state.counts.summary}", width),
        "",
    ]
    today = localtime.today()
    last_part = None
    for number, states in state.by_measure().items():  # the app's order: part, then measure
        m = wb.policy.measure(number)
        if m.part != last_part:
            last_part = m.part
            lines += [bold(wrap(f"Part {wb.policy.part_of(m).label}", width), sys.stdout), ""]
        lines += [wrap(f"Measure {m.number}. {m.title}", width), ""]
        for s in states:
            lines += _item_lines(s, width, today) + [""]
    emit("\n".join(lines).rstrip("\n"))
    return 0


def _item_lines(s: ItemState, width: int | None, today: dt.date) -> list[str]:
    """An item as the detail pane shows it: status, owner, due and note before the quote."""
    it, p = s.item, s.progress
    cited = ", ".join(str(n) for n in it.measures)
    flag = "  (review: the text changed since it was marked)" if s.needs_review else ""
    lines = [
        f"{STATUS_BOX[p.status]} " + bold(it.id, sys.stdout) + f"  (measure {cited}){flag}",
        wrap(it.text, width, indent="    "),
    ]
    facts = [f"Status: {STATUS_WORD[p.status]}"]
    if p.status == "done" and p.completed:
        facts.append(f"completed {localtime.local_date(p.completed)}")
    if p.owner:
        facts.append(f"owner {p.owner}")
    if p.due:
        late = p.status in ("todo", "doing") and is_overdue(p.due, today)
        facts.append(f"due {p.due}" + (" (overdue)" if late else ""))
    lines.append(wrap(" · ".join(facts), width, indent="    "))
    if p.note:
        label = "Reason (N/A)" if p.status == "na" else "Note"
        lines.append(wrap(f"{label}: {' '.join(p.note.split())}", width, indent="    "))
    lines.append(wrap(f'"{it.quote}"', width, indent="    > "))
    for label, value in item_facts(it):
        lines.append(wrap(f"{label}: {value}", width, indent="    "))
    return lines


def cmd_mark(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        checklist = wb.checklist(args.role)
        item = checklist.item(args.item)
        if item is None:
            ids = sorted(it.id for it in checklist.items)
            raise Bj30Error(f"no item {args.item!r} in {checklist.role}; items are: {', '.join(ids)}")
        profile = wb.check_profile().name  # the store checks the status and the rest
        new = wb.update(checklist.role, item, status=args.status, note=args.note, owner=args.owner, due=args.due)
        args.committed = f"{checklist.role} {item.id}: {new.status}"  # exit 0 even if this cannot be printed
    print(
        visible(
            f"{checklist.role} {item.id}: {new.status}" + (f" (profile {profile})" if profile != DEFAULT_PROFILE else ""),
            one_line=True,
        )
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Valid, and what the loader will do with it: a valid file whose role is taken does not load."""
    with workbench(args) as wb:
        catalog = wb.catalog
        wb.take_warnings()  # problems of other files in the checklists folder are not this command's answer
    failed = False
    for path in args.files:
        result = validate_file(path, wb.policy)
        if result.ok and result.checklist is not None:
            refused = loader_verdict(result.checklist, path, catalog)
            if refused:
                failed = True
                print(visible(refused, one_line=True))
                continue
            print(visible(f"{path}: ok ({result.checklist.role}, {len(result.checklist.items)} items)", one_line=True))
            builtins = [c for c in catalog.checklists if c.is_builtin]
            readings = user_reading_warnings(result.checklist, builtins, load_register(), str(path))
            for warning in [*result.warnings, *readings]:
                print(visible(f"{warning} (warning)", one_line=True))
        else:
            failed = True
            for problem in result.problems:
                print(visible(str(problem), one_line=True))
    return 1 if failed else 0
