"""`bj30 actions`: the open items of the profile, by due date or owner. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import print_json, profile_heading, workbench
from tui.core.progress.actions import Action
from tui.core.progress.status import STATUS_WORD
from tui.core.text.fit import cell_width, cut_cells, fit_cells, pad_cells
from tui.core.text.localtime import today
from tui.core.text.safe_text import visible
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

    # Columns in terminal cells: an owner "财务处 孙磊" is 6 characters but 11 cells (issue 21, 4). User
    # text is measured as shown, its control characters made visible.
    def shown(text: str) -> str:
        return visible(text, one_line=True)

    rows = [
        (a, shown(a.owner or "-"), shown(a.role), shown(a.item_id), shown(" ".join(a.state.item.text.split()))) for a in found
    ]
    owner_w = min(20, max(cell_width("OWNER"), *(cell_width(owner) for _, owner, _, _, _ in rows)))
    role_w = max(cell_width("ROLE"), *(cell_width(role) for _, _, role, _, _ in rows))
    id_w = max(cell_width("ITEM"), *(cell_width(item_id) for _, _, _, item_id, _ in rows))
    lines.append(
        f"{'DUE':<10}  {pad_cells('OWNER', owner_w)}  {'STATUS':<6}  {pad_cells('ROLE', role_w)}  {pad_cells('ITEM', id_w)}  WHAT"
    )
    for a, owner, role, item_id, text in rows:
        flag = "OVERDUE " if a.overdue else ""
        row = (
            f"{a.due or '-':<10}  {fit_cells(owner, owner_w)}  {STATUS_WORD[a.status]:<6}  "
            f"{fit_cells(role, role_w)}  {fit_cells(item_id, id_w)}  {flag}{text}"
        )
        if width is not None and cell_width(row) > width:
            row = cut_cells(row, width - 1) + "…"  # one line per action on a terminal; piped, the whole statement
        lines.append(row)
    emit("\n".join(lines))
    return 0
