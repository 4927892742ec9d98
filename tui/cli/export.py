"""Export and import commands. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import workbench
from tui.core.errors import Bj30Error
from tui.core.export.rows import BINARY_FORMATS, export_target_problem, format_for, write_export
from tui.core.store.importer import ImportRefused, read_export
from tui.core.text.safe_text import visible
from tui.core.text.textout import ascii_json, can_encode, emit, fail, is_tty


def cmd_export(args: argparse.Namespace) -> int:
    problem = export_target_problem(args.output) if args.output is not None else None
    if problem:  # a folder, a device: said before anything else about the name
        raise Bj30Error(problem)
    fmt = format_for(args.output, args.format)
    if args.output is None and fmt in BINARY_FORMATS and is_tty(sys.stdout):
        raise Bj30Error(f"{fmt} is a binary file, not for the terminal: write it with -o FILE.{fmt}")
    with workbench(args) as wb:
        wb.check_profile()
        data, count = wb.export(args.roles, fmt)
    if args.output is None:
        if fmt in BINARY_FORMATS:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            return 0
        text = data.decode("utf-8")
        sys.stdout.write(ascii_json(text) if fmt == "json" and not can_encode(text, sys.stdout) else text)
        return 0
    write_export(args.output, data, args.force)
    print(visible(f"wrote {args.output} ({fmt}, {count} items)", one_line=True), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    exports = read_export(args.file)
    lines: list[str] = []
    with workbench(args) as wb:
        if args.into is not None:
            wb.use_profile(args.into)
        profile = wb.check_profile().name
        theirs = {e.get("profile", {}).get("name") for e in exports if isinstance(e.get("profile"), dict)}
        other = sorted(str(t) for t in theirs if isinstance(t, str) and t != profile)
        if other and args.into is None:
            raise Bj30Error(
                f"{args.file} was exported from profile {other[0]!r}, and you are in {profile!r}: add "
                f"--into {profile} to import it into {profile!r} (or --into {other[0]} for its own)"
            )
        for data in exports:
            role = data["checklist"]["role"]
            try:
                report = wb.import_progress(role, data, source=str(args.file))
                args.committed = f"the import of {args.file}"
            except ImportRefused as exc:
                for line in exc.problems:
                    fail(line)
                raise
            lines += [
                f"{role}: {len(report.applied)} items restored, {len(report.unchanged)} already so, "
                f"{len(report.kept_newer)} kept (the store's change is newer), {len(report.retired)} retired "
                f"items restored, {report.history_added} history entries added ({report.history_present} "
                f"already there), {report.evidence_added} evidence restored (profile {profile})"
            ]
            lines += [f"  restored {line}" for line in report.applied]
            lines += [f"  kept {line}" for line in report.kept_newer]
            lines += [f"  retired {line}" for line in report.retired]
    emit("\n".join(visible(line, one_line=True) for line in lines))
    return 0
