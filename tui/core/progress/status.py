"""Item statuses and how they are shown. A tiny module: the reader imports it at start-up."""

from __future__ import annotations

import datetime as dt

STATUSES = ("todo", "doing", "done", "na")
# A box for lists (plain text and the TUI); a word for sentences and reports.
STATUS_BOX = {"todo": "[ ]", "doing": "[~]", "done": "[x]", "na": "[-]"}
STATUS_WORD = {"todo": "to do", "doing": "doing", "done": "done", "na": "N/A"}

# The checklist filter, cycled in this order: its name as shown, and the statuses it keeps.
FILTERS: dict[str, frozenset[str]] = {
    "all": frozenset(STATUSES),
    "open": frozenset({"todo", "doing"}),
    "done": frozenset({"done"}),
    "N/A": frozenset({"na"}),
}


def is_overdue(due: str, today: dt.date) -> bool:
    """Due before today (a local date): on the day it is due, it is not overdue yet."""
    if not due:
        return False
    try:
        return dt.date.fromisoformat(due) < today
    except ValueError:
        return False
