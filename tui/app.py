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
from tui.app_header import HeaderApp
from tui.app_served import ServedApp
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

if TYPE_CHECKING:
    from tui.core.search.index import SearchIndex
    from tui.core.search.units import Found
    from tui.core.workbench import Workbench
    from tui.screens.search import SearchOutcome
    from tui.served import Served


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


class Bj30App(KeysInOrderApp[None], SystemCommandsApp[None], HeaderApp[None], ServedApp[None], Bj30Base):
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
        served_as: Served | None = None,
    ) -> None:
        """`ask_first_run`: ask for the institution and the user's name when neither is set (bj30
        itself; tests ask for it where they test it)."""
        super().__init__()
        self.ask_first_run = ask_first_run
        self.policy = policy or load_policy()
        self._store_path = store_path
        self._store = store  # a path or URL (--store); None: BJ30_STORE, the config, the default file
        self._profile = profile
        # In a browser tab of `bj30 serve`: who the tab's user is (tui/served.py); None in a terminal.
        self.served_as = served_as
        self._by = served_as.user if served_as else None  # named by the server's trusted proxy
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
        if self.signing_in:  # no checklists, search or palette before the user has signed in
            return action in ("quit", "help_quit", "focus_next", "focus_previous", "bell")
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

    def signed_in(self, workbench: Workbench) -> None:
        """The tab's user signed in (tui/screens/sign_in.py): work on their own session from now on."""
        self._adopt(workbench)
        self.pop_screen()  # the sign-in screen, over the reader
        self.learn_profile()

    def on_mount(self) -> None:
        if self.signing_in:  # a tab of `bj30 serve --login`: its user signs in before anything else
            from tui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen())
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

            if self.signing_in:
                raise Bj30Error("Sign in first: the store opens as you once you have signed in.")
            self._adopt(
                Workbench.at_default_locations(
                    self.policy, profile=self._profile, store_path=self._store_path, store=self._store, by=self._by
                )
            )
        assert self._workbench is not None
        return self._workbench

    def _adopt(self, workbench: Workbench) -> None:
        self._workbench = workbench
        workbench.on_warning = self.warn
        for warning in workbench.take_warnings():  # a damaged config, read on creation
            self.warn(warning)

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
    from tui.served import served

    try:
        served_as = served()
        # Not in a browser tab: the name is the tab user's (--user-header, --login) and the settings
        # are the serving machine's, which one colleague must not set for all.
        app = Bj30App(profile=profile, store=store, ask_first_run=served_as is None, served_as=served_as)
        if app.signing_in:
            missing = team_driver_missing()
            if missing:
                raise Bj30Error(missing)
        else:
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
