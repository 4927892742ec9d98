"""The compliance workbench the UI drives: catalog, store and profile, opened on first need.

Core (no Textual): the TUI holds one Workbench and shows its `warnings` as notifications;
tests drive it directly against a temporary store.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from tui.core.checklist import Checklist, ChecklistItem, normalise_space
from tui.core.checklist_loader import Catalog, load_catalog
from tui.core.export import build_export, render
from tui.core.policy import Policy
from tui.core.progress import ChecklistState, ItemState, checklist_state
from tui.core.store import DEFAULT_PROFILE, ItemProgress, Profile, Store


class Workbench:
    def __init__(self, policy: Policy, *, store_path: Path, builtin_dir: Path | Traversable,
                 user_dir: Path | None, profile: str = DEFAULT_PROFILE) -> None:
        self.policy = policy
        self.store_path = store_path
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self.profile_name = profile
        self.warnings: list[str] = []  # for the UI to show, then clear
        self._store: Store | None = None
        self._catalog: Catalog | None = None
        self._seen_version: int | None = None

    @classmethod
    def at_default_locations(cls, policy: Policy, *, profile: str | None = None,
                             store_path: Path | None = None) -> Workbench:
        """The workbench over the packaged checklists and the user's folders (tui/locations.py)."""
        from tui import locations

        return cls(policy, store_path=store_path or locations.store_path(),
                   builtin_dir=locations.builtin_checklists_dir(), user_dir=locations.user_checklists_dir(),
                   profile=profile or DEFAULT_PROFILE)

    @property
    def store(self) -> Store:
        if self._store is None:
            opened = Store.open(self.store_path)
            self.warnings += opened.warnings
            self._store = opened.store
        return self._store

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(self.policy, self.builtin_dir, self.user_dir)
            self.warnings += self._catalog.problems
        return self._catalog

    def take_warnings(self) -> list[str]:
        warnings, self.warnings = self.warnings, []
        return warnings

    # Profiles -----------------------------------------------------------------------

    @property
    def profile(self) -> Profile:
        return self.store.profile(self.profile_name)

    def use_profile(self, name: str) -> Profile:
        profile = self.store.profile(name)  # raises a clear error for an unknown one
        self.profile_name = name
        return profile

    # Checklists ---------------------------------------------------------------------

    def checklist(self, role: str) -> Checklist:
        return self.catalog.require(role)

    def state(self, role: str) -> ChecklistState:
        return checklist_state(self.store, self.profile_name, self.checklist(role))

    def states(self) -> list[ChecklistState]:
        return [checklist_state(self.store, self.profile_name, c) for c in self.catalog.checklists]

    def update(self, role: str, item: ChecklistItem, **changes: str | None) -> ItemProgress:
        """Commit a change to an item (status, note, owner, due); raises StoreError with the reason."""
        return self.store.update(self.profile_name, role, item.id, fingerprint=item.fingerprint, **changes)

    def items_citing(self, role: str, measure: int) -> list[ItemState]:
        return [s for s in self.state(role).items if measure in s.item.measures]

    def quote_span(self, item: ChecklistItem, measure: int) -> tuple[int, int] | None:
        """Where the item's quote stands in the measure's text, for highlighting."""
        text = self.policy.measure(measure).text
        start = text.find(item.quote)
        if start >= 0:
            return start, start + len(item.quote)
        # The validator compares with spaces normalised; find the same words in the raw text.
        words = normalise_space(item.quote).split(" ")
        start = text.find(words[0])
        while start >= 0:
            end = _match_words(text, start, words)
            if end is not None:
                return start, end
            start = text.find(words[0], start + 1)
        return None

    def changed_elsewhere(self) -> bool:
        """True once after another process (another bj30, `bj30 mark`) committed a change."""
        if self._store is None:
            return False
        version = self._store.data_version()
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        return changed

    def export(self, role: str, fmt: str) -> tuple[str, int]:
        """The rendered export of a role's checklist for the current profile, and its item count."""
        data = build_export(self.policy, self.store, self.profile_name, self.checklist(role))
        return render(data, fmt), len(data.state.items)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _match_words(text: str, start: int, words: list[str]) -> int | None:
    pos = start
    for i, word in enumerate(words):
        if i:
            if pos >= len(text) or not text[pos].isspace():
                return None
            while pos < len(text) and text[pos].isspace():
                pos += 1
        if not text.startswith(word, pos):
            return None
        pos += len(word)
    return pos
