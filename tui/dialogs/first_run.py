"""The first run's one question (the institution and your name), and your name on its own later."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.core.config import MAX_NAME, ConfigError, check_person
from tui.core.store.model import MAX_FIELD_CHARS
from tui.dialogs.base import Dialog, form_row
from tui.widgets.literal import as_saved, editable, literal

LABEL_WIDTH = len("Institution") + 2


@dataclass(frozen=True)
class FirstRun:
    institution: str  # "" when skipped
    name: str  # "" when skipped
    # A profile's roles (which checklists the institution answers to) will be asked here too.


def _name_field(value: str, login: str) -> Input:
    hint = f"e.g. Wang Li (else your login name, {login})" if login else "e.g. Wang Li"
    return Input(value=editable(value), placeholder=hint, id="first-name", max_length=MAX_NAME, compact=True)


class FirstRunDialog(Dialog):
    """Asked once, when no institution and no name are set: each may be left empty. Dismisses with
    a FirstRun (what was typed), or None when skipped with escape."""

    def __init__(self, login: str, *, ask_name: bool = True) -> None:
        super().__init__()
        self.login = login
        self.ask_name = ask_name  # a team store records its database user: no name to ask

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="first-run-box"):
            yield Label("Welcome to bj30", classes="dialog-title")
            yield Label("Reports name your institution; the history names who made each change.")
            yield form_row(
                "Institution",
                Input(placeholder="e.g. Peking University", id="first-institution", max_length=MAX_FIELD_CHARS, compact=True),
                label_width=LABEL_WIDTH,
            )
            if self.ask_name:
                yield form_row("Your name", _name_field("", self.login), label_width=LABEL_WIDTH)
            # The profile's roles (issue 22) get their line here.
            yield Static("", classes="dialog-error", markup=False)
            yield Label("Both may stay empty; P, the palette (ctrl+p) or bj30 config change them later.", classes="dialog-hint")
            yield Label("enter saves · tab moves · escape skips", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        institution = self.query_one("#first-institution", Input).value.strip()
        name = ""
        if self.ask_name:
            typed = self.query_one("#first-name", Input).value
            try:
                name = check_person(typed) if typed.strip() else ""
            except ConfigError as exc:
                self.show_error(f"Your name: {exc}.")
                return
        self.dismiss(FirstRun(institution, name))


class NameDialog(Dialog):
    """Whose name the history records: set, changed or cleared (the login name stands in).
    Dismisses with the name ("" to clear), or None."""

    def __init__(self, current: str, login: str) -> None:
        super().__init__()
        self.current = current
        self.login = login

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your name", classes="dialog-title")
            yield Label(literal("Recorded with every change you make, in the history and the reports."))
            yield form_row("Your name", _name_field(self.current, self.login), label_width=LABEL_WIDTH)
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter saves (empty: your login name) · escape cancels", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = as_saved(event.value, self.current)
        try:
            self.dismiss(check_person(typed) if typed.strip() else "")
        except ConfigError as exc:
            self.show_error(f"Your name: {exc}.")
