"""The bj30 Textual app. Thin: screens do the work; the core holds the data."""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.core import locations
from tui.core.content.places import PREAMBLE, Place, body_text, parse_place
from tui.core.content.policy import Policy
from tui.core.content.policy_loader import load_policy
from tui.core.errors import Bj30Error
from tui.core.text.safe_text import visible
from tui.core.ui_state import UiState, load_ui_state, save_ui_state
from tui.screens.base import Bj30Base
from tui.widgets.header_line import HeaderLine

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from tui.core.config import Config
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


class Bj30App(Bj30Base):
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
        served_as: Served | None = None,
    ) -> None:
        super().__init__()
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

    @property
    def signing_in(self) -> bool:
        """A tab of `bj30 serve --login` whose user has not signed in yet: nothing touches the store."""
        return bool(self.served_as and self.served_as.login) and self._workbench is None

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's built-in palette entries that make sense in bj30, worded for it.

        Kept: Theme (remembered across runs), Quit. Keys opens bj30's own help (every key of
        the screen) instead of Textual's widget help panel. Screenshot saves where it can and
        says where (Textual's saves to ~/Downloads, which fails where there is none). Dropped:
        Maximize/Minimize: `t` already gives the text the whole width, and a maximized list
        would change what escape does on the checklist screens.
        """
        from textual.app import SystemCommand

        yield SystemCommand("Theme", "Change the colours (remembered next time)", self.action_change_theme)
        yield SystemCommand("Keys", "Every key of this screen (? or f1)", self.action_help)
        where = "your browser downloads it" if self.is_web else "in the current folder"
        yield SystemCommand(
            "Screenshot", f"A picture of the screen (SVG): {where}", lambda: self.set_timer(0.1, self.take_screenshot)
        )  # after the palette closes
        yield SystemCommand("Quit", "Quit bj30 (q)", self.action_quit)

    def take_screenshot(self) -> None:
        if self.is_web:
            # In a browser (bj30 serve) the file goes to the browser as a download (Textual's own
            # deliver_screenshot would have the browser open it in a new tab instead).
            import datetime as dt

            from tui.flows.export import deliver

            name = f"bj30-screenshot-{dt.datetime.now():%Y-%m-%d-%H%M%S}.svg"
            deliver(self, name, self.export_screenshot().encode("utf-8"), "image/svg+xml", what="Screenshot")
        else:
            self.save_screenshot_here()

    def save_screenshot_here(self) -> Path | None:
        """Save an SVG of the screen in locations.screenshot_dir() and say where; None if it failed."""
        folder = locations.screenshot_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(self.save_screenshot(path=str(folder)))
        except OSError as exc:
            self.notify(f"Screenshot not saved: cannot write in {folder} ({exc.strerror or exc})", severity="error", timeout=8)
            return None
        self.notify(f"Screenshot saved to {path}", title="Screenshot", timeout=8)
        return path

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

    def _save_state(self) -> None:
        error = save_ui_state(self._state_path, self.ui_state)
        if error and not self._state_error_shown:
            self._state_error_shown = True  # once is enough; the app keeps working
            self.notify(error + " (your place and theme will not be remembered)", severity="warning")

    def remember_place(self, place: Place) -> None:
        if self.ui_state.last_place != place:
            self.ui_state.last_place = place
            self._save_state()

    def remember_export_dir(self, folder: Path) -> None:
        if self.ui_state.export_dir != str(folder):
            self.ui_state.export_dir = str(folder)
            self._save_state()

    def _theme_changed(self, theme: object) -> None:
        if self.ui_state.theme != self.theme:
            self.ui_state.theme = self.theme
            self._save_state()

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

    def set_role_lens(self, role: str | None) -> None:
        self.ui_state.role = role
        self._save_state()
        self.refresh_headers()

    # The header line ----------------------------------------------------------------

    def header_right(self) -> str:
        """The right side of every header line: the institution, the role lens, and who makes the
        changes: in a terminal once a name is set (`bj30 config set name`; the history records
        the login name otherwise); in a browser always (see who_words_for)."""
        lens = f"lens: {self.ui_state.role}" if self.ui_state.role else ""
        return " · ".join(w for w in (self.profile_words, lens, self.who_words) if w)

    def learn_profile(self) -> None:
        """Find what the headers say about the profile: from the workbench once it is open (the
        profile may have just been switched or edited), else by a read-only peek at the store.
        The reader's start never opens the store for this (see tui/core/progress/profile.py)."""
        from tui.core.config import load_config, who
        from tui.core.progress.profile import DEFAULT_PROFILE, Profile, peek_profile

        config = load_config(locations.config_file())  # the profile chosen last, the user's name
        name = self._profile or config.get("profile") or DEFAULT_PROFILE
        profile: Profile | None
        if self._workbench is not None:
            workbench = self._workbench
            name = workbench.profile_name
            profile = self.attempt(workbench.check_profile)
            # A team store records its database user, whatever name is configured.
            configured = workbench.who if workbench.location.is_team else (workbench.by or workbench.config.get("name"))
            recorded = workbench.who
        else:
            local = self._local_store(config)
            profile = peek_profile(local, name) if local is not None else None  # a team store: not peeked
            configured = "" if local is None else (self._by or config.get("name"))
            recorded = who(self._by, config) if local is not None else self._team_user_expected(config)
        self.who_words = self.who_words_for(configured, recorded)
        self.profile_words = profile.label() if profile and profile.institution else f"profile {name}"
        self._profile_learned = True
        self.refresh_headers()

    def who_words_for(self, configured: str, recorded: str) -> str:
        """What the header says about who makes the changes. In a terminal: "you: NAME" once a name
        is set. In a browser tab the server's user is not the tab's: "you: NAME" only when the tab's
        user was named (--user-header) or signed in (--login); otherwise, so that no colleague is
        surprised, whose name their changes go under."""
        if self.served_as is None:
            return f"you: {configured}" if configured else ""
        if not recorded or self.signing_in:
            return ""
        return f"you: {recorded}" if self.served_as.identified else f"changes recorded as {recorded}"

    @property
    def profile_asked(self) -> str | None:
        """The profile given with --profile, if any."""
        return self._profile

    def store_text(self) -> str:
        """Where the store is, as given (--store, BJ30_STORE, the config, the default): may hold a password."""
        from tui.core.config import load_config, store_choice

        return store_choice(self._store, load_config(locations.config_file()), locations.store_path()).text

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A download (bj30 serve) that did not reach the browser: said, as a download that did is."""
        self.notify(f"{event.name or 'The file'} did not reach your browser: {event.exception}", severity="error", timeout=10)

    def _team_user_expected(self, config: Config) -> str:
        """The database user a team store not opened yet will record: the URL's, else libpq's default."""
        from urllib.parse import unquote, urlsplit

        from tui.core.config import login_name, store_choice

        try:
            user = urlsplit(store_choice(self._store, config, locations.store_path()).text).username
        except ValueError:
            user = None
        return unquote(user) if user else (os.environ.get("PGUSER") or login_name())

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
    from tui.served import served

    try:
        app = Bj30App(profile=profile, store=store, served_as=served())
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
        if app._workbench is not None:
            app._workbench.close()
    return app.return_code or 0
