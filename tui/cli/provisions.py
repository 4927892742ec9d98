"""`bj30 provisions`: the provision register, and a role's coverage by its checklist. Core only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli.common import print_json, workbench
from tui.core.content.coverage import ProvisionCoverage, coverage
from tui.core.content.policy_loader import load_policy
from tui.core.content.provisions import STATUS_WORD, Provision, load_register
from tui.core.errors import Bj30Error
from tui.core.text.textout import bold, emit, width_for, wrap


def provision_json(p: Provision, cover: ProvisionCoverage | None) -> dict[str, Any]:
    return {
        "id": p.id,
        "measure": p.measure,
        "anchor": p.anchor,
        "kind": p.kind,
        "actor": p.actor,
        "roles": list(p.roles),
        "status": p.status,
        "departments": list(p.departments),
        "figures": list(p.figures),
        "scope": list(p.scope),
        "scope_keys": {who: list(keys) for who, keys in p.scope_keys},
        "note": p.note,
        "items": list(cover.items) if cover else [],
        "excluded": cover.excluded if cover else "",
    }


def cmd_provisions(args: argparse.Namespace) -> int:
    policy, register = load_policy(), load_register()
    if args.measure is not None:
        policy.measure(args.measure)  # a clear error for 0 or 31
    rows: list[tuple[Provision, ProvisionCoverage | None]]
    if args.role:
        with workbench(args) as wb:
            checklist = wb.checklist(args.role)
        if args.role not in register.roles:
            raise Bj30Error(f"the register has no role {args.role!r}; roles are: {', '.join(register.roles)}")
        rows = [(c.provision, c) for c in coverage(checklist, register, args.role)]
    else:
        rows = [(p, None) for p in register.provisions]
    if args.measure is not None:
        rows = [(p, c) for p, c in rows if p.measure == args.measure]
    if args.format == "json":
        print_json([provision_json(p, c) for p, c in rows])
        return 0
    width = width_for(sys.stdout)
    lines: list[str] = []
    if args.role:
        covered = sum(1 for _, c in rows if c and c.items)
        excluded = sum(1 for _, c in rows if c and c.excluded and not c.items)
        missing = len(rows) - covered - excluded
        lines += [
            bold(
                f"{args.role}: {len(rows)} provisions; {covered} covered by items, {excluded} excluded"
                + (f", {missing} NOT ACCOUNTED FOR" if missing else ""),
                sys.stdout,
            ),
            "",
        ]
    last = None
    for p, c in rows:
        if p.measure != last:
            last = p.measure
            if lines and lines[-1]:
                lines.append("")
            lines.append(bold(wrap(policy.measure(p.measure).label, width), sys.stdout))
        facts = [p.kind, STATUS_WORD[p.status], f"actor: {p.actor}"]
        if p.roles and not args.role:
            facts.append("roles: " + ", ".join(p.roles))
        lines.append(wrap(f"{p.id}  ({'; '.join(facts)})", width, indent="  "))
        lines.append(wrap(f'"{p.anchor}"', width, indent="    > "))
        if p.scope:
            lines.append(wrap("who or when: " + " … ".join(f'"{w}"' for w in p.scope), width, indent="    "))
        extra = []
        if p.departments:
            extra.append("departments: " + "; ".join(p.departments))
        if p.figures:
            extra.append("figures: " + "; ".join(p.figures))
        if p.note:
            extra.append(p.note)
        if c is not None:
            extra.append(
                "covered by: " + ", ".join(c.items)
                if c.items
                else f"excluded: {c.excluded}"
                if c.excluded
                else "NOT ACCOUNTED FOR"
            )
        lines += [wrap(e, width, indent="    ") for e in extra]
    emit("\n".join(lines) if lines else "no provisions match")
    return 0
