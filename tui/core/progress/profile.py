"""An institution profile, and a read of it cheap enough for the first screen.

Kept apart from tui/core/store/sqlite.py (which stays the only writer) so the header line can name
the institution at start-up without importing the store and its dependencies (~10 ms), and
without opening the store for writing (which creates, migrates and syncs it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PROFILE = "default"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    institution: str = ""
    department: str = ""

    def label(self, sep: str = " · ") -> str:
        """The institution (and department) as people read it, or a clear placeholder."""
        label = self.institution or "(institution not set)"
        return f"{label}{sep}{self.department}" if self.department else label


def peek_profile(path: Path, name: str) -> Profile | None:
    """The profile `name` as the store at `path` holds it, read-only: nothing is created, migrated
    or locked. None when there is no store yet, no such profile, or the file cannot be read (the
    store itself reports such problems when it is opened)."""
    if not path.is_file():
        return None
    # With no -wal file nobody has the store open and the file holds everything: read it as
    # immutable, which creates no -wal/-shm files beside it. With one, recent changes may be
    # in it, so read through it (the files exist already; nothing is added).
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            row = conn.execute("SELECT name, institution, department FROM profiles WHERE name = ?", (name,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return Profile(*row) if row else None
