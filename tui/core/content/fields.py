"""Typed access to fields of parsed TOML tables, with errors that name file and key.

Two modes, one vocabulary: strict (the default) raises the first ContentError, for content
that must be whole (the policy); collecting (`problems=[...]`) records every problem and
returns an empty value of the asked kind, so a validator can report a file's problems all
at once (the checklists).
"""

from __future__ import annotations

from typing import Any, TypeVar

from tui.core.errors import ContentError

T = TypeVar("T")

_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table", bool: "true or false"}


class Fields:
    """Reads one TOML table; every error names `source` and the dotted `key`."""

    def __init__(self, source: str, key: str, table: Any, *, problems: list[ContentError] | None = None) -> None:
        self.source = source
        self.key = key
        self.problems = problems
        self.failed = False  # in collecting mode: whether this table had a problem
        if not isinstance(table, dict):
            self.fail("", f"expected a table, found {_describe(table)}")
            table = {}
        self.table: dict[str, Any] = table

    def error(self, name: str, problem: str) -> ContentError:
        return ContentError(self.source, self._at(name), problem)

    def fail(self, name: str, problem: str) -> None:
        """Raise the problem (strict) or record it and carry on (collecting)."""
        error = self.error(name, problem)
        if self.problems is None:
            raise error
        self.problems.append(error)
        self.failed = True

    def _at(self, name: str) -> str:
        if not name:
            return self.key
        return f"{self.key}.{name}" if self.key else name

    def get(self, name: str, kind: type[T], *, required: bool = True, default: T | None = None) -> T:
        """The field as `kind`; when missing and not required, `default`; after a recorded problem, `kind()`."""
        if name not in self.table:
            if required:
                self.fail(name, "missing field")
                return kind()
            return default  # type: ignore[return-value]
        value = self.table[name]
        # bool is an int subclass; a number field must not accept true/false.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(name, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, found {_describe(value)}")
            return kind()
        if isinstance(value, str) and required and not value.strip():
            self.fail(name, "must not be empty")
            return kind()
        return value

    def strings(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        values = self.get(name, list, required=required, default=[])
        out = []
        for i, v in enumerate(values):
            if isinstance(v, str):
                out.append(v)
            else:
                self.fail(f"{name}[{i}]", f"expected a string, found {_describe(v)}")
        return tuple(out)

    def tables(self, name: str, *, required: bool = True) -> list[Fields]:
        values = self.get(name, list, required=required, default=[])
        return [Fields(self.source, f"{self._at(name)}[{i}]", v, problems=self.problems) for i, v in enumerate(values)]

    def sub(self, name: str) -> Fields:
        return Fields(self.source, self._at(name), self.get(name, dict), problems=self.problems)

    def reject_unknown(self, allowed: set[str] | frozenset[str]) -> None:
        for name in self.table:
            if name not in allowed:
                self.fail(name, f"unknown field; expected one of: {', '.join(sorted(allowed))}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__
