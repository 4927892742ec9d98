"""Plain-text output for the CLI: wrapped to the terminal on a TTY, unwrapped when piped.

Every text that goes through here has its control characters made visible (safe_text):
wrap() and bold() carry the user's notes, titles and names, warn() and fail() the messages
that quote file names and keys.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from typing import TextIO

import wcwidth

from tui.core.text.safe_text import visible


def is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def width_for(stream: TextIO) -> int | None:
    """Columns to wrap at, or None to leave paragraphs on one line (piped output)."""
    if not is_tty(stream):
        return None
    return max(20, min(shutil.get_terminal_size((80, 24)).columns, 100))


def wrap(paragraph: str, width: int | None, indent: str = "") -> str:
    paragraph = visible(paragraph)
    if width is None:
        return indent + paragraph
    # Measured in terminal cells: a line of Chinese is twice as wide as its characters (issue 21, 4).
    lines = wcwidth.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
    return "\n".join(lines)


def bold(text: str, stream: TextIO) -> str:
    """Bold on a colour terminal; plain when piped or when NO_COLOR is set."""
    text = visible(text)
    if is_tty(stream) and not os.environ.get("NO_COLOR"):
        return f"\x1b[1m{text}\x1b[0m"
    return text


def emit(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def warn(message: str) -> None:
    """`bj30: warning: MESSAGE` on stderr, on one line whatever the message quotes."""
    print(f"bj30: warning: {visible(message, one_line=True)}", file=sys.stderr)


def fail(message: str) -> None:
    """`bj30: MESSAGE` on stderr: an error, on one line whatever the message quotes."""
    print(f"bj30: {visible(message, one_line=True)}", file=sys.stderr)


def can_encode(text: str, stream: TextIO) -> bool:
    """Whether `stream`'s encoding carries `text` as it is (PYTHONIOENCODING=ascii does not carry ·)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def ascii_json(text: str) -> str:
    """The same JSON with every non-ASCII character escaped: still valid, for an ASCII-only terminal."""
    return json.dumps(json.loads(text), ensure_ascii=True, indent=2) + ("\n" if text.endswith("\n") else "")
