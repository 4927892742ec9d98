"""Export and import commands. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli_checklists import catalog_with_warnings, open_store, profile_name, profile_option
from tui.core.export import FORMATS, build_export, format_for_path, render, write_export
from tui.core.importer import import_progress, read_export
from tui.core.policy_loader import load_policy
from tui.core.store import Store


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", parents=[profile_option()],
                                 help="a checklist with progress as a Markdown report, JSON or CSV")
    export.add_argument("role", metavar="ROLE")
    export.add_argument("--format", choices=FORMATS, default=None,
                        help="md (default), json or csv; with -o, taken from the file's extension")
    export.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="write to FILE (atomically) instead of standard output")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler=cmd_export)

    imp = commands.add_parser("import", parents=[profile_option()],
                              help="restore progress from a JSON export (newer changes are kept)")
    imp.add_argument("file", metavar="FILE.json", type=Path)
    imp.set_defaults(handler=cmd_import)


def export_text(store: Store, role: str, profile: str, fmt: str) -> tuple[str, int]:
    """The rendered export and its number of items."""
    checklist = catalog_with_warnings().require(role)
    data = build_export(load_policy(), store, profile, checklist)
    return render(data, fmt), len(data.state.items)


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format or (format_for_path(str(args.output)) if args.output else "md")
    store = open_store()
    profile = store.profile(profile_name(args)).name
    text, count = export_text(store, args.role, profile, fmt)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_export(args.output, text, args.force)
    print(f"wrote {args.output} ({fmt}, {count} items)", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    data = read_export(args.file)
    role = data["checklist"]["role"]
    checklist = catalog_with_warnings().require(role)
    store = open_store()
    profile = store.profile(profile_name(args)).name
    report = import_progress(store, profile, checklist, data, source=str(args.file))
    for line in report.kept_newer:
        print(f"bj30: kept newer: {line}", file=sys.stderr)
    for line in report.skipped:
        print(f"bj30: skipped: {line}", file=sys.stderr)
    print(f"{role}: {len(report.applied)} items restored, {len(report.unchanged)} already so, "
          f"{len(report.kept_newer)} kept newer, {len(report.skipped)} skipped (profile {profile})")
    return 1 if report.skipped else 0
