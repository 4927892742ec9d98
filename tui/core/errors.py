"""Errors that the core raises for bad input, each one printable as one clear line."""

from __future__ import annotations


class Bj30Error(Exception):
    """Base class: a user-facing error whose str() is one line, never a traceback."""


class ContentError(Bj30Error):
    """A content or checklist file is malformed; names the file, the key and the problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


class UnknownMeasure(Bj30Error):
    """A measure number (or name) that the policy does not have."""
