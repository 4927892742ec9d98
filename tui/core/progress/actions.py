"""Open actions: every item still to do or in progress, across a profile's checklists. Core: no Textual.

One list, used by `bj30 actions`, the actions screen and the report's "Open actions" table,
so all three agree on what is open, what is overdue and in which order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tui.core.progress.state import ChecklistState, ItemState
from tui.core.progress.status import is_overdue

__all__ = ["Action", "OPEN", "SORTS", "in_app_order", "is_overdue", "open_actions", "owners", "same_person"]

OPEN = ("todo", "doing")
SORTS = ("due", "owner")


@dataclass(frozen=True, slots=True)
class Action:
    role: str
    checklist_title: str
    state: ItemState
    overdue: bool
    order: tuple[int, int]  # (checklist, item) in the app's order: the last tie-breaker

    @property
    def item_id(self) -> str:
        return self.state.item.id

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def owner(self) -> str:
        return self.state.progress.owner

    @property
    def due(self) -> str:
        return self.state.progress.due


def same_person(a: str, b: str) -> bool:
    """Owners compared as people type them: case and spacing aside ("wang li" is "Wang  Li")."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def open_actions(
    states: Iterable[ChecklistState],
    today: dt.date,
    *,
    owner: str | None = None,
    due_before: dt.date | None = None,
    overdue: bool = False,
    roles: Iterable[str] | None = None,
    sort: str = "due",
) -> list[Action]:
    """The open items of `states`, filtered, sorted by due date (undated last) or by owner (unowned last).

    `due_before` keeps items due strictly before that date; `overdue` those due before today.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    wanted = set(roles) if roles is not None else None
    actions: list[Action] = []
    for c_index, st in enumerate(states):
        role = st.checklist.role
        if wanted is not None and role not in wanted:
            continue
        positions = {s.item.id: i for i, s in enumerate(in_app_order(st))}
        for s in st.items:
            if s.status not in OPEN:
                continue
            p = s.progress
            if owner is not None and not same_person(p.owner, owner):
                continue
            if due_before is not None and not (p.due and p.due < due_before.isoformat()):
                continue
            late = is_overdue(p.due, today)
            if overdue and not late:
                continue
            actions.append(Action(role, st.checklist.title, s, late, (c_index, positions[s.item.id])))
    return sorted(actions, key=_by_due if sort == "due" else _by_owner)


def _by_due(a: Action) -> tuple[object, ...]:
    return (not a.due, a.due, not a.owner, a.owner.casefold(), a.order)


def _by_owner(a: Action) -> tuple[object, ...]:
    return (not a.owner, a.owner.casefold(), not a.due, a.due, a.order)


def in_app_order(state: ChecklistState) -> list[ItemState]:
    """Items as the app lists them: by part and measure (the measure an item is filed under)."""
    return [s for states in state.by_measure().values() for s in states]


def owners(states: Iterable[ChecklistState]) -> list[str]:
    """Every owner named on an open item, once each (as first written), sorted."""
    seen: dict[str, str] = {}
    for st in states:
        for s in st.items:
            if s.status in OPEN and s.progress.owner:
                seen.setdefault(" ".join(s.progress.owner.split()).casefold(), s.progress.owner)
    return sorted(seen.values(), key=str.casefold)
