"""Export and import commands. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli_checklists import profile_option, workbench
from tui.core.export import FORMATS, format_for_path, write_export
from tui.core.importer import ImportRefused, read_export
from tui.core.safe_text import visible
from tui.core.textout import ascii_json, can_encode, emit, fail


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


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format or (format_for_path(str(args.output)) if args.output else "md")
    with workbench(args) as wb:
        wb.check_profile()
        text, count = wb.export(args.role, fmt)
    if args.output is None:
        sys.stdout.write(ascii_json(text) if fmt == "json" and not can_encode(text, sys.stdout) else text)
        return 0
    write_export(args.output, text, args.force)
    print(visible(f"wrote {args.output} ({fmt}, {count} items)", one_line=True), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    data = read_export(args.file)
    role = data["checklist"]["role"]
    with workbench(args) as wb:
        profile = wb.check_profile().name
        try:
            report = wb.import_progress(role, data, source=str(args.file))
            args.committed = f"the import of {args.file}"
        except ImportRefused as exc:
            for line in exc.problems:
                fail(line)
            raise
    lines = [f"{role}: {len(report.applied)} items restored, {len(report.unchanged)} already so, "
             f"{len(report.kept_newer)} kept (the store's change is newer), {len(report.retired)} retired items "
             f"restored, {report.history_added} history entries added ({report.history_present} already there) "
             f"(profile {profile})"]
    lines += [f"  restored {line}" for line in report.applied]
    lines += [f"  kept {line}" for line in report.kept_newer]
    lines += [f"  retired {line}" for line in report.retired]
    emit("\n".join(visible(line, one_line=True) for line in lines))
    return 0
