"""What the header lines say (the profile's institution, the role lens, whose name the history
records) and the profile and lens in use, for the bj30 app (kept out of tui/app.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, ReturnType

from tui.core import locations
from tui.core.errors import Bj30Error
from tui.widgets.header_line import HeaderLine

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.progress.profile import Profile
    from tui.core.ui_state import UiState
    from tui.core.workbench import Workbench
    from tui.served import Served
    from tui.store_jobs import StoreJobs


class HeaderApp(App[ReturnType]):
    """The profile in use, its lens, and the header lines' words. Bj30App sets the attributes."""

    _workbench: Workbench | None
    _configured_profile: str | None
    _profile: str | None
    _store: str | None
    _store_path: Path | None
    _by: str | None
    _profile_learned: bool
    served_as: Served | None
    ui_state: UiState
    store_jobs: StoreJobs
    profile_words: str
    who_words: str
    ask_first_run: bool

    if TYPE_CHECKING:  # Bj30App's and ServedApp's: declared for the type checker only, never shadowing them

        def save_state(self) -> None: ...

        def attempt(self, action: Any) -> Any: ...

        def served_words(self, recorded: str) -> str: ...

        def team_user_expected(self, config: Config) -> str: ...

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
        if self.served_as is not None:  # a browser tab: the server's user is not the tab's
            return self.served_words(workbench.who)
        if workbench.location.is_team:  # the database records its user, whatever name is set
            return f"you: {workbench.who}" if workbench.who else ""
        named = workbench.by or workbench.config.get("name")
        return f"you: {named}" if named else f"you: {workbench.who} (login name)"

    def learn_profile(self) -> None:
        """Find what the headers say about the profile: from the workbench once it is open (the
        profile may have just been switched or edited; read in the store thread while the app
        runs: a team store may be slow or away), else by a read-only peek at the store file.
        The reader's start never opens the store for this (see tui/core/progress/profile.py)."""
        from tui.core.config import load_config, login_name, who
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
        if self.served_as is not None:
            self.who_words = self.served_words(who(self._by, config) if local is not None else self.team_user_expected(config))
        elif local is None:
            self.who_words = ""  # a team store: its database user, known once connected
        else:
            self.who_words = f"you: {config.get('name')}" if config.get("name") else f"you: {login_name()} (login name)"
        self._profile_known(profile, name, config)

    def _profile_known(self, profile: Profile | None, name: str, config: Config) -> None:
        if self.ask_first_run and not self._profile_learned:
            from tui.flows.first_run import ask_first_run, first_run_wanted
            from tui.screens.base import app_of

            app = app_of(self)  # this app, as the flows know it
            if first_run_wanted(app, profile, config):
                self.call_after_refresh(ask_first_run, app)  # over the first screen, once it is drawn
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
