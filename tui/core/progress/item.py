"""An item's progress, and one entry of its history: what the store keeps per item. Core: no Textual.

Plain data, defined here with the rest of the progress (status, evidence, profile) so that the
progress can be computed (state.py) without importing the store; the store (tui/core/store/)
keeps them, and its callers import them from tui.core.store.model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemProgress:
    item_id: str
    status: str = "todo"
    note: str = ""
    owner: str = ""
    due: str = ""
    fingerprint: str = ""
    changed: str = ""
    completed: str = ""
    revision: int = 0  # 0: never changed; +1 with every change


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    item_id: str
    field: str
    old: str
    new: str
    at: str
    by: str = ""  # who made the change ("" before bj30 recorded it); a team store: its database user
