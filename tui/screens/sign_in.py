"""The first screen of a browser tab of `bj30 serve --login`: the tab's user signs in to the team store.

The database then records this user for every change made in the tab, exactly as in a terminal
started with their own login. The password is typed here, in the tab's own app process: it reaches
that process through the server's pipe like any key, goes into the connection string in memory
(needed to reconnect after an outage), and is never logged, saved, shown or put in a command
line or environment. Its box is cleared as soon as it is read.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.errors import Bj30Error
from tui.core.store.location import redact
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.literal import literal


class SignInScreen(Bj30Screen[None]):
    help_title = "Sign in"

    # Tab moves between the two boxes before the next key is handled (a priority binding), so that
    # "user<tab>password" typed in one burst (or arriving in one packet) fills both boxes: Textual's
    # own tab binding runs only after the keys behind it have gone to the box it leaves.
    BINDINGS = [
        Binding("tab", "app.focus_next", show=False, priority=True, id="sign_in.next"),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="sign_in.previous"),
    ]

    DEFAULT_CSS = """
    SignInScreen {
        align: center middle;
    }

    #sign-in-box {
        width: 72;
        max-width: 100%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }

    #sign-in-box Label, #sign-in-box Static {
        width: 100%;
    }

    .dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }

    #sign-in-error {
        color: $error;
        height: auto;
    }

    .dialog-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield HeaderLine("Sign in")
        with Vertical(id="sign-in-box"):
            yield Label("Sign in to the team store", classes="dialog-title")
            yield Label(Content(f"{self._store_shown()}: bj30 records each change you make under your database login."))
            yield Label("Database user:")
            yield Input(id="sign-in-user")
            yield Label("Password:")
            yield Input(password=True, id="sign-in-password")
            yield Static("", id="sign-in-error", markup=False)
            yield Label("enter signs in · tab moves · close the tab to leave", classes="dialog-hint")

    def _store_shown(self) -> str:
        return redact(self._store_url())

    def _store_url(self) -> str:
        return self.bj30.store_text()

    def on_mount(self) -> None:
        self.query_one("#sign-in-user", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        user = self.query_one("#sign-in-user", Input)
        password = self.query_one("#sign-in-password", Input)
        if event.input is user and not password.value:
            password.focus()
            return
        typed = password.value
        password.value = ""  # read once; never kept in the screen
        if not user.value.strip():
            self._show_error("Give your database user name.")
            user.focus()
            return
        self._show_error("Signing in…")
        user.disabled = password.disabled = True
        self._sign_in(user.value, typed)

    @work(thread=True, exclusive=True, group="sign-in")
    def _sign_in(self, user: str, password: str) -> None:
        app = self.bj30
        from tui.core.workbench import Workbench

        try:
            workbench = Workbench.signed_in(app.policy, self._store_url(), user, password, profile=app.profile_asked)
        except Bj30Error as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(app.signed_in, workbench)

    def _failed(self, message: str) -> None:
        user = self.query_one("#sign-in-user", Input)
        password = self.query_one("#sign-in-password", Input)
        user.disabled = password.disabled = False
        self._show_error(f"Not signed in: {message}")
        password.focus()

    def _show_error(self, message: str) -> None:
        self.query_one("#sign-in-error", Static).update(literal(message))
