"""The compliance workbench the UI drives: catalog, store and profile, opened on first need.

Core (no Textual): the app and the CLI each hold one Workbench and reach the store only through
it (every command too, `bj30 store` included). Beside it: profiles.py (create, rename, archive, delete),
evidence.py, search.py (one answer over the groups), stores.py (info, copy, grant). Warnings (a damaged
store moved aside, a broken user checklist) go through one channel, `warn()`: the app sets `on_warning`
to show each as a notification; the CLI prints them on stderr at the end. Tests drive it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.core.config import KEYS as CONFIG_KEYS
from tui.core.config import Config, ConfigError, check_person, fresh_config, load_config, save_config, store_choice, who
from tui.core.content.checklist import Checklist, ChecklistItem, quote_span
from tui.core.content.checklist_loader import Catalog, load_catalog
from tui.core.content.policy import Policy
from tui.core.errors import Bj30Error
from tui.core.export.render import render
from tui.core.export.rows import build_export
from tui.core.progress.actions import Action, open_actions
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ChecklistState, ItemState, checklist_state
from tui.core.store.api import ProgressStore
from tui.core.store.copy import CopyReport
from tui.core.store.importer import ImportReport, import_progress
from tui.core.store.location import StoreLocation, open_store, parse_location, team_driver_missing
from tui.core.store.locked import LockedStore
from tui.core.store.model import DEFAULT_PROFILE, HistoryEntry, ItemProgress, Profile, RemoteChange
from tui.core.text.localtime import today
from tui.core.workbench import profiles, search, stores
from tui.core.workbench.evidence import EvidenceCheck, add_evidence, check_evidence, evidence_by_item
from tui.core.workbench.search import SEARCH_GROUPS

if TYPE_CHECKING:
    from tui.core.search.index import SearchIndex
    from tui.core.search.units import Found, SearchHit


class Workbench:
    def __init__(
        self,
        policy: Policy,
        *,
        store_path: Path | None = None,
        builtin_dir: Path | Traversable,
        user_dir: Path | None,
        profile: str | None = None,
        config_path: Path | None = None,
        by: str | None = None,
        store_location: StoreLocation | None = None,
        config: Config | None = None,
    ) -> None:
        """`profile`: the one asked for (--profile); None uses the one remembered in the config
        (`bj30 profile use`, P in the app), else the default. `by`: who makes the changes (--by);
        None uses the configured name, else the login name. The store: the SQLite file at
        `store_path`, or `store_location` (either backend)."""
        self.policy = policy
        self.warnings: list[str] = []  # kept until taken, unless on_warning takes each as it comes
        self.on_warning: Callable[[str], None] | None = None
        if store_location is None:
            assert store_path is not None, "a store_path or a store_location"
            store_location = parse_location(str(store_path))
        self.location = store_location
        self.store_path = store_location.path  # None for a team store
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self.config_path = config_path
        self.store_source = "given"  # which setting chose the store (bj30 paths, bj30 config get)
        self._location_problem: str | None = None
        self._config: Config | None = None
        if config is not None:  # read already (it may say where the store is)
            self._config = config
            if config.warning:
                self.warn(config.warning)
        self._remembered = profile is None
        self.profile_name = profile or self.config.get("profile") or DEFAULT_PROFILE
        self.by = by
        self._store: ProgressStore | None = None
        self._catalog: Catalog | None = None
        self._read_only_reason: str | None = None  # as last said: a change is worth saying
        self._items_index: SearchIndex | None = None
        self._notes_index: SearchIndex | None = None
        self._indexed_notes: list[tuple[str, str, str]] = []

    @classmethod
    def at_default_locations(
        cls,
        policy: Policy,
        *,
        profile: str | None = None,
        store_path: Path | None = None,
        by: str | None = None,
        store: str | None = None,
    ) -> Workbench:
        """The workbench over the packaged checklists and the user's folders (tui/core/locations.py).

        The store: `store` (a path or URL, from --store), else `store_path`, else BJ30_STORE,
        else the config file's `store`, else the SQLite file in the data folder. A location that
        cannot be a store is said when the store is first needed, so that `bj30 config` can
        still put it right."""
        from tui.core import locations

        config = load_config(locations.config_file())
        choice = store_choice(store or (str(store_path) if store_path else None), config, locations.store_path())
        problem = None
        try:
            location = parse_location(choice.text)
        except Bj30Error as exc:
            location, problem = parse_location(str(locations.store_path())), f"{exc} (from {choice.source})"
        wb = cls(
            policy,
            store_location=location,
            builtin_dir=locations.builtin_checklists_dir(),
            user_dir=locations.user_checklists_dir(),
            profile=profile,
            config_path=locations.config_file(),
            by=by,
            config=config,
        )
        wb.store_source, wb._location_problem = choice.source, problem
        return wb

    @classmethod
    def signed_in(cls, policy: Policy, store: str, user: str, password: str, *, profile: str | None = None) -> Workbench:
        """The workbench on the team store at `store` as database `user` (`bj30 serve --login`: each
        browser user signs in as themselves, so the database records them, not the server's
        user). Connects now (blocking: call it off the UI thread); a Bj30Error says why it could
        not, with the password hidden."""
        from tui.core.store.location import with_login

        if not user.strip():
            raise Bj30Error("Give your database user name.")
        wb = cls.at_default_locations(policy, profile=profile, store=with_login(store, user.strip(), password))
        try:
            opened = wb.store
            if not wb.who:  # not connected: the session would be read-only, as nobody
                raise Bj30Error(opened.read_only_reason or f"cannot sign in to {wb.location}")
            if profile:
                wb.use_profile(profile)
        except BaseException:
            wb.close()
            raise
        return wb

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            if self._location_problem:
                raise Bj30Error(self._location_problem)
            opened = open_store(self.location)
            for warning in opened.warnings:
                self.warn(warning)
            self._store = cast(ProgressStore, LockedStore(opened.store))  # used from two threads: one call at a time
            self._read_only_reason = opened.store.read_only_reason
            if self.location.is_team and self.by:
                self.warn(
                    f"--by {self.by!r} is not used: a team store records who makes each change itself "
                    f"(here: database user {self.who or '(not connected)'})"
                )
            if self._remembered and self.profile_name != DEFAULT_PROFILE:
                try:
                    known = {p.name for p in self._store.profiles()}
                except Bj30Error:
                    known = {self.profile_name}  # cannot read (a team store away): it says so when used
                if self.profile_name not in known:
                    self.warn(
                        f"the profile chosen last, {self.profile_name!r}, is not in the store "
                        f"{self.location}; using {DEFAULT_PROFILE!r}"
                    )
                    self.profile_name = DEFAULT_PROFILE
        return self._store

    @property
    def config(self) -> Config:
        """The user's settings, read again once the file changed (`bj30 config set name` counts from the next change)."""
        fresh = fresh_config(self._config, self.config_path)
        if fresh is not self._config and fresh.warning:
            self.warn(fresh.warning)
        self._config = fresh
        return fresh

    def set_config(self, key: str, value: str) -> str:
        """Set (or, with "", clear) a setting and save it; returns the value as kept."""
        if key not in CONFIG_KEYS:
            raise ConfigError(f"no setting {key!r}; settings are: {', '.join(CONFIG_KEYS)}")
        if self.config_path is None:
            raise ConfigError("no config folder: settings cannot be saved")
        if key == "name" and value:
            value = check_person(value)
        if key == "profile" and value:
            value = self.store.profile(value).name  # an unknown profile is an error listing them
        if key == "store" and value:
            value = value.strip()
            location = parse_location(value)  # refuse what can never be a store, before keeping it
            missing = team_driver_missing() if location.is_team else None
            if missing:
                self.warn(f"{location} is kept, but {missing}")
        config = self.config
        if value:
            config.values[key] = value
        else:
            config.values.pop(key, None)
        config.path = self.config_path
        save_config(config)
        return value

    @property
    def who(self) -> str:
        """Who makes the changes: --by, else `bj30 config set name`, else the login name. In a
        team store the database decides: its user ("" until connected)."""
        if self.location.is_team:
            return self._store.user if self._store is not None else ""
        return who(self.by, self.config)

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(self.policy, self.builtin_dir, self.user_dir)
            for problem in self._catalog.problems:
                self.warn(problem)
        return self._catalog

    def warn(self, message: str) -> None:
        """One channel for warnings: straight to the UI's callback when set, else kept for take_warnings()."""
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            self.warnings.append(message)

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

    def remember_profile(self, name: str) -> Profile:
        """Use `name` from now on, in this session and the next ones (`bj30 profile use`, P in the app)."""
        profile = self.use_profile(name)
        self.set_config("profile", "" if name == DEFAULT_PROFILE else name)
        return profile

    def check_profile(self) -> Profile:
        """The current profile; an unknown one (a mistyped --profile) is an error, not an empty view."""
        return self.store.profile(self.profile_name)

    def profiles(self) -> list[Profile]:
        return self.store.profiles()

    def create_profile(self, name: str, institution: str, department: str = "") -> Profile:
        """A new profile. Its name is an id (`pku-hospital`); the institution is what people read."""
        return profiles.create(self, name, institution, department)

    def update_profile(self, name: str, institution: str | None = None, department: str | None = None) -> Profile:
        """Change a profile's institution or department; None keeps what it has."""
        return profiles.update(self, name, institution, department)

    def rename_profile(self, old: str, new: str) -> Profile:
        """A new name for a profile, with everything recorded under it; the one in use follows."""
        return profiles.rename(self, old, new)

    def delete_profile(self, name: str, archive: Path | None = None, force: bool = False) -> Path | None:
        """Delete a profile; one holding anything only with `archive`, its export written first."""
        return profiles.delete(self, name, archive, force)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    # Checklists ---------------------------------------------------------------------

    def checklist(self, role: str) -> Checklist:
        return self.catalog.require(role)

    def state(self, role: str) -> ChecklistState:
        return checklist_state(self.store, self.profile_name, self.checklist(role))

    def states(self) -> list[ChecklistState]:
        return [checklist_state(self.store, self.profile_name, c) for c in self.catalog.checklists]

    def update(
        self,
        role: str,
        item: ChecklistItem,
        *,
        status: str | None = None,
        note: str | None = None,
        owner: str | None = None,
        due: str | None = None,
        expect: Mapping[str, str] | None = None,
    ) -> ItemProgress:
        """Commit a change to an item (status, note, owner, due), recorded as made by `who`;
        raises StoreError with the reason. With `expect` (what an editor started from), a field
        changed elsewhere since is refused with Conflict instead of being overwritten."""
        values = {"status": status, "note": note, "owner": owner, "due": due}
        return self.store.update(
            self.profile_name, role, item.id, fingerprint=item.fingerprint, by=self.who, expect=expect, **values
        )

    def item(self, role: str, item_id: str) -> ChecklistItem:
        """A role's item, or an error listing the ids there are."""
        checklist = self.checklist(role)
        if (item := checklist.item(item_id)) is None:
            raise Bj30Error(
                f"no item {item_id!r} in {checklist.role}; items are: {', '.join(sorted(it.id for it in checklist.items))}"
            )
        return item

    def history(self, role: str, item_id: str | None = None) -> list[HistoryEntry]:
        """A role's history in the current profile (one item's when given), oldest first."""
        return self.store.history(self.profile_name, self.checklist(role).role, item_id)

    # Evidence (tui/core/workbench/evidence.py) --------------------------------------------

    def evidence(self, role: str, item_id: str | None = None) -> dict[str, list[Evidence]]:
        """Each item's evidence (those with any), in the app's order of the items."""
        return evidence_by_item(self, role, item_id)

    def add_evidence(
        self, role: str, item: ChecklistItem, target: str, *, note: str = "", kind: str | None = None
    ) -> tuple[Evidence, int]:
        """Attach a file, a URL or a reference to an item; its number among the item's."""
        return add_evidence(self, role, item, target, note, kind)

    def item_evidence(self, role: str, item_id: str) -> list[Evidence]:
        """One item's evidence, in the order attached (numbered from 1 as `remove_evidence` takes it)."""
        return [e for _, _, e in self.store.evidence(self.profile_name, role, item_id)]

    def remove_evidence(self, role: str, item: ChecklistItem, number: int) -> Evidence:
        return self.store.remove_evidence(self.profile_name, role, item.id, number, by=self.who)

    def check_evidence(self, role: str | None = None) -> list[EvidenceCheck]:
        """Every attached file read again: changed, missing or unreadable since it was attached."""
        return check_evidence(self, role)

    def items_citing(self, role: str, measure: int) -> list[ItemState]:
        return [s for s in self.state(role).items if measure in s.item.measures]

    def quote_span(self, item: ChecklistItem, measure: int) -> tuple[int, int] | None:
        """Where the item's quote stands in the measure's text, for highlighting."""
        return quote_span(self.policy.measure(measure).text, item.quote)

    # Search ---------------------------------------------------------------------------

    def search(self, query: str, groups: Sequence[str] = SEARCH_GROUPS, limit: int = 10) -> list[SearchHit]:
        """Hits for `query` in each of `groups` (policy, items, notes), in that order, at most
        `limit` per group."""
        return self.answer(query, groups, limit).hits

    def answer(self, query: str, groups: Sequence[str] = SEARCH_GROUPS, limit: int = 10) -> Found:
        """Hits for `query` in each of `groups`, in that order, at most `limit` per group; the
        words the policy never uses; whether the policy addresses the query (search.py)."""
        return search.answer(self, query, groups, limit)

    def item_ids_in(self, query: str) -> list[tuple[str, str]]:
        """The item ids typed in `query` that name items of the catalog, each with its
        document ("role/item-id"), in the order typed (an id two checklists share: both)."""
        return search.item_ids_in(self, query)

    def search_index(self, group: str) -> SearchIndex:
        """The index of one group, built on first need: the policy's once per process, the
        items' once per catalog, the notes' again whenever a note changed (here or elsewhere)."""
        from tui.core.search.index import SearchIndex, index_for
        from tui.core.search.units import item_units, note_units

        policy_index = index_for(self.policy)
        for problem in policy_index.take_warnings():  # a broken thesaurus: said once, search goes on
            self.warn(problem)
        if group == "policy":
            return policy_index
        if group == "items":
            if self._items_index is None:
                units, titles = item_units(self.catalog.checklists)
                self._items_index = SearchIndex(units, titles, thesaurus=policy_index.thesaurus, group="items")
            return self._items_index
        if group == "notes":
            notes = self._notes()
            if self._notes_index is None or notes != self._indexed_notes:
                items = {f"{c.role}/{it.id}": (it.measure, c.title) for c in self.catalog.checklists for it in c.items}
                units, titles = note_units(notes, items)
                self._notes_index = SearchIndex(units, titles, thesaurus=policy_index.thesaurus, group="notes")
                self._indexed_notes = notes
            return self._notes_index
        raise ValueError(f"unknown search group {group!r}; groups are: {', '.join(SEARCH_GROUPS)}")

    def _notes(self) -> list[tuple[str, str, str]]:
        # No store yet means no notes: searching must not create one.
        if self._store is None and not self.location.exists():
            return []
        return self.store.notes(self.profile_name)

    def changed_elsewhere(self) -> bool:
        """True once after another process (another bj30, `bj30 mark`, another officer) committed."""
        return self.changes_elsewhere() is not None

    def changes_elsewhere(self) -> list[RemoteChange] | None:
        """What others committed since the last call, for the current profile (None: nothing;
        a list, maybe empty: reload). A session turning read-only (the team store went away)
        or writable again is said once through warn()."""
        if self._store is None:
            return None
        changes = self._store.changes_elsewhere()
        reason = self._store.read_only_reason
        if (reason is None) != (self._read_only_reason is None):  # not each new wording of why
            if reason is not None:
                self.warn(f"read-only session: {reason}; ticks and notes cannot be saved")
            else:
                self.warn(f"the store {self.location} answers again: changes are saved again")
            self._read_only_reason = reason
            changes = changes or []
        if changes is None:
            return None
        return [c for c in changes if c.profile == self.profile_name]

    def export(self, roles: Sequence[str], fmt: str) -> tuple[bytes, int]:
        """The export of one or more roles' checklists for the current profile (the bytes of the
        file), and its item count. A role named twice is exported once."""
        unique = list(dict.fromkeys(roles))
        data = build_export(self.policy, self.store, self.profile_name, [self.checklist(r) for r in unique])
        return render(data, fmt), data.items

    def open_actions(
        self,
        *,
        owner: str | None = None,
        due_before: dt.date | None = None,
        overdue: bool = False,
        roles: Sequence[str] | None = None,
        sort: str = "due",
    ) -> list[Action]:
        """Every item to do or in progress, across the profile's checklists (see core/actions.py)."""
        if roles:
            for role in roles:
                self.checklist(role)  # an unknown role is an error listing the roles
        return open_actions(
            self.states(), today(), owner=owner, due_before=due_before, overdue=overdue, roles=roles or None, sort=sort
        )

    def import_progress(self, role: str, data: dict[str, Any], source: str) -> ImportReport:
        """Restore progress for `role` from a parsed JSON export (see importer.read_export)."""
        return import_progress(self.store, self.profile_name, self.checklist(role), data, source=source, by=self.who)

    # The store itself (bj30 store info|copy|grant): stores.py ------------------------------

    def store_facts(self) -> dict[str, str]:
        return stores.facts(self)

    def copy_store(self, source: str | None, target: str) -> tuple[CopyReport, StoreLocation, StoreLocation]:
        return stores.copy(self, source, target)

    def grant(self, role: str, kind: str) -> None:
        stores.grant(self, role, kind)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
