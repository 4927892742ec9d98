"""`bj30 store copy`: everything one store holds, added to another; idempotent and reported.

Profiles, items (progress) and history entries go across; what the target already has is left
alone, so running a copy twice adds nothing the second time. An item the target changed after
the source did is kept and reported, never overwritten. History is appended to, never changed:
an entry is "already there" when the target has one with the same item, field, old and new
values and time.

What a copy carries (StoreRows) and what it reports (CopyReport) are here; what it decides for
each row is rules.py's (rules.merge), applied by the target inside one write transaction, so a
copy is all or nothing. Core: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.core.progress.evidence import Evidence
from tui.core.store.model import ItemProgress, Profile

if TYPE_CHECKING:
    from tui.core.store.api import ProgressStore

HistoryKey = tuple[str, str, str, str, str, str, str]  # profile, role, item, field, old, new, at
EvidenceKey = tuple[str, str, str, str, str, str, str]  # profile, role, item, kind, target, sha256, added


@dataclass(frozen=True)
class ProfileRow:
    profile: Profile
    created: str


@dataclass(frozen=True)
class ProgressRow:
    profile: str
    role: str
    item: ItemProgress


@dataclass(frozen=True)
class HistoryRow:
    profile: str
    role: str
    item_id: str
    field: str
    old: str
    new: str
    at: str
    by: str = ""  # who, where the store knows it (the team store: the database user)


@dataclass(frozen=True)
class EvidenceRow:
    profile: str
    role: str
    item_id: str
    evidence: Evidence  # added and by: when and by whom it was attached
    removed: str = ""  # when it was marked removed ("" if it is still attached)
    removed_by: str = ""


@dataclass
class StoreRows:
    profiles: list[ProfileRow] = field(default_factory=list)
    progress: list[ProgressRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)


@dataclass
class CopyReport:
    profiles_added: int = 0
    profiles_there: int = 0
    items_added: int = 0
    items_updated: int = 0
    items_same: int = 0
    kept_newer: list[str] = field(default_factory=list)  # one line each
    history_added: int = 0
    history_there: int = 0
    evidence_added: int = 0
    evidence_removed: int = 0  # attached in the target, marked removed in the source: marked so
    evidence_there: int = 0

    @property
    def changed(self) -> bool:
        added = (self.profiles_added, self.items_added, self.items_updated, self.history_added, self.evidence_added)
        return any(added) or bool(self.evidence_removed)

    def lines(self) -> list[str]:
        return [
            f"profiles: {self.profiles_added} added, {self.profiles_there} already there",
            f"items: {self.items_added} added, {self.items_updated} updated, {self.items_same} already so, "
            f"{len(self.kept_newer)} kept newer in the target",
            f"history: {self.history_added} entries added, {self.history_there} already there",
            f"evidence: {self.evidence_added} records added, {self.evidence_removed} marked removed, "
            f"{self.evidence_there} already so",
        ]


def copy_store(source: ProgressStore, target: ProgressStore, source_label: str) -> CopyReport:
    """Add what `source` holds to `target` (one transaction in the target)."""
    return target.merge(source.rows(), source_label)
