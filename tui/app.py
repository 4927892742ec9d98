"""The bj30 Textual app. Thin: screens do the work; the core holds the data."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.app_commands import SystemCommandsApp
from tui.core import locations
from tui.core.content.places import PREAMBLE, Place, body_text, parse_place
from tui.core.content.policy import Policy
from tui.core.content.policy_loader import load_policy
from tui.core.errors import Bj30Error
from tui.core.text.safe_text import visible
from tui.core.ui_state import ListPlace, UiState, load_ui_state, save_ui_state
from tui.key_order import KeysInOrderApp
from tui.screens.base import Bj30Base
from tui.store_jobs import StoreJobs
from tui.widgets.header_line import HeaderLine

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.progress.profile import Profile
    from tui.core.search.index import SearchIndex
    from tui.core.search.units import Found
    from tui.core.workbench import Workbench
    from tui.screens.search import SearchOutcome


T = TypeVar("T")
MAX_NOTICES = 100
# Build the search index this long after start-up, in a thread (the first screen comes first).
WARM_SEARCH_AFTER_S = 0.5


class Notice(NamedTuple):
    message: str
    severity: SeverityLevel


def _measures_provider() -> type:
    # Imported on first use of the palette: textual.command costs ~15 ms at start-up.
    from tui.commands import MeasuresProvider

    return MeasuresProvider


def _workbench_provider() -> type:
    from tui.commands import WorkbenchProvider

    return WorkbenchProvider


class Bj30App(KeysInOrderApp[None], SystemCommandsApp[None], Bj30Base):
    TITLE = "bj30"
    SUB_TITLE = "the 30 Measures"
    # Absolute, so subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {_measures_provider, _workbench_provider}
    BINDINGS = [
        Binding("slash", "search", "Search", id="app.search"),
        Binding("l", "checklists", "Checklists", id="app.checklists"),
        # f1 too: where `?` is typed into a search box, help is still one key away.
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        # q works everywhere and is in the help; the footer keeps its room at 80 columns.
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        state_path: Path | None = None,
        store_path: Path | None = None,
        profile: str | None = None,
        store: str | None = None,
        ask_first_run: bool = False,
    ) -> None:
        """`ask_first_run`: ask for the institution and the user's name when neither is set (bj30
        itself; tests ask for it where they test it)."""
        super().__init__()
        self.ask_first_run = ask_first_run
        self.policy = policy or load_policy()
        self._store_path = store_path
        self._store = store  # a path or URL (--store); None: BJ30_STORE, the config, the default file
        self._profile = profile
        self._workbench: Workbench | None = None
        self.last_role: str | None = None
        self._state_path = state_path or locations.ui_state_path()
        loaded = load_ui_state(self._state_path)
        self.ui_state: UiState = loaded.state
        self._startup_warnings = [loaded.warning] if loaded.warning else []
        self._state_error_shown = False
        # What the app told the user lately (newest last), after the toasts have gone.
        self.notices: deque[Notice] = deque(maxlen=MAX_NOTICES)
        self.last_query = ""
        # What the header lines say about the profile: its institution once known (learn_profile).
        self.profile_words = f"profile {profile}" if profile else ""
        self.who_words = ""
        self._profile_learned = False
        self._configured_profile: str | None = None
        # Store work off the event loop (tui/store_jobs.py): opening, reading a checklist, saving.
        self.store_jobs = StoreJobs(self)
        # Where the officer was in each role's checklist, for coming back to it (issue 21, 6).
        self.checklist_places: dict[str, ListPlace] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On the search screen `/` would only search again: not offered there (nor in its footer).
        return not (action == "search" and not getattr(self.screen, "offers_search", True))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Notifications carry notes, queries, paths and content: always literal, never markup.
        # And control characters shown, not sent (safe_text.visible): a note may quote anything.
        message, title = visible(message), visible(title, one_line=True)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        self.notices.append(Notice(message, severity))

    def get_default_screen(self) -> Screen:
        # The reader is the bottom of the stack itself, not pushed over Textual's blank default
        # screen: one screen less to style, lay out and resize at start-up.
        from tui.screens.reader import ReaderScreen

        start: Place = parse_place(self.policy, self.ui_state.last_place) or PREAMBLE
        return ReaderScreen(self.policy, start)

    def on_mount(self) -> None:
        if self.ui_state.theme and self.ui_state.theme in self.available_themes:
            self.theme = self.ui_state.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for warning in self._startup_warnings:
            self.notify(warning, severity="warning", timeout=8)
        # Off the start-up path: after the first screen is drawn, in a thread.
        self.set_timer(WARM_SEARCH_AFTER_S, lambda: self.run_worker(self._warm_search, thread=True, group="warm"))

    @property
    def workbench(self) -> Workbench:
        """Store and checklists, opened on first need: the reader starts without them."""
        if self._workbench is None:
            from tui.core.workbench import Workbench

            self._workbench = Workbench.at_default_locations(
                self.policy, profile=self._profile, store_path=self._store_path, store=self._store
            )
            self._workbench.on_warning = self.warn
            for warning in self._workbench.take_warnings():  # a damaged config, read on creation
                self.warn(warning)
        return self._workbench

    # The one channel for problems -----------------------------------------------------

    def warn(self, message: str) -> None:
        """A warning from the core (a damaged store moved aside, a broken user checklist)."""
        if self.is_running:
            self.notify(message, severity="warning", timeout=10)
        else:
            self._startup_warnings.append(message)  # shown once the first screen is up

    def attempt(self, action: Callable[[], T]) -> T | None:
        """Run `action`; a Bj30Error (a clear, one-line problem) is shown and gives None.

        Anything else is a bug and propagates: nothing is swallowed but the errors the core
        raises for users. Actions that have nothing to return return True.
        """
        try:
            return action()
        except Bj30Error as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return None

    # State remembered across runs --------------------------------------------------

    def save_state(self) -> None:
        error = save_ui_state(self._state_path, self.ui_state)
        if error and not self._state_error_shown:
            self._state_error_shown = True  # once is enough; the app keeps working
            self.notify(error + " (your place and theme will not be remembered)", severity="warning")

    def remember_place(self, place: Place) -> None:
        if self.ui_state.last_place != place:
            self.ui_state.last_place = place
            self.save_state()

    def remember_export_dir(self, folder: Path) -> None:
        if self.ui_state.export_dir != str(folder):
            self.ui_state.export_dir = str(folder)
            self.save_state()

    def _theme_changed(self, theme: object) -> None:
        if self.ui_state.theme != self.theme:
            self.ui_state.theme = self.theme
            self.save_state()

    # Actions available everywhere ---------------------------------------------------

    def open_place(self, place: Place, highlights: list[tuple[int, int]] | None = None, scroll_to: int | None = None) -> None:
        from tui.screens.reader import ReaderScreen

        while not isinstance(self.screen, ReaderScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        reader = self.screen
        if isinstance(reader, ReaderScreen):
            reader.open(place, highlights, scroll_to=scroll_to)

    @property
    def search_index(self) -> SearchIndex:
        """The policy's index: built by a worker soon after start-up (see _warm_search), or here
        by the first search if that comes sooner."""
        from tui.core.search.index import index_for

        return index_for(self.policy)

    def _warm_search(self) -> None:
        """In a thread, once the first screen is up: the policy's index and the English word
        list, so that neither the first `/` nor the first typo waits for them."""
        from tui.core.search import english
        from tui.core.search.index import index_for

        index_for(self.policy)
        english.preload()

    def action_search(self) -> None:
        from tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen) or self.screen.is_modal:
            return

        def closed(outcome: SearchOutcome | None) -> None:
            if outcome is None:
                return
            self.last_query = outcome.query  # the next `/` starts from it
            hit = outcome.hit
            if hit is None:
                return
            if hit.group != "policy":
                self.open_item(hit.role, hit.item)
                return
            # Mark every word of the query in the measure; scroll to the sentence that matched.
            marks = self.search_index.find_in_text(body_text(self.policy, hit.place), outcome.query)
            self.open_place(hit.place, marks, scroll_to=hit.body_spans[0][0] if hit.body_spans else None)

        def search(query: str, limit: int) -> Found:
            return self.workbench.answer(query, limit=limit)

        self.push_screen(SearchScreen(search, self.last_query), closed)

    def open_item(self, role: str, item_id: str) -> None:
        """Show an item in its checklist (from a search hit on the item or on its note)."""
        from tui.screens.checklist import ChecklistScreen
        from tui.screens.roles import RolesScreen

        checklist = self.workbench.catalog.get(role)
        if checklist is None or checklist.item(item_id) is None:
            self.notify(f"{role}/{item_id}: no checklist has this item any more; the note is kept", severity="warning", timeout=8)
            return
        screen = self.screen
        if isinstance(screen, ChecklistScreen) and screen.role == role:
            screen.show_item(item_id)
            return
        if isinstance(screen, ChecklistScreen):
            self.pop_screen()
        if not isinstance(self.screen, RolesScreen):
            self.push_screen(RolesScreen())  # escape from the checklist goes back to the roles, as ever
        self.push_screen(ChecklistScreen(role, select=item_id))

    def action_checklists(self) -> None:
        from tui.screens.checklist import ChecklistScreen
        from tui.screens.roles import RolesScreen

        if isinstance(self.screen, RolesScreen | ChecklistScreen) or self.screen.is_modal:
            return
        self.push_screen(RolesScreen())
        if self.last_role and self.workbench.catalog.get(self.last_role):
            # Back where the officer was: `l` after opening a measure from a checklist returns to it.
            self.push_screen(ChecklistScreen(self.last_role))

    def action_open_actions(self) -> None:
        from tui.screens.actions import ActionsScreen

        if isinstance(self.screen, ActionsScreen) or self.screen.is_modal:
            return
        self.push_screen(ActionsScreen())

    @property
    def profile_name(self) -> str:
        """The profile in use: the workbench's once open, else the one it will open with."""
        if self._workbench is not None:
            return self._workbench.profile_name
        if self._configured_profile is None:  # read once: the headers ask at every frame
            from tui.core.config import load_config
            from tui.core.progress.profile import DEFAULT_PROFILE

            self._configured_profile = self._profile or load_config(locations.config_file()).get("profile") or DEFAULT_PROFILE
        return self._configured_profile

    @property
    def role_lens(self) -> str | None:
        """The role lens of the profile in use (each profile keeps its own)."""
        return self.ui_state.lens(self.profile_name)

    def set_role_lens(self, role: str | None) -> None:
        self.ui_state.set_lens(self.profile_name, role)
        self.save_state()
        self.refresh_headers()

    # The header line ----------------------------------------------------------------

    def header_right(self) -> str:
        """The right side of every header line: the institution, the role lens, and whose name the
        history records: the name set (`bj30 config set name`, the first-run dialog, P), or the
        login name, said as such. Asked at every frame: a name set in another terminal shows at once."""
        lens = f"lens: {self.role_lens}" if self.role_lens else ""
        return " · ".join(w for w in (self.profile_words, lens, self.recorder_words()) if w)

    def recorder_words(self) -> str:
        workbench = self._workbench
        if workbench is None:
            return self.who_words  # before the store opens: from the config, read by learn_profile
        if workbench.location.is_team:  # the database records its user, whatever name is set
            return f"you: {workbench.who}" if workbench.who else ""
        named = workbench.by or workbench.config.get("name")
        return f"you: {named}" if named else f"you: {workbench.who} (login name)"

    def learn_profile(self) -> None:
        """Find what the headers say about the profile: from the workbench once it is open (the
        profile may have just been switched or edited; read in the store thread while the app
        runs: a team store may be slow or away), else by a read-only peek at the store file.
        The reader's start never opens the store for this (see tui/core/progress/profile.py)."""
        from tui.core.config import load_config, login_name
        from tui.core.progress.profile import DEFAULT_PROFILE, peek_profile

        config = load_config(locations.config_file())  # the profile chosen last, the user's name
        name = self._profile or config.get("profile") or DEFAULT_PROFILE
        if self._workbench is not None:
            workbench = self._workbench
            if self.is_running:
                self.store_jobs.run(workbench.check_profile, lambda p: self._profile_known(p, workbench.profile_name, config))
            else:
                self._profile_known(self.attempt(workbench.check_profile), workbench.profile_name, config)
            return
        local = self._local_store(config)
        profile = peek_profile(local, name) if local is not None else None  # a team store: not peeked
        if local is None:
            self.who_words = ""  # a team store: its database user, known once connected
        else:
            self.who_words = f"you: {config.get('name')}" if config.get("name") else f"you: {login_name()} (login name)"
        self._profile_known(profile, name, config)

    def _profile_known(self, profile: Profile | None, name: str, config: Config) -> None:
        if self.ask_first_run and not self._profile_learned:
            from tui.flows.first_run import ask_first_run, first_run_wanted

            if first_run_wanted(self, profile, config):
                self.call_after_refresh(ask_first_run, self)  # over the first screen, once it is drawn
        self.profile_words = profile.label() if profile and profile.institution else f"profile {name}"
        self._profile_learned = True
        self.refresh_headers()

    def _local_store(self, config: Config) -> Path | None:
        """The SQLite file the workbench will open, or None for a team store (or a bad location)."""
        from tui.core.config import store_choice
        from tui.core.store.location import parse_location

        if self._store_path is not None and not self._store:
            return self._store_path
        try:
            location = parse_location(store_choice(self._store, config, locations.store_path()).text)
        except Bj30Error:
            return None
        return location.path

    def learn_profile_once(self) -> None:
        """learn_profile, unless done already: each header line asks after its screen's first frame."""
        if not self._profile_learned:
            self.learn_profile()

    def on_header_line_shown(self, message: HeaderLine.Shown) -> None:
        """A header line came on screen: its words now; the institution read once, after this
        screen's first frame (never delaying it). Every header asks, not only the reader's, in
        case another screen covers the reader first."""
        message.header.right = self.header_right()
        self.call_after_refresh(self.learn_profile_once)

    def refresh_headers(self) -> None:
        if not self.is_running:
            return  # given the right words when the screens first show (on_header_line_shown)
        words = self.header_right()
        for screen in self.screen_stack:
            for header in screen.query(HeaderLine):
                header.right = words

    def action_help(self) -> None:
        from tui.dialogs.help import HelpDialog, describe_bindings
        from tui.screens.base import Bj30Screen

        screen = self.screen
        if screen.is_modal:
            return
        title = screen.help_title if isinstance(screen, Bj30Screen) else type(screen).__name__
        self.push_screen(HelpDialog(title, describe_bindings(screen)))


def run_app(profile: str | None = None, store: str | None = None) -> int:
    from tui.core.store.location import team_driver_missing

    try:
        app = Bj30App(profile=profile, store=store, ask_first_run=True)
        missing = team_driver_missing() if app.workbench.location.is_team else None
        if missing:
            raise Bj30Error(missing)  # said before the screen opens, not on the first checklist
        if profile:
            app.workbench.use_profile(profile)  # an unknown profile is refused before the screen opens
            app.learn_profile()  # the store is open now: the header names the institution at once
    except Bj30Error as exc:
        print(f"bj30: {exc}", file=sys.stderr)
        return 1
    try:
        app.run()
    finally:
        app.store_jobs.close()  # a save under way is finished first
        if app._workbench is not None:
            app._workbench.close()
    return app.return_code or 0
