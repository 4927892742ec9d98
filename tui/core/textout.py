"""Plain-text output for the CLI: wrapped to the terminal on a TTY, unwrapped when piped."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TextIO


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
    if width is None:
        return indent + paragraph
    return textwrap.fill(paragraph, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False)


def bold(text: str, stream: TextIO) -> str:
    """Bold on a colour terminal; plain when piped or when NO_COLOR is set."""
    if is_tty(stream) and not os.environ.get("NO_COLOR"):
        return f"\x1b[1m{text}\x1b[0m"
    return text


def emit(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")
