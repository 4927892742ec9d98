"""A store on either backend for the shared store tests (the `backend` fixture, tests/conftest.py)."""

from __future__ import annotations


class Backend:
    """One store for a test, on either backend: open() as many sessions on it as the test needs
    (two bj30s, two officers); all are closed at the end."""

    def __init__(self, kind: str, location_text: str) -> None:
        from tui.core.store.location import parse_location

        self.kind = kind
        self.text = location_text
        self.location = parse_location(location_text)
        self._opened: list = []

    def open(self, text: str | None = None):  # -> ProgressStore
        from tui.core.store.location import open_store, parse_location

        opened = open_store(parse_location(text) if text else self.location)
        assert opened.warnings == [], opened.warnings
        self._opened.append(opened.store)
        return opened.store

    def close_all(self) -> None:
        for store in self._opened:
            store.close()
