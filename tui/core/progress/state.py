"""A checklist joined with its stored progress: counts, review flags and orphans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.content.checklist import Checklist, ChecklistItem
from tui.core.progress.item import ItemProgress

if TYPE_CHECKING:
    from tui.core.store.api import ProgressStore


@dataclass(frozen=True, slots=True)
class ItemState:
    item: ChecklistItem
    progress: ItemProgress

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def needs_review(self) -> bool:
        """Marked against an older text of the quote or measure: check the mark still holds."""
        p = self.progress
        return p.status != "todo" and bool(p.fingerprint) and p.fingerprint != self.item.fingerprint


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    done: int
    doing: int
    todo: int
    na: int

    @property
    def applicable(self) -> int:
        return self.total - self.na

    @property
    def percent(self) -> int:
        """Done out of applicable, rounded down (never shows 100% before it is)."""
        return (100 * self.done) // self.applicable if self.applicable else 100

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "applicable": self.applicable,
            "done": self.done,
            "doing": self.doing,
            "todo": self.todo,
            "na": self.na,
            "percent": self.percent,
        }

    @property
    def summary(self) -> str:
        return f"{self.done}/{self.applicable} done ({self.percent}%) · {self.doing} doing · {self.todo} to do · {self.na} N/A"


class ChecklistState:
    """A checklist with its progress. `update` changes one item in O(1): the counts and the
    review flags are kept up to date rather than recounted, so that a tick costs the same in
    a 10,000-item checklist as in a 20-item one."""

    __slots__ = ("checklist", "orphans", "_items", "_index", "_statuses", "_review")

    def __init__(self, checklist: Checklist, items: Sequence[ItemState], orphans: Sequence[ItemProgress]) -> None:
        self.checklist = checklist
        self.orphans = tuple(orphans)  # progress for ids the checklist no longer has: kept, reported
        self._items = list(items)
        self._index = {s.item.id: i for i, s in enumerate(self._items)}
        self._statuses = Counter(s.status for s in self._items)
        self._review = {s.item.id for s in self._items if s.needs_review}

    @property
    def items(self) -> Sequence[ItemState]:
        """In the checklist's order (read only: change an item with `update`)."""
        return self._items

    @property
    def counts(self) -> Counts:
        n = self._statuses
        return Counts(len(self._items), n["done"], n["doing"], n["todo"], n["na"])

    @property
    def needing_review(self) -> list[ItemState]:
        return sorted((self._items[self._index[i]] for i in self._review), key=lambda s: self._index[s.item.id])

    def by_measure(self) -> dict[int, list[ItemState]]:
        """Items grouped under the measure they are filed under (their first), in measure order."""
        grouped: dict[int, list[ItemState]] = {}
        for s in sorted(self._items, key=lambda s: s.item.measure):
            grouped.setdefault(s.item.measure, []).append(s)
        return grouped

    def state_of(self, item_id: str) -> ItemState | None:
        index = self._index.get(item_id)
        return None if index is None else self._items[index]

    def update(self, progress: ItemProgress) -> ItemState | None:
        """Put an item's new progress (as the store returned it) in place; None if not in the checklist."""
        index = self._index.get(progress.item_id)
        if index is None:
            return None
        old = self._items[index]
        new = ItemState(old.item, progress)
        self._items[index] = new
        self._statuses[old.status] -= 1
        self._statuses[new.status] += 1
        if new.needs_review:
            self._review.add(new.item.id)
        else:
            self._review.discard(new.item.id)
        return new


def checklist_state(store: ProgressStore, profile: str, checklist: Checklist) -> ChecklistState:
    stored = store.progress(profile, checklist.role)
    items = [ItemState(it, stored.pop(it.id, ItemProgress(it.id))) for it in checklist.items]
    orphans = sorted(stored.values(), key=lambda p: p.item_id)
    return ChecklistState(checklist, items, orphans)
