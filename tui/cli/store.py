"""Store commands: store info|copy|grant, through the Workbench like every command (the store's
location among the settings: `bj30 config` in tui/cli/profiles.py). Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import print_json, workbench
from tui.core.text.safe_text import visible


def cmd_info(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        facts = wb.store_facts()
    if args.format == "json":
        print_json(facts)
    else:
        print("\n".join(f"{k:<10} {visible(v)}" for k, v in facts.items() if v))
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        report, source, target = wb.copy_store(args.source, args.target)
    for line in report.kept_newer:
        print(f"bj30: kept newer: {visible(line, one_line=True)}", file=sys.stderr)
    print(visible(f"copied {source} -> {target}" + ("" if report.changed else " (nothing new)")))
    print("\n".join(report.lines()))
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        wb.grant(args.role, args.kind)
        location = wb.location
    what = "read and change progress, read and add history" if args.kind == "officer" else "read"
    print(visible(f"{args.role} may now {what} in {location}"))
    return 0
