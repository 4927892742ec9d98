"""Browser-like reading history: visit, back and forward. Pure; no UI."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class History(Generic[T]):
    """A list of visited places with a cursor.

    Visiting a new place drops anything "forward" of the cursor, as a browser does.
    Visiting the place you are at changes nothing. The oldest entries fall off
    past `limit`, so a long session cannot grow it without bound.
    """

    def __init__(self, limit: int = 200) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._items: list[T] = []
        self._index = -1

    @property
    def current(self) -> T | None:
        return self._items[self._index] if self._items else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._items) - 1

    def visit(self, place: T) -> None:
        if self.current == place:
            return
        del self._items[self._index + 1 :]
        self._items.append(place)
        if len(self._items) > self._limit:
            del self._items[0]
        self._index = len(self._items) - 1

    def back(self) -> T | None:
        """Step back and return the place there, or None (and stay) at the start."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self._items[self._index]

    def forward(self) -> T | None:
        if not self.can_go_forward:
            return None
        self._index += 1
        return self._items[self._index]

    def __len__(self) -> int:
        return len(self._items)
