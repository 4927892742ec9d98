"""What every part of the store speaks: its data types, errors, limits, text checks and times.

Imports nothing of the store's other modules (and they all import it): the interface (api.py),
the rules (rules.py), the backends, copies and imports. Core: no Textual.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from tui.core.errors import Bj30Error
from tui.core.progress.item import HistoryEntry, ItemProgress
from tui.core.progress.profile import DEFAULT_PROFILE, Profile
from tui.core.text.safe_text import text_problem

if TYPE_CHECKING:
    from tui.core.store.api import ProgressStore

# The progress data the store keeps (defined in tui/core/progress/ with the rest of it): callers
# of the store import them from here.
__all__ = ["DEFAULT_PROFILE", "HistoryEntry", "ItemProgress", "Profile"]

MAX_NOTE_CHARS = 20_000
MAX_FIELD_CHARS = 200  # owner, institution, department, who
MAX_PROFILE_NAME = 60
# The fields an officer edits; history records each change of one (and "reviewed", "evidence+/-").
FIELDS = ("status", "note", "owner", "due")
# When an export was made: UTC to the second, ISO 8601. Stored change times (history, changed,
# completed) are to the microsecond: STAMP.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"

# The JSON export's schema: what the store's data looks like outside it (written by
# tui/core/export/rows.py, read back by importer.py). 2: items carry their evidence, history
# entries who made them (`by`); a bj30 that reads only version 1 refuses a version-2 file rather
# than import it without its evidence. 3: items carry `scope`, the policy's words saying who an
# item's provisions are for or when they apply (from the register); import does not read it.
# Several roles in one file: BUNDLE_SCHEMA.
SCHEMA = "bj30-checklist-export"
SCHEMA_VERSION = 3
BUNDLE_SCHEMA = "bj30-checklist-exports"

FULL = "the disk is full: the change was not saved"
READ_ONLY = "read-only session"


# Errors ----------------------------------------------------------------------------------


class StoreError(Bj30Error):
    """A change could not be stored; the message says why and what to do."""


class ReadOnlyStore(StoreError):
    pass


class ProgressHidden(StoreError):
    """The store was made by a newer bj30: its progress cannot be shown (never shown as zero)."""


def unknown_profile(name: str, known: Sequence[Profile]) -> StoreError:
    names = ", ".join(p.name for p in known)
    return StoreError(
        f"no profile {name!r}; profiles are: {names}. Create it with: bj30 profile create {name!r} --institution NAME"
    )


class Conflict(StoreError):
    """Someone else changed what this save would overwrite since the editor opened it.

    `current` is the item as stored now, so that an editor can show it (and save over it
    once its user has seen it)."""

    def __init__(self, message: str, current: ItemProgress) -> None:
        super().__init__(message)
        self.current = current


# Data ------------------------------------------------------------------------------------


# The one list of an item's columns, in ItemProgress's order (both schemas name them so).
ITEM_COLUMNS = tuple(f.name for f in fields(ItemProgress))


STATUS_WORDS = {"todo": "to do", "doing": "doing", "done": "done", "na": "N/A"}


@dataclass(frozen=True)
class RemoteChange:
    """A change another session (another officer, another bj30) committed."""

    profile: str
    role: str
    item_id: str
    field: str
    new: str  # the new value of a status, owner or due date; "" for a note
    by: str  # the database user who made it ("" where the store does not know)

    def describe(self) -> str:
        """One line, e.g. "uni-004 marked done by wangli"."""
        who = f" by {self.by}" if self.by else " in another bj30"
        what = {
            "status": f"marked {STATUS_WORDS.get(self.new, self.new)}",
            "note": "note changed",
            "owner": f"owner set to {self.new}" if self.new else "owner cleared",
            "due": f"due date set to {self.new}" if self.new else "due date cleared",
            "reviewed": "marked again after its text changed",
            "evidence+": "evidence attached",
            "evidence-": "evidence removed",
        }.get(self.field, f"{self.field} changed")
        return f"{self.item_id} {what}{who}"


def summarise(changes: Sequence[RemoteChange], limit: int) -> list[str]:
    """At most `limit` lines about `changes`: each described, or the first few and a count."""
    lines = [c.describe() for c in changes]
    if len(lines) <= limit:
        return lines
    rest = changes[limit - 1 :]
    who = sorted({c.by for c in rest if c.by})
    return lines[: limit - 1] + [f"and {len(rest)} more changes" + (f" by {', '.join(who)}" if who else "")]


@dataclass
class Opened:
    """A store just opened, and what to tell the user about it (moved aside, read-only, ...)."""

    store: ProgressStore
    warnings: list[str]


# Text checks -----------------------------------------------------------------------------


def check_text(value: str, field: str) -> str:
    """`value`, or a StoreError if it holds what is not text: a NUL or a lone surrogate
    (a note typed as $'\\xff' on a UTF-8 command line arrives as one)."""
    problem = text_problem(value)
    if problem:
        raise StoreError(f"{field} {problem}; nothing was saved")
    return value


def one_line(value: str, field: str) -> str:
    """A short field (owner, institution, department) as stored: one line, at most MAX_FIELD_CHARS."""
    value = " ".join(check_text(value, field).split())
    if len(value) > MAX_FIELD_CHARS:
        raise StoreError(f"{field} is longer than {MAX_FIELD_CHARS} characters")
    return value


def check_due(due: str) -> str:
    """A due date as stored: YYYY-MM-DD (20261231 and 2026-W53-4 are ISO dates too: normalised), or ""."""
    due = check_text(due, "due date").strip()
    if due:
        try:
            return dt.date.fromisoformat(due).isoformat()
        except ValueError:
            raise StoreError(f"due date {due[:40]!r} {date_problem(due)}") from None
    return due


def date_problem(text: str) -> str:
    """Why `text` is not a date, to follow it: a day that does not exist (2027-02-30) said as such,
    else the form wanted ("is not a date like 2026-12-31")."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return f"is not a date: there is no month {month} (months are 01-12)"
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"is a day that does not exist: {calendar.month_name[month]} {year} has {last} days"
    return "is not a date like 2026-12-31"


# Times -----------------------------------------------------------------------------------


def now() -> str:
    """The time of a change, UTC, to the microsecond: 2026-11-26T12:00:00.123456Z."""
    return dt.datetime.now(dt.timezone.utc).strftime(STAMP)


def parse_stamp(stamp: str) -> dt.datetime | None:
    """A stored or exported time (with or without microseconds) as an aware datetime, or None."""
    for fmt in (STAMP, TIMESTAMP_FORMAT):
        try:
            return dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.timezone.utc)
        except (ValueError, TypeError):
            continue
    return None
