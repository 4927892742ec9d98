"""Asks why an item does not apply (N/A needs a reason)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.dialogs.base import Dialog
from tui.widgets.literal import as_saved, editable


class ReasonDialog(Dialog):
    """Asks why an item does not apply. Dismisses with the reason, or None."""

    def __init__(self, item_id: str, current: str = "") -> None:
        super().__init__()
        self.item_id = item_id
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Not applicable: {self.item_id}"), classes="dialog-title")
            yield Label("Why does this item not apply? The reason is kept in the note.")
            yield Input(value=editable(self.current), placeholder="e.g. We employ no foreign staff.", id="reason")
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter saves · escape cancels", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.show_error("N/A needs a reason: say why the item does not apply.")
            return
        self.dismiss(as_saved(event.value.strip(), self.current.strip()))
