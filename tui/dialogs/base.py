"""The Dialog base class: a small centred box over the screen, with the styles every dialog shares."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.widgets.literal import literal


def form_row(label: str, *widgets: Widget, label_width: int = 8) -> Horizontal:
    """One line of a form: its label, always shown, then the field (and anything after it).

    A label beside the field rather than a placeholder inside it: once a field is filled its
    placeholder is gone, and Institution and Department looked alike (issue 21, 7).
    """
    caption = Label(label, classes="field-label")
    caption.styles.width = label_width
    return Horizontal(caption, *widgets, classes="field")


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

    /* Shown when there is something to say (show_error), so that an empty one takes no line
       from the fields at 60x20. */
    .dialog-error {
        color: $error;
        height: auto;
        display: none;
    }

    .dialog-hint {
        color: $text-muted;
        margin-top: 1;
    }

    /* A form's line: label, then the field taking the rest of the width. The label's width is
       set per form (form_row); 100% here would leave the field one cell wide (issue 21, 1). */
    .dialog .field {
        height: 1;
        width: 100%;
    }

    .dialog .field > .field-label {
        height: 1;
    }

    .dialog .field > Input {
        width: 1fr;
        background: $boost;
    }

    .dialog .field > Input:focus {
        background: $primary 25%;
    }

    .dialog .field > .field-hint {
        width: auto;
        color: $text-muted;
        padding-left: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one(".dialog-error", Static)
        error.update(literal(message))
        error.display = bool(message)
