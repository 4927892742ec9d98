"""A checklist joined with its stored progress: counts, review flags and orphans."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.checklist import Checklist, ChecklistItem
from tui.core.store import ItemProgress, Store


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
        return {"total": self.total, "applicable": self.applicable, "done": self.done, "doing": self.doing,
                "todo": self.todo, "na": self.na, "percent": self.percent}

    @property
    def summary(self) -> str:
        return (f"{self.done}/{self.applicable} done ({self.percent}%) · {self.doing} doing · "
                f"{self.todo} to do · {self.na} N/A")


@dataclass(frozen=True, slots=True)
class ChecklistState:
    checklist: Checklist
    items: tuple[ItemState, ...]
    orphans: tuple[ItemProgress, ...]  # progress for ids the checklist no longer has: kept, reported

    @property
    def counts(self) -> Counts:
        statuses = [s.status for s in self.items]
        return Counts(len(statuses), statuses.count("done"), statuses.count("doing"),
                      statuses.count("todo"), statuses.count("na"))

    @property
    def needing_review(self) -> list[ItemState]:
        return [s for s in self.items if s.needs_review]

    def by_measure(self) -> dict[int, list[ItemState]]:
        """Items grouped under the measure they are filed under (their first), in measure order."""
        grouped: dict[int, list[ItemState]] = {}
        for s in sorted(self.items, key=lambda s: s.item.measure):
            grouped.setdefault(s.item.measure, []).append(s)
        return grouped

    def state_of(self, item_id: str) -> ItemState | None:
        return next((s for s in self.items if s.item.id == item_id), None)


def checklist_state(store: Store, profile: str, checklist: Checklist) -> ChecklistState:
    stored = store.progress(profile, checklist.role)
    items = tuple(ItemState(it, stored.pop(it.id, ItemProgress(it.id))) for it in checklist.items)
    orphans = tuple(sorted(stored.values(), key=lambda p: p.item_id))
    return ChecklistState(checklist, items, orphans)
