"""What every bj30 screen shares: typed access to the running app, without importing it.

`Bj30Base` says what the screens, dialogs, flows and the command palette use of the app;
tui.app.Bj30App is its one implementation. They reach the app as a Bj30Base (`app_of`,
`Bj30Screen.bj30`), so that nothing below tui/app.py imports it (the layers in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

if TYPE_CHECKING:
    from tui.core.content.places import Place
    from tui.core.content.policy import Policy
    from tui.core.search.index import SearchIndex
    from tui.core.ui_state import ListPlace, UiState
    from tui.core.workbench import Workbench
    from tui.store_jobs import StoreJobs

T = TypeVar("T")
R = TypeVar("R")


class Bj30Base(App[None]):
    """The app as the rest of the UI sees it (see the module's docstring)."""

    policy: Policy
    ui_state: UiState
    last_role: str | None
    store_jobs: StoreJobs  # store work off the event loop (tui/store_jobs.py)
    checklist_places: dict[str, ListPlace]  # where the officer was in each role's checklist
    ask_first_run: bool

    @property
    def role_lens(self) -> str | None:
        """The role lens of the profile in use."""
        raise NotImplementedError

    def recorder_words(self) -> str:
        """`you: NAME`: whose name the history records (the login name said as such)."""
        raise NotImplementedError

    def refresh_headers(self) -> None:
        raise NotImplementedError

    def save_state(self) -> None:
        raise NotImplementedError

    @property
    def workbench(self) -> Workbench:
        """Store and checklists, opened on first need."""
        raise NotImplementedError

    @property
    def search_index(self) -> SearchIndex:
        raise NotImplementedError

    def attempt(self, action: Callable[[], T]) -> T | None:
        """Run `action`; a Bj30Error is shown and gives None."""
        raise NotImplementedError

    def open_place(self, place: Place, highlights: list[tuple[int, int]] | None = None, scroll_to: int | None = None) -> None:
        raise NotImplementedError

    def open_item(self, role: str, item_id: str) -> None:
        """Show an item in its checklist."""
        raise NotImplementedError

    def remember_place(self, place: Place) -> None:
        raise NotImplementedError

    def remember_export_dir(self, folder: Path) -> None:
        raise NotImplementedError

    def set_role_lens(self, role: str | None) -> None:
        raise NotImplementedError

    def learn_profile(self) -> None:
        """Find again what the header lines say about the profile (switched or edited)."""
        raise NotImplementedError

    def action_checklists(self) -> None:
        raise NotImplementedError

    def action_open_actions(self) -> None:
        raise NotImplementedError

    # A browser tab of `bj30 serve --login` (tui/screens/sign_in.py) ---------------------

    @property
    def signing_in(self) -> bool:
        """Whether the tab's user has still to sign in: nothing may open the store before."""
        raise NotImplementedError

    @property
    def profile_asked(self) -> str | None:
        """The profile given with --profile, if any."""
        raise NotImplementedError

    def store_text(self) -> str:
        """Where the store is, as given (it may hold a password: parse it, never show it)."""
        raise NotImplementedError

    def signed_in(self, workbench: Workbench) -> None:
        """The tab's user signed in: work on their own session from now on."""
        raise NotImplementedError


def app_of(node: DOMNode) -> Bj30Base:
    """The app `node` belongs to, as a Bj30Base: its workbench, policy and state are typed."""
    app = node.app
    assert isinstance(app, Bj30Base), f"{node!r} is not in a bj30 app"
    return app


class Bj30Screen(Screen[R]):
    """A full screen of bj30, dismissing with an R. `help_title` names it in the help dialog."""

    help_title = ""
    # True while the screen reads what it shows for the first time (in the store thread): keys typed
    # meanwhile wait (tui/key_order.py), so that `l enter` typed at once opens the first checklist
    # rather than pressing enter on a list not yet filled.
    loading = False

    @property
    def holds_keys(self) -> bool:
        return self.loading

    @property
    def bj30(self) -> Bj30Base:
        return app_of(self)
