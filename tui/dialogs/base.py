"""The Dialog base class: a small centred box over the screen, with the styles every dialog shares."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.literal import literal


class Dialog(ModalScreen):
    """A small centred box over the screen; the styles every dialog shares live here."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }

    .dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }

    /* Prompts and hints wrap inside the box rather than run off its edge (60 columns). */
    .dialog Label {
        width: 100%;
    }

    .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }

    .dialog-error {
        color: $error;
        height: auto;
    }

    .dialog-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(literal(message))
