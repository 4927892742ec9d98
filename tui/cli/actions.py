"""`bj30 actions`: the open items of the profile, by due date or owner. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import print_json, profile_heading, workbench
from tui.core.progress.actions import Action
from tui.core.progress.status import STATUS_WORD
from tui.core.text.localtime import today
from tui.core.text.textout import emit, width_for, wrap


def action_json(a: Action) -> dict[str, object]:
    it, p = a.state.item, a.state.progress
    return {
        "role": a.role,
        "item": it.id,
        "text": it.text,
        "measures": list(it.measures),
        "status": p.status,
        "owner": p.owner,
        "due": p.due,
        "overdue": a.overdue,
        "note": p.note,
    }


def cmd_actions(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        profile = wb.check_profile()
        found = wb.open_actions(
            owner=args.owner, due_before=args.due_before, overdue=args.overdue, roles=args.role, sort=args.sort
        )
    if args.format == "json":
        print_json([action_json(a) for a in found])
        return 0
    width = width_for(sys.stdout)
    late = sum(a.overdue for a in found)
    lines = [
        wrap(
            f"{profile_heading(profile)} · {len(found)} open "
            f"{'action' if len(found) == 1 else 'actions'} on {today().isoformat()}, {late} overdue",
            width,
        )
    ]
    if not found:
        lines.append("Nothing open" + (" matches" if args.owner or args.due_before or args.overdue or args.role else "") + ".")
        emit("\n".join(lines))
        return 0
    owner_w = min(20, max(len("OWNER"), *(len(a.owner) for a in found)))
    role_w = max(len("ROLE"), *(len(a.role) for a in found))
    id_w = max(len("ITEM"), *(len(a.item_id) for a in found))
    lines.append(f"{'DUE':<10}  {'OWNER':<{owner_w}}  {'STATUS':<6}  {'ROLE':<{role_w}}  {'ITEM':<{id_w}}  WHAT")
    for a in found:
        owner = a.owner if len(a.owner) <= owner_w else a.owner[: owner_w - 1] + "…"
        flag = "OVERDUE " if a.overdue else ""
        row = (
            f"{a.due or '-':<10}  {owner or '-':<{owner_w}}  {STATUS_WORD[a.status]:<6}  {a.role:<{role_w}}  "
            f"{a.item_id:<{id_w}}  {flag}{' '.join(a.state.item.text.split())}"
        )
        if width is not None and len(row) > width:
            row = row[: width - 1] + "…"  # one line per action on a terminal; piped, the whole statement
        lines.append(row)
    emit("\n".join(lines))
    return 0
