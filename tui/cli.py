"""The `bj30` command line: the reference CLI (core only) and the TUI when no command is given."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.core.errors import Bj30Error
from tui.core.textout import fail

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from tui import cli_checklists, cli_export, cli_provisions, cli_reference, cli_serve

    parser = argparse.ArgumentParser(
        prog="bj30",
        description=(
            "Beijing's 30 Measures on science and technology reform (16 October 2019): "
            "read, search and check compliance in the terminal. "
            "With no command, starts the full-screen app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"bj30 {__version__}")
    parser.add_argument("--profile", default=None, help="institution profile to use (default: 'default')")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_reference.register(commands)
    cli_checklists.register(commands)
    cli_export.register(commands)
    cli_provisions.register(commands)
    cli_serve.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            return _run_tui(args)
        return handler(args)
    except Bj30Error as exc:
        fail(str(exc))
        return 1
    except BrokenPipeError:
        # `bj30 toc | head`: the reader went away; that is not an error worth a traceback.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


def _run_tui(args: argparse.Namespace) -> int:
    # TEXTUAL_DRIVER names a driver that needs no terminal: textual-serve sets it for `bj30 serve`,
    # whose app talks to the browser through pipes.
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # `bj30 | less` or a cron job: a full-screen app would only garble the pipe.
        print("bj30: the full-screen app needs a terminal; for plain text use a command such as "
              "`bj30 toc` or `bj30 show 17` (see `bj30 --help`)", file=sys.stderr)
        return 2
    from tui.app import run_app

    return run_app(profile=args.profile)
