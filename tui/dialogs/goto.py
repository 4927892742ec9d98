"""The "Go to" dialog: a measure, a part, the notice or the preamble, as `bj30 show` takes them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.content.places import Place, accepted_places, read_place
from tui.core.content.policy import Policy
from tui.core.errors import UnknownMeasure
from tui.dialogs.base import Dialog


class GotoDialog(Dialog):
    """Dismisses with the place chosen, or None when cancelled. Bad input is refused in place."""

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        self.policy = policy

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box", classes="dialog"):
            yield Label("Go to", classes="dialog-title")
            yield Input(placeholder="e.g. 17, III, notice", id="goto-input", max_length=40)
            yield Static("", id="goto-error", classes="dialog-error", markup=False)
            yield Static(
                Content(f"Type {accepted_places(self.policy)}; enter goes, escape cancels."), classes="dialog-hint", markup=False
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            place: Place = read_place(self.policy, event.value)
        except UnknownMeasure as exc:
            self.show_error(str(exc))
            return
        self.dismiss(place)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")
