"""The store behind one interface: where it is, how it opens, and the rules both backends share.

Two backends hold progress: the SQLite file (tui/core/store/sqlite.py, the default, one officer) and
PostgreSQL (tui/core/store/postgres.py, a team store: `bj30[team]`). The Workbench, the exports and
the importer see only `ProgressStore`; `open_store()` picks the backend from a location:

    /path/to/progress.sqlite3   or   sqlite:///path/to/progress.sqlite3   the SQLite file
    postgresql://user@host:5432/db?sslmode=require                       the team store

The rules of a change (what is valid, what the new state is, which fields go into history,
when a save must be refused as a conflict) live here once, so the backends cannot drift; one
test suite runs against both (tests/test_store.py).

Core: no Textual. The PostgreSQL driver is imported only when a PostgreSQL store is opened.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from tui.core.errors import Bj30Error
from tui.core.progress.status import STATUSES
from tui.core.store.sqlite import (
    MAX_NOTE_CHARS,
    MAX_PROFILE_NAME,
    STAMP,
    HistoryEntry,
    ItemProgress,
    Profile,
    StoreError,
    _one_line,
    check_due,
    check_text,
    parse_stamp,
)

if TYPE_CHECKING:
    from tui.core.progress.evidence import Evidence
    from tui.core.store.copy import CopyReport, StoreRows

TEAM_EXTRA = "pip install 'bj30[team]'"
PG_SCHEMES = ("postgresql", "postgres")
# The fields an officer edits; history records each change of one (and "reviewed").
FIELDS = ("status", "note", "owner", "due")


class Conflict(StoreError):
    """Someone else changed what this save would overwrite since the editor opened it.

    `current` is the item as stored now, so that an editor can show it (and save over it
    once its user has seen it)."""

    def __init__(self, message: str, current: ItemProgress) -> None:
        super().__init__(message)
        self.current = current


# Where the store is ------------------------------------------------------------------


@dataclass(frozen=True)
class StoreLocation:
    """A store's location. `url` may hold a password: print `display`, never `url`."""

    kind: Literal["sqlite", "postgresql"]
    url: str
    path: Path | None = None
    display: str = ""
    secrets: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.display

    @property
    def is_team(self) -> bool:
        return self.kind == "postgresql"

    def exists(self) -> bool:
        """False only for a SQLite file not made yet (searching notes must not create one)."""
        return self.path.exists() if self.path is not None else True

    def scrub(self, text: str) -> str:
        """`text` (an error message from the driver or the server) with any secret of the URL hidden."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


def parse_location(text: str) -> StoreLocation:
    """A store location from a path or a URL; a Bj30Error for one that cannot be a store."""
    text = text.strip()
    if not text:
        raise Bj30Error("the store location is empty: give a file path or postgresql://user@host:5432/db")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in PG_SCHEMES:
        return _pg_location(text)
    if scheme == "sqlite":
        text = text[len("sqlite://") :]
        if not text:
            raise Bj30Error("sqlite:// needs a path, e.g. sqlite:///home/me/progress.sqlite3")
    elif scheme:
        raise Bj30Error(f"unknown store URL scheme {scheme[:20]!r}: use a file path or postgresql://user@host:5432/db")
    path = Path(text).expanduser()
    return StoreLocation("sqlite", str(path), path, str(path))


def _pg_location(url: str) -> StoreLocation:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise Bj30Error(f"the store URL is not valid ({exc}): use postgresql://user@host:5432/db") from None
    secrets: list[str] = []
    netloc = parts.netloc
    userinfo, at, hostinfo = netloc.rpartition("@")
    if at and ":" in userinfo:
        user, _, password = userinfo.partition(":")
        secrets += [password, unquote(password)]
        netloc = f"{user}:***@{hostinfo}"
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() == "password":
            secrets.append(value)
            value = "***"
        query.append(f"{key}={value}")
    display = f"{parts.scheme}://{netloc}{parts.path}" + (f"?{'&'.join(query)}" if query else "")
    # Longest first, so that a password containing another secret is hidden whole.
    ordered = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
    return StoreLocation("postgresql", url, None, display, ordered)


def redact(url: str) -> str:
    """A URL as it may be printed: any password replaced by ***."""
    try:
        return parse_location(url).display
    except Bj30Error:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def team_driver_missing() -> str | None:
    """None when psycopg 3 is importable; else the one line saying what to install."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return f"a PostgreSQL store needs the team extra: {TEAM_EXTRA}"
    return None


@dataclass
class Opened:
    """A store just opened, and what to tell the user about it (moved aside, read-only, ...)."""

    store: ProgressStore
    warnings: list[str]


def open_store(location: StoreLocation) -> Opened:
    """Open the store at `location`; never raises for a bad file or an unreachable server (a
    read-only session says why), only for a PostgreSQL URL without the driver installed."""
    if location.kind == "sqlite":
        from tui.core.store.sqlite import Store

        assert location.path is not None
        opened = Store.open(location.path)
        return Opened(opened.store, opened.warnings)
    missing = team_driver_missing()
    if missing:
        raise Bj30Error(missing)
    from tui.core.store.postgres import PgStore

    return PgStore.open(location)


# What another session changed ------------------------------------------------------

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


# The interface ------------------------------------------------------------------------


class ProgressStore(Protocol):
    """What the Workbench, the exports and the importer need of a store (both backends)."""

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str | None: ...

    def close(self) -> None: ...

    def ensure_profile(self, name: str) -> None: ...

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile: ...

    def update_profile(self, name: str, institution: str, department: str = "") -> Profile: ...

    def profiles(self) -> list[Profile]: ...

    def profile(self, name: str) -> Profile: ...

    def progress(self, profile: str, role: str) -> dict[str, ItemProgress]: ...

    def item(self, profile: str, role: str, item_id: str) -> ItemProgress: ...

    def update(
        self,
        profile: str,
        role: str,
        item_id: str,
        *,
        fingerprint: str,
        status: str | None = None,
        note: str | None = None,
        owner: str | None = None,
        due: str | None = None,
        by: str = "",
        expect: Mapping[str, str] | None = None,
    ) -> ItemProgress:
        """Commit a change (durably, before returning) and return the new state. `by`: who made it
        (the file records it; a team store records its database user instead, whatever is
        given). With `expect` (field -> the value the editor started from), a field someone
        else changed since is refused with Conflict rather than overwritten."""
        ...

    def notes(self, profile: str) -> list[tuple[str, str, str]]: ...

    @property
    def store_id(self) -> str:
        """A random id the store got when it was made (exports carry it)."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Many changes in one transaction: all are committed, or none (an import)."""
        ...

    def restore(self, profile: str, role: str, theirs: ItemProgress, by: str = "") -> ItemProgress:
        """Write an imported state over the stored one (the importer decided it is newer)."""
        ...

    # Evidence (issue 13): attached, never deleted (removed ones are marked so).

    def evidence(self, profile: str, role: str | None = None, item_id: str | None = None) -> list[tuple[str, str, Evidence]]: ...

    def add_evidence(
        self, profile: str, role: str, item_id: str, e: Evidence, by: str = "", at: str | None = None, record: bool = True
    ) -> Evidence: ...

    def has_evidence(self, profile: str, role: str, item_id: str, e: Evidence) -> bool: ...

    def remove_evidence(self, profile: str, role: str, item_id: str, number: int, by: str = "") -> Evidence: ...

    # Profiles: rename and delete (issue 13).

    def holds_progress(self, name: str) -> bool: ...

    def roles_of(self, name: str) -> set[str]: ...

    def rename_profile(self, old: str, new: str) -> Profile: ...

    def delete_profile(self, name: str) -> None: ...

    def add_history(self, profile: str, role: str, entries: list[HistoryEntry]) -> tuple[int, int]:
        """Add imported history entries the store lacks: (added, already there)."""
        ...

    def history(self, profile: str, role: str, item_id: str | None = None) -> list[HistoryEntry]: ...

    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """None while nothing changed; else the changes other sessions committed since the
        last call (possibly none that it can name: then reload all the same)."""
        ...

    def rows(self) -> StoreRows:
        """Everything the store holds, for `bj30 store copy`."""
        ...

    def merge(self, rows: StoreRows, source: str) -> CopyReport:
        """Add what `rows` has and this store lacks, in one transaction; never overwrite newer."""
        ...


# The rules of a change, shared by both backends --------------------------------------


def check_values(status: str | None, note: str | None, owner: str | None, due: str | None) -> tuple[str | None, str | None]:
    """Refuse a bad value before any transaction; returns the owner and due date as stored."""
    if status is not None and status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise StoreError(f"note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
    if note is not None:
        check_text(note, "note")
    if owner is not None:
        owner = _one_line(owner, "owner")
    if due is not None:
        due = check_due(due)
    return owner, due


def check_profile_name(name: str) -> str:
    name = check_text(name, "profile name").strip()
    if not name or len(name) > MAX_PROFILE_NAME or any(ch in name for ch in "\n\r\t"):
        raise StoreError(f"a profile name is 1-{MAX_PROFILE_NAME} characters on one line")
    return name


@dataclass(frozen=True)
class Plan:
    """What a change does: the new state, and the history rows (field, old, new) it writes."""

    new: ItemProgress
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    write: bool = True  # False: nothing to store (the item is already so)


def plan_update(
    old: ItemProgress, *, fingerprint: str, stamp: str, status: str | None, note: str | None, owner: str | None, due: str | None
) -> Plan:
    """The new state of an item (values already checked by check_values) and its history rows.

    N/A needs a reason; completion keeps its first time; marking again after the quote's text
    changed puts the review on record; each change adds one to the item's revision; an item's
    times never go backwards (`stamp`, the clock's time, if it is after the last change, else
    just after that)."""
    new_status = old.status if status is None else status
    new_note = old.note if note is None else note
    if new_status == "na" and not new_note.strip():
        raise StoreError(f"{old.item_id}: N/A needs a reason: say in the note why the item does not apply")
    stamp = stamp_after(old.changed, stamp)
    new = ItemProgress(
        old.item_id,
        new_status,
        new_note,
        old.owner if owner is None else owner,
        old.due if due is None else due,
        fingerprint if status is not None else (old.fingerprint or fingerprint),
        stamp,
        (old.completed or stamp) if new_status == "done" else "",
        old.revision + 1,
    )
    changes = [(f, getattr(old, f), getattr(new, f)) for f in FIELDS if getattr(old, f) != getattr(new, f)]
    if old.fingerprint and new.fingerprint != old.fingerprint:
        changes.append(("reviewed", old.fingerprint, new.fingerprint))
    return Plan(new, changes, write=bool(changes) or new.fingerprint != old.fingerprint)


def stamp_after(previous: str, stamp: str) -> str:
    """`stamp`, or just after `previous` if the clock went back (or two changes fell in one tick)."""
    before = parse_stamp(previous) if previous else None
    if before is not None and stamp <= before.strftime(STAMP):
        return (before + dt.timedelta(microseconds=1)).strftime(STAMP)
    return stamp


def conflicting(old: ItemProgress, expect: Mapping[str, str] | None, wanted: Mapping[str, str | None]) -> list[str]:
    """The fields this save would overwrite although someone changed them since the editor
    read them: stored != what the editor started from, and stored != what it now saves."""
    if not expect:
        return []
    return [
        f
        for f, base in expect.items()
        if f in FIELDS and wanted.get(f) is not None and getattr(old, f) != base and getattr(old, f) != wanted[f]
    ]


def conflict(old: ItemProgress, fields: Sequence[str], by: str, at: str, now: dt.datetime | None = None) -> Conflict:
    """The Conflict for a refused save: "changed by wangli 5 s ago: reload"."""
    who = f"by {by}" if by else "in another bj30"
    return Conflict(f"{' and '.join(fields)} changed {who} {ago(at, now)}: reload", old)


def ago(stamp: str, now: dt.datetime | None = None) -> str:
    """'5 s ago' without the 'ago': how long since a stored UTC time, in the largest sensible unit."""
    try:
        then = dt.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return "recently"
    seconds = max(0, int(((now or dt.datetime.now(dt.timezone.utc)) - then).total_seconds()))
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"
