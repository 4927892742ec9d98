"""The `bj30` command line: the reference CLI (core only) and the TUI when no command is given.

tui/cli/parser.py is the table of commands (cheap: `bj30 --help` imports nothing of the core);
tui/cli/common.py what the commands share; tui/cli/<group>.py each group's handlers, imported
only when one of its commands runs.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from tui.cli.parser import build_parser

__all__ = ["build_parser", "main"]

# A command's handler, named "module:function" in the parser's table: imported when it runs.
Handler = Callable[[argparse.Namespace], int]


def handler_of(args: argparse.Namespace) -> Handler | None:
    name: str | None = getattr(args, "handler", None)
    if name is None:
        return None
    module, function = name.split(":")
    found: Handler = getattr(importlib.import_module(f"tui.cli.{module}"), function)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    closed = _usable_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit:  # --help, --version, a usage error: said; make sure saying it cannot fail at exit
        _flush_or_discard()
        raise
    from tui.core.errors import Bj30Error  # the core, once a command runs
    from tui.core.text.textout import fail

    try:
        handler = handler_of(args)
        code = _run_tui(args) if handler is None else handler(args)
        sys.stdout.flush()
    except Bj30Error as exc:
        fail(str(exc))
        return 1
    except BrokenPipeError:
        # `bj30 toc | head`: the reader went away; that is not an error worth a traceback.
        _discard(sys.stdout)
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.filename is not None:  # a file, not the output (file errors name their file)
            fail(f"{exc.filename}: {exc.strerror or exc}")
            return 1
        _discard(sys.stdout)  # writing stdout failed (a full disk, /dev/full): the exit's flush must not
        return _output_failed(args, f"standard output: {exc.strerror or exc}")
    if closed is not None and closed.lost:
        return _output_failed(args, None)
    return code


class _Closed(io.TextIOBase):
    """Stands in for a stream the shell closed (`bj30 >&-`): what is written is lost, and noted."""

    encoding = "utf-8"

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def write(self, text: str) -> int:
        self.lost = self.lost or bool(text)
        return len(text)

    def isatty(self) -> bool:
        return False


def _usable_streams() -> _Closed | None:
    """Streams bj30 can always write to: a closed one (None) replaced, and characters the output
    encoding cannot carry (PYTHONIOENCODING=ascii) written as escapes, not raised. Returns the
    stand-in for a closed stdout, if it was closed."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (stands in for stdin until exit)
    if sys.stderr is None:
        sys.stderr = _Closed()
    closed = None
    if sys.stdout is None:
        sys.stdout = closed = _Closed()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")
    return closed


def _flush_or_discard() -> bool:
    """Flush stdout; if that fails (a full disk, /dev/full), point it at /dev/null so that the
    interpreter's own flush at exit cannot fail again. True if the flush worked."""
    try:
        sys.stdout.flush()
        return True
    except (OSError, ValueError):
        _discard(sys.stdout)
        return False


def _discard(stream: object) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _output_failed(args: argparse.Namespace, reason: str | None) -> int:
    """The output could not be written. A committed change (`mark`) is still a success: a script
    must not believe it failed and do it again; anything else is a failure."""
    from tui.core.text.textout import fail, warn

    committed: str | None = getattr(args, "committed", None)
    if committed:
        warn(f"{committed} was saved, but it could not be said: {reason or 'standard output is closed'}")
        return 0
    fail(f"cannot write the output: {reason}" if reason else "standard output is closed: the output was lost")
    return 1


def _run_tui(args: argparse.Namespace) -> int:
    # TEXTUAL_DRIVER names a driver that needs no terminal: textual-serve sets it for `bj30 serve`,
    # whose app talks to the browser through pipes.
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):  # (a closed stdin is /dev/null)
        # `bj30 | less` or a cron job: a full-screen app would only garble the pipe.
        print(
            "bj30: the full-screen app needs a terminal; for plain text use a command such as "
            "`bj30 toc` or `bj30 show 17` (see `bj30 --help`)",
            file=sys.stderr,
        )
        return 2
    from tui.app import run_app

    return run_app(profile=args.profile, store=args.store)
