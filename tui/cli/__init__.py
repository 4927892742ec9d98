"""The `bj30` command line: the reference CLI (core only) and the TUI when no command is given."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.core.errors import Bj30Error
from tui.core.text.textout import fail, warn

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from tui.cli import (
        actions,
        checklists,
        evidence,
        export,
        profiles,
        provisions,
        reference,
        serve,
        store,
    )

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
    parser.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="where progress is kept: a file, or postgresql://user@host:5432/db for a team store "
        "(default: BJ30_STORE, then `bj30 config get store`, then the file in the data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    reference.register(commands)
    checklists.register(commands)
    actions.register(commands)
    evidence.register(commands)
    profiles.register(commands)
    export.register(commands)
    provisions.register(commands)
    serve.register(commands)
    store.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    closed = _usable_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit:  # --help, --version, a usage error: said; make sure saying it cannot fail at exit
        _flush_or_discard()
        raise
    handler: Handler | None = getattr(args, "handler", None)
    try:
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
