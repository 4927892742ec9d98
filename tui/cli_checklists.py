"""Checklist commands: checklists, checklist, validate. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli_reference import FORMATS, print_json
from tui.core.checklist import Checklist
from tui.core.checklist_loader import Catalog, load_default_catalog, validate_file
from tui.core.errors import Bj30Error
from tui.core.policy_loader import load_policy
from tui.core.textout import bold, emit, width_for, wrap


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lists = commands.add_parser("checklists", help="list the role checklists (built-in and your own)")
    lists.add_argument("--format", choices=FORMATS, default="text")
    lists.set_defaults(handler=cmd_checklists)

    one = commands.add_parser("checklist", help="print one role's checklist items")
    one.add_argument("role", metavar="ROLE", help="a role id, e.g. university (see: bj30 checklists)")
    one.add_argument("--format", choices=FORMATS, default="text")
    one.set_defaults(handler=cmd_checklist)

    validate = commands.add_parser("validate", help="check checklist files; exit 1 with one line per problem")
    validate.add_argument("files", nargs="+", metavar="FILE", type=Path)
    validate.set_defaults(handler=cmd_validate)


def catalog_with_warnings() -> Catalog:
    """The catalog; problems with user files go to stderr and everything else still loads."""
    catalog = load_default_catalog(load_policy())
    for problem in catalog.problems:
        print(f"bj30: warning: {problem}", file=sys.stderr)
    return catalog


def find_role(catalog: Catalog, role: str) -> Checklist:
    checklist = catalog.get(role)
    if checklist is None:
        raise Bj30Error(f"no checklist for role {role!r}; roles are: {', '.join(catalog.roles)}")
    return checklist


def cmd_checklists(args: argparse.Namespace) -> int:
    catalog = catalog_with_warnings()
    if args.format == "json":
        print_json([{"role": c.role, "title": c.title, "audience": c.audience, "items": len(c.items),
                     "source": c.source} for c in catalog.checklists])
        return 0
    width = width_for(sys.stdout)
    lines = []
    for c in catalog.checklists:
        origin = "" if c.is_builtin else f"  [{c.source}]"
        lines.append(bold(f"{c.role:<22}", sys.stdout) + f"{len(c.items):>3} items  {c.title}{origin}")
    if width:
        lines.append("")
        lines.append(wrap("Open one with: bj30 checklist ROLE", width))
    emit("\n".join(lines))
    return 0


def item_json(item: Any) -> dict[str, Any]:
    return {"id": item.id, "text": item.text, "measures": list(item.measures), "quote": item.quote,
            "guidance": item.guidance, "category": item.category, "fingerprint": item.fingerprint}


def cmd_checklist(args: argparse.Namespace) -> int:
    catalog = catalog_with_warnings()
    checklist = find_role(catalog, args.role)
    if args.format == "json":
        print_json({"role": checklist.role, "title": checklist.title, "audience": checklist.audience,
                    "description": checklist.description, "source": checklist.source,
                    "items": [item_json(it) for it in checklist.items]})
        return 0
    width = width_for(sys.stdout)
    lines = [bold(checklist.title, sys.stdout), wrap(checklist.description, width), ""]
    for it in checklist.items:
        cited = ", ".join(str(n) for n in it.measures)
        lines.append(bold(f"{it.id}", sys.stdout) + f"  (measure {cited})")
        lines.append(wrap(it.text, width, indent="    "))
        lines.append(wrap(f'"{it.quote}"', width, indent="    > "))
    emit("\n".join(lines))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    policy = load_policy()
    failed = False
    for path in args.files:
        result = validate_file(path, policy)
        if result.ok and result.checklist is not None:
            print(f"{path}: ok ({result.checklist.role}, {len(result.checklist.items)} items)")
        else:
            failed = True
            for problem in result.problems:
                print(str(problem))
    return 1 if failed else 0
