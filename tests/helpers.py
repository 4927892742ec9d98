"""Helpers for the Pilot tests."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def plain(widget: Static) -> str:
    """The literal text a Static shows (what the user reads)."""
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `bj30 ARGV...` in-process: (exit code, stdout, stderr)."""
    from tui.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
