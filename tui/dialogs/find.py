"""Find in the open measure, marking matches as you type."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.dialogs.base import Dialog

MAX_FIND_CHARS = 200


class FindDialog(Dialog):
    """Find in the open measure: every change of the query calls `mark_matches`, which marks the
    matches in the reader and returns how many there are. Enter keeps the marks; Escape clears."""

    # At the bottom, leaving the text it marks in view.
    DEFAULT_CSS = """
    FindDialog {
        align: center bottom;
    }

    #find-box {
        margin-bottom: 2;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Clear", id="find.cancel")]

    def __init__(self, mark_matches: Callable[[str], int], initial: str = "") -> None:
        super().__init__()
        self.mark_matches = mark_matches
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="find-box"):
            yield Input(
                value=self.initial,
                placeholder="Find in this measure (typos are fine)",
                id="find-input",
                max_length=MAX_FIND_CHARS,
            )
            yield Static("", id="find-count", classes="dialog-hint", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        count = self.mark_matches(event.value)
        self.query_one("#find-count", Static).update(
            "" if not event.value.strip() else f"{count} match{'es' if count != 1 else ''} · enter keeps · escape clears"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.mark_matches("")
        self.dismiss(None)
