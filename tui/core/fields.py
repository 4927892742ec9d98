"""Typed access to fields of parsed TOML tables, with errors that name file and key."""

from __future__ import annotations

from typing import Any, TypeVar

from tui.core.errors import ContentError

T = TypeVar("T")

_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table", bool: "true or false"}


class Fields:
    """Reads one TOML table; every error names `source` and the dotted `key`."""

    def __init__(self, source: str, key: str, table: Any) -> None:
        self.source = source
        self.key = key
        if not isinstance(table, dict):
            raise ContentError(source, key, f"expected a table, found {_describe(table)}")
        self.table: dict[str, Any] = table

    def error(self, name: str, problem: str) -> ContentError:
        return ContentError(self.source, self._at(name), problem)

    def _at(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def get(self, name: str, kind: type[T], *, required: bool = True, default: T | None = None) -> T:
        if name not in self.table:
            if required:
                raise self.error(name, "missing field")
            return default  # type: ignore[return-value]
        value = self.table[name]
        # bool is an int subclass; a number field must not accept true/false.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(name, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, found {_describe(value)}")
        if isinstance(value, str) and required and not value.strip():
            raise self.error(name, "must not be empty")
        return value

    def strings(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        values = self.get(name, list, required=required, default=[])
        for i, v in enumerate(values):
            if not isinstance(v, str):
                raise ContentError(self.source, f"{self._at(name)}[{i}]", f"expected a string, found {_describe(v)}")
        return tuple(values)

    def tables(self, name: str) -> list[Fields]:
        values = self.get(name, list)
        return [Fields(self.source, f"{self._at(name)}[{i}]", v) for i, v in enumerate(values)]

    def sub(self, name: str) -> Fields:
        return Fields(self.source, self._at(name), self.get(name, dict))

    def reject_unknown(self, allowed: set[str]) -> None:
        for name in self.table:
            if name not in allowed:
                raise self.error(name, f"unknown field; expected one of: {', '.join(sorted(allowed))}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__
