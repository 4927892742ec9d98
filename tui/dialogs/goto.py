"""The "Go to measure" dialog: a number 1-30 and Enter; anything else is refused in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.errors import UnknownMeasure
from tui.core.policy import Policy
from tui.dialogs.base import Dialog


class GotoDialog(Dialog):
    """Dismisses with the measure number chosen, or None when cancelled."""

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        self.policy = policy

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box", classes="dialog"):
            yield Label(f"Go to measure ({self.policy.first}-{self.policy.last})", classes="dialog-title")
            yield Input(placeholder="e.g. 17", id="goto-input", max_length=40)
            yield Static("", id="goto-error", classes="dialog-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            measure = self.policy.parse_measure(event.value)
        except UnknownMeasure as exc:
            self.query_one("#goto-error", Static).update(Content(str(exc)))
            return
        self.dismiss(measure.number)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#goto-error", Static).update("")
